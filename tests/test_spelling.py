"""Names in German and English spellings (`text.spelling`), and English questions that name them the English way."""

import pytest

from askcorpus.answering.question_type import Kind, asked_words, offers
from askcorpus.text.spelling import Spellings, spelled_alike


@pytest.mark.parametrize(("one", "other"), [
    ("Lawrow", "Lavrov"), ("Selenskyj", "Zelensky"), ("Selenskyj", "Zelenskyy"), ("Uschakow", "Ushakov"),
    ("Peskow", "Peskov"), ("Juri", "Yuri"), ("Wladimir", "Vladimir"), ("Sergej", "Sergei"), ("Türkei", "Turkey"),
    ("Amerika", "America"), ("Europa", "Europe"), ("Putins", "Putin"), ("Lawrows", "Lavrov"), ("Macron", "Macron"),
    ("Tu\u0308rkei", "Turkey"),  # a decomposed umlaut
])
def test_one_name_in_two_spellings(one, other):
    assert spelled_alike(one, other) and spelled_alike(other, one)


@pytest.mark.parametrize(("one", "other"), [
    ("Iran", "Irak"), ("Mali", "Malta"), ("Trump", "Truppen"), ("Putin", "Puten"), ("Scholz", "Schulz"),
    ("an", "and"), ("Peter", "Petra"), ("Kremls", "Kremlin"),
])
def test_different_names_stay_apart(one, other):
    assert not spelled_alike(one, other)


def test_spellings_hold_a_questions_words():
    asked = Spellings(["who", "did", "lavrov", "meet"])
    assert "Lawrow" in asked and "lavrov" in asked
    assert "Witkoff" not in asked


def test_an_english_question_mentions_a_name_it_spells_the_english_way():
    sentence = "Außenminister Sergej Lawrow traf am Montag den Sondergesandten."
    assert not offers(Kind.PERSON, sentence, "Who did Sergei Lavrov meet on Monday?")
    assert offers(Kind.PERSON, "Sergej Lawrow traf Steve Witkoff.", "Who did Sergei Lavrov meet?")
    assert offers(Kind.PERSON, sentence, "Wen traf Sergei Lavrov am Montag?")  # German questions match as spelt
    assert "Lawrow" in asked_words("Who is Lavrov?") and "Lawrow" not in asked_words("Wer ist Lavrov?")
