"""The evidence for each candidate sentence, as one row of numbers the fitted scorer weighs (`scorers/<model>.json`).

A candidate is a sentence of one of the best passages. Its row holds semantic similarity (the sentence's vector,
read in the context of its passage), lexical coverage of the question, the passage's standing, whether it offers
the kind of answer asked for, what it adds beyond the question's words, and how far the words the corpus cannot
match at all pull the question away from the passages.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from askcorpus.answering.answer import Passage
from askcorpus.answering.language import is_english
from askcorpus.answering.question_type import Kind, asked_words, offers, question_kind
from askcorpus.answering.scoring import QuestionProfile
from askcorpus.answering.table import ChunkTable
from askcorpus.answering.translation import TranslatedProfile
from askcorpus.text.analysis import WORD, composed
from askcorpus.text.bilingual import Dictionary

FEATURES = ("semantic", "semantic_gap", "semantic_rank", "passage_semantic", "coverage", "coverage_gap",
            "coverage_rank", "passage_score", "first_passage", "kind_asked", "kind_offered", "novelty", "new_names",
            "new_numbers", "previous_coverage", "english", "length", "heading", "unmatched_pull")
COLUMN = {name: n for n, name in enumerate(FEATURES)}
MIN_DEVIATION = 1e-3  # one sentence, or sentences that all share their chunk's vector, have no spread
_SENTENCE_END = re.compile(r"[.!?:;…][\"'“”»«)\]]*\s*$")
_NAME = re.compile(r"(?<=\s)[A-ZÄÖÜ][\w-]*[A-Za-zäöüß]")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_BEFORE_FINAL_MARK = re.compile(r"\s+([?!.…]+)$")


@dataclass(frozen=True)
class Candidate:
    """One sentence of one passage: offsets into the passage's text, its terms, and its place in the passage."""

    passage: Passage
    start: int
    end: int
    terms: frozenset[str]
    position: int  # the sentence's number within its chunk

    @property
    def text(self) -> str:
        return self.passage.text[self.start:self.end]


def unmatched_stems(profile: QuestionProfile, present: Callable[[str], bool]) -> frozenset[str]:
    """The question's words that occur nowhere in the corpus, in no form: neither as is, nor as all of their
    compound parts, nor as a related stem or a synonym ("Eiffelturm" when no article mentions it)."""
    return frozenset(word.stem for word in profile.words
                     if not present(word.stem)
                     and not (word.parts and all(present(part) for part in word.parts))
                     and not any(present(term) for term in word.related)
                     and not any(present(term) for term in word.synonyms))


def without_unmatched(table: ChunkTable, question: str, present: Callable[[str], bool] | None = None,
                      dictionary: Dictionary | None = None) -> str | None:
    """The question with its unmatched words cut out, or None when it has none (or is English: the corpus's
    German vocabulary says nothing about an English word). Embedded, it tells whether those words carry the
    question away from what the corpus says (a decisive word such as "Eiffelturm") or only rephrase it. `present`
    (is a stem in the corpus?) defaults to the snapshot's BM25 terms; evaluation passes another to hide an article."""
    if is_english(question, dictionary):
        return None
    missing = unmatched_stems(table.profile(question), present or table.lexical.__contains__)
    if not missing:
        return None
    kept, last = [], 0
    for match in WORD.finditer(question):
        groups = table.analyzer.term_groups(match.group())
        if groups and groups[0][0] in missing:
            kept.append(question[last:match.start()])
            last = match.end()
    kept.append(question[last:])
    return _BEFORE_FINAL_MARK.sub(r"\1", " ".join("".join(kept).split()))


def candidates(table: ChunkTable, passages: list[Passage]) -> list[Candidate]:
    """Every sentence of `passages`, each place in a file once (overlapping chunks repeat sentences)."""
    seen: set[tuple[str, int]] = set()
    found = []
    for passage in passages:
        for position, (start, end, terms) in enumerate(table.sentences(passage.row)):
            key = (passage.source, passage.start + start)
            if key not in seen:
                seen.add(key)
                found.append(Candidate(passage, start, end, terms, position))
    return found


Run = tuple[Passage, int, int]  # a passage and the offsets of a run of its text


