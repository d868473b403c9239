"""Fit a model's answer scorer (`answering/scorers/<model>.json`) on XQuAD-de and the GermanQuAD slice, cross-validated.

    python -m askcorpus.evaluation.fit_scorer --shared ../shared [--model NAME | --model any-model] [--work DIR]
                                              [--write]

Each SQuAD paragraph is indexed as one file. Every question is asked twice: as it is (its paragraph answers it)
and with its own paragraph hidden from the passages and from the corpus vocabulary, which makes a near-topic
question the corpus cannot answer unless another paragraph happens to hold the answer too. It is asked a third
time, only to be scored, with its paragraph shown but the sentences holding the answer left out of the candidates:
the closest kind of unanswerable question, where the article tells of the event and not of the detail asked for
("Welcher Sender führte das Interview?"); the figures call its abstention `hidden_sentence_abstained`. It is an
optimistic stand-in: the passage-level evidence (the passage's vector and score, the coverage of the sentence
before) still holds the hidden sentences. A candidate sentence is
positive when it contains the gold answer. A conditional logit (a softmax over each question's candidates, L2,
Newton steps) over `features.FEATURES` learns which sentence to choose; a logistic regression over
`scorer.ANSWER_FEATURES` of the chosen one learns how likely it holds the answer; a logistic regression over
`continuation.CONTINUATION_FEATURES` of the chosen one and the sentence after it learns how likely the answer lies
there instead (the quote then takes it in), and another of it and the sentence before it the same for that one.
Folds group questions by article, so no article is in both the fitted and the scored part. The abstention threshold
is chosen on the fitted folds for false abstentions of at most TARGET_FALSE_ABSTENTION, then applied to the scored
fold; those count the questions abstained on because their quote holds nothing of the time, number, duration or measure
(age, price, weight, share, length, area, frequency, year, month, date, clock time) they ask for
(`question_type.lacks_answer`), as answering abstains on them whatever the confidence.
The printed figures are those out-of-fold results; `--write` stores the coefficients fitted on everything.

For the multilingual default the scorer also records its English gap (`english_gap`): the median over
hand-translated XQuAD-de questions (`eval/xquad_english.jsonl`) of how much closer the model puts the German question
than the English one to the sentence that answers it; answering adds it to an English question's similarities, since
the scorer learnt English from German questions seen as English. How well that carries over is measured on English
translations of the other 1,142 XQuAD-de questions (`eval/xquad_english_scored.jsonl`), asked as answering asks
English, as they are and with their paragraph hidden, their gap added: scored apart (`xquad-english`), and learnt
from by the confidence alone (`fit`).

`--model any-model` fits the scorer for models without one of their own: the rows of every bundled model, with
their similarities relative to the corpus (`features.relative_to_corpus`), pooled. Besides the pooled figures it
prints what a model that was not fitted on gets: each bundled model scored by a scorer fitted on the others only.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from askcorpus.answering.continuation import (
    ALONE,
    CONTINUATION_FEATURES,
    WITH_NEXT,
    WITH_PREVIOUS,
    announcing,
    continuation_features,
    in_context,
    not_after_headlines,
    not_back_into_headlines,
    pair_start,
    pointing_back,
)
from askcorpus.answering.features import (
    FEATURES,
    candidates,
    closer_by,
    feature_rows,
    following,
    headlines,
    relative_to_corpus,
    without_lexical,
    without_unmatched,
)
from askcorpus.answering.missing_kind import lacking_kind, quoted_lacks, takes_next
from askcorpus.answering.question_type import asks_measure
from askcorpus.answering.scorer import (
    ANSWER_FEATURES,
    ANY_MODEL,
    CORPUS,
    NEIGHBOURS,
    RAW,
    AnswerScorer,
    Linear,
    answer_features,
    judged,
    scorer_path,
)
from askcorpus.config import BUNDLED_MODELS, DEFAULT_MODEL_ID, Config, normalize_model
from askcorpus.corpus import Corpus
from askcorpus.evaluation.evaluate import squad_source, write_squad_corpus

PASSAGES = 5
FOLDS = 5
L2 = 1.0
TARGET_FALSE_ABSTENTION = 0.04
MIN_THRESHOLD = 1e-6
MIN_CONTINUATIONS = 20  # fewer answers found only with a neighbouring sentence teach no model of that side
# Models whose German questions seen as English stand in for English ones once their English gap is added.
# MiniLM reads only English: on the translated questions it abstained on 1 of 48 without a gap already.
MULTILINGUAL = (DEFAULT_MODEL_ID,)
ENGLISH_SUFFIX = "-english"  # the figures of the translated questions: `xquad-english`


@dataclass(frozen=True)
class Neighbours:
    """For each candidate: the index of the sentence after it and of the one before it (`features.following`, -1
    for none), whether the candidate quoted with the sentence after it holds the answer, whether it announces
    that sentence (`continuation.announcing`), whether it points back to the one before
    (`continuation.pointing_back`; never right under a headline) and whether it is a headline
    (`features.headlines`)."""

    after: np.ndarray
    before: np.ndarray
    holds: np.ndarray
    announces: np.ndarray
    points_back: np.ndarray
    headlines: np.ndarray


@dataclass
class Asked:
    """One question asked once: its candidates' feature rows and labels, and their neighbouring sentences when
    known."""

    group: str
    hidden: bool
    rows: np.ndarray
    labels: np.ndarray
    english: bool = False  # a German question's rows seen as English (no lexical evidence), for fitting
    spread: tuple[float, float] | None = None  # mean and deviation of its similarities to the corpus asked of
    following: Neighbours | None = None
    lacking: np.ndarray | None = None  # per candidate: holds nothing of the kind asked for (`lacking_kind`)
    asks_measure: bool = False  # for an age, a share, a price …: a quote lacking it takes in a next one naming it
    sentence_hidden: bool = False  # hidden: only the sentences holding the answer, its paragraph still shown
    translated: bool = False  # asked in English: a translation of the German question (the confidence learns from it)


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def collect(name: str, squad: Path, work: Path, progress: bool, model: str = DEFAULT_MODEL_ID,
            translations: dict[str, str] | None = None) -> list[Asked]:
    """Index `squad`'s paragraphs in `work` with `model` and ask every question as it is, with its paragraph hidden
    and with only the sentences holding its answer hidden; and the English translation of each question that
    `translations` (German question -> English) holds, as it is and with its paragraph hidden (`Asked.translated`)."""
    config = Config(seeds=work / "seeds", index=work / "index", model=normalize_model(model))
    questions, _ = write_squad_corpus(squad, config.seeds)
    corpus = Corpus(config, scorer=_placeholder())
    corpus.sync(progress=progress)
    engine = corpus.engine()
    table = engine.extractor.table
    rows_of = {}
    for n, chunk in enumerate(table.chunks):
        rows_of.setdefault(chunk.source, []).append(n)
    asked = []
    for number, item in enumerate(questions):
        (source, answer), = item.golds
        group = f"{name}:{source.split('/')[1].split('_')[0]}"
        hidden_terms: dict[str, int] = {}
        for n in rows_of.get(source, []):
            for term in set(table.analyzer.terms(table.chunks[n].text)):
                hidden_terms[term] = hidden_terms.get(term, 0) + 1
        present = _present_without(table, hidden_terms)
        own_rows = frozenset(rows_of.get(source, []))
        asked += _ask(corpus, engine, item.question, source, answer, group, present, own_rows)
        english = (translations or {}).get(item.question)
        if english is not None:
            asked += _ask(corpus, engine, english, source, answer, group, present, own_rows, translated=True)
        if progress and number % 200 == 0:
            print(f"{name}: {number}/{len(questions)} questions", file=sys.stderr)
    return asked


def _ask(corpus: Corpus, engine, question: str, source: str, answer: str, group: str, present,
         own_rows: frozenset[int], translated: bool = False) -> list[Asked]:
    """`question` asked of `corpus`'s `engine` as it is, with its paragraph (`source`) hidden from the passages and
    the vocabulary (`present`), and, unless `translated`, with only the sentences holding `answer` hidden."""
    table, searcher = engine.extractor.table, engine.searcher
    question = table.in_usual_case(question)  # as answering asks it
    vector = corpus.embed_question(question)
    passages = searcher.search(question, vector, PASSAGES * 3)
    asked = []
    ways = ((False, False, passages[:PASSAGES]),
            (True, False, [p for p in passages if p.source != source][:PASSAGES]),
            (True, True, passages[:PASSAGES]))
    for hidden, sentence_hidden, shown in ways[:2] if translated else ways:
        found = candidates(table, shown)
        if sentence_hidden:
            kept = [c for c in found if _normal(answer) not in _normal(c.text)]
            if not kept or len(kept) == len(found):
                continue
            found = kept
        hides_terms = hidden and not sentence_hidden
        reduced = (without_unmatched(table, question, present if hides_terms else None, engine.extractor.dictionary)
                   if found else None)
        reduced_vector = corpus.embed_text(reduced) if reduced is not None else None  # as answering does
        rows = feature_rows(table, question, vector, shown, found, reduced_vector=reduced_vector,
                            dictionary=engine.extractor.dictionary)  # as answering reads an English question
        labels = np.array([_normal(answer) in _normal(c.text) for c in found], dtype=np.float32)
        after, before, runs = following(found)
        holds = labels.copy()
        for i, run in enumerate(runs):
            if run is not None:
                passage, start, end = run
                holds[i] = max(holds[i], _normal(answer) in _normal(passage.text[start:end]))
        spread = table.similarity_spread(vector, own_rows if hides_terms else frozenset())
        texts = [c.text for c in found]
        lines = headlines(found)
        neighbours = Neighbours(after, before, holds, announcing(texts),
                                not_after_headlines(pointing_back(texts), before, lines), lines)
        asked.append(Asked(group, hidden, rows, labels, spread=spread, following=neighbours,
                           lacking=lacking_kind(question, found), asks_measure=asks_measure(question),
                           sentence_hidden=sentence_hidden, translated=translated))
    return asked


def english_gap(squad: Path, translations: Path, work: Path, model: str) -> tuple[float, int]:
    """How much closer `model` puts a German question than its English translation to the sentence that answers
    it: the median over the questions of `translations` (lines of {"id": SQuAD id, "question": English}), with the
    corpus `collect` indexed in `work`; and how many were measured."""
    config = Config(seeds=work / "seeds", index=work / "index", model=normalize_model(model))
    german = {qa["id"]: (qa["question"], qa["answers"][0]["text"], squad_source(a, p))
              for a, article in enumerate(json.loads(squad.read_text(encoding="utf-8"))["data"])
              for p, paragraph in enumerate(article["paragraphs"]) for qa in paragraph["qas"]}
    corpus = Corpus(config, scorer=_placeholder())
    table = corpus.engine().extractor.table
    gaps = []
    for line in translations.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        question, answer, source = german[record["id"]]
        holding = [table.sentence_vectors(n)[k] for n, chunk in enumerate(table.chunks) if chunk.source == source
                   for k, (start, end, _) in enumerate(table.sentences(n))
                   if _normal(answer) in _normal(chunk.text[start:end])]
        if holding:
            gaps.append(float(holding[0] @ corpus.embed_question(question)
                              - holding[0] @ corpus.embed_question(record["question"])))
    return (float(np.median(gaps)), len(gaps)) if gaps else (0.0, 0)


def _taken_for_english(asked: Asked) -> bool:
    """Whether answering took the question for English (`language.is_english`; since stop 27 all 1,142
    translations are), as its rows say."""
    return bool(len(asked.rows)) and bool(asked.rows[0, FEATURES.index("english")])


def _translations(squad: Path, path: Path) -> dict[str, str]:
    """German question -> English, for the questions of `squad` whose translation `path` holds (lines of
    {"id": SQuAD id, "question": English})."""
    german = {qa["id"]: qa["question"] for article in json.loads(squad.read_text(encoding="utf-8"))["data"]
              for paragraph in article["paragraphs"] for qa in paragraph["qas"]}
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {german[record["id"]]: record["question"] for record in records}


def _work(work: str, model: str, name: str) -> Path:
    """The folder of the index `collect` builds for data set `name` with `model`."""
    return Path(work) / Path(model).name / name


def _placeholder() -> AnswerScorer:
    """A scorer for corpora of which only retrieval and features are used: the package's own scorer files may have
    been fitted for other features (the fit that replaces them reads its corpora through this one)."""
    return AnswerScorer(_zeros(FEATURES), _zeros(ANSWER_FEATURES), 0.0)


def _zeros(names: tuple[str, ...]) -> Linear:
    return Linear(np.zeros(len(names), np.float32), 0.0, np.zeros(len(names), np.float32),
                  np.ones(len(names), np.float32))


def _present_without(table, hidden_terms: dict[str, int]):
    """Is a stem in the corpus once the chunks counted in `hidden_terms` are taken out?"""
    return lambda term: table.lexical.document_frequency(term) > hidden_terms.get(term, 0)


def _standardise(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean, scale = rows.mean(axis=0), rows.std(axis=0)
    scale[scale < 1e-6] = 1.0
    return mean.astype(np.float32), scale.astype(np.float32)


def _newton(loss_gradient_hessian, size: int, steps: int = 40) -> np.ndarray:
    """Minimise a convex loss by Newton steps, halved while they do not lower it."""
    w = np.zeros(size)
    for _ in range(steps):
        loss, gradient, hessian = loss_gradient_hessian(w)
        step = np.linalg.solve(hessian, gradient)
        t = 1.0
        while loss_gradient_hessian(w - t * step, value_only=True) > loss and t > 1e-4:
            t /= 2
        w -= t * step
        if np.abs(t * step).max() < 1e-7:
            break
    return w


def fit_selection(asked: list[Asked], l2: float = L2) -> Linear:
    """Conditional logit: per question, a softmax over its candidates, fitted to put the weight on the ones that
    hold the answer (questions none of whose candidates does teach nothing here)."""
    usable = [a for a in asked if len(a.rows) and a.labels.any()]
    mean, scale = _standardise(np.vstack([a.rows for a in usable]))
    xs = [(a.rows - mean) / scale for a in usable]
    targets = [a.labels / a.labels.sum() for a in usable]

    def objective(w, value_only=False):
        loss = 0.5 * l2 * w @ w
        gradient, hessian = l2 * w, l2 * np.eye(len(w))
        for x, t in zip(xs, targets):
            s = x @ w
            top = s.max()
            p = np.exp(s - top)
            total = p.sum()
            loss += top + np.log(total) - t @ s
            if not value_only:
                p /= total
                mean_x = p @ x
                gradient = gradient + x.T @ (p - t)
                hessian = hessian + (x * p[:, None]).T @ x - np.outer(mean_x, mean_x)
        return loss if value_only else (loss, gradient, hessian)

    return Linear(_newton(objective, len(FEATURES)).astype(np.float32), 0.0, mean, scale)


def fit_logistic(rows: np.ndarray, labels: np.ndarray, l2: float = L2) -> Linear:
    """Logistic regression with an L2 penalty on the weights (not the bias)."""
    mean, scale = _standardise(rows)
    x = np.hstack([(rows - mean) / scale, np.ones((len(rows), 1))])
    penalty = np.full(x.shape[1], l2)
    penalty[-1] = 0.0

    def objective(w, value_only=False):
        z = x @ w
        loss = float(np.sum(np.logaddexp(0, z) - labels * z) + 0.5 * penalty @ (w * w))
        if value_only:
            return loss
        p = 1.0 / (1.0 + np.exp(-z))
        return loss, x.T @ (p - labels) + penalty * w, (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty)

    w = _newton(objective, x.shape[1])
    return Linear(w[:-1].astype(np.float32), float(w[-1]), mean, scale)


def _choices(selection: Linear, asked: list[Asked]) -> tuple[np.ndarray, np.ndarray]:
    """Per question asked: the answer features of the candidate the confidence judges and whether it holds the
    answer. That is the chosen one, but for an English question whose rows hold its words' translations the one
    chosen without them (`judged`), which may not be the one quoted: the confidence judges the vectors' evidence."""
    rows, right = [], []
    for a in asked:
        if len(a.rows):
            read, logits = judged(selection, a.rows, selection(a.rows))
            rows.append(answer_features(read, logits))
            right.append(float(a.labels[int(np.argmax(logits))]))
    return np.array(rows, dtype=np.float32), np.array(right, dtype=np.float32)


