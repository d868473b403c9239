"""Hybrid retrieval: BM25 and dense cosine over the snapshot's chunks, fused by normalised scores plus the best
sentence's coverage of the question; an English question is matched by vectors, the chunk's and its best
sentence's, and by BM25 over its words' German translations when a dictionary is installed
(`translation.translated_terms`). A passage whose text a better one has already (a copy of an article) is left
out."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from askcorpus.answering.answer import Passage
from askcorpus.answering.language import is_english
from askcorpus.answering.table import ChunkTable
from askcorpus.answering.translation import translated_terms
from askcorpus.text.bilingual import Dictionary

CANDIDATES = 30


@dataclass(frozen=True)
class Weights:
    """How the signals add up. `lexical`, `dense` and `sentence` (coverage) were chosen for multilingual-e5-small by
    a grid on XQuAD-de and GermanQuAD recall@1: a plateau at lexical 0.2-0.35, dense 0.7-1.0, sentence 0.35-0.7
    (the best on either set scores within 0.005 of the best on the other); this is its middle.

    `sentence_dense` weighs the best sentence's cosine. An English question has only the vectors to go by
    (`for_english`), and there the best sentence carries it across languages better than the chunk's vector: the
    German questions of XQuAD-de matched by vectors alone find their paragraph first 0.912 -> 0.942 of the time
    with e5 at `english_sentence_dense` 2.0 (1.0: 0.936, 3.0: 0.940; GermanQuAD 0.978 -> 0.983) and 0.598 -> 0.690
    with MiniLM (GermanQuAD 0.787 -> 0.815), chosen there, never on seed questions. For German questions the term
    raised e5's XQuAD-de recall@1 only from 0.955 to 0.960 (at 0.5) and lowered its cross-validated answer@1 after a
    refit (0.7732 -> 0.7693), and MiniLM's from 0.855 to 0.825, so it is off.

    `english_lexical` weighs BM25 over an English question's translated words (`for_english`). On the 1,190 English
    translations of XQuAD-de questions in `eval/`, e5's recall@1 goes 0.889 -> 0.938 at 1.0 (0.5: 0.930, 0.75: 0.936,
    1.5: 0.934), with the 2,026 news articles as distractors 0.823 -> 0.888, MiniLM's 0.561 -> 0.748."""

    lexical: float = 0.2
    dense: float = 0.7
    sentence: float = 0.35
    sentence_dense: float = 0.0
    english_sentence_dense: float = 2.0
    english_lexical: float = 1.0

    @classmethod
    def for_mode(cls, mode: str) -> "Weights":
        """`hybrid` (the default), `bm25` (lexical only) or `dense` (the chunk vectors only, as the earlier
        tables measured it)."""
        alone = dict(lexical=0.0, dense=0.0, sentence=0.0, sentence_dense=0.0, english_sentence_dense=0.0,
                     english_lexical=0.0)
        return {"hybrid": cls(), "bm25": cls(**{**alone, "lexical": 1.0}),
                "dense": cls(**{**alone, "dense": 1.0})}[mode]

    def for_english(self, translated: bool) -> "Weights":
        """The weights for an English question: BM25 over its words' German translations, when `translated` (a
        dictionary is installed), else none (German stems in it match only by accident), no German coverage, and the
        best sentence's vector. Weights without vectors (`bm25`) stay as they are: BM25 is all there is."""
        if not self.dense:
            return self
        return replace(self, lexical=self.english_lexical if translated else 0.0, sentence=0.0,
                       sentence_dense=self.english_sentence_dense)


def _minmax(values: np.ndarray) -> np.ndarray:
    low, high = float(values.min()), float(values.max())
    return (values - low) / (high - low) if high > low else np.zeros_like(values)


class HybridSearcher:
    """Ranks chunks for a question and its unit vector (of the index's model); `dictionary` translates an English
    question's words (default: the one configured, `Dictionary.from_env`)."""

    def __init__(self, table: ChunkTable, weights: Weights = Weights(), dictionary: Dictionary | None = None):
        self.table = table
        self.weights = weights
        self.dictionary = dictionary if dictionary is not None else Dictionary.from_env()

    def search(self, question: str, query_vector: np.ndarray, k: int,
               leave_out: frozenset[str] | set[str] = frozenset()) -> list[Passage]:
        """The `k` best chunks of distinct text, best first, with fused scores from 0 to the sum of the weights in
        use; none of the files named in `leave_out` (so that a copy of a file left out takes its place)."""
        table, w = self.table, self.weights
        if not len(table):
            return []
        english = is_english(question, self.dictionary)
        translated = english and self.dictionary.available()
        if english:
            w = w.for_english(translated)
        terms = [] if translated else table.analyzer.terms(question)
        if not w.lexical:
            lexical = np.zeros(len(table), dtype=np.float32)
        elif translated:
            lexical = table.lexical.best_of_scores(translated_terms(question, self.dictionary, table))
        else:
            lexical = table.lexical.scores(terms)
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
        if w.sentence_dense:
            vector = np.asarray(query_vector, dtype=np.float32)
            best = np.array([(table.sentence_vectors(n) @ vector).max(initial=-1.0) for n in cand])
            fused += w.sentence_dense * _minmax(best)
        passages, seen = [], set()
        for i in np.argsort(-fused, kind="stable"):
            chunk = table.chunks[cand[i]]
            if chunk.source not in leave_out and chunk.text not in seen:  # a copy under another name: no second slot
                seen.add(chunk.text)
                passages.append(self._passage(int(cand[i]), float(fused[i])))
                if len(passages) == k:
                    break
        return passages

    def _passage(self, n: int, score: float) -> Passage:
        return Passage(self.table.chunks[n], score, n)


def _top(scores: np.ndarray, count: int) -> np.ndarray:
    """Indices of the `count` highest scores, in no particular order."""
    if len(scores) <= count:
        return np.arange(len(scores))
    return np.argpartition(-scores, count)[:count]
