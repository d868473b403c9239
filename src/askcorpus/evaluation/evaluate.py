"""`askcorpus eval`: answer quality on labelled questions (seed JSONL or SQuAD JSON), and the abstention threshold
checked with half of the articles held out."""

from __future__ import annotations

import csv
import json
import shutil
import statistics
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from askcorpus.answering.answer import Quote
from askcorpus.answering.questions import QuestionError, check_question
from askcorpus.answering.retrieval import Weights
from askcorpus.config import Config
from askcorpus.corpus import Corpus
from askcorpus.errors import AskcorpusError
from askcorpus.snapshot import generations

SQUAD_FOLDER = "squad"  # the folders of eval's own articles in the seeds folder of its work folder
DISTRACTOR_FOLDER = "distractors"

MRR_DEPTH = 10


@dataclass(frozen=True)
class Labelled:
    """A question with the files that answer it and a string each answer contains; no golds = unanswerable."""

    question: str
    golds: tuple[tuple[str, str], ...]  # (source, contains)
    kind: str = ""  # e.g. paraphrase, unanswerable, english (the held-out seed questions)
    near_topic: bool = False  # unanswerable, yet about the articles' people, places and events


@dataclass
class Tally:
    """Per-question outcomes, summarised by `metrics`."""

    answerable: list[dict] = field(default_factory=list)
    unanswerable: list[dict] = field(default_factory=list)
    millis: list[float] = field(default_factory=list)

    def metrics(self) -> dict:
        mean = lambda rows, key: round(statistics.fmean(r[key] for r in rows), 4) if rows else None  # noqa: E731
        return {
            "questions": len(self.answerable) + len(self.unanswerable),
            "answerable": len(self.answerable),
            "unanswerable": len(self.unanswerable),
            "source@1": mean(self.answerable, "source@1"),
            "answer@1": mean(self.answerable, "answer@1"),
            "answer@3": mean(self.answerable, "answer@3"),
            "recall@1": mean(self.answerable, "recall@1"),
            "recall@5": mean(self.answerable, "recall@5"),
            "mrr": mean(self.answerable, "mrr"),
            "abstention": mean(self.unanswerable, "abstained"),
            "false_abstention": mean(self.answerable, "abstained"),
            "median_ms": round(statistics.median(self.millis), 1) if self.millis else None,
        }


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def score(corpus: Corpus, item: Labelled, k: int, tally: Tally) -> None:
    """Ask one question and add its outcome to `tally`."""
    started = time.perf_counter()
    answer = corpus.ask(item.question, k=max(k, MRR_DEPTH))
    tally.millis.append((time.perf_counter() - started) * 1000)
    if not item.golds:
        tally.unanswerable.append({"abstained": float(answer.abstained)})
        return
    gold_sources = {source for source, _ in item.golds}
    quotes = [] if answer.abstained else answer.quotes
    ranks = [i for i, p in enumerate(answer.passages[:MRR_DEPTH], 1) if p.source in gold_sources]
    tally.answerable.append({
        "source@1": float(bool(quotes) and quotes[0].source in gold_sources),
        "answer@1": float(bool(quotes) and holds_answer(quotes[0], item)),
        "answer@3": float(any(holds_answer(q, item) for q in quotes[:3])),
        "recall@1": float(bool(ranks) and ranks[0] == 1),
        "recall@5": float(bool(ranks) and ranks[0] <= 5),
        "mrr": 1.0 / ranks[0] if ranks else 0.0,
        "abstained": float(answer.abstained),
    })


def holds_answer(quote: Quote, item: Labelled) -> bool:
    """True when `quote` comes from a file that answers `item` and contains that file's answer string."""
    return any(quote.source == source and _normal(text) in _normal(quote.text) for source, text in item.golds)


def ranking_auc(higher: list[float], lower: list[float]) -> float | None:
    """The share of pairs in which a value of `higher` exceeds one of `lower`, ties counting half (the area under
    the ROC curve); None when either list is empty."""
    if not higher or not lower:
        return None
    wins = sum((h > low) + 0.5 * (h == low) for h in higher for low in lower)
    return wins / (len(higher) * len(lower))


def never_abstaining(corpus: Corpus) -> Corpus:
    """`corpus` with threshold 0, as `confidence_ranking` needs it: the same index, weights and loaded model."""
    return Corpus(corpus.config, weights=corpus.weights, threshold=0.0, embedder=corpus.embedder)


def confidence_ranking(corpus: Corpus, items: list[Labelled], k: int) -> dict:
    """How well the confidence that abstention compares with the threshold ranks right answers above unanswerable
    questions, whatever the threshold: the AUC between the answerable questions whose first quote holds the answer
    (asked of `corpus`, which must not abstain: see `never_abstaining`) and the unanswerable ones. Without a
    threshold the first quote is the chosen sentence, and its score is the confidence (`Corpus.relevance`)."""
    if corpus.threshold != 0.0:
        raise ValueError("confidence_ranking needs a corpus made with threshold=0.0, which never abstains")
    right, unanswerable = [], []
    for item in items:
        answer = corpus.ask(item.question, k)
        confidence = answer.quotes[0].score if answer.quotes else 0.0
        if not item.golds:
            unanswerable.append(confidence)
        elif answer.quotes and holds_answer(answer.quotes[0], item):
            right.append(confidence)
    auc = ranking_auc(right, unanswerable)
    return {"right_first_quotes": len(right), "unanswerable": len(unanswerable),
            "auc": None if auc is None else round(auc, 3)}