def relative(asked: list[Asked]) -> list[Asked]:
    """The questions with their similarities relative to the corpus, as the scorer for any model reads them."""
    if any(a.spread is None for a in asked):
        raise ValueError("a question was collected without its similarity spread")
    return [replace(a, rows=relative_to_corpus(a.rows, a.spread)) for a in asked]


def fit(asked: list[Asked], similarities: str = RAW) -> AnswerScorer:
    """Selection first, then the confidence of its choices on the same questions, then the threshold that
    abstains on at most TARGET_FALSE_ABSTENTION of the questions asked as they are, then the continuation and
    its mirror, the preceding sentence.

    Every question is also learnt from as if it were English (`features.without_lexical`): the German sets teach
    how much the semantic evidence alone can be trusted. (Those rows keep the passages the German search found;
    rows from the vectors-only search an English question gets lowered answer@1 cross-validated, 0.7732 ->
    0.7687, and the held-out English seed questions too, on 2026-12-03.)

    Questions asked in English (`Asked.translated`) teach the confidence alone: how far an English question's
    evidence can be trusted, which German questions seen as English only approximate. With e5 on 2026-12-06, their
    abstention with their paragraph hidden rose 0.236 -> 0.279 cross-validated, their false abstention 0.024 -> 0.029,
    German answer@1 0.7919 -> 0.7932. Learnt from by the choice of sentence too, in place of the German questions seen
    as English, they raised German answer@1 to 0.7983 and that abstention to 0.292 but lowered their answer@1 0.7224
    -> 0.7154; on the held-out sets English near-topic abstention rose 0.377 -> 0.434 and answer@1 fell (seeds
    English 0.671 -> 0.645, news German 0.68 -> 0.66, news English 0.556 -> 0.533); a feature matching an English
    question's names and numbers across spellings (Lavrov ~ Lawrow) added 0.004 to their answer@1 cross-validated.
    Their rows hold the coverage by their words' German translations, which steers the choice of sentence (the
    German questions' weights) and of the neighbour a quote takes in, but not the confidence, which judges the
    vectors' evidence and choice (`judged`). With e5 on 2026-12-07 the choice's answer@1 never abstaining rose
    0.7609 -> 0.7837. Learnt from the better choice,
    the confidence trusted English more: answer@1 0.7522 -> 0.7741 but their abstention with the paragraph hidden
    0.362 -> 0.342, the threshold 0.0578 -> 0.0609 and on the held-out sets near-topic English abstained 0.453 ->
    0.415; reading the translations too, answer@1 0.7785, threshold 0.0669 and less near-topic abstention.

    Questions asked with only their answer's sentences hidden are scored, not learnt from. Learnt from as
    unanswerable, they raised their own cross-validated abstention 0.23 -> 0.33 (0.46 with the chosen sentence's
    whole row in the answer model) but lowered the hidden paragraphs' 0.63 -> 0.58 (0.56), and on the held-out seed
    questions they raised false abstention (German 0.31 -> 0.35; with the whole row 0.34, and news 0.08 -> 0.12)
    without abstaining more on the near-topic ones (0.40 -> 0.40), on 2026-12-06. (Their passage-level evidence
    still holds the hidden sentences, which may have taught the answer model the wrong lesson there.)
    """
    translated = [a for a in asked if a.translated and not a.sentence_hidden]
    asked = [a for a in asked if not a.sentence_hidden and not a.translated]
    asked = asked + [replace(a, rows=without_lexical(a.rows), english=True) for a in asked if len(a.rows)]
    shown = [a for a in asked if not a.hidden]
    selection = fit_selection(shown)
    rows, right = _choices(selection, asked + translated)
    scorer = AnswerScorer(selection, fit_logistic(rows, right), 0.0, similarities, fit_continuation(selection, shown),
                          preceding=fit_continuation(selection, shown, backward=True))
    german = [a for a in asked if not a.english]
    answerable = sorted(outcome.confidence for outcome in outcomes(scorer, german) if not outcome.hidden)
    threshold = float(answerable[int(TARGET_FALSE_ABSTENTION * len(answerable))])
    # above 0 even when more quotes than that lack the kind asked for: those must still abstain
    return replace(scorer, threshold=max(threshold, MIN_THRESHOLD))


