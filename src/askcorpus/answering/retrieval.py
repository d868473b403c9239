"""Hybrid retrieval: BM25 and dense cosine over the snapshot's chunks, fused by normalised scores plus the best
sentence's coverage of the question; an English question is matched by its vector alone."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from askcorpus.answering.answer import Passage
from askcorpus.answering.question_type import is_english
from askcorpus.answering.table import ChunkTable

CANDIDATES = 30


@dataclass(frozen=True)
class Weights:
    """How the signals add up. Chosen for multilingual-e5-small by a grid on XQuAD-de and GermanQuAD recall@1: a
    plateau at lexical 0.2-0.35, dense 0.7-1.0, sentence 0.35-0.7 (the best on either set scores within 0.005 of
    the best on the other); this is its middle."""

    lexical: float = 0.2
    dense: float = 0.7
    sentence: float = 0.35

    @classmethod
    def for_mode(cls, mode: str) -> "Weights":
        """`hybrid` (the default), `bm25` (lexical only) or `dense` (vectors only)."""
        return {"hybrid": cls(), "bm25": cls(1.0, 0.0, 0.0), "dense": cls(0.0, 1.0, 0.0)}[mode]


def _minmax(values: np.ndarray) -> np.ndarray:
    low, high = float(values.min()), float(values.max())
    return (values - low) / (high - low) if high > low else np.zeros_like(values)


class HybridSearcher:
    """Ranks chunks for a question and its unit vector (of the index's model)."""

    def __init__(self, table: ChunkTable, weights: Weights = Weights()):
        self.table = table
        self.weights = weights

    def search(self, question: str, query_vector: np.ndarray, k: int) -> list[Passage]:
        """The `k` best chunks, best first, with fused scores in 0..(1 + sentence weight)."""
        table, w = self.table, self.weights
        if not len(table):
            return []
        if is_english(question) and w.dense:  # German stems in an English question match only by accident
            w = Weights(0.0, w.dense, 0.0)
        terms = table.analyzer.terms(question)
        lexical = table.lexical.scores(terms) if w.lexical else np.zeros(len(table), dtype=np.float32)
        candidates = {int(n) for n in _top(lexical, CANDIDATES) if lexical[n] > 0}
        dense = np.zeros(len(table), dtype=np.float32)
        if w.dense:
            dense = table.vectors @ np.asarray(query_vector, dtype=np.float32)
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
        return Passage(self.table.chunks[n], score, n)


def _top(scores: np.ndarray, count: int) -> np.ndarray:
    """Indices of the `count` highest scores, in no particular order."""
    if len(scores) <= count:
        return np.arange(len(scores))
    return np.argpartition(-scores, count)[:count]
