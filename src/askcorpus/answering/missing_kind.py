"""Whether a quote holds the kind of answer its question asks for, as the fit sees it: a question asking for a
time, a number or a duration (`question_type.CHECKABLE`), or for a measure (an age, a price, a weight, a share, a
length, an area, a frequency, a year, a month, a date, a clock time), is not answered by a quote that holds nothing
of the kind (`question_type.lacks_answer`), whatever else it shares with the question.
For a measure, a quote that lacks it takes in the next sentence when that names one (`takes_next`).
Answering abstains when the first quote it shows, the context sentence aside, lacks it (`Extractor`); the fit
counts those abstentions from the chosen sentence and the neighbour its quote takes in. It does not model a quote
joined with an adjacent runner-up, which answering reads too, so answering abstains on no more questions than the
fit counted."""

from __future__ import annotations

import numpy as np

from askcorpus.answering.continuation import ALONE, WITH_NEXT, WITH_PREVIOUS
from askcorpus.answering.features import Candidate
from askcorpus.answering.question_type import lack_test


def lacking_kind(question: str, found: list[Candidate]) -> np.ndarray:
    """Per candidate, whether it holds nothing of the kind of answer `question` asks for
    (`question_type.lacks_answer`)."""
    lacking = lack_test(question)
    return np.array([lacking(candidate.text) for candidate in found], dtype=bool)


def quoted_lacks(lacking: np.ndarray, chosen: int, way: int, after: np.ndarray | None = None,
                 before: np.ndarray | None = None) -> bool:
    """True when the quote of `chosen`, widened `way` (`continuation.widening`), holds nothing of the kind of answer
    asked for: neither the chosen sentence (`lacking`, per candidate) nor the neighbour the quote takes in (`after`
    or `before`: per candidate, the index of that neighbour, as `features.following` gives them)."""
    if not lacking[chosen]:
        return False
    neighbour = after[chosen] if way == WITH_NEXT else before[chosen] if way == WITH_PREVIOUS else -1
    return neighbour < 0 or bool(lacking[neighbour])


def takes_next(lacking: np.ndarray, chosen: int, way: int, after: np.ndarray) -> bool:
    """True when the quote of `chosen` would show it ALONE without the measure asked for and the sentence after it
    (`after`, per candidate) names one: the quote then takes that sentence in, as the unit is often left to it
    ("… haben sich auf ein Förderprogramm geeinigt." "Das Programm umfasst Fördermittel von 4,2 Mrd. Euro.").
    Only for a question asking for a measure (`question_type.asks_measure`), which callers check: for a time, a number
    or a duration almost any next sentence passes so loose a check, and near-topic questions would be answered."""
    neighbour = int(after[chosen])
    return way == ALONE and bool(lacking[chosen]) and neighbour >= 0 and not lacking[neighbour]