def fit_continuation(selection: Linear, asked: list[Asked], backward: bool = False) -> Linear | None:
    """A logistic regression: does the answer lie in the sentence after the chosen one (`backward`: before it), the
    chosen one lacking it? None when the questions (collected without `after`, or too few such answers) cannot
    teach it."""
    rows, labels = [], []
    for a in asked:
        if a.following is None or not len(a.rows):
            continue
        logits = selection(a.rows)
        chosen = int(np.argmax(logits))
        neighbour = a.following.before if backward else a.following.after
        if neighbour[chosen] >= 0:
            start = pair_start(WITH_PREVIOUS if backward else WITH_NEXT, chosen, a.following.before)
            rows.append(continuation_features(a.rows, logits, neighbour)[chosen])
            labels.append(float(a.following.holds[start] and not a.labels[chosen]))
    if sum(labels) < MIN_CONTINUATIONS:
        return None
    return fit_logistic(np.array(rows, dtype=np.float32), np.array(labels, dtype=np.float32))


@dataclass(frozen=True)
class Outcome:
    """One question asked, as the scorer answers it: the chosen sentence's confidence, whether it holds the
    answer alone and as quoted, and whether the quote takes in the sentence after or before it (`extended`)."""

    confidence: float
    hidden: bool
    sentence_hidden: bool = False
    holds: bool = False
    quoted_holds: bool = False
    extended: bool = False


