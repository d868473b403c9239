"""The chunks of one snapshot as answering reads them: vectors, sentence vectors, BM25 postings, analyzer, cached
sentence terms."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from askcorpus.answering.casing import Casing, uncased
from askcorpus.answering.scoring import QuestionProfile, QuestionWord, RelatedTerms
from askcorpus.snapshot.generations import Snapshot
from askcorpus.text.sentences import sentence_spans
from askcorpus.text.thesaurus import Thesaurus

SPREAD_SAMPLE = 4096  # sentences that `similarity_spread` compares a question with, spread evenly over the corpus


class ChunkTable:
    """The chunks of one snapshot, with its vectors, BM25 postings and analyzer, and cached sentence terms;
    `thesaurus` gives a question's German words their synonyms (none without it)."""

    def __init__(self, snapshot: Snapshot, thesaurus: Thesaurus | None = None):
        self.chunks = snapshot.chunks
        self.vectors = snapshot.vectors
        self._sentence_vectors = snapshot.sentence_vectors
        self._sentence_starts = snapshot.sentence_starts
        self.analyzer = snapshot.analyzer
        self.lexical = snapshot.lexical
        self.related = RelatedTerms(self.lexical)
        self.thesaurus = thesaurus
        self._sentences: dict[int, list[tuple[int, int, frozenset[str]]]] = {}
        self.profile = lru_cache(maxsize=256)(self._profile)  # search and extraction share one per question
        self._sample: tuple[np.ndarray, np.ndarray] | None = None
        self._casing: Casing | None = None

    def __len__(self) -> int:
        return len(self.chunks)

    def in_usual_case(self, question: str) -> str:
        """`question` as the articles spell its words when it is written in capitals or all in lower case
        (`casing.uncased`), else as it is."""
        if self._casing is None and uncased(question):
            self._casing = Casing(chunk.text for chunk in self.chunks)  # built once, at the first such question
        return self._casing.restore(question) if self._casing else question

    def sentences(self, n: int) -> list[tuple[int, int, frozenset[str]]]:
        """(start, end, terms) of each sentence of chunk `n`, offsets into the chunk text, computed once."""
        cached = self._sentences.get(n)
        if cached is None:
            text = self.chunks[n].text
            cached = self._sentences[n] = [(s, e, frozenset(self.analyzer.terms(text[s:e])))
                                           for s, e in sentence_spans(text)]
        return cached

    def sentence_vectors(self, n: int) -> np.ndarray:
        """Float32 unit rows, one per sentence of chunk `n` in the order of `sentences(n)`."""
        start, end = self._sentence_starts[n], self._sentence_starts[n + 1]
        return self._sentence_vectors[start:end].astype(np.float32)

    def similarity_spread(self, query_vector: np.ndarray, without: frozenset[int] = frozenset()) -> tuple[float, float]:
        """Mean and standard deviation of the question's similarity to an even sample of the corpus's sentences
        (leaving out the sentences of the chunks numbered in `without`)."""
        if self._sample is None:
            count = len(self._sentence_vectors)
            rows = np.unique(np.linspace(0, count - 1, min(count, SPREAD_SAMPLE)).astype(np.int64))
            owners = np.searchsorted(self._sentence_starts, rows, side="right") - 1
            self._sample = (self._sentence_vectors[rows].astype(np.float32), owners)
        vectors, owners = self._sample
        if without:
            vectors = vectors[~np.isin(owners, list(without))]
        if not len(vectors):
            return 0.0, 0.0
        similarities = vectors @ np.asarray(query_vector, dtype=np.float32)
        return float(similarities.mean()), float(similarities.std())

    def _synonyms(self, stem: str) -> frozenset[str]:
        """The corpus's stems of the thesaurus's synonyms of `stem`."""
        if self.thesaurus is None:
            return frozenset()
        return frozenset(term for term in self.thesaurus.synonyms(stem) if term in self.lexical)

    def _profile(self, question: str) -> "QuestionProfile":
        """The question's content words with their IDF weights and the corpus stems related to each, by form
        and by meaning."""
        words_ = []
        for group in dict.fromkeys(self.analyzer.term_groups(question)):
            words_.append(QuestionWord(group[0], group[1:], self.related(group[0]), self.lexical.idf(group[0]),
                                       self._synonyms(group[0])))
        return QuestionProfile(tuple(words_))
