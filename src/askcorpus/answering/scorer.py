"""The fitted answer scorer: which candidate sentence answers (a conditional logit over `features.FEATURES`), and
how likely that chosen sentence is right (a logistic regression over `ANSWER_FEATURES`), with the threshold below
which askcorpus abstains; and whether the answer goes on in the sentence after the chosen one, or lies in the one
before it (a logistic regression each over `continuation.CONTINUATION_FEATURES`).

Similarities have a different scale in every model, so each model has its own coefficients:
`scorers/<model>.json` beside this module, written by `python -m askcorpus.evaluation.fit_scorer --model <model>`
(fitted on XQuAD-de and GermanQuAD with cross-validation by article; the file records the figures). A model
without a file of its own gets `scorers/any-model.json`, fitted on the bundled models' rows with every similarity
read relative to the corpus (`features.relative_to_corpus`), a scale that carries over to other models.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from askcorpus.answering.continuation import CONTINUATION_FEATURES, continuation_features, widening
from askcorpus.answering.features import COLUMN, FEATURES, LEXICAL, choice_shares, without_lexical
from askcorpus.config import DEFAULT_MODEL_ID

SCORERS = Path(__file__).with_name("scorers")
ANY_MODEL = "any-model"  # the scorer for models without one of their own
RAW, CORPUS = "raw", "corpus"  # similarities as the model gives them, or relative to the corpus's
NEIGHBOURS = ("continuation", "preceding")  # the models of the sentence after and the one before, in the file
ANSWER_FEATURES = ("best_share", "margin", "semantic", "coverage", "passage_semantic", "unmatched_pull", "english",
                   "kind_asked", "kind_offered")


@dataclass(frozen=True)
class Linear:
    """Standardised inputs times weights plus a bias."""

    weights: np.ndarray
    bias: float
    mean: np.ndarray
    scale: np.ndarray

    def __call__(self, rows: np.ndarray) -> np.ndarray:
        return ((rows - self.mean) / self.scale) @ self.weights + self.bias

    @classmethod
    def from_dict(cls, fitted: dict) -> "Linear":
        as_array = lambda key: np.asarray(fitted[key], dtype=np.float32)  # noqa: E731
        return cls(as_array("weights"), float(fitted["bias"]), as_array("mean"), as_array("scale"))

    def to_dict(self) -> dict:
        return {"weights": [round(float(w), 6) for w in self.weights], "bias": round(float(self.bias), 6),
                "mean": [round(float(m), 6) for m in self.mean], "scale": [round(float(s), 6) for s in self.scale]}


def answer_features(rows: np.ndarray, logits: np.ndarray) -> np.ndarray:
    """The question-level evidence for the best candidate: its share of the choice, its lead over the second, its
    own semantic and lexical match and its passage's, how far the words the corpus lacks carry the question away
    from the passages (`features.without_unmatched`), and the kind."""
    order = np.argsort(-logits, kind="stable")
    best = rows[order[0]]
    shares = choice_shares(logits)
    margin = float(logits[order[0]] - logits[order[1]]) if len(order) > 1 else 5.0
    return np.array([shares[order[0]], margin, best[COLUMN["semantic"]], best[COLUMN["coverage"]],
                     best[COLUMN["passage_semantic"]], best[COLUMN["unmatched_pull"]], best[COLUMN["english"]],
                     best[COLUMN["kind_asked"]], best[COLUMN["kind_offered"]]], dtype=np.float32)


def judged(selection: Linear, rows: np.ndarray, logits: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The rows and logits the confidence reads (`answer_features`). An English question's are those without its
    words' German translations (`features.without_lexical`), ranked again: the translations steer which sentence is
    quoted (and which neighbour it takes in), and the confidence judges the evidence of the vectors alone, as it
    did before they counted."""
    if len(rows) and rows[0, COLUMN["english"]] == 1.0 and rows[:, LEXICAL].any():
        rows = without_lexical(rows)
        return rows, selection(rows)
    return rows, logits


