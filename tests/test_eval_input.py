"""`askcorpus eval`'s readers refuse malformed question files and distractor data in one line, naming the file (and
the line of a question file), before anything is indexed."""

import json

import pytest

from askcorpus.config import Config
from askcorpus.corpus import Corpus
from askcorpus.errors import AskcorpusError
from askcorpus.evaluation.evaluate import (
    confidence_ranking,
    ranking_auc,
    read_seed_questions,
    write_news_articles,
    write_squad_corpus,
)

GOOD = {"question": "Wer vermittelte?", "answers": [{"source": "a.txt", "contains": "Türkei"}]}


@pytest.mark.parametrize("lines, message", [
    (["[1, 2]"], ":1: not a question record"),
    (["5"], ":1: not a question record"),
    ([json.dumps({"question": 123})], ":1: not a question record"),
    ([json.dumps(GOOD), json.dumps({"question": "Wer?", "answers": [{"source": 1, "contains": "x"}]})],
     ":2: not a question record"),
    ([json.dumps(GOOD), json.dumps({"question": "???"})], ":2: the question has no words"),
    ([json.dumps({"question": "x " * 1500})], ":1: the question has 2999 characters"),
    (["", "  "], "holds no questions"),
    ([json.dumps({"question": "Wer?", "near_topic": "yes"})], ":1: not a question record .*near_topic"),
    ([json.dumps({**GOOD, "near_topic": True})], ":1: not a question record .*near_topic"),
])
def test_a_bad_question_file_is_one_line_naming_its_line(tmp_path, lines, message):
    path = tmp_path / "questions.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(AskcorpusError, match=message) as caught:
        read_seed_questions(path)
    assert str(path) in str(caught.value) and "\n" not in str(caught.value)


def test_an_unanswerable_question_may_say_whether_it_is_near_topic(tmp_path):
    path = tmp_path / "questions.jsonl"
    records = [GOOD, {"question": "Wer ist Lawrows Fahrer?", "near_topic": True}, {"question": "Wer schrieb Carmen?"}]
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    assert [q.near_topic for q in read_seed_questions(path)] == [False, True, False]


def test_a_question_file_that_is_not_utf8_says_so(tmp_path):
    path = tmp_path / "questions.jsonl"
    path.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(AskcorpusError, match="is not UTF-8 text"):
        read_seed_questions(path)


def squad(paragraph) -> dict:
    return {"data": [{"paragraphs": [paragraph]}, {"paragraphs": [paragraph]}]}


PARAGRAPH = {"context": "Die Türkei vermittelte.", "qas": [{"question": "Wer vermittelte?",
                                                                "answers": [{"text": "Türkei"}]}]}


@pytest.mark.parametrize("data, message", [
    ([], "is not a SQuAD file"),
    ("text", "is not a SQuAD file"),
    ({"data": [{"title": "ohne Absätze"}]}, "is not a SQuAD file"),
    (squad({"context": "Text.", "qas": [{"question": "Wer?"}]}), "is not a SQuAD file"),
    (squad({"context": 5, "qas": []}), "is not a SQuAD file"),
    (squad({**PARAGRAPH, "qas": [{"question": "", "answers": []}]}), "the question is empty"),
    ({"data": []}, "holds no questions"),
])
def test_a_bad_squad_file_is_one_line_and_writes_nothing(tmp_path, data, message):
    path = tmp_path / "squad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(AskcorpusError, match=message):
        write_squad_corpus(path, tmp_path / "seeds")
    assert not (tmp_path / "seeds").exists()


def test_a_squad_file_is_written_one_paragraph_per_file(tmp_path):
    path = tmp_path / "squad.json"
    path.write_text(json.dumps(squad(PARAGRAPH)), encoding="utf-8")
    inside, outside = write_squad_corpus(path, tmp_path / "seeds", first_half_only=True)
    assert [item.golds for item in inside] == [(("squad/00_00.txt", "Türkei"),)] and outside[0].golds == ()
    assert sorted(p.name for p in (tmp_path / "seeds" / "squad").iterdir()) == ["00_00.txt"]


