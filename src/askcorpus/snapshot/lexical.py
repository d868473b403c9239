"""BM25+ over chunk term lists, stored as postings arrays so that loading is a few `numpy.load` calls."""

from __future__ import annotations

import bisect
import math
from collections import Counter
from dataclasses import dataclass

import numpy as np

from askcorpus.text.spelling import folded

K1 = 0.9
B = 0.4
DELTA = 0.5


def bm25_parameters() -> dict[str, float]:
    """The parameters that `LexicalIndex.build` bakes into the postings' weights."""
    return {"k1": K1, "b": B, "delta": DELTA}


@dataclass(frozen=True)
class LexicalIndex:
    """Term `terms[i]` occurs in chunks `docs[indptr[i]:indptr[i+1]]`, which gain `weights[...]` for it."""

    terms: list[str]
    indptr: np.ndarray
    docs: np.ndarray
    weights: np.ndarray
    size: int

    @classmethod
    def build(cls, term_lists: list[list[str]]) -> "LexicalIndex":
        """Index chunks given as term lists: BM25+ (k1 0.9, b 0.4, delta 0.5) with idf log((N + 1) / df)."""
        size = len(term_lists)
        lengths = np.array([len(terms) for terms in term_lists], dtype=np.float32)
        average = float(lengths.mean()) if size and lengths.sum() else 1.0
        postings: dict[str, list[tuple[int, int]]] = {}
        for doc, terms in enumerate(term_lists):
            for term, count in Counter(terms).items():
                postings.setdefault(term, []).append((doc, count))
        terms = sorted(postings)
        indptr = np.zeros(len(terms) + 1, dtype=np.int64)
        docs, weights = [], []
        for i, term in enumerate(terms):
            entries = postings[term]
            idf = math.log((size + 1) / len(entries))
            for doc, count in entries:
                norm = K1 * (1 - B + B * lengths[doc] / average)
                docs.append(doc)
                weights.append(idf * (count * (K1 + 1) / (count + norm) + DELTA))
            indptr[i + 1] = indptr[i] + len(entries)
        return cls(terms, indptr, np.array(docs, dtype=np.int32), np.array(weights, dtype=np.float32), size)

    def __post_init__(self):
        object.__setattr__(self, "_position", {term: i for i, term in enumerate(self.terms)})

    def document_frequency(self, term: str) -> int:
        i = self._position.get(term)
        return 0 if i is None else int(self.indptr[i + 1] - self.indptr[i])

    def __contains__(self, term: str) -> bool:
        return term in self._position

    def scores(self, terms: list[str]) -> np.ndarray:
        """BM25+ score of every chunk for the query `terms` (a repeated query term counts again)."""
        result = np.zeros(self.size, dtype=np.float32)
        for term in terms:
            i = self._position.get(term)
            if i is not None:
                span = slice(self.indptr[i], self.indptr[i + 1])
                result[self.docs[span]] += self.weights[span]
        return result

    def best_of_scores(self, groups: list[list[str]]) -> np.ndarray:
        """BM25+ score of every chunk for a query whose words each have alternative `groups` of terms (the
        translations of one English word): each word adds its best-scoring alternative."""
        result = np.zeros(self.size, dtype=np.float32)
        for group in groups:
            best = np.zeros(self.size, dtype=np.float32)
            for term in group:
                i = self._position.get(term)
                if i is not None:
                    span = slice(self.indptr[i], self.indptr[i + 1])
                    best[self.docs[span]] = np.maximum(best[self.docs[span]], self.weights[span])
            result += best
        return result

    def spelt_as(self, name: str) -> list[str]:
        """The terms that are `name` in another spelling, the same once folded (`spelling.folded`: "lawrow" for
        "Lavrov", "selenskyj" for "Zelensky"); the table of folded terms is made at the first call."""
        by_folded = self.__dict__.get("_by_folded")
        if by_folded is None:
            by_folded = {}
            for term in self.terms:
                by_folded.setdefault(folded.__wrapped__(term), []).append(term)  # the cache is for names
            object.__setattr__(self, "_by_folded", by_folded)
        return by_folded.get(folded(name), [])

    def has_prefix(self, prefix: str) -> bool:
        """True when some term begins with `prefix`; the sorted terms are made at the first call."""
        ordered = self.__dict__.get("_ordered")
        if ordered is None:
            ordered = sorted(self.terms)
            object.__setattr__(self, "_ordered", ordered)
        at = bisect.bisect_left(ordered, prefix)
        return at < len(ordered) and ordered[at].startswith(prefix)

    def idf(self, term: str) -> float:
        """Inverse document frequency for coverage; terms the corpus never uses weigh the most."""
        frequency = self.document_frequency(term)
        return math.log(1 + (self.size - frequency + 0.5) / (frequency + 0.5))