def outcomes(scorer: AnswerScorer, asked: list[Asked]) -> list[Outcome]:
    """The outcome of each question asked."""
    result = []
    for a in asked:
        if not len(a.rows):
            result.append(Outcome(0.0, a.hidden, a.sentence_hidden))
            continue
        logits = scorer.choose(a.rows)
        chosen = int(np.argmax(logits))
        holds = quoted = bool(a.labels[chosen])
        way = ALONE
        if a.following is not None:
            near = a.following
            ways = scorer.widening(a.rows, logits, near.after, near.before, near.announces)
            way = not_back_into_headlines(ways, near.before, near.headlines)[chosen]
            if way != ALONE:
                quoted = bool(near.holds[pair_start(way, chosen, near.before)])
        if a.asks_measure and a.lacking is not None and a.following is not None and takes_next(
                a.lacking, chosen, way, a.following.after):
            way = WITH_NEXT
            quoted = bool(a.following.holds[pair_start(way, chosen, a.following.before)])
        confidence = scorer.confidence(a.rows, logits)
        neighbours = (a.following.after, a.following.before) if a.following is not None else (None, None)
        if a.lacking is not None and quoted_lacks(a.lacking, chosen, way, *neighbours):
            confidence = 0.0  # as `Extractor` abstains (`missing_kind`: joined quotes aside)
        start = in_context(way, chosen, a.following.before, a.following.points_back) if a.following else -1
        if start >= 0:  # shown with the sentence before, which it points back to
            quoted = bool(a.following.holds[start])
        result.append(Outcome(confidence, a.hidden, a.sentence_hidden, holds, quoted, way != ALONE or start >= 0))
    return result


