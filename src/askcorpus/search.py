"""Hybrid retrieval: BM25 over the stored chunks and dense search in Chroma, fused by normalised scores."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from askcorpus.analysis import related
from askcorpus.sentences import sentence_spans
from askcorpus.snapshot import Snapshot

CANDIDATES = 30
RELATED_CREDIT = 0.5


@dataclass(frozen=True)
class Weights:
    """How the signals add up; chosen on XQuAD-de with `askcorpus eval` (see the README)."""

    lexical: float = 0.65
    dense: float = 0.35
    sentence: float = 0.7

    @classmethod
    def for_mode(cls, mode: str) -> "Weights":
        """`hybrid` (the default), `bm25` (lexical only) or `dense` (vectors only)."""
        return {"hybrid": cls(), "bm25": cls(1.0, 0.0, 0.0), "dense": cls(0.0, 1.0, 0.0)}[mode]


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk; `text == raw[start:end]` of file `source`."""

    chunk_id: str
    text: str
    source: str
    title: str
    start: int
    end: int
    score: float


class ChunkTable:
    """The chunks of one snapshot, with its vectors, BM25 postings and analyzer, and cached sentence terms."""

    def __init__(self, snapshot: Snapshot):
        self.rows = snapshot.rows
        self.vectors = snapshot.vectors
        self.analyzer = snapshot.analyzer
        self.lexical = snapshot.lexical
        self.position = {row.chunk_id: n for n, row in enumerate(self.rows)}
        self._sentences: dict[int, list[tuple[int, int, frozenset[str]]]] = {}
        self._related: dict[str, frozenset[str]] = {}
        self._buckets: tuple[dict, dict] | None = None
        self.profile = lru_cache(maxsize=256)(self._profile)  # search and extraction share one per question

    def __len__(self) -> int:
        return len(self.rows)

    def sentences(self, n: int) -> list[tuple[int, int, frozenset[str]]]:
        """(start, end, terms) of each sentence of chunk `n`, offsets into the chunk text, computed once."""
        cached = self._sentences.get(n)
        if cached is None:
            text = self.rows[n].text
            cached = self._sentences[n] = [(s, e, frozenset(self.analyzer.terms(text[s:e])))
                                           for s, e in sentence_spans(text)]
        return cached

    def _profile(self, question: str) -> "QuestionProfile":
        """The question's content words with their IDF weights and the corpus stems related to each."""
        words_ = []
        for group in dict.fromkeys(self.analyzer.term_groups(question)):
            words_.append(QuestionWord(group[0], group[1:], self._related_terms(group[0]), self.lexical.idf(group[0])))
        return QuestionProfile(tuple(words_))

    def _related_terms(self, stem: str) -> frozenset[str]:
        cached = self._related.get(stem)
        if cached is None:
            if self._buckets is None:
                self._buckets = _affix_buckets(self.lexical.terms)
            by_prefix, by_suffix = self._buckets
            candidates = by_prefix.get(stem[:4], set()) | by_suffix.get(stem[-4:], set())
            candidates |= {stem[i:] for i in range(1, len(stem) - 3) if stem[i:] in self.lexical}
            cached = self._related[stem] = frozenset(t for t in candidates if t != stem and related(stem, t))
        return cached


@dataclass(frozen=True)
class QuestionWord:
    stem: str
    parts: tuple[str, ...]
    related: frozenset[str]
    weight: float


@dataclass(frozen=True)
class QuestionProfile:
    """A question prepared for scoring sentences: `coverage(terms)` is cheap."""

    words: tuple[QuestionWord, ...]

    def coverage(self, terms: frozenset[str]) -> float:
        """Share of the question's IDF weight found in `terms` (0..1).

        A word found as is earns its full weight; otherwise the share of its compound parts found, or
        RELATED_CREDIT for a related stem, whichever is more.
        """
        total = sum(word.weight for word in self.words)
        found = 0.0
        for word in self.words:
            if word.stem in terms:
                found += word.weight
                continue
            parts = sum(part in terms for part in word.parts) / len(word.parts) if word.parts else 0.0
            loose = RELATED_CREDIT if not word.related.isdisjoint(terms) else 0.0
            found += word.weight * max(parts, loose)
        return found / total if total else 0.0


def _affix_buckets(vocabulary) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    by_prefix: dict[str, set[str]] = {}
    by_suffix: dict[str, set[str]] = {}
    for term in vocabulary:
        if len(term) >= 4:
            by_prefix.setdefault(term[:4], set()).add(term)
            by_suffix.setdefault(term[-4:], set()).add(term)
    return by_prefix, by_suffix


def _minmax(values: np.ndarray) -> np.ndarray:
    low, high = float(values.min()), float(values.max())
    return (values - low) / (high - low) if high > low else np.zeros_like(values)


class HybridSearcher:
    """Ranks chunks for a question; `embed_query` turns the question into a unit vector of the index's model."""

    def __init__(self, table: ChunkTable, embed_query: Callable[[str], np.ndarray], weights: Weights = Weights()):
        self.table = table
        self.embed_query = embed_query
        self.weights = weights

    def search(self, question: str, k: int) -> list[Passage]:
        """The `k` best chunks, best first, with fused scores in 0..(1 + sentence weight)."""
        table, w = self.table, self.weights
        if not len(table):
            return []
        terms = table.analyzer.terms(question)
        lexical = table.lexical.scores(terms) if w.lexical else np.zeros(len(table), dtype=np.float32)
        candidates = {int(n) for n in _top(lexical, CANDIDATES) if lexical[n] > 0}
        dense = np.zeros(len(table), dtype=np.float32)
        if w.dense:
            dense = table.vectors @ np.asarray(self.embed_query(question), dtype=np.float32)
            candidates |= {int(n) for n in _top(dense, CANDIDATES)}
        if not candidates:
            return []
        cand = np.array(sorted(candidates))
        fused = w.lexical * _minmax(lexical[cand]) + w.dense * _minmax(dense[cand])
        if w.sentence:
            profile = table.profile(question)
            fused += w.sentence * np.array([
                max((profile.coverage(terms) for _, _, terms in table.sentences(n)), default=0.0) for n in cand
            ])
        order = np.argsort(-fused, kind="stable")[:k]
        return [self._passage(int(cand[i]), float(fused[i])) for i in order]

    def _passage(self, n: int, score: float) -> Passage:
        row = self.table.rows[n]
        return Passage(row.chunk_id, row.text, row.source, row.title, row.start, row.end, score)


def _top(scores: np.ndarray, count: int) -> np.ndarray:
    """Indices of the `count` highest scores, in no particular order."""
    if len(scores) <= count:
        return np.arange(len(scores))
    return np.argpartition(-scores, count)[:count]
