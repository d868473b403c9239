"""BM25+ postings against the formula worked out by hand on a toy corpus."""

import math

import numpy as np
import pytest

import askcorpus.snapshot.lexical as lexical
from askcorpus.snapshot.lexical import LexicalIndex, bm25_parameters

DOCS = [
    ["apfel", "birne", "apfel"],
    ["birne", "kirsche"],
    ["kirsche", "kirsche", "kirsche", "pflaume"],
]


def by_hand(term: str, doc: int, docs=DOCS, k1=0.9, b=0.4, delta=0.5) -> float:
    """BM25+ with idf log((N + 1) / df), written out independently of the module."""
    n = len(docs)
    df = sum(term in d for d in docs)
    if not df or term not in docs[doc]:
        return 0.0
    average = sum(len(d) for d in docs) / n
    tf = docs[doc].count(term)
    idf = math.log((n + 1) / df)
    return idf * (tf * (k1 + 1) / (tf + k1 * (1 - b + b * len(docs[doc]) / average)) + delta)


@pytest.fixture
def index() -> LexicalIndex:
    return LexicalIndex.build(DOCS)


def test_parameters():
    assert bm25_parameters() == {"k1": 0.9, "b": 0.4, "delta": 0.5}


@pytest.mark.parametrize("term", ["apfel", "birne", "kirsche", "pflaume"])
def test_single_term_scores_match_the_formula(index, term):
    expected = [by_hand(term, doc) for doc in range(len(DOCS))]
    assert index.scores([term]) == pytest.approx(expected, rel=1e-5)


def test_a_known_value():
    # apfel in doc 0: idf log(4/1), tf 2, length 3 = average, so norm = k1.
    expected = math.log(4) * (2 * 1.9 / (2 + 0.9) + 0.5)
    assert float(LexicalIndex.build(DOCS).scores(["apfel"])[0]) == pytest.approx(expected, rel=1e-6)


def test_multi_term_scores_add_up(index):
    expected = [by_hand("apfel", d) + by_hand("kirsche", d) for d in range(3)]
    assert index.scores(["apfel", "kirsche"]) == pytest.approx(expected, rel=1e-5)


def test_a_repeated_query_term_counts_twice(index):
    once = index.scores(["birne"])
    assert index.scores(["birne", "birne"]) == pytest.approx(2 * once, rel=1e-6)


def test_unknown_terms_score_zero(index):
    scores = index.scores(["banane", "zitrone"])
    assert scores.dtype == np.float32 and scores.shape == (3,)
    assert not scores.any()
    assert "banane" not in index and "apfel" in index


def test_empty_query_and_empty_corpus():
    assert not LexicalIndex.build(DOCS).scores([]).any()
    empty = LexicalIndex.build([])
    assert empty.size == 0 and empty.scores(["apfel"]).shape == (0,)
    assert LexicalIndex.build([[], []]).scores(["apfel"]).tolist() == [0.0, 0.0]


def test_postings_layout(index):
    assert index.terms == ["apfel", "birne", "kirsche", "pflaume"]
    assert index.indptr.tolist() == [0, 1, 3, 5, 6]
    assert index.docs.tolist() == [0, 0, 1, 1, 2, 2]
    assert [index.document_frequency(t) for t in index.terms] == [1, 2, 2, 1]
    assert index.document_frequency("banane") == 0


def test_idf_weighs_rarer_terms_more(index):
    assert index.idf("banane") > index.idf("apfel") > index.idf("birne")
    assert index.idf("apfel") == pytest.approx(math.log(1 + (3 - 1 + 0.5) / 1.5))
    assert index.idf("birne") == pytest.approx(index.idf("kirsche"))


def test_the_rarer_term_gains_more_at_equal_frequency():
    index = LexicalIndex.build([["rar", "oft"], ["oft", "x"], ["oft", "y"]])
    scores = index.scores(["rar"]), index.scores(["oft"])
    assert scores[0][0] > scores[1][0] > 0


def test_longer_documents_gain_less():
    index = LexicalIndex.build([["ziel"], ["ziel", "a", "b", "c", "d", "e"]])
    short, long = index.scores(["ziel"])
    assert short > long > 0


def test_build_reads_the_current_parameters(monkeypatch):
    monkeypatch.setattr(lexical, "K1", 1.2)
    monkeypatch.setattr(lexical, "DELTA", 1.0)
    scores = LexicalIndex.build(DOCS).scores(["kirsche"])
    assert scores == pytest.approx([by_hand("kirsche", d, k1=1.2, delta=1.0) for d in range(3)], rel=1e-5)
    assert bm25_parameters() == {"k1": 1.2, "b": 0.4, "delta": 1.0}


def test_alternatives_add_their_best_term_per_chunk(index):
    best = index.best_of_scores([["apfel", "kirsche"], ["pflaume"]])
    for doc in range(3):
        expected = max(by_hand("apfel", doc), by_hand("kirsche", doc)) + by_hand("pflaume", doc)
        assert best[doc] == pytest.approx(expected, rel=1e-6)
    assert index.best_of_scores([["unbekannt"]]).tolist() == [0.0, 0.0, 0.0]
    assert index.best_of_scores([]).tolist() == [0.0, 0.0, 0.0]


def test_a_term_is_found_in_another_spelling_of_it():
    index = LexicalIndex.build([["lawrow", "selenskyj", "sotschi"], ["lawrow", "kiew"], ["schach"]])
    assert index.spelt_as("Lavrov") == ["lawrow"] and index.spelt_as("Zelensky") == ["selenskyj"]
    assert index.spelt_as("Sochi") == ["sotschi"] and index.spelt_as("lawrow") == ["lawrow"]
    assert index.spelt_as("Kyiv") == [] and index.spelt_as("Lavrova") == []


def test_a_prefix_is_found_when_some_term_begins_with_it():
    index = LexicalIndex.build([["kremlsprech", "strassenbahn"], ["kremlchef"]])
    assert index.has_prefix("kreml") and index.has_prefix("kremlsprech") and index.has_prefix("strassen")
    assert not index.has_prefix("kremlz") and not index.has_prefix("straßen") and not index.has_prefix("zz")
    assert index.has_prefix("")