def read_seed_questions(path: Path) -> list[Labelled]:
    """Questions in the format of shared/eval/seed_questions.jsonl (an unanswerable one may say whether it is
    `near_topic`), each checked as `askcorpus query` checks one; raises `AskcorpusError` naming the file and line
    of the first bad record, or when there is none."""
    items = []
    for number, line in enumerate(_text_of(path).splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            golds = tuple((_text(a["source"]), _text(a["contains"])) for a in record.get("answers", []))
            near_topic = record.get("near_topic", False)
            if not isinstance(near_topic, bool) or near_topic and golds:
                raise ValueError("near_topic must be true or false, and only on an unanswerable question")
            items.append(Labelled(_askable(record["question"]), golds, str(record.get("kind", "")), near_topic))
        except QuestionError as error:
            raise AskcorpusError(f"{path}:{number}: {error}") from error
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise AskcorpusError(f"{path}:{number}: not a question record ({error!r})") from error
    if not items:
        raise AskcorpusError(f"{path} holds no questions")
    return items


def _text_of(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise AskcorpusError(f"{path} is not UTF-8 text (byte {error.start})") from error
    except OSError as error:
        raise AskcorpusError(f"cannot read {path}: {error.strerror or error}") from error


def _askable(question) -> str:
    """`question` as written, once `check_question` accepts it (asking cleans it again)."""
    check_question(_text(question))
    return question


def _text(value) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, not {value!r}"[:80])
    return value


def tally_questions(corpus: Corpus, items: list[Labelled], k: int) -> Tally:
    """Each of `items` asked of `corpus`, their outcomes kept so that sets can be pooled (`merged`)."""
    tally = Tally()
    for item in items:
        score(corpus, item, k, tally)
    return tally


def merged(tallies: list[Tally]) -> Tally:
    """One tally of the outcomes of several."""
    return Tally(*([row for tally in tallies for row in getattr(tally, name)]
                   for name in ("answerable", "unanswerable", "millis")))


def evaluate_questions(corpus: Corpus, items: list[Labelled], k: int) -> dict:
    return tally_questions(corpus, items, k).metrics()


def write_squad_corpus(squad: Path, seeds: Path,
                       first_half_only: bool = False) -> tuple[list[Labelled], list[Labelled]]:
    """One file per SQuAD paragraph under `seeds` (of the first half of the articles only, if asked).

    Returns (questions on the written paragraphs, questions on the others, as unanswerable).
    """
    try:
        data = json.loads(_text_of(squad))["data"]
        chosen = set(range(len(data) // 2 if first_half_only else len(data)))
        paragraphs, inside, outside = {}, [], []
        for a, article in enumerate(data):
            for p, paragraph in enumerate(article["paragraphs"]):
                source = squad_source(a, p)
                if a in chosen:
                    paragraphs[source] = _text(paragraph["context"])
                for qa in paragraph["qas"]:
                    golds = tuple((source, _text(answer["text"])) for answer in qa["answers"][:1])
                    (inside if a in chosen else outside).append(Labelled(_askable(qa["question"]), golds))
    except QuestionError as error:
        raise AskcorpusError(f"{squad}: a question of the file: {error}") from error
    except (ValueError, KeyError, TypeError, AttributeError, IndexError) as error:
        raise AskcorpusError(f"{squad} is not a SQuAD file ({error!r})") from error
    if not inside:
        raise AskcorpusError(f"{squad} holds no questions on the paragraphs indexed")
    try:
        for source, context in paragraphs.items():
            (seeds / source).parent.mkdir(parents=True, exist_ok=True)
            _write_if_changed(seeds / source, context)
        for stale in set((seeds / SQUAD_FOLDER).glob("*.txt")) - {seeds / source for source in paragraphs}:
            stale.unlink()  # a paragraph of an earlier, other file in the same work folder
    except OSError as error:
        raise AskcorpusError(f"cannot write the paragraphs into {seeds}: {error.strerror or error}") from error
    return inside, [Labelled(item.question, ()) for item in outside]


def squad_source(article: int, paragraph: int) -> str:
    """The seeds-relative file `write_squad_corpus` writes a SQuAD paragraph to."""
    return f"{SQUAD_FOLDER}/{article:02d}_{paragraph:02d}.txt"


def write_news_articles(data_dir: Path, seeds: Path, only: frozenset[str] | None = None,
                        folder: str = DISTRACTOR_FOLDER) -> int:
    """The 10kGNAD test split and the Wikinews articles of shared/data (2,026), or those of them named in `only`
    (`gnad_0123.txt`, `wikinews_0456.txt`), as one file per article under `seeds/<folder>/`; returns how many.
    Raises `AskcorpusError` when the data is missing or malformed, or when a name in `only` is not an article."""
    target = seeds / folder
    gnad = data_dir / "10kGNAD" / "test.csv"
    wikinews = data_dir / "german-news-quotation-attribution-2024" / "articles.jsonl"
    reading = gnad
    written = set()

    def write(name: str, text: str) -> None:
        if only is None or name in only:
            _write_if_changed(target / name, text)
            written.add(name)

    try:
        target.mkdir(parents=True, exist_ok=True)
        with open(gnad, encoding="utf-8", newline="") as handle:
            for n, row in enumerate(csv.reader(handle, delimiter=";", quotechar="'")):
                write(f"gnad_{n:04d}.txt", row[1])
        reading = wikinews
        for n, line in enumerate(wikinews.open(encoding="utf-8")):
            record = json.loads(line)
            write(f"wikinews_{n:04d}.txt", f"{_text(record['title'])}\n\n{_text(record['text'])}")
    except OSError as error:
        raise AskcorpusError(f"cannot read the news articles {reading}: {error.strerror or error}") from error
    except (ValueError, KeyError, TypeError, IndexError, csv.Error) as error:
        raise AskcorpusError(f"{reading} is not in the expected format ({error!r})") from error
    if only is not None and only - written:
        raise AskcorpusError(f"no news article in {data_dir} is named {sorted(only - written)[0]}")
    return len(written)


def _write_if_changed(path: Path, text: str) -> None:
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def _foreign_article(work: Path) -> str | None:
    """An article in the seeds folder of `work`, or in the index there, that eval did not write; None if none."""
    seeds = work / "seeds"
    names = [path.relative_to(seeds).as_posix() for path in seeds.rglob("*.[tT][xX][tT]")] if seeds.is_dir() else []
    manifest = generations.read_manifest(work / "index", while_syncing=True)
    names += list(manifest.files) if manifest else []
    return next((name for name in names if name.split("/")[0] not in (SQUAD_FOLDER, DISTRACTOR_FOLDER)), None)


def _work_config(config: Config, work: Path) -> Config:
    """Seeds and index in `work`, with the model of `config`; on a Chroma server, a collection of its own. Raises
    `AskcorpusError` when the seeds folder or the index there holds articles that eval did not write (`--work .`
    beside a user's own seeds and index would add the paragraphs to them, or sync the user's articles out)."""
    seeds = work / "seeds"
    foreign = _foreign_article(work)
    if foreign is not None:
        raise AskcorpusError(f"work folder {work} holds articles that eval did not write ({foreign}): give an empty "
                             f"folder, or one that eval used before")
    return replace(config, seeds=seeds, index=work / "index", collection=f"{config.collection}-squad")


def evaluate_squad(squad: Path, work: Path, config: Config, mode: str, k: int, distractors: Path | None = None,
                   progress: bool = True) -> dict:
    """Index every SQuAD paragraph (plus distractors) in `work` (on `config`'s Chroma server, if any) and score
    retrieval and answers."""
    config = _work_config(config, work)
    questions, _ = write_squad_corpus(squad, config.seeds)
    if distractors:
        write_news_articles(distractors, config.seeds, folder=DISTRACTOR_FOLDER)
    else:
        shutil.rmtree(config.seeds / DISTRACTOR_FOLDER, ignore_errors=True)  # an earlier run's, in the same folder
    corpus = Corpus(config, weights=Weights.for_mode(mode))
    corpus.sync(progress=progress)
    return evaluate_questions(corpus, questions, k)


def calibrate_threshold(squad: Path, work: Path, config: Config, k: int, progress: bool = True) -> dict:
    """Index the first half of the SQuAD articles; questions on the other half have no answer there.

    Returns how many of both groups the fitted threshold decides right, and the threshold that would decide most
    right on this split.
    """
    config = _work_config(config, work)
    answerable, unanswerable = write_squad_corpus(squad, config.seeds, first_half_only=True)
    shutil.rmtree(config.seeds / DISTRACTOR_FOLDER, ignore_errors=True)  # an earlier run's, in the same folder
    if not unanswerable:
        raise AskcorpusError(f"{squad} has no questions on its second half of articles to calibrate with")
    corpus = Corpus(config)
    corpus.sync(progress=progress)
    fitted = corpus.engine().extractor.threshold
    positives = [corpus.relevance(item.question, k) for item in answerable]
    negatives = [corpus.relevance(item.question, k) for item in unanswerable]
    candidates = sorted(set(positives) | set(negatives))
    accuracy = lambda limit: (sum(p >= limit for p in positives) + sum(n < limit for n in negatives)) / (  # noqa: E731
        len(positives) + len(negatives))
    best = max(candidates, key=lambda limit: (accuracy(limit), -limit))
    return {
        "answerable": len(positives), "unanswerable": len(negatives), "threshold": round(fitted, 4),
        "answered_at_threshold": round(sum(p >= fitted for p in positives) / len(positives), 4),
        "abstained_at_threshold": round(sum(n < fitted for n in negatives) / len(negatives), 4),
        "accuracy_at_threshold": round(accuracy(fitted), 4),
        "best_threshold_here": round(best, 4), "accuracy_at_best": round(accuracy(best), 4),
    }
