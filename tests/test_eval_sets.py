"""The labelled seed questions in eval/ still fit the articles in seeds/: every answer names a seed file and a string
that file contains, as `evaluate.score` compares them (whitespace and case aside); every unanswerable question says
whether it is near the articles' topic; the same for the held-out news set on articles of shared/data."""

import json
from pathlib import Path

import pytest

from askcorpus.evaluation.evaluate import _normal, read_seed_questions, write_news_articles

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


NEWS_SETS = [(REPO / "eval" / f"news_heldout{n}.jsonl", REPO / "eval" / f"news_heldout{n}_articles.txt")
             for n in ("", "2", "3", "5")]
EVERY_NEWS_SET = [*NEWS_SETS, (REPO / "eval" / "news_kind_nouns.jsonl", REPO / "eval" / "news_heldout3_articles.txt")]
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.mark.parametrize("questions, articles", EVERY_NEWS_SET, ids=lambda path: path.name)
def test_a_news_set_asks_only_about_its_articles(questions, articles):
    names = set(articles.read_text(encoding="utf-8").split())
    asked = read_seed_questions(questions)
    assert len(names) == 12 and all(name.startswith(("gnad_", "wikinews_")) for name in names)
    assert {source for item in asked for source, _ in item.golds} <= names
    assert all(bool(item.golds) != item.kind.endswith("unanswerable") for item in asked)
    assert {item.kind for item in asked} == {"paraphrase", "unanswerable", "english", "english_unanswerable"}


def test_the_news_sets_share_no_article():  # news 4 (`news_kind_nouns.jsonl`) asks news 3's again
    names = [name for _, articles in NEWS_SETS for name in articles.read_text(encoding="utf-8").split()]
    assert len(names) == len(set(names)) == 12 * len(NEWS_SETS)


@pytest.mark.parametrize("questions, articles", EVERY_NEWS_SET, ids=lambda path: path.name)
def test_every_news_answer_is_in_the_article_it_names(tmp_path, questions, articles):
    if not SHARED_DATA.is_dir():
        pytest.skip(f"{SHARED_DATA} is not here: the news articles ship beside the repository, not in it")
    write_news_articles(SHARED_DATA, tmp_path, frozenset(articles.read_text(encoding="utf-8").split()), folder="")
    for item in read_seed_questions(questions):
        for source, contains in item.golds:
            text = (tmp_path / source).read_text(encoding="utf-8")
            assert contains.strip() and _normal(contains) in _normal(text), (item.question, source, contains)


def test_the_english_translations_of_xquad_questions_are_distinct_and_complete():
    """The 48 that measure the English gap and the 1,142 scored apart: no question in both, none twice."""
    ids = []
    for name in ("xquad_english.jsonl", "xquad_english_scored.jsonl"):
        for line in (REPO / "eval" / name).read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            assert set(record) == {"id", "question"} and record["question"].strip().endswith("?"), line
            ids.append(record["id"])
    assert len(ids) == len(set(ids)) == 48 + 1142
