"""BM25 over the stored chunks (bm25s, BM25+), scoring every chunk for a question."""

from __future__ import annotations

import math

import numpy as np

from askcorpus.analysis import GermanAnalyzer

K1 = 0.9
B = 0.4


class LexicalIndex:
    """A BM25+ index over `texts`; row i of every score vector is `texts[i]`."""

    def __init__(self, texts: list[str], analyzer: GermanAnalyzer):
        import bm25s

        self.analyzer = analyzer
        self.size = len(texts)
        corpus = [analyzer.terms(text) or ["\x00"] for text in texts]
        self.bm25 = bm25s.BM25(method="bm25+", k1=K1, b=B)
        self.bm25.index(corpus, show_progress=False)
        self.document_frequency: dict[str, int] = {}
        for terms in corpus:
            for term in set(terms):
                self.document_frequency[term] = self.document_frequency.get(term, 0) + 1

    def scores(self, terms: list[str]) -> np.ndarray:
        """BM25 score of every chunk for the query `terms` (zeros when no term is known)."""
        known = [t for t in terms if t in self.document_frequency]
        if not known or not self.size:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self.bm25.get_scores(known), dtype=np.float32)

    def idf(self, term: str) -> float:
        """Inverse document frequency; terms the corpus never uses weigh the most."""
        frequency = self.document_frequency.get(term, 0)
        return math.log(1 + (self.size - frequency + 0.5) / (frequency + 0.5))