def following(found: list[Candidate]) -> tuple[np.ndarray, np.ndarray, list[Run | None]]:
    """For each candidate, the index in `found` of the sentence after it in its file, or -1 when no candidate is
    (overlapping chunks list a sentence once, so the next one may come from another passage); the index of the
    sentence before it, the other way round; and the run of it and the sentence after it in a passage that holds
    both (`joined`), or None. A chunk cut inside a long sentence makes a fragment of it a candidate too; of the two,
    the one starting first in the file is the sentence before the next."""
    starts: dict[str, list[tuple[int, int]]] = {}
    for i, candidate in enumerate(found):
        starts.setdefault(candidate.passage.source, []).append((candidate.passage.start + candidate.start, i))
    after = np.full(len(found), -1, dtype=np.int64)
    before = np.full(len(found), -1, dtype=np.int64)
    runs: list[Run | None] = [None] * len(found)
    for ordered in starts.values():
        ordered.sort()
        for _, i in ordered:
            candidate = found[i]
            k = bisect.bisect_left(ordered, (candidate.passage.start + candidate.end, -1))
            if k < len(ordered):
                runs[i] = joined(candidate, found[ordered[k][1]])
                if runs[i] is not None:
                    after[i] = ordered[k][1]
                    if before[after[i]] < 0:
                        before[after[i]] = i
    return after, before, runs


def headlines(found: list[Candidate]) -> np.ndarray:
    """Which candidates are a line of their own without a sentence end ("Weinfest lockt 30.000 Besucher"): a headline
    or a subheading, which restates what the sentences under it say. A line break must follow it in one of the
    candidates' passages (it may be the last line of its own chunk), and a line break or a passage's start come
    before it (chunks start at a line or a sentence). A fragment of a sentence that a chunk cuts is none."""
    passages = list({id(c.passage): c.passage for c in found}.values())
    return np.array([not _SENTENCE_END.search(c.text) and _whole_line(c, passages) for c in found], dtype=bool)


_IN_LINE_SPACE = " \t\u00a0\u2009\u202f\ufeff"


def _whole_line(candidate: Candidate, passages: list[Passage]) -> bool:
    """True when some of `passages` show `candidate` filling its line."""
    source = candidate.passage.source
    start, end = candidate.passage.start + candidate.start, candidate.passage.start + candidate.end
    opens = closes = False
    for passage in passages:
        if passage.source == source and passage.start <= start and end <= passage.end:
            before = passage.text[:start - passage.start].rstrip(_IN_LINE_SPACE)
            after = passage.text[end - passage.start:].lstrip(_IN_LINE_SPACE)
            opens = opens or not before or before.endswith(("\n", "\r"))
            closes = closes or after.startswith(("\n", "\r"))
    return opens and closes


def joined(first: Candidate, second: Candidate) -> Run | None:
    """A passage of the two that holds `first` through `second` with only whitespace between them, and the offsets
    of that run in its text; None when neither does."""
    return spanning((first.passage, second.passage), first.passage.source,
                    (first.passage.start + first.start, first.passage.start + first.end),
                    (second.passage.start + second.start, second.passage.start + second.end))


def spanning(passages: Iterable[Passage], source: str, first: tuple[int, int], second: tuple[int, int]) -> Run | None:
    """The first of `passages` from file `source` that holds the spans `first` and `second` (file offsets, `first`
    starting first) with only whitespace between them, or overlapping; and the offsets of the run in its text."""
    start, end = first[0], max(first[1], second[1])
    for passage in passages:
        if passage.source == source and passage.start <= start and end <= passage.end:
            if not passage.text[first[1] - passage.start:second[0] - passage.start].strip():
                return passage, start - passage.start, end - passage.start
    return None


def choice_shares(logits: np.ndarray) -> np.ndarray:
    """Each candidate's probability of being chosen: the softmax of the selection logits."""
    shares = np.exp(logits - logits.max())
    return shares / shares.sum()


