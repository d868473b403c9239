"""Questions written in capitals or all in lower case, asked as the articles spell their words."""

import pytest

from askcorpus.answering.casing import Casing, uncased

TEXTS = ["Trotz der Gespräche setzt Russland die Angriffe fort. Die NATO berät, trotz allem.",
         "Die Türkei vermittelte den Austausch. Das sagte der Sprecher der NATO am Montag."]


@pytest.mark.parametrize("question, expected", [
    ("WAS SETZT RUSSLAND TROTZ DER GESPRÄCHE FORT?", True),
    ("wer vermittelte den austausch?", True),
    ("Wer vermittelte den Austausch?", False),
    ("Was sagt die NATO zur EU-Politik?", False),  # acronyms in a normal question
    ("USA?", False),  # too short to tell
    ("EU-GIPFEL", False),
    ("WER IST DER NATO-CHEF?", True),
])
def test_which_questions_are_uncased(question, expected):
    assert uncased(question) is expected


def test_words_take_their_usual_spelling_inside_a_sentence():
    casing = Casing(TEXTS)
    assert casing.restore("WAS SETZT RUSSLAND TROTZ DER GESPRÄCHE FORT?") == (
        "Was setzt Russland trotz der Gespräche fort?")  # "trotz", though "Trotz" opens a sentence
    assert casing.restore("was sagt die nato am montag?") == "Was sagt die NATO am Montag?"
    assert casing.restore("WHO MEDIATED THE EXCHANGE?") == "Who mediated the exchange?"  # words the texts lack


def test_a_question_in_its_usual_case_is_left_as_it_is():
    casing = Casing(TEXTS)
    for question in ("Wer vermittelte den Austausch?", "Was sagt die NATO?", "  wer?  ", "¿QUÉ?"):
        assert casing.restore(question) == question


def test_of_two_spellings_as_frequent_the_lower_case_one_is_taken_whatever_the_order():
    for texts in (["Wir kochen gern, das Kochen macht Spaß."], ["Das Kochen macht Spaß, wir kochen gern."]):
        assert Casing(texts).restore("WER WILL KOCHEN?") == "Wer will kochen?"
