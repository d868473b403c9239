"""Extractive answers: the sentences of the retrieved passages that best answer the question, verbatim."""

from __future__ import annotations

from dataclasses import dataclass

from askcorpus.answering.answer import Passage, Quote
from askcorpus.answering.table import ChunkTable

MAX_QUOTES = 3
RELATIVE_CUTOFF = 0.6   # a further quote must score at least this share of the best one
DUPLICATE_OVERLAP = 0.8  # quotes sharing this share of their terms say the same thing
PASSAGE_WEIGHT = 0.25   # how much the passage's rank adds to a sentence's own coverage


@dataclass(frozen=True)
class _Candidate:
    """A sentence (or merged run of sentences) as a quote, with the terms and coverage it was scored by."""

    quote: Quote
    terms: frozenset[str]
    coverage: float

    @property
    def score(self) -> float:
        return self.quote.score


class Extractor:
    """Scores the sentences of passages against a question; abstains below a relevance floor."""

    def __init__(self, table: ChunkTable, floor: float):
        self.table = table
        self.floor = floor

    def extract(self, question: str, passages: list[Passage]) -> tuple[bool, list[Quote]]:
        """(abstained, quotes): abstain when no sentence covers at least `floor` of the question's weight."""
        eligible = [c for c in self._sentences(question, passages) if c.coverage >= self.floor]
        if not eligible or eligible[0].coverage <= 0:
            return True, []
        best = eligible[0].score
        chosen: list[_Candidate] = []
        for candidate in eligible:
            if len(chosen) == MAX_QUOTES or candidate.score < RELATIVE_CUTOFF * best:
                break
            if not any(_same(candidate, c) for c in chosen):
                chosen.append(candidate)
        return False, [c.quote for c in _merge_adjacent(chosen, passages)]

    def relevance(self, question: str, passages: list[Passage]) -> float:
        """The highest coverage of the question by any sentence: what the floor is compared with."""
        return max((c.coverage for c in self._sentences(question, passages)), default=0.0)

    def _sentences(self, question: str, passages: list[Passage]) -> list[_Candidate]:
        profile = self.table.profile(question)
        top = passages[0].score if passages and passages[0].score > 0 else 1.0
        seen: dict[tuple[str, int], _Candidate] = {}
        for passage in passages:
            for s, e, terms in self.table.sentences(passage.row):
                coverage = profile.coverage(terms)
                score = coverage + PASSAGE_WEIGHT * passage.score / top
                key = (passage.source, passage.start + s)
                if key not in seen or seen[key].score < score:
                    quote = Quote(passage.text[s:e], passage.source, passage.start + s, passage.start + e, score)
                    seen[key] = _Candidate(quote, terms, coverage)
        return sorted(seen.values(), key=lambda c: (-c.score, c.quote.source, c.quote.start))


def _same(a: _Candidate, b: _Candidate) -> bool:
    """Near-duplicates: one sentence's terms mostly contained in the other's (the seed articles repeat each other)."""
    smaller = min(len(a.terms), len(b.terms)) or 1
    return len(a.terms & b.terms) / smaller >= DUPLICATE_OVERLAP


def _merge_adjacent(chosen: list[_Candidate], passages: list[Passage]) -> list[_Candidate]:
    """Join quotes from the same file that touch or overlap, when one passage holds both, keeping the better rank."""
    merged: list[_Candidate] = []
    for candidate in chosen:
        for i, other in enumerate(merged):
            joined = _join(other, candidate, passages)
            if joined is not None:
                merged[i] = joined
                break
        else:
            merged.append(candidate)
    return merged


def _join(a: _Candidate, b: _Candidate, passages: list[Passage]) -> _Candidate | None:
    if a.quote.source != b.quote.source:
        return None
    first, second = sorted((a.quote, b.quote), key=lambda q: q.start)
    for passage in passages:
        if passage.source != first.source or not (passage.start <= first.start and second.end <= passage.end):
            continue
        between = passage.text[first.end - passage.start:second.start - passage.start]
        if second.start <= first.end or not between.strip():
            start, end = first.start, max(first.end, second.end)
            text = passage.text[start - passage.start:end - passage.start]
            quote = Quote(text, first.source, start, end, max(a.score, b.score))
            return _Candidate(quote, a.terms | b.terms, max(a.coverage, b.coverage))
    return None
