"""Answering in pieces: question checks, coverage, score fusion, retrieval and extraction over a hand-made snapshot."""

import copy
from dataclasses import replace

import numpy as np
import pytest

from askcorpus.answering.answer import Passage
from askcorpus.answering.continuation import (
    ALONE,
    CONTINUATION_FEATURES,
    WITH_NEXT,
    WITH_PREVIOUS,
    announcing,
    extended,
    in_context,
    pair_start,
    pointing_back,
    widening,
)
from askcorpus.answering.extraction import RELATIVE_CUTOFF, Extractor, _Candidate, _merge_adjacent, _same
from askcorpus.answering.features import (
    COLUMN,
    FEATURES,
    candidates,
    feature_rows,
    following,
    headlines,
    joined,
    unmatched_stems,
    without_unmatched,
)
from askcorpus.answering.missing_kind import lacking_kind, quoted_lacks, takes_next
from askcorpus.answering.questions import MAX_QUESTION_CHARS, QuestionError, check_question
from askcorpus.answering.retrieval import HybridSearcher, Weights, _minmax
from askcorpus.answering.scorer import ANSWER_FEATURES, CORPUS, AnswerScorer, Linear
from askcorpus.answering.scorer import RAW as RAW_SIMILARITIES
from askcorpus.answering.scoring import RELATED_CREDIT, QuestionProfile, QuestionWord, RelatedTerms
from askcorpus.answering.table import ChunkTable
from askcorpus.answering.translation import TranslatedProfile, translated_terms
from askcorpus.errors import AskcorpusError
from askcorpus.snapshot.build import derive
from askcorpus.snapshot.lexical import LexicalIndex
from askcorpus.snapshot.records import Chunk, FileVersion, StoredChunk, pack_vectors
from askcorpus.text.analysis import related
from askcorpus.text.bilingual import Dictionary
from askcorpus.text.thesaurus import Thesaurus
from conftest import SAMPLE_DICTIONARY, SAMPLE_THESAURUS
from support import FakeEmbedder, coverage_scorer

# ---------------------------------------------------------------- questions


@pytest.mark.parametrize("question", ["", "   ", "\n\t", None, "\x00\x1b", "\u202e\u200b", "\x1b[2J\x1b[H"])
def test_empty_questions_are_refused(question):
    with pytest.raises(QuestionError, match="empty"):
        check_question(question)


@pytest.mark.parametrize("question", ["???", "🙂🙂🙂", "… – !", "<b></b>", "[](http://example.com)"])
def test_questions_without_words_are_refused(question):
    with pytest.raises(QuestionError, match="no words"):
        check_question(question)


def test_over_long_questions_are_refused():
    assert check_question("a" * MAX_QUESTION_CHARS) == "a" * MAX_QUESTION_CHARS
    with pytest.raises(QuestionError, match=str(MAX_QUESTION_CHARS)):
        check_question("a" * (MAX_QUESTION_CHARS + 1))


@pytest.mark.parametrize("question", [12345, ["Wer?"], {"q": "Wer?"}, b"Wer?"])
def test_a_question_that_is_not_text_is_refused(question):
    with pytest.raises(QuestionError, match="must be text"):
        check_question(question)


def test_question_error_is_a_usage_error():
    assert issubclass(QuestionError, AskcorpusError) and QuestionError.exit_code == 2


@pytest.mark.parametrize(("question", "cleaned"), [
    ("  Wer vermittelte?  ", "Wer vermittelte?"),
    ("Wer\x00vermittelte\u202eden Austausch?", "Wer vermittelte den Austausch?"),
    ("Wer\x1b[31m regiert\x1b[0m?", "Wer regiert ?"),
    ("Wer regiert?\x1b]0;PWNED\x07 \x1b]8;;http://x\x1b\\Link\x1b]8;;\x1b\\", "Wer regiert? Link"),
    ("Wer\x9b2J regiert\x1bc?", "Wer regiert ?"),
    ("Wer regiert\x1b]8;;x Deutschland?", "Wer regiert 8;;x Deutschland?"),  # no terminator: the rest stays
    ("<b>Wer</b> vermittelte?", "Wer vermittelte?"),
    ("<B>Wer</B> <br/>vermittelte<my-tag x>?<!-- c -->", "Wer vermittelte ?"),
    ('Wer <img src="x" onerror="alert(1)">vermittelte<br />?', "Wer vermittelte ?"),
    ("Was bedeutet <Waffenruhe> für <Kiew>?", "Was bedeutet <Waffenruhe> für <Kiew>?"),  # no HTML element named
    ("Wer vermittelte den <Austausch von Kriegsgefangenen>?", "Wer vermittelte den <Austausch von Kriegsgefangenen>?"),
    ("Wer vermittelte den <Kriegsgefangenen-Austausch>?", "Wer vermittelte den <Kriegsgefangenen-Austausch>?"),
    ("Ist a<b und c>d so?", "Ist a<b und c>d so?"),
    ("Wer ist <Trump/>?<hr/><P>", "Wer ist <Trump/>?"),
    ("Wer <input disabled> vermittelte<o:p/>?<details open><hr noshade/><td nowrap>", "Wer vermittelte ?"),
    ("Wer\ud800 vermittelte\udcff?", "Wer\ufffd vermittelte\ufffd?"),  # lone surrogates: bytes of a non-UTF-8 argument
    ("Wer<script>alert(1)</script> regiert?", "Wer regiert?"),
    ("Was sagte [Lawrow](https://example.com/x_(y))?", "Was sagte Lawrow?"),
    ("![Putin](javascript:alert(1)) in Moskau?", "Putin in Moskau?"),
    ("Siehe https://example.com/a?b=c und Moskau", "Siehe und Moskau"),
    ("Wer\n\nvermittelte\tden Austausch?", "Wer vermittelte den Austausch?"),
    ("Was for\u00addert Se\u00adlens\u00adkyj?", "Was fordert Selenskyj?"),  # soft hyphens, as web pages have
    ("W\u200be\u200br hat Witkoff\u2060 emp\ufefffangen?", "Wer hat Witkoff empfangen?"),
    ("Wer regiert in Lu\u0308beck?", "Wer regiert in L\u00fcbeck?"),  # decomposed, as some pasted text is
])
def test_questions_are_cleaned(question, cleaned):
    assert check_question(question) == cleaned


# ---------------------------------------------------------------- coverage


def test_coverage_full_partial_and_none():
    profile = QuestionProfile((QuestionWord("austausch", (), frozenset(), 1.0),
                               QuestionWord("istanbul", (), frozenset(), 3.0)))
    assert profile.coverage(frozenset({"austausch", "istanbul", "x"})) == 1.0
    assert profile.coverage(frozenset({"istanbul"})) == 0.75
    assert profile.coverage(frozenset({"austausch"})) == 0.25
    assert profile.coverage(frozenset()) == 0.0


def test_coverage_counts_compound_parts_and_related_stems():
    compound = QuestionWord("kriegsgefang", ("krieg", "gefang"), frozenset({"gefangenschaft"}), 2.0)
    plain = QuestionWord("turkei", (), frozenset({"turk"}), 2.0)
    profile = QuestionProfile((compound, plain))
    assert profile.coverage(frozenset({"krieg"})) == pytest.approx(0.25)  # half the parts of half the weight
    assert profile.coverage(frozenset({"krieg", "gefang"})) == pytest.approx(0.5)
    assert profile.coverage(frozenset({"gefangenschaft"})) == pytest.approx(RELATED_CREDIT / 2)
    assert profile.coverage(frozenset({"turk", "krieg", "gefang"})) == pytest.approx(0.5 + RELATED_CREDIT / 2)
    assert profile.coverage(frozenset({"kriegsgefang", "turkei"})) == 1.0


def test_coverage_credits_a_synonym_as_a_related_stem():
    profile = QuestionProfile((QuestionWord("staatsoberhaupt", (), frozenset(), 3.0, frozenset({"prasident"})),
                               QuestionWord("putin", (), frozenset(), 1.0)))
    assert profile.coverage(frozenset({"prasident", "putin"})) == pytest.approx(0.25 + 0.75 * RELATED_CREDIT)
    assert profile.coverage(frozenset({"staatsoberhaupt", "prasident"})) == pytest.approx(0.75)


