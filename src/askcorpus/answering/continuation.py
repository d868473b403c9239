"""Whether the answer goes on in the sentence after the chosen one ("Putin knüpfte das Treffen an Bedingungen." and
the next sentence names them): the evidence of each candidate and the sentence after it, which the scorer's fitted
continuation model weighs. The quote takes in the next sentence when that model gives at least CONTINUE_AT."""

from __future__ import annotations

import numpy as np

from askcorpus.answering.features import COLUMN, choice_shares

CONTINUATION_FEATURES = ("logit_gap", "semantic_gap", "next_kind_offered", "kind_offered", "kind_asked",
                         "next_coverage", "coverage", "next_new_names", "next_new_numbers", "share", "length",
                         "next_length")
# A product choice, not a fitted value: quote both sentences when the answer lies in the second with a probability
# of at least 0.2; `fit_scorer` reports what that costs (quotes extended) and gains (answer@1).
CONTINUE_AT = 0.2


def announcing(texts: list[str]) -> np.ndarray:
    """Which sentences announce the next one ("…, sagte er:")."""
    return np.array([text.rstrip().endswith(":") for text in texts], dtype=bool)


def extended(probabilities: np.ndarray, after: np.ndarray, announces: np.ndarray) -> np.ndarray:
    """Which candidates are quoted with the sentence `after` them: those whose answer goes on there with at least
    CONTINUE_AT of `probabilities`, and those that announce it."""
    return (after >= 0) & ((probabilities >= CONTINUE_AT) | announces)


def continuation_features(rows: np.ndarray, logits: np.ndarray, after: np.ndarray) -> np.ndarray:
    """One row of CONTINUATION_FEATURES per candidate, describing it with the sentence `after` it
    (`features.following`; zeros where there is none)."""
    result = np.zeros((len(rows), len(CONTINUATION_FEATURES)), dtype=np.float32)
    if not len(rows):
        return result
    shares = choice_shares(logits)
    has = after >= 0
    this, nxt = rows[has], rows[after[has]]
    column = lambda block, name: block[:, COLUMN[name]]  # noqa: E731
    result[has] = np.column_stack([
        logits[after[has]] - logits[has],
        column(nxt, "semantic") - column(this, "semantic"),
        column(nxt, "kind_offered"), column(this, "kind_offered"), column(this, "kind_asked"),
        column(nxt, "coverage"), column(this, "coverage"),
        column(nxt, "new_names"), column(nxt, "new_numbers"),
        shares[has], column(this, "length"), column(nxt, "length"),
    ])
    return result
