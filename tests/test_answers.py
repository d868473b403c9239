"""Answers from the seed index: right quotes, verbatim offsets, abstention, and answers that follow the seeds."""

import json

import pytest

from askcorpus.answering.question_type import lacks_answer
from askcorpus.answering.questions import MAX_QUESTION_CHARS, QuestionError
from askcorpus.answering.translation import translated_terms
from askcorpus.corpus import Corpus
from askcorpus.evaluation.evaluate import Labelled, confidence_ranking
from askcorpus.indexing.sync import sync
from askcorpus.text.thesaurus import Thesaurus
from support import DATA

pytestmark = pytest.mark.slow  # the real model, Chroma, processes or chromium

QUESTIONS = [json.loads(line) for line in (DATA / "questions.jsonl").read_text(encoding="utf-8").splitlines()]
OFF_TOPIC = (DATA / "offtopic.txt").read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def corpus(seed_index, embedder):
    config, _ = seed_index
    return Corpus(config, embedder=embedder)


def raw_of(config, source):
    return (config.seeds / source).read_text(encoding="utf-8")


def assert_verbatim(config, answer):
    for item in [*answer.quotes, *answer.passages]:
        assert raw_of(config, item.source)[item.start:item.end] == item.text


def test_the_tuerkei_question(corpus):
    answer = corpus.ask("Wer vermittelte den Austausch von Kriegsgefangenen?")
    assert not answer.abstained
    first = answer.quotes[0]
    assert first.source == "003_a6245cd8f77849b7.txt"
    assert "von der Türkei vermittelt" in first.text
    assert answer.answer.startswith(first.text)


@pytest.mark.parametrize("question", ["WER VERMITTELTE DEN AUSTAUSCH VON KRIEGSGEFANGENEN?",
                                      "wer vermittelte den austausch von kriegsgefangenen?"])
def test_a_question_in_capitals_or_lower_case_is_answered_as_written_normally(corpus, seed_index, question):
    answer = corpus.ask(question)
    assert not answer.abstained and answer.question == question
    assert "von der Türkei vermittelt" in answer.quotes[0].text
    assert_verbatim(seed_index[0], answer)


@pytest.mark.parametrize("item", QUESTIONS, ids=[q["question"][:40] for q in QUESTIONS])
def test_seed_questions_are_answered_verbatim(corpus, seed_index, item):
    answer = corpus.ask(item["question"])
    assert not answer.abstained
    assert_verbatim(seed_index[0], answer)
    sources = {item["source"], *item.get("also", [])}  # files that state the same answer
    assert any(q.source in sources and item["contains"] in q.text for q in answer.quotes[:3])
    scores = [q.score for q in answer.quotes]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize("question", OFF_TOPIC)
def test_off_topic_questions_abstain(corpus, seed_index, question):
    answer = corpus.ask(question)
    assert answer.abstained and answer.quotes == [] and answer.answer == ""
    assert_verbatim(seed_index[0], answer)


def test_the_confidence_ranks_right_answers_above_off_topic_questions(seed_index, embedder):
    never_abstaining = Corpus(seed_index[0], embedder=embedder, threshold=0.0)
    items = [Labelled(q["question"], tuple((s, q["contains"]) for s in (q["source"], *q.get("also", []))))
             for q in QUESTIONS] + [Labelled(question, ()) for question in OFF_TOPIC]
    ranking = confidence_ranking(never_abstaining, items, 5)
    assert ranking["unanswerable"] == len(OFF_TOPIC)
    assert ranking["right_first_quotes"] >= len(QUESTIONS) - 1  # the first quote of nearly every one holds it
    assert ranking["auc"] == 1.0
    wrong = [Labelled(item.question, tuple((source, "steht in keinem Artikel") for source, _ in item.golds))
             for item in items if item.golds]
    assert confidence_ranking(never_abstaining, wrong, 5) == {"right_first_quotes": 0, "unanswerable": 0, "auc": None}


@pytest.mark.parametrize("question, source, contains", [
    ("Where was Putin during the phone call?", "003_a6245cd8f77849b7.txt", "Sotschi"),
    ("How many people were killed in the air strikes on Kyiv?", "004_7e4980c0d24f6968.txt", "zwölf Menschen"),
])
def test_english_questions_are_answered_from_the_german_articles(corpus, seed_index, question, source, contains):
    answer = corpus.ask(question)
    assert not answer.abstained and answer.quotes[0].source == source and contains in answer.quotes[0].text
    assert_verbatim(seed_index[0], answer)


@pytest.mark.parametrize("question, contains", [
    ("Dauer des Telefonats zwischen Trump und Putin?", "über zwei Stunden"),
    ("Death toll in Kyiv?", "zwölf Menschen"),
])
def test_a_kind_asked_for_by_a_noun_is_answered_by_a_sentence_naming_one(corpus, seed_index, question, contains):
    answer = corpus.ask(question)
    assert not answer.abstained and contains in answer.quotes[0].text
    assert_verbatim(seed_index[0], answer)