def test_coverage_of_a_question_without_content_words():
    assert QuestionProfile(()).coverage(frozenset({"a"})) == 0.0


@pytest.mark.parametrize(("a", "b", "expected"), [
    ("hofft", "hoffnung", True), ("wies", "zuruckgewies", True), ("verhandl", "verhandlung", True),
    ("krieg", "kirche", False), ("abc", "abcdef", False), ("moskau", "moskau", True),
])
def test_related(a, b, expected):
    assert related(a, b) is expected


def test_related_terms_come_from_the_corpus():
    lexical = LexicalIndex.build([["verhandlung", "moskau"], ["verhandelt", "zuruckgewies"]])
    find = RelatedTerms(lexical)
    assert find("verhandl") == frozenset({"verhandlung", "verhandelt"})
    assert find("wies") == frozenset({"zuruckgewies"})
    assert find("moskau") == frozenset()  # the stem itself does not count


# ---------------------------------------------------------------- fusion


def test_minmax():
    assert _minmax(np.array([2.0, 4.0, 3.0])).tolist() == [0.0, 1.0, 0.5]
    assert _minmax(np.array([-1.0, 1.0])).tolist() == [0.0, 1.0]


def test_minmax_of_equal_scores_is_zero():
    assert _minmax(np.array([3.0, 3.0, 3.0], dtype=np.float32)).tolist() == [0.0, 0.0, 0.0]


