"""German analysis for lexical matching: stems, stopwords, compounds and related words."""

from askcorpus.text.analysis import GermanAnalyzer, related, words


def test_words_split_hyphens_and_keep_umlauts():
    # casefold: ß -> ss, as in Swiss spelling
    assert words("Der Ukraine-Konflikt, Größe: 30-tägige!") == ["der", "ukraine", "konflikt", "grösse", "30", "tägige"]


def test_a_decomposed_umlaut_is_one_letter_not_a_word_break():
    assert words("Lu\u0308beck") == words("L\u00fcbeck") == ["l\u00fcbeck"]


def test_stopwords_and_question_words_are_dropped():
    assert GermanAnalyzer().terms("Wer hat das worauf gemacht?") == ["gemacht"]
    assert GermanAnalyzer().terms("Wie viele Tote, wie wenige Verletzte?") == ["tot", "verletzt"]


def test_compounds_yield_parts_known_to_the_corpus():
    analyzer = GermanAnalyzer(words("Der Krieg in der Ukraine, die Gefangenen"))
    assert analyzer.term_groups("Ukrainekrieg") == [("ukrainekrieg", "ukrain", "krieg")]
    assert analyzer.term_groups("Kriegsgefangene") == [("kriegsgefang", "krieg", "gefang")]
    assert analyzer.term_groups("Wasserstoff") == [("wasserstoff",)]


def test_related_stems():
    assert related("hofft", "hoffnung")
    assert related("wies", "zuruckgewies")
    assert not related("krieg", "kriterium")
    assert not related("usa", "usamerika")