@dataclass(frozen=True)
class AnswerScorer:
    """`choose(rows)`: a logit per candidate (higher answers better); `confidence(rows, logits)`: the probability
    that the best candidate holds the answer; below `threshold`, abstain; `continues(rows, logits, after)`: the
    probability that each candidate's answer lies in the sentence after it instead (0 without a continuation
    model); `precedes(rows, logits, before)`: the same for the sentence before it (0 without a preceding model);
    `widening(…)` which of the two each candidate's quote takes in.
    `similarities` says whether the rows it expects hold similarities as the model gives them (RAW) or
    `relative_to_corpus` (CORPUS). `english_gap` is added to an English question's similarities before scoring:
    how much lower the model puts an English question than the same question in German next to German text, since
    the scorer learnt English from German questions seen as English (`features.closer_by`)."""

    selection: Linear
    answer: Linear
    threshold: float
    similarities: str = RAW
    continuation: Linear | None = None
    english_gap: float = 0.0
    preceding: Linear | None = None

    def choose(self, rows: np.ndarray) -> np.ndarray:
        return self.selection(rows)

    def confidence(self, rows: np.ndarray, logits: np.ndarray) -> float:
        features = answer_features(*judged(self.selection, rows, logits))
        return float(1.0 / (1.0 + np.exp(-self.answer(features[None, :])[0])))

    def continues(self, rows: np.ndarray, logits: np.ndarray, after: np.ndarray) -> np.ndarray:
        return _neighbour_holds(self.continuation, rows, logits, after)

    def precedes(self, rows: np.ndarray, logits: np.ndarray, before: np.ndarray) -> np.ndarray:
        return _neighbour_holds(self.preceding, rows, logits, before)

    def widening(self, rows: np.ndarray, logits: np.ndarray, after: np.ndarray, before: np.ndarray,
                 announces: np.ndarray) -> np.ndarray:
        """Per candidate, whether its quote takes in the sentence after or before it (`continuation.widening`)."""
        return widening(self.continues(rows, logits, after), self.precedes(rows, logits, before), after, before,
                        announces)

    @classmethod
    def from_dict(cls, fitted: dict) -> "AnswerScorer":
        if tuple(fitted["features"]) != FEATURES or tuple(fitted["answer_features"]) != ANSWER_FEATURES:
            raise ValueError("the coefficients were fitted for other features")
        similarities = fitted.get("similarities", RAW)
        if similarities not in (RAW, CORPUS):
            raise ValueError(f"unknown similarities {similarities!r}")
        neighbours = {key: Linear.from_dict(fitted[key]) for key in NEIGHBOURS if key in fitted}
        if ("continuation_features" in fitted or neighbours) and (
                tuple(fitted.get("continuation_features", ())) != CONTINUATION_FEATURES or not neighbours):
            raise ValueError("the continuation was fitted for other features")
        return cls(Linear.from_dict(fitted["selection"]), Linear.from_dict(fitted["answer"]),
                   float(fitted["threshold"]), similarities, english_gap=float(fitted.get("english_gap", 0.0)),
                   **neighbours)

    def to_dict(self) -> dict:
        fitted = {"features": list(FEATURES), "answer_features": list(ANSWER_FEATURES),
                  "selection": self.selection.to_dict(), "answer": self.answer.to_dict(),
                  "threshold": round(self.threshold, 6), "similarities": self.similarities,
                  "english_gap": round(self.english_gap, 6)}
        neighbours = {key: getattr(self, key).to_dict() for key in NEIGHBOURS if getattr(self, key) is not None}
        if neighbours:
            fitted |= {"continuation_features": list(CONTINUATION_FEATURES)} | neighbours
        return fitted


def _neighbour_holds(model: Linear | None, rows: np.ndarray, logits: np.ndarray, neighbour: np.ndarray) -> np.ndarray:
    """The probability by `model` that each candidate's answer lies in its `neighbour` instead (0 without one)."""
    if model is None or not len(rows):
        return np.zeros(len(rows), dtype=np.float32)
    probability = 1.0 / (1.0 + np.exp(-model(continuation_features(rows, logits, neighbour))))
    return np.where(neighbour >= 0, probability, 0.0).astype(np.float32)


def scorer_path(model: str) -> Path:
    """Where the coefficients fitted for `model` (a name askcorpus knows, or a path's last part) are kept."""
    return SCORERS / f"{Path(model).name}.json"


def fitted_for(model: str) -> bool:
    """True when the package has coefficients fitted for `model` itself: a bundled model's name, not a folder or
    hub name that ends like one (a fine-tuned copy has other similarities)."""
    return model != ANY_MODEL and Path(model).name == model and scorer_path(model).is_file()


def load_scorer(model: str = DEFAULT_MODEL_ID) -> AnswerScorer:
    """The scorer fitted for `model`, or the one for any model when it has none (`fitted_for` tells)."""
    path = scorer_path(model if fitted_for(model) else ANY_MODEL)
    return AnswerScorer.from_dict(json.loads(path.read_text(encoding="utf-8")))
