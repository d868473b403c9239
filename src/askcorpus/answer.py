"""Extractive answers: the sentences of the retrieved passages that best answer the question, verbatim."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from askcorpus.search import ChunkTable, Passage

MAX_QUOTES = 3
RELATIVE_CUTOFF = 0.6   # a further quote must score at least this share of the best one
DUPLICATE_OVERLAP = 0.8  # quotes sharing this share of their terms say the same thing
PASSAGE_WEIGHT = 0.25   # how much the passage's rank adds to a sentence's own coverage


@dataclass(frozen=True)
class Quote:
    """A verbatim span: `text == raw[start:end]` of file `source`."""

    text: str
    source: str
    start: int
    end: int
    score: float


@dataclass(frozen=True)
class Answer:
    """What `Corpus.ask` returns: quotes best first, the passages they came from, and whether it abstained."""

    question: str
    abstained: bool
    quotes: list[Quote] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)

    @property
    def answer(self) -> str:
        """The quotes joined by blank lines; empty when abstained."""
        return "" if self.abstained else "\n\n".join(quote.text for quote in self.quotes)

    def to_dict(self) -> dict:
        """The JSON shape of `askcorpus query --json`."""
        return {
            "question": self.question,
            "abstained": self.abstained,
            "answer": self.answer,
            "quotes": [_rounded(asdict(q)) for q in self.quotes],
            "passages": [_rounded({k: v for k, v in asdict(p).items() if k != "chunk_id"}) for p in self.passages],
        }


def _rounded(record: dict) -> dict:
    return {**record, "score": round(record["score"], 4)}


@dataclass(frozen=True)
class _Candidate:
    source: str
    start: int
    end: int
    text: str
    terms: frozenset[str]
    coverage: float
    score: float


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
        return False, [Quote(c.text, c.source, c.start, c.end, c.score) for c in _merge_adjacent(chosen, passages)]

    def relevance(self, question: str, passages: list[Passage]) -> float:
        """The highest coverage of the question by any sentence: what the floor is compared with."""
        return max((c.coverage for c in self._sentences(question, passages)), default=0.0)

    def _sentences(self, question: str, passages: list[Passage]) -> list[_Candidate]:
        profile = self.table.profile(question)
        top = passages[0].score if passages and passages[0].score > 0 else 1.0
        seen: dict[tuple[str, int], _Candidate] = {}
        for passage in passages:
            for s, e, terms in self.table.sentences(self.table.position[passage.chunk_id]):
                coverage = profile.coverage(terms)
                score = coverage + PASSAGE_WEIGHT * passage.score / top
                key = (passage.source, passage.start + s)
                if key not in seen or seen[key].score < score:
                    seen[key] = _Candidate(passage.source, passage.start + s, passage.start + e, passage.text[s:e],
                                           terms, coverage, score)
        return sorted(seen.values(), key=lambda c: (-c.score, c.source, c.start))


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
    if a.source != b.source:
        return None
    first, second = sorted((a, b), key=lambda c: c.start)
    for passage in passages:
        if passage.source != a.source or not (passage.start <= first.start and second.end <= passage.end):
            continue
        between = passage.text[first.end - passage.start:second.start - passage.start]
        if second.start <= first.end or not between.strip():
            start, end = first.start, max(first.end, second.end)
            text = passage.text[start - passage.start:end - passage.start]
            return _Candidate(a.source, start, end, text, a.terms | b.terms, max(a.coverage, b.coverage),
                              max(a.score, b.score))
    return None
