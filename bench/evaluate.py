"""Print the evaluation tables of the README: defaults vs BM25-only vs dense-only, on the seed questions and XQuAD-de.

Usage: python bench/evaluate.py [--shared ../shared] [--work DIR] [--distractors]
Reads ../shared/eval and ../shared/data in place; exits 0 with a message when they are absent.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from askcorpus.answering.retrieval import Weights
from askcorpus.config import Config
from askcorpus.corpus import Corpus
from askcorpus.evaluation.evaluate import calibrate_floor, evaluate_questions, evaluate_squad, read_seed_questions

MODES = ("hybrid", "bm25", "dense")
SEED_COLUMNS = ("source@1", "answer@1", "answer@3", "mrr", "abstention", "false_abstention", "median_ms")
SQUAD_COLUMNS = ("recall@1", "recall@5", "mrr", "answer@1", "answer@3", "false_abstention", "median_ms")


def table(title: str, rows: dict[str, dict], columns: tuple[str, ...]) -> str:
    lines = [f"{title}\n", "| mode | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    for mode, metrics in rows.items():
        lines.append(f"| {mode} | " + " | ".join(str(metrics.get(c)) for c in columns) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default="../shared", help="the shared folder with eval/ and data/")
    parser.add_argument("--work", help="folder for indexes (kept, so reruns are fast); default temporary")
    parser.add_argument("--distractors", action="store_true", help="XQuAD with the 2,026 news articles mixed in")
    args = parser.parse_args()
    shared = Path(args.shared)
    seed_file = shared / "eval" / "seed_questions.jsonl"
    squad_file = shared / "data" / "xquad" / "xquad.de.json"
    if not seed_file.exists() or not squad_file.exists():
        print(f"skipped: {shared}/eval and {shared}/data are not here (they ship beside the repository, not in it)")
        return 0
    work = Path(args.work or tempfile.mkdtemp(prefix="askcorpus-eval-"))
    repo = Path(__file__).resolve().parent.parent
    seeds = work / "seeds"
    if not seeds.exists():
        shutil.copytree(repo / "seeds", seeds)

    seed_rows = {}
    questions = read_seed_questions(seed_file)
    for mode in MODES:
        corpus = Corpus(Config(seeds=seeds, index=work / "seed-index"), weights=Weights.for_mode(mode))
        corpus.sync(progress=False)
        seed_rows[mode] = evaluate_questions(corpus, questions, 5)
    print(table(f"Seed questions ({seed_file.name}, {len(questions)} questions)", seed_rows, SEED_COLUMNS))
    print()

    squad_rows = {}
    distractors = shared / "data" if args.distractors else None
    name = "xquad+distractors" if distractors else "xquad"
    for mode in MODES:
        squad_rows[mode] = evaluate_squad(squad_file, work / name, Config.from_env(), mode, 5, distractors,
                                          progress=sys.stderr.isatty())
    label = "XQuAD-de, 240 paragraphs" + (" + 2,026 news articles" if distractors else "")
    print(table(f"{label}, 1,190 questions", squad_rows, SQUAD_COLUMNS))
    print()
    floor = calibrate_floor(squad_file, work / "xquad-half", Config.from_env(), 5, progress=False)
    print(f"Abstention floor, XQuAD-de with half the articles held out: best {floor['best_floor']} "
          f"({floor['accuracy_at_best']} right keep/abstain decisions); "
          f"at the default 0.35: {floor['at_floors']['0.35']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