def test_an_earlier_files_paragraphs_go_and_a_folder_of_other_articles_is_refused(tmp_path):
    from askcorpus.evaluation.evaluate import _work_config

    path = tmp_path / "squad.json"
    path.write_text(json.dumps(squad(PARAGRAPH)), encoding="utf-8")
    seeds = tmp_path / "work" / "seeds"
    (seeds / "squad").mkdir(parents=True)
    (seeds / "squad" / "07_03.txt").write_text("Ein Absatz einer anderen Datei.", encoding="utf-8")
    write_squad_corpus(path, seeds)
    assert sorted(p.name for p in (seeds / "squad").iterdir()) == ["00_00.txt", "01_00.txt"]
    assert _work_config(Config(tmp_path, tmp_path), tmp_path / "work").seeds == seeds  # eval's own
    (seeds / "MEIN_ARTIKEL.TXT").write_text("Ein eigener Artikel.", encoding="utf-8")  # indexed too
    with pytest.raises(AskcorpusError, match="holds articles that eval did not write .*MEIN_ARTIKEL.TXT"):
        _work_config(Config(tmp_path, tmp_path), tmp_path / "work")


def test_a_work_folder_that_is_a_file_is_one_line(tmp_path):
    path = tmp_path / "squad.json"
    path.write_text(json.dumps(squad(PARAGRAPH)), encoding="utf-8")
    (tmp_path / "work").write_text("a file", encoding="utf-8")
    with pytest.raises(AskcorpusError, match="cannot write the paragraphs"):
        write_squad_corpus(path, tmp_path / "work" / "seeds")


@pytest.mark.parametrize("prepare, message", [
    (lambda data: None, "cannot read the news articles"),
    (lambda data: (data / "10kGNAD").mkdir(), "cannot read the news articles"),
    (lambda data: ((data / "10kGNAD").mkdir(), (data / "10kGNAD" / "test.csv").write_text("nur eine Spalte\n")),
     "is not in the expected format"),
])
def test_missing_or_malformed_distractors_are_one_line(tmp_path, prepare, message):
    data = tmp_path / "data"
    data.mkdir()
    prepare(data)
    with pytest.raises(AskcorpusError, match=message):
        write_news_articles(data, tmp_path / "seeds")


@pytest.mark.parametrize("higher, lower, auc", [
    ([0.9, 0.8], [0.1, 0.2], 1.0),
    ([0.1], [0.9, 0.8], 0.0),
    ([0.5, 0.9], [0.5], 0.75),  # a tie counts half
    ([0.3, 0.7], [0.5, 0.1, 0.6], 4 / 6),
    ([], [0.5], None),
    ([0.5], [], None),
])
def test_ranking_auc_counts_the_pairs_in_order(higher, lower, auc):
    assert ranking_auc(higher, lower) == (auc if auc is None else pytest.approx(auc))


def test_the_confidence_ranking_refuses_a_corpus_that_abstains(tmp_path):
    with pytest.raises(ValueError, match="threshold=0.0"):
        confidence_ranking(Corpus(Config(seeds=tmp_path, index=tmp_path / "index")), [], 5)


def news_data(tmp_path):
    data = tmp_path / "data"
    (data / "10kGNAD").mkdir(parents=True)
    (data / "10kGNAD" / "test.csv").write_text("Inland;Erster Text\r\nSport;'Zweiter; mit Semikolon'\r\n",
                                               encoding="utf-8")
    (data / "german-news-quotation-attribution-2024").mkdir()
    (data / "german-news-quotation-attribution-2024" / "articles.jsonl").write_text(
        json.dumps({"title": "Titel", "text": "Wikinews-Text"}) + "\n", encoding="utf-8")
    return data


def test_news_articles_can_be_written_by_name_into_a_folder_of_their_own(tmp_path):
    data = news_data(tmp_path)
    assert write_news_articles(data, tmp_path / "all") == 3
    assert sorted(p.name for p in (tmp_path / "all" / "distractors").iterdir()) == [
        "gnad_0000.txt", "gnad_0001.txt", "wikinews_0000.txt"]
    count = write_news_articles(data, tmp_path / "some", frozenset({"gnad_0001.txt", "wikinews_0000.txt"}), folder="")
    assert count == 2
    assert sorted(p.name for p in (tmp_path / "some").iterdir()) == ["gnad_0001.txt", "wikinews_0000.txt"]
    assert (tmp_path / "some" / "gnad_0001.txt").read_text(encoding="utf-8") == "Zweiter; mit Semikolon"
    assert (tmp_path / "some" / "wikinews_0000.txt").read_text(encoding="utf-8") == "Titel\n\nWikinews-Text"


def test_a_news_article_that_is_not_there_is_one_line(tmp_path):
    with pytest.raises(AskcorpusError, match="no news article in .* is named gnad_0007.txt"):
        write_news_articles(news_data(tmp_path), tmp_path / "seeds", frozenset({"gnad_0007.txt"}), folder="")
