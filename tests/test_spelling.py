"""Names in German and English spellings (`text.spelling`), and English questions that name them the English way."""

import pytest

from askcorpus.answering.question_type import Kind, asked_words, offers
from askcorpus.text.spelling import Spellings, spelled_alike


@pytest.mark.parametrize(("one", "other"), [
    ("Lawrow", "Lavrov"), ("Selenskyj", "Zelensky"), ("Selenskyj", "Zelenskyy"), ("Uschakow", "Ushakov"),
    ("Peskow", "Peskov"), ("Juri", "Yuri"), ("Wladimir", "Vladimir"), ("Sergej", "Sergei"), ("Türkei", "Turkey"),
    ("Amerika", "America"), ("Europa", "Europe"), ("Putins", "Putin"), ("Lawrows", "Lavrov"), ("Meier", "Meyer"),
    ("Tu\u0308rkei", "Turkey"),  # a decomposed umlaut
])
def test_one_name_in_two_spellings(one, other):
    assert spelled_alike(one, other) and spelled_alike(other, one)


@pytest.mark.parametrize(("one", "other"), [
    ("Iran", "Irak"), ("Mali", "Malta"), ("Trump", "Truppen"), ("Putin", "Puten"), ("Scholz", "Schulz"),
    ("an", "and"), ("Peter", "Petra"), ("Kremls", "Kremlin"), ("Paul", "Paula"), ("Maria", "Mario"),
    ("Franz", "Frank"), ("Hamas", "Hamad"), ("Daniel", "Daniela"), ("the", "them"),
])
def test_different_names_stay_apart(one, other):
    assert not spelled_alike(one, other)


def test_spellings_hold_a_questions_words_and_its_names_in_any_spelling():
    asked = Spellings(["who", "did", "lavrov", "meet", "the"], ["Lavrov"])
    assert "lawrow" in asked and "lavrov" in asked and "meet" in asked
    assert "witkoff" not in asked
    assert "thema" not in asked and "them" not in asked  # the question's small words are compared as spelt


def test_an_english_question_mentions_a_name_it_spells_the_english_way():
    sentence = "Außenminister Sergej Lawrow traf am Montag den Sondergesandten."
    assert not offers(Kind.PERSON, sentence, "Who did Sergei Lavrov meet on Monday?")
    assert offers(Kind.PERSON, "Sergej Lawrow traf Steve Witkoff.", "Who did Sergei Lavrov meet?")
    assert offers(Kind.PERSON, sentence, "Wen traf Sergei Lavrov am Montag?")  # German questions match as spelt
    assert "lawrow" in asked_words("Who is Lavrov?") and "lawrow" not in asked_words("Wer ist Lavrov?")
    assert offers(Kind.PERSON, "Die Hauptrolle übernimmt Harrison Ford.", "Who was cast for the role?")
    assert offers(Kind.PERSON, "Sie traf Walter Scheel in Berlin.", "Who did she meet in Berlin?")
