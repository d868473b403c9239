"""How well a sentence covers a question: the question's content words weighted by IDF, with compound parts,
related stems and synonyms earning part of a word's weight."""

from __future__ import annotations

from dataclasses import dataclass

from askcorpus.snapshot.lexical import LexicalIndex
from askcorpus.text.analysis import related

RELATED_CREDIT = 0.5  # also for a synonym: one with the full weight chose worse sentences (cross-validated)


@dataclass(frozen=True)
class QuestionWord:
    stem: str
    parts: tuple[str, ...]
    related: frozenset[str]
    weight: float
    synonyms: frozenset[str] = frozenset()


@dataclass(frozen=True)
class QuestionProfile:
    """A question prepared for scoring sentences: `coverage(terms)` is cheap."""

    words: tuple[QuestionWord, ...]

    def coverage(self, terms: frozenset[str]) -> float:
        """Share of the question's IDF weight found in `terms` (0..1).

        A word found as is earns its full weight; otherwise the share of its compound parts found, or
        RELATED_CREDIT for a related stem or a synonym, whichever is more.
        """
        total = sum(word.weight for word in self.words)
        found = 0.0
        for word in self.words:
            if word.stem in terms:
                found += word.weight
                continue
            parts = sum(part in terms for part in word.parts) / len(word.parts) if word.parts else 0.0
            loose = RELATED_CREDIT if not (word.related.isdisjoint(terms) and word.synonyms.isdisjoint(terms)) else 0.0
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


class RelatedTerms:
    """Corpus stems loosely related to a question stem (a shared beginning, a compound ending), computed once each."""

    def __init__(self, lexical: LexicalIndex):
        self.lexical = lexical
        self._cache: dict[str, frozenset[str]] = {}
        self._buckets: tuple[dict, dict] | None = None

    def __call__(self, stem: str) -> frozenset[str]:
        cached = self._cache.get(stem)
        if cached is None:
            if self._buckets is None:
                self._buckets = _affix_buckets(self.lexical.terms)
            by_prefix, by_suffix = self._buckets
            candidates = by_prefix.get(stem[:4], set()) | by_suffix.get(stem[-4:], set())
            candidates |= {stem[i:] for i in range(1, len(stem) - 3) if stem[i:] in self.lexical}
            cached = self._cache[stem] = frozenset(t for t in candidates if t != stem and related(stem, t))
        return cached
