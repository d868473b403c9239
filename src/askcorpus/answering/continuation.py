"""Whether the answer goes on in the sentence after the chosen one ("Putin knüpfte das Treffen an Bedingungen." and
the next sentence names them), or began in the sentence before it ("Ein Sprecher nannte drei Bedingungen." and the
chosen one only says "Darüber werde noch gesprochen."): the evidence of each candidate and its neighbour, which the
scorer's fitted continuation and preceding models weigh. The quote takes in that neighbour when its model gives at
least CONTINUE_AT. A sentence that opens by pointing back ("Er betonte …", "Deshalb …") and is quoted alone after
those models and the measure rule is shown with the sentence before it, when a retrieved passage holds that, to say
who or what is meant (`in_context`); whether to abstain is decided without it. Neither takes in a headline above
the quote (`features.headlines`): it restates the lead sentence and carries no answer on."""

from __future__ import annotations

import re

import numpy as np

from askcorpus.answering.features import COLUMN, choice_shares

CONTINUATION_FEATURES = ("logit_gap", "semantic_gap", "next_kind_offered", "kind_offered", "kind_asked",
                         "next_coverage", "coverage", "next_new_names", "next_new_numbers", "share", "length",
                         "next_length")
# A product choice, not a fitted value: quote both sentences when the answer lies in the neighbour with a
# probability of at least 0.2; `fit_scorer` reports what that costs (quotes extended) and gains (answer@1).
CONTINUE_AT = 0.2


# Opening words that point back to what the sentence before names: third-person, possessive and relative-possessive
# pronouns, demonstratives, pronominal adverbs, and connectives naming its time or its consequence. Words that open
# many sentences without pointing back are left out ("Es gibt …", "Die Regierung …", "Dem Bericht zufolge …", "It
# is …"), and so are concessive ones ("Dennoch bleiben Spannungen …"), which lean on the sentence before without
# leaving anything it names unsaid.
POINTING_BACK = frozenset("""
    Er Sie Ihm Ihn Ihr Ihre Ihrem Ihren Ihrer Ihres Sein Seine Seinem Seinen Seiner Seines Dessen Deren
    Dieser Diese Dieses Diesem Diesen Dies Damit Dabei Darin Daran Darauf Daraufhin Darüber Darunter Dazu Davon Dafür
    Dagegen Dadurch Dort Damals Danach Demnach Deshalb Deswegen Daher
    He She They His Her Its Their This These Those Such Therefore Thus Hence
""".split())
# "Das" and "Dem" point back when a finite verb follows ("Das sei ein Fehler", "Dem widersprach der Minister"), not
# a noun or an adjective ("Das Treffen …", "Das russische Außenministerium …").
POINTING_WITH_VERB = frozenset({"Das", "Dem"})
FINITE_VERBS = frozenset("""
    ist sei war wäre hat habe hatte hätte wird werde wurde würde kann könne konnte könnte soll solle sollte muss
    müsse musste darf dürfe gilt gelte galt zeigt zeigte bedeutet bedeute bedeutete heißt hieß sagt sagte sagten
    erklärt erklärte betont betonte teilte berichtete bestätigte geht ging bleibt blieb reicht reichte widersprach
    widerspricht stimmte stimmt folgte folgt entgegnete
""".split())
_OPENING = re.compile(r"[\W_]*(\w+)(?![\w\u00ad-])(?:\s+(\w+))?")


def announcing(texts: list[str]) -> np.ndarray:
    """Which sentences announce the next one ("…, sagte er:")."""
    return np.array([text.rstrip().endswith(":") for text in texts], dtype=bool)


def pointing_back(texts: list[str]) -> np.ndarray:
    """Which sentences open with a word that points back to the sentence before ("Er betonte …", "Deshalb …", "Das
    sei …")."""
    return np.array([_points_back(text) for text in texts], dtype=bool)


def _points_back(text: str) -> bool:
    match = _OPENING.match(text)
    if match is None:
        return False
    word, following = match.groups()
    return word in POINTING_BACK or (word in POINTING_WITH_VERB and following in FINITE_VERBS)


