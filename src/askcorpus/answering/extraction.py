"""Extractive answers: the sentences of the retrieved passages that the fitted scorer chooses, verbatim; an
abstention when the chosen one is unlikely to hold the answer, or when the first quote shown (without the context
sentence below) holds nothing of the time, number, duration or measure (an age, a share, a price …) asked for. A
quote that would show its sentence alone without the measure asked for takes in the next sentence when that names
one; one that would still stand alone and opens by pointing back ("Er …") is shown with the sentence before it."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from askcorpus.answering.answer import Passage, Quote
from askcorpus.answering.continuation import (
    WITH_NEXT,
    announcing,
    in_context,
    not_after_headlines,
    not_back_into_headlines,
    pair_start,
    pointing_back,
)
from askcorpus.answering.features import (
    Candidate,
    Run,
    candidates,
    choice_shares,
    closer_by,
    feature_rows,
    following,
    headlines,
    relative_to_corpus,
    spanning,
)
from askcorpus.answering.language import is_english
from askcorpus.answering.missing_kind import lacking_kind, takes_next
from askcorpus.answering.question_type import asks_measure, lacks_answer
from askcorpus.answering.scorer import CORPUS, RAW, AnswerScorer
from askcorpus.answering.table import ChunkTable
from askcorpus.text.analysis import words
from askcorpus.text.bilingual import Dictionary

MAX_QUOTES = 3
EXTRACT_PASSAGES = 5  # sentences come from this many best passages, whatever number is shown
RELATIVE_CUTOFF = 0.5   # a further quote must be at least this share as likely to be chosen as the best one
DUPLICATE_OVERLAP = 0.8  # quotes sharing this share of their terms say the same thing


@dataclass(frozen=True)
class _Candidate:
    """A sentence (or merged run of sentences) as a quote, with the terms it was scored by."""

    quote: Quote
    terms: frozenset[str]
    origin: Candidate | None = None  # the sentence it was scored as, unless merged
    widened: Run | None = None  # the run with the sentence before or after, when the quote takes that in
    relative: float = 1.0  # how likely it is to be chosen, relative to the best candidate
    context: Run | None = None  # the run with the sentence before, shown when the sentence points back to it
    headline: bool = False  # a line of its own without a sentence end (`features.headlines`)

    @property
    def score(self) -> float:
        return self.quote.score


class Extractor:
    """Scores the sentences of passages against a question with the fitted `AnswerScorer`; abstains when the chosen
    sentence's probability of holding the answer is under `threshold` (the scorer's own unless given), or when the
    question asks for a time, a number, a duration or a measure (an age, a price, a share, a length …) and the first
    quote, as shown without the context sentence it may point back to (widened by a neighbour, joined with a
    runner-up it touches), holds none (`question_type.lacks_answer`).

    Each method takes the question's unit vector and, when the question has words the corpus cannot match, the
    vector of the question without them (`reduced_vector`, see `features.without_unmatched`); without it their pull
    is 0."""

    def __init__(self, table: ChunkTable, scorer: AnswerScorer, threshold: float | None = None,
                 dictionary: Dictionary | None = None):
        self.table = table
        self.scorer = scorer
        self.threshold = scorer.threshold if threshold is None else threshold
        self.dictionary = dictionary

    def extract(self, question: str, query_vector: np.ndarray, passages: list[Passage],
                reduced_vector: np.ndarray | None = None) -> tuple[bool, list[Quote]]:
        """(abstained, quotes), best first."""
        confidence, quotes = self._answer(question, query_vector, passages, reduced_vector)
        if not quotes or confidence < self.threshold:
            return True, []
        return False, quotes

    def relevance(self, question: str, query_vector: np.ndarray, passages: list[Passage],
                  reduced_vector: np.ndarray | None = None) -> float:
        """The chosen sentence's probability of holding the answer (0 when the first quote lacks the kind of answer
        asked for, `question_type.lacks_answer`): what the threshold is compared with."""
        return self._answer(question, query_vector, passages, reduced_vector)[0]

    def _answer(self, question: str, query_vector: np.ndarray, passages: list[Passage],
                reduced_vector: np.ndarray | None) -> tuple[float, list[Quote]]:
        """The chosen sentence's probability of holding the answer, and the quotes as they are shown: the best
        candidates, widened by the neighbour each takes in or shown in context, joined where they touch. The
        probability is 0 when the first quote, as shown without context, holds nothing of the kind of answer asked
        for."""
        scored = self.scored(question, query_vector, passages, reduced_vector)
        if not scored:
            return 0.0, []
        chosen: list[_Candidate] = []
        for candidate in scored:
            if len(chosen) == MAX_QUOTES or candidate.relative < RELATIVE_CUTOFF:
                break
            if chosen and candidate.headline:
                continue  # it restates the lead under it; as a runner-up it would be joined to that one
            if not any(_same(candidate, c) for c in chosen):
                chosen.append(candidate)
        shown, widened = passages[:EXTRACT_PASSAGES], [_widened(c) for c in chosen]
        plain = _merge_adjacent(widened, shown)
        quotes = [c.quote for c in _merge_adjacent(_in_context(chosen, widened), shown)]
        if lacks_answer(question, plain[0].quote.text):  # "Wann …?" and the quote, context aside, names no time
            return 0.0, [replace(quote, score=0.0) for quote in quotes]
        return scored[0].score, quotes

    def asks_nothing(self, question: str) -> bool:
        """True for a German question of question words and stop words alone ("Wer ist er?", "Wann?") and for any
        question without a word of two letters or digits ("x", "a a a"): whatever the passages say, nothing in it
        says what it is about."""
        if all(len(word) < 2 for word in words(question)):
            return True
        return not self.table.profile(question).words and not is_english(question, self.dictionary)

    def scored(self, question: str, query_vector: np.ndarray, passages: list[Passage],
               reduced_vector: np.ndarray | None = None) -> list[_Candidate]:
        """Every candidate sentence as a quote, in the order of the choice; the best scores its probability of
        holding the answer, each other that times how likely it is to be chosen relative to the best."""
        passages = passages[:EXTRACT_PASSAGES]
        found = candidates(self.table, passages)
        if not found or self.asks_nothing(question):
            return []
        rows = feature_rows(self.table, question, query_vector, passages, found, reduced_vector=reduced_vector,
                            dictionary=self.dictionary)
        if self.scorer.english_gap and self.scorer.similarities == RAW and is_english(question, self.dictionary):
            rows = closer_by(rows, self.scorer.english_gap)
        if self.scorer.similarities == CORPUS:
            rows = relative_to_corpus(rows, self.table.similarity_spread(query_vector))
        logits = self.scorer.choose(rows)
        confidence = self.scorer.confidence(rows, logits)
        shares = choice_shares(logits)
        after, before, runs = following(found)
        texts = [c.text for c in found]
        lines = headlines(found)
        widen = not_back_into_headlines(self.scorer.widening(rows, logits, after, before, announcing(texts)), before,
                                        lines)
        if asks_measure(question):  # a quote without the measure asked for takes in a next sentence naming it
            lacking = lacking_kind(question, found)
            widen = [WITH_NEXT if takes_next(lacking, i, way, after) else way for i, way in enumerate(widen)]
        widened = [runs[start] if (start := pair_start(way, i, before)) >= 0 else None for i, way in enumerate(widen)]
        points = not_after_headlines(pointing_back(texts), before, lines)
        context = [runs[start] if (start := in_context(way, i, before, points)) >= 0 else None
                   for i, way in enumerate(widen)]
        order = sorted(range(len(found)), key=lambda i: (-shares[i], found[i].passage.source,
                                                         found[i].passage.start + found[i].start))
        return [_quote(found[i], confidence, float(shares[i] / shares.max()), widened[i], context[i], bool(lines[i]))
                for i in order]


def _quote(candidate: Candidate, confidence: float, relative: float, widened: Run | None,
           context: Run | None, headline: bool) -> _Candidate:
    passage = candidate.passage
    quote = Quote(candidate.text, passage.source, passage.start + candidate.start, passage.start + candidate.end,
                  confidence * relative)
    return _Candidate(quote, candidate.terms, candidate, widened, relative, context, headline)


def _widened(chosen: _Candidate, in_context: bool = False) -> _Candidate:
    """The quote with its neighbouring sentence, when it takes that in; `in_context`, also with the sentence before
    when it points back to that."""
    run = chosen.widened or (chosen.context if in_context else None)
    if run is None:
        return chosen
    passage, start, end = run
    quote = chosen.quote
    return _Candidate(Quote(passage.text[start:end], quote.source, passage.start + start, passage.start + end,
                            quote.score), chosen.terms, chosen.origin, relative=chosen.relative)


def _in_context(chosen: list[_Candidate], plain: list[_Candidate]) -> list[_Candidate]:
    """The `chosen` quotes as widened (`plain`, in the same order), each shown with the sentence before it that it
    points back to, unless that sentence is part of another quote, which would show it twice."""
    shown = []
    for i, candidate in enumerate(chosen):
        if candidate.context is not None:
            passage, start, _ = candidate.context
            before = (candidate.quote.source, passage.start + start, candidate.quote.start)
            if not any(_overlaps(other.quote, *before) for j, other in enumerate(plain) if j != i):
                shown.append(_widened(candidate, in_context=True))
                continue
        shown.append(plain[i])
    return shown


def _overlaps(quote: Quote, source: str, start: int, end: int) -> bool:
    return quote.source == source and quote.start < end and start < quote.end


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
    run = spanning(passages, first.source, (first.start, first.end), (second.start, second.end))
    if run is None:
        return None
    passage, start, end = run
    quote = Quote(passage.text[start:end], first.source, passage.start + start, passage.start + end,
                  max(a.score, b.score))
    return _Candidate(quote, a.terms | b.terms)
