"""The labelled seed questions in eval/ still fit the articles in seeds/: every answer names a seed file and a string
that file contains, as `evaluate.score` compares them (whitespace and case aside); every unanswerable question says
whether it is near the articles' topic."""

import json
from pathlib import Path

import pytest

from askcorpus.evaluation.evaluate import _normal, read_seed_questions

REPO = Path(__file__).resolve().parent.parent
SETS = sorted((REPO / "eval").glob("seed_*.jsonl"))


def test_there_are_held_out_sets():
    assert {path.name for path in SETS} >= {"seed_heldout.jsonl", "seed_english.jsonl"}


@pytest.mark.parametrize("path", SETS, ids=lambda path: path.name)
def test_every_answer_is_in_the_seed_file_it_names(path):
    questions = read_seed_questions(path)
    assert questions
    for item in questions:
        assert item.question.strip()
        assert bool(item.golds) != item.kind.endswith("unanswerable"), item.question
        for source, contains in item.golds:
            text = (REPO / "seeds" / source).read_text(encoding="utf-8")
            assert contains.strip() and _normal(contains) in _normal(text), (item.question, source, contains)


@pytest.mark.parametrize("path", SETS, ids=lambda path: path.name)
def test_every_unanswerable_question_says_whether_it_is_near_topic(path):
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    unanswerable = [r for r in records if not r.get("answers")]
    assert unanswerable and all(isinstance(r.get("near_topic"), bool) for r in unanswerable)
    assert sum(r["near_topic"] for r in unanswerable) >= 0.75 * len(unanswerable)  # the sets are mostly near-topic