def cross_validate(asked: list[Asked], folds: int = FOLDS,
                   scored: list[Asked] | None = None) -> tuple[list[tuple[Outcome, bool]], list[str]]:
    """Out-of-fold results, each fold of `scored` (default `asked`) scored by a scorer (and threshold) fitted on the
    other folds of `asked`: (outcome, answered) per question; and the dataset of each result."""
    scored = asked if scored is None else scored
    groups = sorted({a.group for a in asked + scored})
    rng = np.random.default_rng(0)
    fold_of = {g: int(f) for g, f in zip(groups, rng.permutation(len(groups)) % folds)}
    results: list = [None] * len(scored)
    for fold in range(folds):
        scorer = fit([a for a in asked if fold_of[a.group] != fold])
        for i, a in enumerate(scored):
            if fold_of[a.group] == fold:
                outcome = outcomes(scorer, [a])[0]
                results[i] = (outcome, outcome.confidence >= scorer.threshold)
    return results, [a.group.split(":")[0] + (ENGLISH_SUFFIX if a.translated else "") for a in scored]


def cv_figures(results: list[tuple[Outcome, bool]], names: list[str]) -> dict:
    """answer@1 counts the quote as shown (with the sentence after or before it, when it takes that in);
    `answer@1_one_sentence` the chosen sentence alone; `quotes_extended` is the share of answers quoted with either
    neighbour."""
    report = {}
    share = lambda rows, test: round(sum(map(test, rows)) / len(rows), 4) if rows else None  # noqa: E731
    for name in sorted(set(names)) + ["all"]:  # all: the German questions
        chosen = [r for r, n in zip(results, names) if n == name or name == "all" and not n.endswith(ENGLISH_SUFFIX)]
        shown = [r for r in chosen if not r[0].hidden]
        answered = [r for r in shown if r[1]]
        report[name] = {
            "questions": len(shown),
            "answer@1": share(shown, lambda r: r[1] and r[0].quoted_holds),
            "answer@1_one_sentence": share(shown, lambda r: r[1] and r[0].holds),
            "answer@1_never_abstaining": share(shown, lambda r: r[0].quoted_holds),
            "quotes_extended": share(answered, lambda r: r[0].extended),
            "false_abstention": share(shown, lambda r: not r[1]),
            "hidden_paragraph_abstained": share([r for r in chosen if r[0].hidden and not r[0].sentence_hidden],
                                                lambda r: not r[1]),
            "hidden_sentence_abstained": share([r for r in chosen if r[0].sentence_hidden], lambda r: not r[1]),
        }
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default="../shared", help="the shared folder with data/")
    parser.add_argument("--model", default=DEFAULT_MODEL_ID,
                        help=f"the model whose scorer is fitted, or {ANY_MODEL} for models without one")
    parser.add_argument("--work", default=".fit-work", help="folder for the indexes, one per model (kept for reruns)")
    parser.add_argument("--write", action="store_true", help="write the coefficients to answering/scorers/")
    parser.add_argument("--english", default="eval/xquad_english.jsonl",
                        help="English translations of XQuAD-de questions, for the multilingual model's English gap")
    parser.add_argument("--english-scored", default="eval/xquad_english_scored.jsonl",
                        help="English translations of the other XQuAD-de questions, scored (cross-validated) only")
    args = parser.parse_args(argv)
    if args.write and args.model not in (*BUNDLED_MODELS, ANY_MODEL):
        print(f"error: --write stores coefficients for the models askcorpus ships ({', '.join(BUNDLED_MODELS)}) "
              f"and for {ANY_MODEL}", file=sys.stderr)
        return 2
    data = Path(args.shared) / "data"
    sets = {"xquad": data / "xquad" / "xquad.de.json", "germanquad": data / "germanquad" / "germanquad_dev.json"}
    if not all(path.exists() for path in sets.values()):
        print(f"skipped: {data} is not here (it ships beside the repository, not in it)")
        return 0
    similarities = CORPUS if args.model == ANY_MODEL else RAW
    models = BUNDLED_MODELS if similarities == CORPUS else (args.model,)
    multilingual = args.model in MULTILINGUAL
    for needed in (args.english, args.english_scored) if multilingual else ():
        if not Path(needed).is_file():
            print(f"error: {needed} is not here: {args.model}'s English cannot be measured (run from the repository's "
                  f"top folder, or give --english and --english-scored)", file=sys.stderr)
            return 2
    translations = _translations(sets["xquad"], Path(args.english_scored)) if multilingual else None
    by_model = {}
    for model in models:
        by_model[model] = []
        for name, path in sets.items():
            work = _work(args.work, model, name)
            by_model[model] += collect(name, path, work, progress=sys.stderr.isatty(), model=model,
                                       translations=translations if name == "xquad" else None)
    report = {}
    gap = 0.0
    if multilingual:
        gap, measured = english_gap(sets["xquad"], Path(args.english), _work(args.work, args.model, "xquad"),
                                    args.model)
        report["english_gap_measured"] = {"median": round(gap, 4), "questions": measured, "file": args.english}
        by_model = {model: [replace(a, rows=closer_by(a.rows, gap)) if a.translated and _taken_for_english(a) else a
                            for a in asked]
                    for model, asked in by_model.items()}  # as answering brings them closer (`AnswerScorer`)
    if similarities == CORPUS:
        by_model = {model: relative(asked) for model, asked in by_model.items()}
    asked = [a for rows in by_model.values() for a in rows]
    results, names = cross_validate(asked)
    report = {"cross_validated": cv_figures(results, names)} | report
    if len(by_model) > 1:
        report["models_not_fitted_on"] = {
            model: cv_figures(*cross_validate([a for m, rows in by_model.items() if m != model for a in rows],
                                              scored=rows))
            for model, rows in by_model.items()}
    scorer = replace(fit(asked, similarities), english_gap=gap)
    report["threshold"] = round(scorer.threshold, 4)
    report["selection_weights"] = dict(zip(FEATURES, (round(float(w), 3) for w in scorer.selection.weights)))
    report["answer_weights"] = dict(zip(ANSWER_FEATURES, (round(float(w), 3) for w in scorer.answer.weights)))
    for name in NEIGHBOURS:
        if getattr(scorer, name) is not None:
            report[f"{name}_weights"] = dict(zip(CONTINUATION_FEATURES,
                                                 (round(float(w), 3) for w in getattr(scorer, name).weights)))
    print(json.dumps(report, indent=1))
    if args.write:
        fitted_on = (f"XQuAD-de (1,190) + GermanQuAD dev slice (362), each asked as is and with its paragraph "
                     f"hidden, with {', '.join(models)}")
        if len(models) > 1:
            fitted_on += " (each question counted once per model)"
        fitted = scorer.to_dict() | {"model": args.model, "fitted_on": fitted_on}
        fitted |= {key: report[key] for key in ("cross_validated", "models_not_fitted_on", "english_gap_measured")
                   if key in report}
        path = scorer_path(args.model)
        path.write_text(json.dumps(fitted, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
