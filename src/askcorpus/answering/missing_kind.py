"""Whether a quote holds the kind of answer its question asks for: a question asking for a time, a number or a
duration (`question_type.CHECKABLE`) is not answered by a quote that holds nothing of the kind, whatever else it
shares with the question. Answering abstains on such a quote, and the fit counts those abstentions."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from askcorpus.answering.continuation import WITH_NEXT, WITH_PREVIOUS
from askcorpus.answering.features import Candidate
from askcorpus.answering.question_type import CHECKABLE, lacks, question_kind


def lacking_kind(question: str, found: list[Candidate], only: Iterable[int] | None = None) -> np.ndarray:
    """Per candidate, whether it holds nothing of the kind of answer `question` asks for (`question_type.lacks`);
    with `only`, just those candidates are read (the patterns take 0.1 to 0.3 ms a sentence), the others count as
    holding it."""
    kind = question_kind(question)
    lacking = np.zeros(len(found), dtype=bool)
    if kind in CHECKABLE:
        for i in range(len(found)) if only is None else {i for i in only if i >= 0}:
            lacking[i] = lacks(kind, found[i].text)
    return lacking


def quoted_lacks(lacking: np.ndarray, chosen: int, way: int, after: np.ndarray | None = None,
                 before: np.ndarray | None = None) -> bool:
    """True when the quote of `chosen`, widened `way` (`continuation.widening`), holds nothing of the kind of answer
    asked for: neither the chosen sentence (`lacking`, per candidate) nor the neighbour the quote takes in (`after`
    or `before`: per candidate, the index of that neighbour, as `features.following` gives them)."""
    if not lacking[chosen]:
        return False
    neighbour = after[chosen] if way == WITH_NEXT else before[chosen] if way == WITH_PREVIOUS else -1
    return neighbour < 0 or bool(lacking[neighbour])