def extended(probabilities: np.ndarray, neighbour: np.ndarray, announces: np.ndarray | None = None) -> np.ndarray:
    """Which candidates are quoted with their `neighbour` (the sentence after or before them, -1 for none): those
    whose answer lies there with at least CONTINUE_AT of `probabilities`, and those that announce it."""
    wanted = probabilities >= CONTINUE_AT
    if announces is not None:
        wanted = wanted | announces
    return (neighbour >= 0) & wanted


ALONE, WITH_NEXT, WITH_PREVIOUS = 0, 1, -1


def widening(onward: np.ndarray, backward: np.ndarray, after: np.ndarray, before: np.ndarray,
             announces: np.ndarray) -> np.ndarray:
    """For each candidate, whether its quote is the sentence ALONE, WITH_NEXT or WITH_PREVIOUS, from the
    probabilities that its answer lies in the sentence after it (`onward`) or before it (`backward`): the likelier
    neighbour that reaches CONTINUE_AT (the next one on a tie), and the next one whenever the sentence announces
    it."""
    ahead = extended(onward, after, announces)
    behind = extended(backward, before) & ~(announces & (after >= 0)) & (~ahead | (backward > onward))
    return np.where(behind, WITH_PREVIOUS, np.where(ahead, WITH_NEXT, ALONE))


def not_back_into_headlines(ways: list[int] | np.ndarray, before: np.ndarray, headlines: np.ndarray) -> list[int]:
    """`ways` (`widening`), with every quote that would take in a headline before it (`features.headlines`) ALONE:
    the headline restates the lead sentence under it and carries no answer on."""
    return [ALONE if way == WITH_PREVIOUS and headlines[before[i]] else int(way) for i, way in enumerate(ways)]


def not_after_headlines(points_back: np.ndarray, before: np.ndarray, headlines: np.ndarray) -> np.ndarray:
    """`points_back` (`pointing_back`), false for a sentence right under a headline: there is nothing before it to
    show it in context with."""
    under = np.array([b >= 0 and bool(headlines[b]) for b in before], dtype=bool)
    return points_back & ~under


def in_context(way: int, candidate: int, before: np.ndarray, points_back: np.ndarray) -> int:
    """The candidate whose run with its next sentence shows `candidate` in context: the sentence before it, when the
    candidate points back (`pointing_back`) and its quote stands ALONE after every rule that widens it; else -1."""
    if way == ALONE and points_back[candidate] and before[candidate] >= 0:
        return int(before[candidate])
    return -1


def pair_start(way: int, candidate: int, before: np.ndarray) -> int:
    """The candidate whose run with its next sentence (`features.following`) is the quote of `candidate` widened
    `way`: itself WITH_NEXT, the one before it WITH_PREVIOUS; -1 ALONE."""
    if way == WITH_NEXT:
        return candidate
    return int(before[candidate]) if way == WITH_PREVIOUS else -1


def continuation_features(rows: np.ndarray, logits: np.ndarray, neighbour: np.ndarray) -> np.ndarray:
    """One row of CONTINUATION_FEATURES per candidate, describing it with its `neighbour` (`features.following`:
    the sentence after it, or for the preceding model the one before it; zeros where there is none): the "next_"
    features and the gaps describe that neighbour."""
    result = np.zeros((len(rows), len(CONTINUATION_FEATURES)), dtype=np.float32)
    if not len(rows):
        return result
    shares = choice_shares(logits)
    has = neighbour >= 0
    this, nxt = rows[has], rows[neighbour[has]]
    column = lambda block, name: block[:, COLUMN[name]]  # noqa: E731
    result[has] = np.column_stack([
        logits[neighbour[has]] - logits[has],
        column(nxt, "semantic") - column(this, "semantic"),
        column(nxt, "kind_offered"), column(this, "kind_offered"), column(this, "kind_asked"),
        column(nxt, "coverage"), column(this, "coverage"),
        column(nxt, "new_names"), column(nxt, "new_numbers"),
        shares[has], column(this, "length"), column(nxt, "length"),
    ])
    return result
