"""Whether the answer goes on in the sentence after the chosen one ("Putin knüpfte das Treffen an Bedingungen." and
the next sentence names them): the evidence of each candidate and the sentence after it, which the scorer's fitted
continuation model weighs. The quote takes in the next sentence when that model gives at least CONTINUE_AT."""

from __future__ import annotations

import numpy as np

from askcorpus.answering.features import FEATURES, Candidate
from askcorpus.answering.table import ChunkTable

CONTINUATION_FEATURES = ("logit_gap", "semantic_gap", "next_kind_offered", "kind_offered", "kind_asked",
                         "next_coverage", "coverage", "next_new_names", "next_new_numbers", "share", "length",
                         "next_length")
# A product choice, not a fitted value: quote two sentences when the answer is at least one in five times as likely
# to lie in the second; `fit_scorer` reports what that costs (quotes extended) and gains (answer@1).
CONTINUE_AT = 0.2
_COLUMN = {name: FEATURES.index(name) for name in FEATURES}


def following(table: ChunkTable, found: list[Candidate]) -> np.ndarray:
    """For each candidate, the index in `found` of the next sentence of its passage, or -1 at the passage's end."""
    at = {(c.passage.source, c.passage.start + c.start): i for i, c in enumerate(found)}
    result = np.full(len(found), -1, dtype=np.int64)
    for i, candidate in enumerate(found):
        sentences = table.sentences(candidate.passage.row)
        if candidate.position + 1 < len(sentences):
            start = candidate.passage.start + sentences[candidate.position + 1][0]
            result[i] = at.get((candidate.passage.source, start), -1)
    return result


def with_next(table: ChunkTable, candidate: Candidate) -> str:
    """The candidate's sentence through the end of the next sentence of its passage (itself at the passage's end)."""
    sentences = table.sentences(candidate.passage.row)
    if candidate.position + 1 >= len(sentences):
        return candidate.text
    return candidate.passage.text[candidate.start:sentences[candidate.position + 1][1]]


def continuation_features(rows: np.ndarray, logits: np.ndarray, after: np.ndarray) -> np.ndarray:
    """One row of CONTINUATION_FEATURES per candidate, describing it with the sentence `after` it (zeros where
    there is none)."""
    result = np.zeros((len(rows), len(CONTINUATION_FEATURES)), dtype=np.float32)
    if not len(rows):
        return result
    shares = np.exp(logits - logits.max())
    shares /= shares.sum()
    has = after >= 0
    this, nxt = rows[has], rows[after[has]]
    column = lambda block, name: block[:, _COLUMN[name]]  # noqa: E731
    result[has] = np.column_stack([
        logits[after[has]] - logits[has],
        column(nxt, "semantic") - column(this, "semantic"),
        column(nxt, "kind_offered"), column(this, "kind_offered"), column(this, "kind_asked"),
        column(nxt, "coverage"), column(this, "coverage"),
        column(nxt, "new_names"), column(nxt, "new_numbers"),
        shares[has], column(this, "length"), column(nxt, "length"),
    ])
    return result