def feature_rows(table: ChunkTable, question: str, query_vector: np.ndarray, passages: list[Passage],
                 found: list[Candidate], reduced_vector: np.ndarray | None = None,
                 dictionary: Dictionary | None = None) -> np.ndarray:
    """One row of FEATURES per candidate; `reduced_vector` is the vector of the question `without_unmatched`, when
    that is not None. An English question's coverage counts its words' German translations when `dictionary` is
    there to read (`translation.TranslatedProfile`); without it, an English question has no lexical evidence."""
    if not found:
        return np.zeros((0, len(FEATURES)), dtype=np.float32)
    english = is_english(question, dictionary)
    kind = question_kind(question)
    profile = table.profile(question)
    covering = (TranslatedProfile.of(question, dictionary, table)
                if english and dictionary is not None and dictionary.available() else None)
    translated = covering is not None and bool(covering.weights)  # not when no word of it has a translation here
    covering = covering if translated else profile
    asked = set().union(*(w.related | {w.stem, *w.parts} for w in profile.words),
                        *(() if english else (w.synonyms for w in profile.words)))  # "to" is no "Toilette"
    rank = {id(p): n for n, p in enumerate(passages)}
    top = passages[0].score if passages and passages[0].score > 0 else 1.0
    mentioned = asked_words(question, english)
    asked_numbers = set(_NUMBER.findall(question))
    query_vector = np.asarray(query_vector, dtype=np.float32)
    passage_semantic = {id(p): float(table.vectors[p.row] @ query_vector) for p in passages}
    rows = np.zeros((len(found), len(FEATURES)), dtype=np.float32)
    # one similarity per sentence of each passage, computed once (a passage has several candidates)
    semantic = {p.row: table.sentence_vectors(p.row) @ query_vector for p in passages}
    pull = 0.0
    if reduced_vector is not None and not english:
        reduced = np.asarray(reduced_vector, dtype=np.float32)
        closest = lambda similarities: max((float(s.max()) for s in similarities if s.size), default=0.0)  # noqa: E731
        pull = (closest(table.sentence_vectors(p.row) @ reduced for p in passages)
                - closest(semantic.values()))
    for i, candidate in enumerate(found):
        sentences = table.sentences(candidate.passage.row)
        lexical = translated or not english
        coverage = covering.coverage(candidate.terms) if lexical else 0.0
        previous = 0.0
        if lexical and candidate.position > 0:
            previous = covering.coverage(sentences[candidate.position - 1][2])
        terms = candidate.terms
        text = composed(candidate.text)
        novelty = len(terms - asked) / len(terms) if terms else 0.0
        names = sum(name.casefold() not in mentioned for name in _NAME.findall(text))
        numbers = sum(number not in asked_numbers for number in _NUMBER.findall(text))
        heading = len(text.split()) < 4 or not _SENTENCE_END.search(text)
        rows[i] = (
            float(semantic[candidate.passage.row][candidate.position]), 0.0, 0.0,
            passage_semantic[id(candidate.passage)],
            coverage, 0.0, 0.0, candidate.passage.score / top, float(rank[id(candidate.passage)] == 0),
            float(kind is not Kind.OTHER), float(offers(kind, text, question, mentioned)), novelty, math.log1p(names),
            math.log1p(numbers), previous, float(english), math.log1p(len(text)) / 5.0, float(heading),
            pull,
        )
    for value, gap, standing in ((0, 1, 2), (4, 5, 6)):
        rows[:, gap] = rows[:, value] - rows[:, value].max()
        rows[:, standing] = 1.0 / (1.0 + np.argsort(np.argsort(-rows[:, value], kind="stable")))
    return without_lexical(rows) if english and not translated else rows  # an English question has no pull


LEXICAL = tuple(FEATURES.index(name) for name in ("coverage", "coverage_gap", "coverage_rank", "previous_coverage",
                                                   "unmatched_pull"))
_SIMILARITIES = tuple(FEATURES.index(name) for name in ("semantic", "passage_semantic"))
_SIMILARITY_GAPS = tuple(FEATURES.index(name) for name in ("semantic_gap", "unmatched_pull"))


def relative_to_corpus(rows: np.ndarray, spread: tuple[float, float]) -> np.ndarray:
    """The rows with their similarities as standard scores against the question's similarity to the corpus's
    sentences (`spread`: their mean and standard deviation), a scale that carries over from model to model far
    better than the cosines themselves. The passage's similarity is measured against the same spread."""
    mean, deviation = spread
    deviation = max(deviation, MIN_DEVIATION)
    rows = rows.copy()
    rows[:, _SIMILARITIES] = (rows[:, _SIMILARITIES] - mean) / deviation
    rows[:, _SIMILARITY_GAPS] /= deviation
    return rows


def closer_by(rows: np.ndarray, gap: float) -> np.ndarray:
    """The rows with `gap` added to their similarities (an English question's, brought to where the same question
    in German would be); the gaps between them stay as they are."""
    rows = rows.copy()
    rows[:, _SIMILARITIES] += gap
    return rows


def without_lexical(rows: np.ndarray) -> np.ndarray:
    """The rows as for an English question: no lexical evidence at all, and marked English."""
    rows = rows.copy()
    rows[:, LEXICAL] = 0.0
    rows[:, FEATURES.index("english")] = 1.0
    return rows