@pytest.mark.parametrize("question", ["Datum des Treffens zwischen Putin und Witkoff?", "Witkoff's age?"])
def test_a_kind_asked_for_by_a_noun_that_no_passage_names_is_abstained_on(corpus, seed_index, embedder, question):
    never_abstaining = Corpus(seed_index[0], embedder=embedder, threshold=0.0)
    assert lacks_answer(question, never_abstaining.ask(question).quotes[0].text)  # the cause, not the confidence
    assert corpus.ask(question).abstained


def test_an_english_questions_words_are_matched_in_german_through_the_installed_dictionary(corpus, seed_index):
    assert corpus.dictionary.available(), "Debian's trans-de-en is missing: make test installs it"
    question = "Who mediated the prisoner exchange?"
    table = corpus.engine().searcher.table
    groups = translated_terms(question, corpus.dictionary, table)
    assert {"vermittelt", "austausch"} <= {term for group in groups for term in group}
    answer = corpus.ask(question)
    assert not answer.abstained and "von der Türkei vermittelt" in answer.quotes[0].text
    assert answer.passages[0].source == "003_a6245cd8f77849b7.txt"
    assert_verbatim(seed_index[0], answer)


def test_a_german_word_the_articles_lack_meets_its_synonym_through_the_installed_thesaurus(seed_index, embedder):
    question = "Wie zufrieden zeigte sich Trump mit der Abordnung, die nach Moskau reiste?"  # the article: "Delegation"
    with_synonyms = Corpus(seed_index[0], embedder=embedder)
    assert with_synonyms.thesaurus.available(), "Debian's openthesaurus-de-text is missing: make test installs it"
    answer = with_synonyms.ask(question)
    assert not answer.abstained and "zufrieden mit den ersten Gesprächen einer amerikanischen Delegation" in \
        answer.quotes[0].text
    assert_verbatim(seed_index[0], answer)
    without = Corpus(seed_index[0], embedder=embedder)
    without.thesaurus = Thesaurus(None)
    assert without.ask(question).abstained  # "Abordnung" is in no article, in no form


def test_a_question_and_its_matched_words_are_embedded_in_one_model_call(seed_index, embedder):
    calls = []

    def encode(texts):
        calls.append(list(texts))
        return embedder.encode_queries(texts)

    corpus = Corpus(seed_index[0], embedder=embedder, query_encoder=encode)
    question = "Wie hoch ist der Eiffelturm?"
    assert corpus.ask(question).abstained
    assert len(calls) == 1 and calls[0][0] == question and calls[0][1].startswith("Wie hoch ist der")
    assert "Eiffelturm" not in calls[0][1]
    calls.clear()
    corpus.ask("Wer vermittelte den Austausch von Kriegsgefangenen?")  # every word occurs in the articles
    assert calls == [["Wer vermittelte den Austausch von Kriegsgefangenen?"]]


def test_no_quote_repeats_another(corpus):
    answer = corpus.ask("Wer hat Steve Witkoff in Moskau empfangen?")
    spans = [(q.source, q.start, q.end) for q in answer.quotes]
    assert len(set(spans)) == len(spans)
    for a in answer.quotes:
        for b in answer.quotes:
            if a is not b and a.source == b.source:
                assert a.end < b.start or b.end < a.start, "overlapping quotes should have been merged"


@pytest.mark.parametrize("question, message", [
    ("", "empty"), ("   \n\t", "empty"), ("x" * (MAX_QUESTION_CHARS + 1), "limit is 2000"),
])
def test_bad_questions(corpus, question, message):
    with pytest.raises(QuestionError, match=message):
        corpus.ask(question)


def test_answers_follow_an_edited_seed(config, embedder):
    sync(config, progress=False, embedder=embedder)
    corpus = Corpus(config, embedder=embedder)
    question = "Wer vermittelte den Austausch von Kriegsgefangenen?"
    assert "Türkei" in corpus.ask(question).quotes[0].text
    path = config.seeds / "003_a6245cd8f77849b7.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("von der Türkei vermittelt", "von der Schweiz vermittelt"),
                    encoding="utf-8")
    report = corpus.sync(progress=False)
    assert report.plan.changed == ["003_a6245cd8f77849b7.txt"]
    answer = corpus.ask(question)
    assert "von der Schweiz vermittelt" in answer.quotes[0].text
    assert not any("Türkei vermittelt" in p.text for p in answer.passages)
    assert_verbatim(config, answer)


def test_a_corpus_sees_what_another_process_indexed(config, embedder):
    import subprocess
    import sys

    sync(config, progress=False, embedder=embedder)
    corpus = Corpus(config, embedder=embedder)
    question = "Wie hoch sind die Fördermittel für das Wasserstoff-Programm?"
    assert not any(q.source == "005_new.txt" for q in corpus.ask(question).quotes)
    (config.seeds / "005_new.txt").write_text((DATA / "boltwise_new_article.txt").read_text(encoding="utf-8"),
                                              encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "askcorpus", "index", "--quiet", "--seeds", str(config.seeds),
                             "--index", str(config.index)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    answer = corpus.ask(question)
    assert answer.quotes[0].source == "005_new.txt" and "4,2 Mrd. Euro" in answer.quotes[0].text