def test_weights_for_modes():
    assert Weights.for_mode("bm25") == Weights(1.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    assert Weights.for_mode("dense") == Weights(0.0, 1.0, 0.0, 0.0, 0.0, 0.0)  # chunk vectors only, as old tables
    assert Weights().lexical and Weights().english_lexical  # the default uses both
    assert Weights.for_mode("hybrid") == Weights()
    with pytest.raises(KeyError):
        Weights.for_mode("magic")


def test_weights_for_english_questions():
    default = Weights()
    assert default.sentence_dense == 0 and default.english_sentence_dense > 0
    english = replace(default, sentence=0.0, sentence_dense=default.english_sentence_dense)
    assert default.for_english(translated=True) == replace(english, lexical=default.english_lexical)
    assert default.for_english(translated=False) == replace(english, lexical=0.0)  # no dictionary: no German words
    for translated in (True, False):
        assert Weights.for_mode("bm25").for_english(translated) == Weights.for_mode("bm25")  # BM25 alone stays so
        assert Weights.for_mode("dense").for_english(translated) == Weights.for_mode("dense")


def test_an_english_question_can_rank_a_passage_by_its_best_sentence():
    """Chunk a.txt is closer to the question as a whole; one sentence of b.txt is closer than anything in a.txt."""
    texts = {"a.txt": "Erster Satz hier. Zweiter Satz dort.", "b.txt": "Dritter Satz oben. Vierter Satz unten."}
    chunk_vectors = np.array([[0.8, 0.6, 0.0], [0.6, 0.0, 0.8]], dtype=np.float32)
    sentence_vectors = {"a.txt": [[0.8, 0.6, 0.0], [0.8, 0.6, 0.0]], "b.txt": [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]}
    stored = [StoredChunk(Chunk(name, 0, 0, len(text), name, text), FileVersion("f" + name, "c" + name, 1, ""),
                          pack_vectors(np.array(sentence_vectors[name]))) for name, text in texts.items()]
    table = ChunkTable(derive({"ids": [s.chunk_id for s in stored], "documents": list(texts.values()),
                               "metadatas": [s.to_metadata() for s in stored], "embeddings": chunk_vectors},
                              {}, {}, [], None))
    question, vector = "Which sentence is it?", np.array([1.0, 0.0, 0.0], dtype=np.float32)
    by_chunks = HybridSearcher(table, Weights.for_mode("dense")).search(question, vector, 2)
    by_sentences = HybridSearcher(table, Weights()).search(question, vector, 2)
    assert [p.source for p in by_chunks] == ["a.txt", "b.txt"]
    assert [p.source for p in by_sentences] == ["b.txt", "a.txt"]


# ---------------------------------------------------------------- a hand-made snapshot

RAW = {
    "a.txt": "Kopfzeile\nDie Türkei vermittelte den Austausch. Die Gefangenen kamen nach Istanbul. "
             "Danach regnete es lange im Hafen.",
    "b.txt": "Einleitung.\nDie Türkei vermittelte den Austausch der Gefangenen.",
    "c.txt": "Die Ernte der Äpfel fiel in diesem Jahr reichlich aus. Bauern freuten sich über Sonne.",
    "d.txt": "Die Türkei vermittelte den Austausch der Gefangenen.",
    "e.txt": "Lawrow sprach in Moskau. Lawrow nannte eine Feinjustierung nötig. Er lobte Witkoff.",
}


def from_sentence(source: str, first: str, index: int = 0) -> Chunk:
    """A chunk from the sentence starting with `first` to the end of the file."""
    raw = RAW[source]
    start = raw.index(first)
    return Chunk(source, index, start, len(raw), f"Titel {source}", raw[start:])


CHUNKS = [from_sentence("e.txt", "Lawrow"), from_sentence("c.txt", "Die Ernte"), from_sentence("a.txt", "Die Türkei"),
          from_sentence("b.txt", "Die Türkei"), from_sentence("d.txt", "Die")]


@pytest.fixture(scope="module")
def embedder():
    return FakeEmbedder()


@pytest.fixture(scope="module")
def table(embedder) -> ChunkTable:
    stored = [StoredChunk(c, FileVersion("f" + c.source, "c" + c.source, 1, "")) for c in CHUNKS]
    records = {"ids": [s.chunk_id for s in stored], "documents": [c.text for c in CHUNKS],
               "metadatas": [s.to_metadata() for s in stored],
               "embeddings": embedder.encode([c.text for c in CHUNKS])}
    return ChunkTable(derive(records, {}, {}, [], None))


class Searcher:
    """A HybridSearcher that embeds the question itself, as the corpus does."""

    def __init__(self, table, embedder, mode):
        self.inner, self.embedder = HybridSearcher(table, Weights.for_mode(mode)), embedder

    def search(self, question, k):
        return self.inner.search(question, self.embedder.encode([question])[0], k)


def searcher(table, embedder, mode="bm25") -> Searcher:
    return Searcher(table, embedder, mode)


def extractor(table, floor=0.3, threshold=None) -> Extractor:
    return Extractor(table, coverage_scorer(floor), threshold)


def test_table_rows_are_sorted_chunks(table):
    assert [c.source for c in table.chunks] == ["a.txt", "b.txt", "c.txt", "d.txt", "e.txt"]
    assert len(table) == 5


def test_table_sentences_index_the_chunk_text(table):
    row = [c.source for c in table.chunks].index("a.txt")
    text = table.chunks[row].text
    assert [text[s:e] for s, e, _ in table.sentences(row)] == [
        "Die Türkei vermittelte den Austausch.", "Die Gefangenen kamen nach Istanbul.",
        "Danach regnete es lange im Hafen."]
    assert "istanbul" in table.sentences(row)[1][2]


@pytest.mark.parametrize(("question", "source"), [
    ("Wie fiel die Ernte der Äpfel aus?", "c.txt"),
    ("Was nannte Lawrow nötig?", "e.txt"),
    ("Wohin kamen die Gefangenen nach Istanbul?", "a.txt"),
])
def test_lexical_search_ranks_the_chunk_with_the_terms_first(table, embedder, question, source):
    passages = searcher(table, embedder).search(question, 3)
    assert passages[0].source == source
    for passage in passages:
        assert table.chunks[passage.row] is passage.chunk
        assert passage.text == RAW[passage.source][passage.start:passage.end]


def test_lexical_search_returns_only_chunks_with_a_term(table, embedder):
    passages = searcher(table, embedder).search("Ernte", 5)
    assert [p.source for p in passages] == ["c.txt"]
    assert searcher(table, embedder).search("Photosynthese Quantenphysik", 5) == []


def test_search_scores_are_best_first_and_k_limits(table, embedder):
    for mode in ("bm25", "dense", "hybrid"):
        passages = searcher(table, embedder, mode).search("Türkei vermittelte Austausch Gefangenen", 2)
        assert len(passages) == 2
        assert passages[0].score >= passages[1].score


def test_dense_search_finds_the_same_words(table, embedder):
    passages = searcher(table, embedder, "dense").search("Bauern freuten sich über Sonne", 1)
    assert passages[0].source == "c.txt"


def test_similarity_spread_compares_the_question_with_the_corpus_sentences(table, embedder):
    question = embedder.encode(["Die Türkei vermittelte"])[0]
    everything = np.vstack([table.sentence_vectors(n) for n in range(len(table))]) @ question
    assert table.similarity_spread(question) == pytest.approx((everything.mean(), everything.std()), abs=1e-6)
    first = frozenset({0})  # the chunk's own sentences left out, as fitting does for a hidden paragraph
    rest = np.vstack([table.sentence_vectors(n) for n in range(1, len(table))]) @ question
    assert table.similarity_spread(question, first) == pytest.approx((rest.mean(), rest.std()), abs=1e-6)
    assert table.similarity_spread(question, frozenset(range(len(table)))) == (0.0, 0.0)


def test_similarity_spread_samples_sentences_evenly(table, embedder, monkeypatch):
    monkeypatch.setattr("askcorpus.answering.table.SPREAD_SAMPLE", 4)
    sampled = copy.copy(table)
    sampled._sample = None
    question = embedder.encode(["Lawrow"])[0]
    everything = np.vstack([table.sentence_vectors(n) for n in range(len(table))])
    rows = np.unique(np.linspace(0, len(everything) - 1, 4).astype(int))
    chosen = everything[rows] @ question
    assert sampled.similarity_spread(question) == pytest.approx((chosen.mean(), chosen.std()), abs=1e-6)
    owner = [n for n in range(len(table)) for _ in table.sentences(n)]
    kept = everything[[r for r in rows if owner[r] != owner[rows[1]]]] @ question
    assert sampled.similarity_spread(question, frozenset({owner[rows[1]]})) == pytest.approx(
        (kept.mean(), kept.std()), abs=1e-6)


def semantic_scorer(similarities: str) -> AnswerScorer:
    """Chooses by the sentence's similarity alone; its confidence is the logistic of that similarity."""
    def on(names):
        weights = np.zeros(len(names), dtype=np.float32)
        weights[names.index("semantic")] = 1.0
        return Linear(weights, 0.0, np.zeros(len(names), dtype=np.float32), np.ones(len(names), dtype=np.float32))
    return AnswerScorer(on(FEATURES), on(ANSWER_FEATURES), 0.5, similarities)


def test_an_english_questions_words_stand_for_their_german_translations_and_names_for_themselves(table):
    dictionary = Dictionary(SAMPLE_DICTIONARY)
    groups = translated_terms("Who mediated the prisoner exchanges in Istanbul?", dictionary, table)
    stems = {term: table.analyzer.terms(term)[0] for term in ("vermittelt", "Gefangene", "Austausche", "Istanbul")}
    assert [set(group) & set(stems.values()) for group in groups] == [{stems[t]} for t in stems]
    assert all(term in table.lexical for group in groups for term in group)  # only what the corpus holds
    assert translated_terms("Who mediated it?", Dictionary(None), table) == []


def test_names_numbers_and_acronyms_stand_for_themselves_and_reporting_verbs_for_nothing(table, embedder):
    dictionary = Dictionary(SAMPLE_DICTIONARY)
    assert translated_terms("What did Lawrow say about Witkoff’s harbour?", dictionary, table) == [
        ["lawrow"], ["witkoff"], [table.analyzer.terms("Hafen")[0]]]  # no "say"; "’s" goes
    assert translated_terms("Did I see the harvest of Türkei?", dictionary, table) == [
        [table.analyzer.terms("Ernte")[0]], [table.analyzer.terms("Türkei")[0]]]  # no "I"; "Türkei" whole
    chunk = Chunk("n.txt", 0, 0, 40, "n.txt", "Die US-Regierung zahlte 30 Millionen.")
    stored = StoredChunk(chunk, FileVersion("fn", "cn", 1, ""))
    numbers = ChunkTable(derive({"ids": [stored.chunk_id], "documents": [chunk.text],
                                 "metadatas": [stored.to_metadata()], "embeddings": embedder.encode([chunk.text])},
                                {}, {}, [], None))
    assert translated_terms("How much did the US pay, 30 or 40?", dictionary, numbers) == [["us"], ["30"]]


def test_two_english_words_that_german_writes_as_one_add_a_group_of_their_own(table, tmp_path):
    path = tmp_path / "de-en"
    path.write_text("Feinjustierung {f} :: fine tuning\nErnte {f} :: harvest\nApfelernte {f} :: apple harvest\n",
                    encoding="utf-8")
    dictionary = Dictionary(path)
    fine_tuning, harvest = table.analyzer.terms("Feinjustierung")[0], table.analyzer.terms("Ernte")[0]
    assert translated_terms("Is fine tuning needed?", dictionary, table) == [[fine_tuning]]
    assert translated_terms("Did Lawrow call for fine tunings?", dictionary, table) == [["lawrow"], [fine_tuning]]
    assert translated_terms("Is it fine, tuning?", dictionary, table) == []  # not side by side
    assert translated_terms("Was the apple harvest good?", dictionary, table) == [[harvest]]  # "Apfelernte": none


def test_two_english_words_stand_for_the_german_compound_of_their_translations(embedder, tmp_path):
    text = ("Der Kremlsprecher lobte die Friedensgespräche, die Grenzkontrollen und die Straßenbahn. Ein Sprecher "
            "der Torstiftung schwieg.")
    chunk = Chunk("k.txt", 0, 0, len(text), "k.txt", text)
    stored = StoredChunk(chunk, FileVersion("fk", "ck", 1, ""))
    table = ChunkTable(derive({"ids": [stored.chunk_id], "documents": [text], "metadatas": [stored.to_metadata()],
                               "embeddings": embedder.encode([text])}, {}, {}, [], None))
    path = tmp_path / "de-en"
    path.write_text("Kreml {m} :: Kremlin\nSprecher {m} :: spokesman\nFrieden {m} :: peace\nGespräch {n} :: talk\n"
                    "Grenze {f} :: border\nKontrolle {f} :: control\nApfel {m} :: apple\nStraße {f} :: street\n"
                    "Bahn {f} :: railway\nTor {n} :: gate\nStiftung {f} :: foundation\nsprechend :: speaking\n",
                    encoding="utf-8")
    dictionary = Dictionary(path)
    stem = table.analyzer.stem
    assert translated_terms("Kremlin spokesman?", dictionary, table) == [[stem("Kremlsprecher")], [stem("Sprecher")]]
    assert [stem("Friedensgespräche")] in translated_terms("Did the peace talks go well?", dictionary, table)  # +s
    assert [stem("Grenzkontrollen")] in translated_terms("Border controls?", dictionary, table)  # "Grenze" loses "e"
    assert [stem("Straßenbahn")] in translated_terms("Street railway?", dictionary, table)  # +n, "ß"
    assert translated_terms("Apple spokesman?", dictionary, table) == [[stem("Sprecher")]]  # no "Apfelsprecher"
    assert translated_terms("Kremlin, spokesman?", dictionary, table) == [[stem("Sprecher")]]  # not side by side
    assert translated_terms("Kremlin speaking?", dictionary, table) == []  # a compound ends in a noun
    assert [stem("Torstiftung")] not in translated_terms("Did the Gates Foundation pay?", dictionary, table)  # a name


def test_a_name_stands_for_the_articles_spelling_of_it_too(table):
    dictionary = Dictionary(SAMPLE_DICTIONARY)
    assert translated_terms("What did Lavrov say about Vitkoff?", dictionary, table) == [["lawrow"], ["witkoff"]]
    assert translated_terms("Lavrov spoke?", dictionary, table) == [["lawrow"]]  # first, but nothing else matches
    assert translated_terms("What did Lavrova say?", dictionary, table) == []  # another name


def test_a_sentence_covers_an_english_word_by_any_of_its_translations(table):
    profile = TranslatedProfile.of("Who mediated the prisoner exchange?", Dictionary(SAMPLE_DICTIONARY), table)
    row = [c.source for c in table.chunks].index("a.txt")
    terms = [sentence_terms for _, _, sentence_terms in table.sentences(row)]
    weights = dict(zip(profile.alternatives, profile.weights))
    exchange, mediated = (next(w for g, w in weights.items() if table.analyzer.terms(word)[0] in g)
                          for word in ("Austausch", "vermittelt"))
    prisoners = next(w for g, w in weights.items() if table.analyzer.terms("Gefangenen")[0] in g)
    total = exchange + mediated + prisoners
    assert profile.coverage(terms[0]) == pytest.approx((exchange + mediated) / total)  # "vermittelte den Austausch"
    assert profile.coverage(terms[1]) == pytest.approx(prisoners / total)  # "Die Gefangenen kamen …"
    assert profile.coverage(terms[2]) == 0.0
    assert TranslatedProfile.of("Who mediated it?", Dictionary(None), table).coverage(terms[0]) == 0.0


def test_an_english_questions_rows_have_coverage_by_translation_and_no_pull(table, embedder):
    question = "Who mediated the prisoner exchange?"
    vector = embedder.encode([question])[0]
    passages = searcher(table, embedder, "hybrid").search(question, 5)
    found = candidates(table, passages)
    reduced = table.sentence_vectors(passages[-1].row)[0]
    translated = feature_rows(table, question, vector, passages, found, reduced, Dictionary(SAMPLE_DICTIONARY))
    alone = feature_rows(table, question, vector, passages, found, reduced, Dictionary(None))
    covered = [c.text for c, row in zip(found, translated) if row[COLUMN["coverage"]] == translated[:, COLUMN[
        "coverage"]].max()]
    assert "Die Türkei vermittelte den Austausch der Gefangenen." in covered
    assert translated[:, COLUMN["coverage"]].max() == pytest.approx(1.0)
    assert (translated[:, COLUMN["english"]] == 1.0).all() and not translated[:, COLUMN["unmatched_pull"]].any()
    assert not alone[:, [COLUMN[name] for name in ("coverage", "coverage_gap", "previous_coverage")]].any()
    assert (alone[:, COLUMN["english"]] == 1.0).all()


def test_rows_without_a_translation_to_count_are_the_rows_without_a_dictionary(table, embedder, tmp_path):
    empty = tmp_path / "de-en"
    empty.write_text("# no entries\n", encoding="utf-8")
    for question, dictionary in (("Who mediated the prisoner exchange?", Dictionary(empty)),
                                 ("Who zorbled the blix?", Dictionary(SAMPLE_DICTIONARY)),  # nothing to translate
                                 ("Wer vermittelte den Austausch der Gefangenen?", Dictionary(SAMPLE_DICTIONARY))):
        vector = embedder.encode([question])[0]
        passages = searcher(table, embedder, "hybrid").search(question, 5)
        found = candidates(table, passages)
        rows = feature_rows(table, question, vector, passages, found, None, dictionary)
        assert np.array_equal(rows, feature_rows(table, question, vector, passages, found, None, Dictionary(None)))


@pytest.mark.parametrize(("question", "source"), [
    ("How good was the apple harvest?", "c.txt"),
    ("Did it rain in the harbour?", "a.txt"),
])
def test_an_english_question_finds_the_chunk_with_its_translations(table, embedder, question, source):
    vector = embedder.encode([question])[0]
    translating = HybridSearcher(table, Weights.for_mode("bm25"), Dictionary(SAMPLE_DICTIONARY))
    assert translating.search(question, vector, 1)[0].source == source
    assert HybridSearcher(table, Weights.for_mode("bm25"), Dictionary(None)).search(question, vector, 1) == []


def test_without_a_dictionary_an_english_question_goes_by_vectors_alone(table, embedder):
    question = "Did it rain in the harbour?"
    vector = embedder.encode([question])[0]
    dense = [p.source for p in HybridSearcher(table, Weights.for_mode("dense")).search(question, vector, 5)]
    weights = Weights(sentence_dense=0.0, english_sentence_dense=0.0)
    assert [p.source for p in HybridSearcher(table, weights, Dictionary(None)).search(question, vector, 5)] == dense
    translated = HybridSearcher(table, weights, Dictionary(SAMPLE_DICTIONARY)).search(question, vector, 5)
    assert dense[0] != "a.txt" and translated[0].source == "a.txt"  # "regnete", "Hafen"


def test_an_english_question_is_scored_closer_by_the_scorers_english_gap(table, embedder):
    gapped = replace(semantic_scorer(RAW_SIMILARITIES), english_gap=0.25)
    for question, gap in (("What did Lavrov call necessary?", 0.25), ("Was nannte Lawrow nötig?", 0.0)):
        vector = embedder.encode([question])[0]
        passages = searcher(table, embedder, "hybrid").search(question, 5)
        plain = Extractor(table, semantic_scorer(RAW_SIMILARITIES)).scored(question, vector, passages)[0].quote
        closer = Extractor(table, gapped).scored(question, vector, passages)[0].quote
        logit = lambda p: np.log(p / (1 - p))  # noqa: E731
        assert logit(closer.score) - logit(plain.score) == pytest.approx(gap, abs=1e-4)
        assert (closer.source, closer.start) == (plain.source, plain.start)


def test_a_scorer_for_any_model_reads_similarities_relative_to_the_corpus(table, embedder):
    question = "Was nannte Lawrow nötig?"
    vector = embedder.encode([question])[0]
    passages = searcher(table, embedder, "hybrid").search(question, 5)
    raw = Extractor(table, semantic_scorer(RAW_SIMILARITIES)).scored(question, vector, passages)
    relative = Extractor(table, semantic_scorer(CORPUS)).scored(question, vector, passages)
    best = max(float((table.sentence_vectors(p.row) @ vector).max()) for p in passages)
    mean, deviation = table.similarity_spread(vector)
    assert deviation > 0.01
    assert raw[0].quote.score == pytest.approx(1 / (1 + np.exp(-best)), rel=1e-4)
    assert relative[0].quote.score == pytest.approx(1 / (1 + np.exp(-(best - mean) / deviation)), rel=1e-4)
    assert (raw[0].quote.source, raw[0].quote.start) == (relative[0].quote.source, relative[0].quote.start)


DECISIVE = "Wie vermittelte die Türkei im Eiffelturm den Austausch?"  # one word the hand-made corpus lacks


def test_the_question_without_its_unmatched_words(table):
    assert without_unmatched(table, DECISIVE) == "Wie vermittelte die Türkei im den Austausch?"
    assert without_unmatched(table, "Wie vermittelte die Türkei den Austausch?") is None
    assert without_unmatched(table, "When did Turkey mediate the Eiffel Tower?") is None  # English: no vocabulary
    assert without_unmatched(table, DECISIVE, present=lambda stem: stem not in ("turkei", "eiffelturm")) == (
        "Wie vermittelte die im den Austausch?")
    assert without_unmatched(table, "Wie vermittelte die Türkei den Austausch im Eiffelturm ?") == (
        "Wie vermittelte die Türkei den Austausch im?")  # no space left before the question mark


def test_the_pull_is_how_much_closer_the_best_sentence_comes_without_the_unmatched_words(table, embedder):
    vector = embedder.encode([DECISIVE])[0]
    passages = searcher(table, embedder, "hybrid").search(DECISIVE, 5)
    found = candidates(table, passages)
    best = lambda v: max(float((table.sentence_vectors(p.row) @ v).max()) for p in passages)  # noqa: E731
    reduced = table.sentence_vectors(passages[-1].row)[0]  # as if the rest of the question were that sentence
    rows = feature_rows(table, DECISIVE, vector, passages, found, reduced_vector=reduced)
    assert best(reduced) > 0.99 > best(vector)
    assert rows[:, COLUMN["unmatched_pull"]] == pytest.approx(best(reduced) - best(vector), abs=1e-5)
    assert not feature_rows(table, DECISIVE, vector, passages, found)[:, COLUMN["unmatched_pull"]].any()
    english = feature_rows(table, "When did Turkey mediate?", vector, passages, found, reduced_vector=reduced)
    assert not english[:, COLUMN["unmatched_pull"]].any()


def pull_scorer() -> AnswerScorer:
    """Chooses by similarity; its confidence is the logistic of -10 times the pull of the unmatched words."""
    def on(names, name, weight):
        weights = np.zeros(len(names), dtype=np.float32)
        weights[names.index(name)] = weight
        return Linear(weights, 0.0, np.zeros(len(names), dtype=np.float32), np.ones(len(names), dtype=np.float32))
    return AnswerScorer(on(FEATURES, "semantic", 1.0), on(ANSWER_FEATURES, "unmatched_pull", -10.0), 0.45)


def test_the_extractor_weighs_unmatched_words_by_their_pull(table, embedder):
    near = table.sentence_vectors(0)[0]  # the question without its unmatched word lands on a sentence of the corpus

    def extract(question, reduced_vector):
        vector = embedder.encode([question])[0]
        passages = searcher(table, embedder, "hybrid").search(question, 5)
        return Extractor(table, pull_scorer()).extract(question, vector, passages, reduced_vector)

    assert without_unmatched(table, DECISIVE) == "Wie vermittelte die Türkei im den Austausch?"
    assert extract(DECISIVE, near)[0]  # abstained: without "Eiffelturm" the question comes closer to the articles
    assert not extract(DECISIVE, None)[0]  # no reduced vector: no pull, confidence 0.5
    assert without_unmatched(table, "Wie vermittelte die Türkei den Austausch?") is None
    assert without_unmatched(table, "Eiffelturm?") == "?"  # no word left: embedded all the same, as in the fit


def test_search_over_an_empty_table(embedder):
    empty = ChunkTable(derive({"ids": [], "documents": [], "metadatas": [], "embeddings": []}, {}, {}, [], None))
    assert searcher(empty, embedder, "hybrid").search("Moskau", 3) == []


def ask(table, embedder, question, floor=0.3, k=5):
    passages = searcher(table, embedder).search(question, k)
    return extractor(table, floor).extract(question, embedder.encode([question])[0], passages), passages


def test_quotes_are_verbatim_slices_of_the_source(table, embedder):
    (abstained, quotes), _ = ask(table, embedder, "Was nannte Lawrow nötig?")
    assert not abstained and quotes
    for quote in quotes:
        assert RAW[quote.source][quote.start:quote.end] == quote.text
    assert quotes[0].text == "Lawrow nannte eine Feinjustierung nötig."


def continuing(bias: float, backward: bool = False) -> AnswerScorer:
    """The coverage scorer with a continuation model (`backward`: a preceding model) that says yes (bias > 0) or no
    to every next (previous) sentence."""
    zeros = np.zeros(len(CONTINUATION_FEATURES), dtype=np.float32)
    return replace(coverage_scorer(0.3), **{"preceding" if backward else "continuation":
                                            Linear(zeros, bias, zeros, np.ones_like(zeros))})


def test_a_quote_takes_in_the_next_sentence_when_the_answer_goes_on_there(table, embedder):
    question = "Was nannte Lawrow nötig?"
    passages = searcher(table, embedder).search(question, 5)
    vector = embedder.encode([question])[0]
    _, quotes = Extractor(table, continuing(10.0)).extract(question, vector, passages)
    assert quotes[0].text == "Lawrow nannte eine Feinjustierung nötig. Er lobte Witkoff."
    for quote in quotes:
        assert RAW[quote.source][quote.start:quote.end] == quote.text
    _, quotes = Extractor(table, continuing(-10.0)).extract(question, vector, passages)
    assert quotes[0].text == "Lawrow nannte eine Feinjustierung nötig."


def test_a_quote_takes_in_the_sentence_before_when_the_answer_began_there(table, embedder):
    question = "Was nannte Lawrow nötig?"
    passages = searcher(table, embedder).search(question, 5)
    vector = embedder.encode([question])[0]
    _, quotes = Extractor(table, continuing(10.0, backward=True)).extract(question, vector, passages)
    assert quotes[0].text == "Lawrow sprach in Moskau. Lawrow nannte eine Feinjustierung nötig."
    for quote in quotes:
        assert RAW[quote.source][quote.start:quote.end] == quote.text
    _, quotes = Extractor(table, continuing(-10.0, backward=True)).extract(question, vector, passages)
    assert quotes[0].text == "Lawrow nannte eine Feinjustierung nötig."


def one_file_table(embedder, source: str, raw: str, thesaurus: Thesaurus | None = None) -> ChunkTable:
    chunk = Chunk(source, 0, 0, len(raw), f"Titel {source}", raw)
    stored = StoredChunk(chunk, FileVersion("f" + source, "c" + source, 1, ""))
    records = {"ids": [stored.chunk_id], "documents": [raw], "metadatas": [stored.to_metadata()],
               "embeddings": embedder.encode([raw])}
    return ChunkTable(derive(records, {}, {}, [], None), thesaurus)


def test_a_question_word_meets_the_corpus_synonyms_of_the_thesaurus(embedder):
    raw = "Der Präsident traf den Gesandten. Das Gespräch dauerte drei Stunden."
    plain = one_file_table(embedder, "a.txt", raw)
    table = one_file_table(embedder, "a.txt", raw, Thesaurus(SAMPLE_THESAURUS))
    question = "Dauerte die Unterredung des Staatsoberhaupts mit dem Emissär drei Stunden?"
    words = {word.stem: word.synonyms for word in table.profile(question).words}
    assert words["unterred"] == {"gesprach"}  # "Dialog", "Austausch": not in the corpus
    assert words["staatsoberhaupt"] == {"prasident"} and words["emissar"] == {"gesandt"}
    assert all(not word.synonyms for word in plain.profile(question).words)  # no thesaurus, no synonyms
    assert unmatched_stems(table.profile(question), table.lexical.__contains__) == set()
    assert unmatched_stems(plain.profile(question), plain.lexical.__contains__) == {"unterred", "staatsoberhaupt",
                                                                                    "emissar"}


@pytest.mark.parametrize(("question", "synonym_asked"), [("Wie lange dauerte die Unterredung?", True),
                                                         ("How long was the dialog?", False)])
def test_a_synonym_of_a_german_question_word_is_no_news_in_a_sentence(embedder, question, synonym_asked):
    raw = "Der Präsident traf den Gesandten. Das Gespräch dauerte drei Stunden."
    novelty = []
    for thesaurus in (Thesaurus(SAMPLE_THESAURUS), None):
        table = one_file_table(embedder, "a.txt", raw, thesaurus)
        vector = embedder.encode([question])[0]
        passages = searcher(table, embedder, "hybrid").search(question, 5)
        found = candidates(table, passages)
        rows = feature_rows(table, question, vector, passages, found, None, Dictionary(SAMPLE_DICTIONARY))
        novelty.append(next(row[COLUMN["novelty"]] for c, row in zip(found, rows) if c.text.startswith("Das")))
    assert bool(novelty[0] < novelty[1]) == synonym_asked  # "Gespräch" for "Unterredung"; an English "dialog" is none


def asked_of_one_file(embedder, raw: str, question: str) -> tuple[ChunkTable, list, np.ndarray]:
    """A table of `raw` as one file, the passages found for `question` and its vector."""
    table = one_file_table(embedder, "f.txt", raw)
    return table, searcher(table, embedder).search(question, 5), embedder.encode([question])[0]


def test_a_quote_never_takes_in_the_headline_above_it(embedder):
    headline = "Weinfest lockt 30.000 Besucher"
    lead = "BAD DÜRKHEIM – Das Weinfest hat am Wochenende rund 30.000 Besucher angezogen."
    raw = f"{headline}\n{lead} Die Veranstalter zeigten sich zufrieden."
    question = "Wie viele Besucher hat das Weinfest am Wochenende angezogen?"
    table, passages, vector = asked_of_one_file(embedder, raw, question)
    _, quotes = Extractor(table, continuing(10.0, backward=True)).extract(question, vector, passages)
    assert quotes[0].text == lead  # its preceding model would take in the line above it
    assert all(raw[q.start:q.end] == q.text for q in quotes)
    assert not any(q.text.startswith(f"{headline}\n") for q in quotes)


def test_a_sentence_pointing_back_is_not_shown_with_the_headline_above_it(embedder):
    question = "Was betonte er über die Gespräche über Gas?"
    table, passages, vector = asked_of_one_file(
        embedder, "Minister besucht Moskau\nEr betonte die Bedeutung der Gespräche über Gas.", question)
    _, quotes = Extractor(table, coverage_scorer(0.3)).extract(question, vector, passages)
    assert quotes[0].text == "Er betonte die Bedeutung der Gespräche über Gas."


def test_a_headline_is_no_runner_up_quote_glued_to_the_lead_under_it(embedder):
    headline = "Weinfest lockt Besucher"
    lead = "BAD DÜRKHEIM – Das Weinfest hat am Wochenende rund 30.000 Besucher angezogen."
    question = "Wie viele Besucher hat das Weinfest angezogen?"
    table, passages, vector = asked_of_one_file(embedder, f"{headline}\n{lead}", question)
    scored = extractor(table).scored(question, vector, passages)
    assert [c.quote.text for c in scored] == [lead, headline] and scored[1].relative > 0.5  # it would be chosen
    _, quotes = extractor(table).extract(question, vector, passages)
    assert [q.text for q in quotes] == [lead]


@pytest.mark.parametrize(("raw", "offset"), [
    ("Großbrand in Lagerhalle\u00a0\r\nNEUSTADT – Ein Brand zerstörte die Halle.", 0),  # a no-break space, CRLF
    ("\ufeffGroßbrand in Lagerhalle\nNEUSTADT – Ein Brand zerstörte die Halle.", 1),  # its chunk starts after a BOM
    ("Bericht.\n\nGroßbrand in Lagerhalle\nNEUSTADT – Ein Brand zerstörte die Halle.", 10),  # at a chunk's start
])
def test_a_headline_is_known_whatever_space_surrounds_it_and_wherever_its_chunk_starts(embedder, raw, offset):
    text = raw[offset:]
    chunk = Chunk("f.txt", 0, offset, len(raw), "Titel", text)
    stored = StoredChunk(chunk, FileVersion("ff", "cf", 1, ""))
    table = ChunkTable(derive({"ids": [stored.chunk_id], "documents": [text], "metadatas": [stored.to_metadata()],
                               "embeddings": embedder.encode([text])}, {}, {}, [], None))
    found = candidates(table, searcher(table, embedder).search("Brand Halle", 5))
    assert [c.text for c, flag in zip(found, headlines(found)) if flag] == ["Großbrand in Lagerhalle"]


def test_headlines_are_lines_of_their_own_without_a_sentence_end(embedder):
    raw = "Großbrand in Lagerhalle\nNEUSTADT – Ein Brand zerstörte die Halle.\nZwischentitel ohne Punkt\nDer Schaden"
    table = one_file_table(embedder, "f.txt", raw)
    found = candidates(table, searcher(table, embedder).search("Brand Halle", 5))
    assert {c.text: bool(flag) for c, flag in zip(found, headlines(found))} == {
        "Großbrand in Lagerhalle": True, "NEUSTADT – Ein Brand zerstörte die Halle.": False,
        "Zwischentitel ohne Punkt": True, "Der Schaden": False}  # the last: cut where the file (or a chunk) ends


def test_a_quote_without_the_measure_asked_for_takes_in_the_next_sentence_that_names_it(embedder):
    first = "Bund und Land einigten sich auf Fördermittel für Elektrolyseure."
    raw = f"{first} Vorgesehen sind 4,2 Mrd. Euro. Danach sprach der Minister."
    table = one_file_table(embedder, "f.txt", raw)
    for question, widened in [
            ("Wie hoch sind die Fördermittel für Elektrolyseure?", raw[:raw.index(" Danach")]),  # a sum
            ("Worauf einigten sich Bund und Land bei Elektrolyseuren?", None),  # no measure: the sentence alone
            ("Wie viele Elektrolyseure fördern Bund und Land?", None)]:  # a number: any next sentence would pass
        passages = searcher(table, embedder).search(question, 5)
        best = extractor(table).scored(question, embedder.encode([question])[0], passages)[0]
        assert best.quote.text == first
        assert (best.widened and best.widened[0].text[best.widened[1]:best.widened[2]]) == widened


def test_a_quote_lacks_the_kind_asked_for_unless_its_sentence_or_the_neighbour_it_takes_in_holds_one():
    after, before = np.array([1, 2, -1]), np.array([-1, 0, 1])
    lacking = np.array([True, False, True])
    assert quoted_lacks(lacking, 0, ALONE, after, before)
    assert not quoted_lacks(lacking, 0, WITH_NEXT, after, before)
    assert not quoted_lacks(lacking, 1, ALONE, after, before)
    assert not quoted_lacks(lacking, 2, WITH_PREVIOUS, after, before)
    assert quoted_lacks(lacking, 2, WITH_NEXT, after, before)  # there is no sentence after the last


def test_a_quote_without_the_measure_asked_for_takes_in_the_next_sentence_that_names_one():
    after = np.array([1, 2, -1])
    lacking = np.array([True, False, True])
    assert takes_next(lacking, 0, ALONE, after)
    assert not takes_next(lacking, 1, ALONE, after)  # holds it already
    assert not takes_next(lacking, 0, WITH_PREVIOUS, after)  # widened the other way by its own model
    assert not takes_next(lacking, 2, ALONE, after)  # there is no sentence after the last
    assert not takes_next(np.array([True, True, True]), 0, ALONE, after)


@pytest.mark.parametrize(("question", "answered"), [
    ("Wer vermittelte den Austausch der Gefangenen?", True),
    ("Wann vermittelte die Türkei den Austausch der Gefangenen?", False),  # no sentence names a time
    ("Wie viele Gefangene tauschte die Türkei aus?", False),
    ("Wann fiel die Ernte der Äpfel reichlich aus?", True),  # "in diesem Jahr"
])
def test_a_question_asking_for_a_time_or_number_is_abstained_on_when_the_quote_names_none(table, embedder, question,
                                                                                           answered):
    (abstained, _), passages = ask(table, embedder, question, floor=0.1)
    assert abstained is not answered
    relevance = extractor(table, 0.1).relevance(question, embedder.encode([question])[0], passages)
    assert (relevance > 0) is answered  # the coverage scorer's probability is never 0: the missing kind made it so


EXCHANGE = ("Die Türkei vermittelte den Austausch. Der Austausch der Gefangenen fand in Genf statt. "
            "Er begann am 3. Juni.")


def one_chunk_table(embedder, text: str) -> ChunkTable:
    chunk = Chunk("g.txt", 0, 0, len(text), "Titel", text)
    stored = StoredChunk(chunk, FileVersion("fg", "cg", 1, ""))
    return ChunkTable(derive({"ids": [stored.chunk_id], "documents": [text], "metadatas": [stored.to_metadata()],
                              "embeddings": embedder.encode([text])}, {}, {}, [], None))


def test_the_chosen_sentence_and_the_neighbour_its_quote_takes_in_decide_whether_the_kind_is_lacking(embedder):
    """The chosen sentence (the second: it covers the question) names no time; the sentence after it does."""
    table = one_chunk_table(embedder, EXCHANGE)
    question = "Wann fand der Austausch der Gefangenen in Genf statt?"
    vector = embedder.encode([question])[0]
    passages = [Passage(table.chunks[0], 1.0, 0)]
    found = candidates(table, passages)
    assert list(lacking_kind(question, found)) == [True, True, False]
    assert not lacking_kind("Wo fand der Austausch statt?", found).any()  # a place is not checked
    abstained, _ = Extractor(table, continuing(-10.0)).extract(question, vector, passages)
    assert abstained  # quoted alone, the sentence says where, not when
    abstained, quotes = Extractor(table, continuing(10.0)).extract(question, vector, passages)
    assert not abstained and quotes[0].text == "Der Austausch der Gefangenen fand in Genf statt. Er begann am 3. Juni."
    abstained, quotes = Extractor(table, continuing(-10.0), 0.0).extract(question, vector, passages)
    assert not abstained  # a threshold of 0 shows the quotes all the same, in the order of the choice
    assert quotes[0].text == "Der Austausch der Gefangenen fand in Genf statt." and all(q.score == 0.0 for q in quotes)


def test_the_first_quote_is_read_for_the_kind_asked_for_as_shown_joined_with_the_runner_up_it_touches(embedder):
    """The chosen sentence names no time; the runner-up after it does, and is likely enough to be shown, so the two
    are shown as one quote, and that quote holds a time."""
    chosen, runner_up = ("Die Türkei vermittelte den Austausch der Gefangenen.",
                         "Die Türkei hatte den Austausch der Gefangenen am 3. Juni vereinbart.")
    table = one_chunk_table(embedder, f"{chosen} {runner_up}")
    question = "Wann vermittelte die Türkei den Austausch der Gefangenen?"
    vector = embedder.encode([question])[0]
    passages = [Passage(table.chunks[0], 1.0, 0)]
    alone = continuing(-10.0)
    scored = Extractor(table, alone).scored(question, vector, passages)
    assert [c.quote.text for c in scored] == [chosen, runner_up] and scored[1].relative >= RELATIVE_CUTOFF
    assert list(lacking_kind(question, candidates(table, passages))) == [True, False]
    abstained, quotes = Extractor(table, alone).extract(question, vector, passages)
    assert not abstained and quotes[0].text == f"{chosen} {runner_up}"
    assert Extractor(table, alone).relevance(question, vector, passages) == scored[0].score > 0


@pytest.mark.parametrize("text", [
    "Die Türkei vermittelte den Austausch der Gefangenen. Die Türkei hatte den Austausch der Gefangenen vorbereitet.",
    "Die Türkei vermittelte den Austausch der Gefangenen. Es regnete. "
    "Die Türkei hatte den Austausch der Gefangenen am 3. Juni vereinbart.",  # the time is in a quote apart
])
def test_the_first_quote_lacks_the_kind_when_neither_it_nor_a_runner_up_joined_to_it_holds_one(embedder, text):
    table = one_chunk_table(embedder, text)
    question = "Wann vermittelte die Türkei den Austausch der Gefangenen?"
    vector = embedder.encode([question])[0]
    passages = [Passage(table.chunks[0], 1.0, 0)]
    assert Extractor(table, continuing(-10.0)).extract(question, vector, passages) == (True, [])
    assert Extractor(table, continuing(-10.0)).relevance(question, vector, passages) == 0.0


OVERLAPPING = "Lawrow sprach lange. Er nannte drei davon. Die Ukraine lehnte ab. Danach schwieg er."


def overlapping_table(embedder) -> ChunkTable:
    """One file in three chunks: the first two sentences, the second to the fourth (overlapping), the last alone."""
    spans = [(0, OVERLAPPING.index(" Die")), (OVERLAPPING.index("Er"), len(OVERLAPPING)),
             (OVERLAPPING.index("Danach"), len(OVERLAPPING))]
    chunks = [Chunk("f.txt", n, start, end, "Titel", OVERLAPPING[start:end]) for n, (start, end) in enumerate(spans)]
    stored = [StoredChunk(c, FileVersion("ff", "cf", 1, "")) for c in chunks]
    return ChunkTable(derive({"ids": [s.chunk_id for s in stored], "documents": [c.text for c in chunks],
                              "metadatas": [s.to_metadata() for s in stored],
                              "embeddings": embedder.encode([c.text for c in chunks])}, {}, {}, [], None))


def test_the_next_sentence_may_come_from_an_overlapping_passage(embedder):
    table = overlapping_table(embedder)
    first, second, last = (Passage(table.chunks[n], 1.0, n) for n in range(3))
    found = candidates(table, [first, second])
    assert [c.text for c in found] == ["Lawrow sprach lange.", "Er nannte drei davon.", "Die Ukraine lehnte ab.",
                                       "Danach schwieg er."]  # the overlap listed once, from the first passage
    after, before, runs = following(found)
    assert list(after) == [1, 2, 3, -1] and list(before) == [-1, 0, 1, 2] and runs[3] is None
    passage, start, end = runs[1]  # only the second passage holds both
    assert runs[1] == joined(found[1], found[2])
    assert passage is second and passage.text[start:end] == "Er nannte drei davon. Die Ukraine lehnte ab."
    assert OVERLAPPING[passage.start + start:passage.start + end] == passage.text[start:end]
    found = candidates(table, [first, last])  # the sentence between is in no passage shown
    after, before, runs = following(found)
    assert [c.text for c in found][-1] == "Danach schwieg er." and list(after) == [1, -1, -1]
    assert list(before) == [-1, 0, -1]
    assert runs[1:] == [None, None]


def test_the_sentence_before_is_the_whole_one_not_a_fragment_of_it(embedder):
    text = "Lawrow sprach lange, sehr lange. Er nannte drei."
    cut = text.index("sehr")  # a chunk cut inside the first sentence makes "sehr lange." a candidate too
    chunks = [Chunk("f.txt", 0, 0, len(text), "Titel", text), Chunk("f.txt", 1, cut, len(text), "Titel", text[cut:])]
    stored = [StoredChunk(c, FileVersion("ff", "cf", 1, "")) for c in chunks]
    table = ChunkTable(derive({"ids": [s.chunk_id for s in stored], "documents": [c.text for c in chunks],
                               "metadatas": [s.to_metadata() for s in stored],
                               "embeddings": embedder.encode([c.text for c in chunks])}, {}, {}, [], None))
    for order, expected in (((0, 1), ["Lawrow sprach lange, sehr lange.", "Er nannte drei.", "sehr lange."]),
                            ((1, 0), ["sehr lange.", "Er nannte drei.", "Lawrow sprach lange, sehr lange."])):
        found = candidates(table, [Passage(table.chunks[n], 1.0, n) for n in order])
        assert [c.text for c in found] == expected
        after, before, runs = following(found)
        whole = expected.index("Lawrow sprach lange, sehr lange.")
        assert after[whole] == after[2 - whole] == 1 and before[1] == whole  # both end where it begins
        passage, start, end = runs[before[1]]
        assert passage.text[start:end] == text


def test_a_quote_is_extended_when_the_answer_goes_on_or_the_sentence_announces_the_next():
    after = np.array([1, 2, -1, 4, -1])
    probabilities = np.array([0.25, 0.1, 0.9, 0.1, 0.0], dtype=np.float32)
    announces = np.array([False, False, False, True, True])
    assert list(extended(probabilities, after, announces)) == [True, False, False, True, False]
    assert list(extended(probabilities, after)) == [True, False, False, False, False]


def test_a_quote_takes_in_the_likelier_neighbour_and_the_next_one_when_announced():
    after = np.array([1, 2, 3, 4, 5, 6, -1])  # seven sentences in a row
    before = np.array([-1, 0, 1, 2, 3, 4, 5])
    onward = np.array([0.3, 0.3, 0.6, 0.5, 0.1, 0.0, 0.9], dtype=np.float32)
    backward = np.array([0.9, 0.5, 0.3, 0.5, 0.1, 0.6, 0.9], dtype=np.float32)
    announces = np.array([False, False, False, False, False, True, True])
    widened = widening(onward, backward, after, before, announces)
    assert list(widened) == [
        WITH_NEXT,  # no sentence before the first
        WITH_PREVIOUS,  # both reach CONTINUE_AT: the likelier side
        WITH_NEXT,  # … either way
        WITH_NEXT,  # a tie: the next one
        ALONE,
        WITH_NEXT,  # announces the next sentence, however likely the previous one
        WITH_PREVIOUS,  # announces a next sentence that is not there
    ]
    assert [pair_start(way, i, before) for i, way in enumerate(widened)] == [0, 0, 2, 3, -1, 5, 5]
    assert list(announcing(["Er sagte:", "Er sagte: „Ja.“", "Er sagte:  "])) == [True, False, True]


def test_which_sentences_point_back_to_the_one_before():
    texts = ["Lawrow sprach in Moskau.", "Er betonte, dass einiges offen sei.", "„Deshalb warten wir.“",
             "Es gibt keinen Termin.", "Die Regierung schwieg.", "Das sei ein Fehler, sagte er.",
             "Das Treffen fand statt.", "Darunter sind drei Kinder.", "Dem widersprach der Minister.",
             "Das russische Außenministerium teilte mit.", "Dem früheren Präsidenten wird vorgeworfen.",
             "Dem Bericht zufolge …", "  —Er", "Erst dann.", "Ihr Sprecher sagte", "These talks", "There are",
             "Er\u00adgebnisse liegen vor.", "Dort\u00admund siegte.", "Dort siegte Dortmund.", "", "…"]
    assert [text for text, points in zip(texts, pointing_back(texts)) if points] == [
        "Er betonte, dass einiges offen sei.", "„Deshalb warten wir.“", "Das sei ein Fehler, sagte er.",
        "Darunter sind drei Kinder.", "Dem widersprach der Minister.", "  —Er", "Ihr Sprecher sagte", "These talks",
        "Dort siegte Dortmund."]


def test_a_sentence_pointing_back_is_shown_with_the_one_before_only_when_it_would_stand_alone():
    before = np.array([-1, 0, 1, 2])
    points = np.array([True, True, True, False])
    assert [in_context(ALONE, i, before, points) for i in range(4)] == [-1, 0, 1, -1]  # the first has none before
    assert in_context(WITH_NEXT, 1, before, points) == in_context(WITH_PREVIOUS, 1, before, points) == -1


def test_a_quote_pointing_back_shows_the_sentence_before_and_abstains_as_without_it(embedder):
    raw = ("Sergej Lawrow sprach am Montag 2025 in Moskau. Er nannte eine Feinjustierung des Abkommens nötig. "
           "Bund und Land verhandelten seit Mai 2024. Deshalb einigten sie sich auf Fördermittel für Elektrolyseure. "
           "Vorgesehen sind 4,2 Mrd. Euro.")
    table = one_file_table(embedder, "f.txt", raw)
    for question, expected in [
            ("Wer nannte eine Feinjustierung des Abkommens nötig?",
             "Sergej Lawrow sprach am Montag 2025 in Moskau. Er nannte eine Feinjustierung des Abkommens nötig."),
            ("Wie hoch sind die Fördermittel für Elektrolyseure?",  # the next sentence names the sum: it comes first
             "Deshalb einigten sie sich auf Fördermittel für Elektrolyseure. Vorgesehen sind 4,2 Mrd. Euro.")]:
        passages = searcher(table, embedder).search(question, 5)
        abstained, quotes = extractor(table, floor=0.0, threshold=0.0).extract(
            question, embedder.encode([question])[0], passages)
        assert not abstained and quotes[0].text == expected
        assert raw[quotes[0].start:quotes[0].end] == quotes[0].text
    question = "Wer nannte eine Feinjustierung des Abkommens nötig?"
    passages = searcher(table, embedder).search(question, 5)
    best = extractor(table, floor=0.0, threshold=0.0).scored(question, embedder.encode([question])[0], passages)[0]
    assert best.context is not None and best.widened is None  # shown in context, not widened by a model
    question = "Wann nannte Lawrow eine Feinjustierung des Abkommens nötig?"  # the time is only in the context
    passages = searcher(table, embedder).search(question, 5)
    vector = embedder.encode([question])[0]
    assert extractor(table, floor=0.0, threshold=0.0).relevance(question, vector, passages) == 0.0
    assert extractor(table, floor=0.0, threshold=0.0).scored(question, vector, passages)[0].quote.text.startswith("Er ")


def test_a_sentence_before_that_another_quote_shows_is_not_shown_twice(embedder):
    raw = ("Lawrow sprach am Montag in Moskau. Er lobte Witkoff ausdrücklich. Er lobte Trump ausdrücklich. "
           "Danach reiste Witkoff nach Washington zurück.")
    second, third = raw.index("Er lobte Witkoff"), raw.index("Er lobte Trump")
    chunks = [Chunk("f.txt", 0, 0, third - 1, "Titel", raw[:third - 1]), Chunk("f.txt", 1, second, len(raw), "Titel",
                                                                              raw[second:])]  # overlapping chunks
    stored = [StoredChunk(c, FileVersion("ff", "cf", 1, "")) for c in chunks]
    records = {"ids": [x.chunk_id for x in stored], "documents": [c.text for c in chunks],
               "metadatas": [x.to_metadata() for x in stored], "embeddings": embedder.encode([c.text for c in chunks])}
    table = ChunkTable(derive(records, {}, {}, [], None))
    question = "Wen lobte er ausdrücklich?"  # both "Er lobte …" sentences are quoted, and both point back
    passages = searcher(table, embedder).search(question, 5)
    _, quotes = extractor(table, floor=0.0, threshold=0.0).extract(question, embedder.encode([question])[0], passages)
    assert [q.text for q in quotes] == ["Lawrow sprach am Montag in Moskau. Er lobte Witkoff ausdrücklich.",
                                        "Er lobte Trump ausdrücklich."]  # its sentence before is the first quote's
    assert all(raw[q.start:q.end] == q.text for q in quotes)


def test_extractor_abstains_under_the_floor(table, embedder):
    question = "Wie fiel die Ernte der Birnen aus?"  # 'birn' is in no chunk: at most about half is covered
    passages = searcher(table, embedder).search(question, 5)
    vector = embedder.encode([question])[0]
    relevance = extractor(table).relevance(question, vector, passages)
    assert 0 < relevance < 1
    assert extractor(table, threshold=relevance + 0.01).extract(question, vector, passages) == (True, [])
    abstained, quotes = extractor(table, threshold=relevance).extract(question, vector, passages)
    assert not abstained and quotes[0].source == "c.txt"


@pytest.mark.parametrize("question", ["Wer ist er?", "Wann?", "Wer " * 50, "Was ist das denn?", "Wie viele?",
                                      "Wie viele waren es?", "x", "a " * 50, "\U0001f600a" * 100])
def test_a_question_that_names_nothing_is_not_answered(table, embedder, question):
    passages = searcher(table, embedder, "hybrid").search(question, 5)
    assert passages  # dense search always finds something
    assert extractor(table, threshold=0.0).extract(question, embedder.encode([question])[0], passages) == (True, [])


def test_extractor_abstains_without_passages(table):
    vector = np.ones(FakeEmbedder.DIMENSIONS, dtype=np.float32)
    assert extractor(table, threshold=0.0).extract("Wer vermittelte?", vector, []) == (True, [])
    assert extractor(table, threshold=0.0).relevance("Wer vermittelte?", vector, []) == 0.0


def test_a_copied_passage_takes_one_slot_and_near_duplicates_yield_one_quote(table, embedder):
    (abstained, quotes), passages = ask(table, embedder, "Wer vermittelte den Austausch der Gefangenen?")
    assert not abstained
    sources = [p.source for p in passages]
    assert "b.txt" in sources and "d.txt" not in sources  # d.txt's chunk is b.txt's, word for word
    everything = searcher(table, embedder, "hybrid").search("Wer vermittelte den Austausch der Gefangenen?", 10)
    assert len(everything) == len(table) - 1 and len({p.text for p in everything}) == len(everything)
    question = "Wer vermittelte den Austausch der Gefangenen?"
    left_out = HybridSearcher(table, Weights()).search(question, embedder.encode([question])[0], 5, {"b.txt"})
    assert "d.txt" in [p.source for p in left_out] and "b.txt" not in [p.source for p in left_out]  # the copy stands in
    duplicate = "Die Türkei vermittelte den Austausch der Gefangenen."
    assert [q.text for q in quotes].count(duplicate) == 1
    assert not any(q.text == "Die Türkei vermittelte den Austausch." for q in quotes)  # contained in it, too


def test_adjacent_sentences_of_one_passage_are_merged(table, embedder):
    (abstained, quotes), _ = ask(table, embedder, "Wer vermittelte den Austausch in Istanbul?")
    assert not abstained
    merged = "Die Türkei vermittelte den Austausch. Die Gefangenen kamen nach Istanbul."
    assert quotes[0].text == merged and quotes[0].source == "a.txt"
    assert RAW["a.txt"][quotes[0].start:quotes[0].end] == merged


def candidate(passage: Passage, sentence: str, terms: set[str], score: float = 1.0) -> _Candidate:
    from askcorpus.answering.answer import Quote

    start = passage.start + passage.text.index(sentence)
    return _Candidate(Quote(sentence, passage.source, start, start + len(sentence), score), frozenset(terms))


def test_same_and_merge_directly(table):
    row = [c.source for c in table.chunks].index("e.txt")
    passage = Passage(table.chunks[row], 1.0, row)
    first = candidate(passage, "Lawrow sprach in Moskau.", {"lawrow", "sprach", "moskau"})
    third = candidate(passage, "Er lobte Witkoff.", {"lobt", "witkoff"}, 0.8)
    second = candidate(passage, "Lawrow nannte eine Feinjustierung nötig.", {"lawrow", "nannt", "feinjustier"}, 0.9)
    assert _same(first, first) and not _same(first, third) and not _same(first, second)
    assert len(_merge_adjacent([first, third], [passage])) == 2  # a sentence lies between them
    merged = _merge_adjacent([third, second, first], [passage])
    assert len(merged) == 1
    assert merged[0].quote.text == RAW["e.txt"] and merged[0].score == 1.0
    assert _merge_adjacent([first, second], []) == [first, second]  # no passage holds both
