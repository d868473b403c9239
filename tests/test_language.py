"""Telling an English question from a German one: by function words, and by the words only one side of the
dictionary holds."""

from __future__ import annotations

from pathlib import Path

import pytest

from askcorpus.answering.language import is_english
from askcorpus.text.bilingual import DEFAULT_DICTIONARY, Dictionary

SHORT_QUESTIONS = Path(__file__).parent / "data" / "short_questions.tsv"
# Entries in the format of the Ding dictionary, written for these tests
LINES = """\
töten {vt} | tötend | getötet :: to kill | killing | killed
anwesend {adj} :: present
Opfer {n} | Opfer {pl} :: victim | victims
Angriff {m} | Angriffe {pl} :: attack | attacks
passieren {vi} | passierend | passiert :: to happen | happening | happened
global {adj} :: global
bieten {vt} | bietend | geboten | ich/er/sie bot :: to offer | offering | offered | I/he/she offered
Bot {m} [comp.] :: bot
treffen {vt} | treffend :: to meet | meeting
zeigen {vt} | zeigend | gezeigt | er/sie zeigt :: to show | showing | shown | he/she shows
meinen {vt} | meinend | gemeint | ich/er/sie meinte :: to mean | meaning | meant | I/he/she meant
am :: at the
Trumpf {m} :: trump
Zoll {m} | Zölle {pl} :: customs duty | customs duties
NATO {f} :: North Atlantic Treaty Organization /NATO/
Gipfel {m} :: summit
"""


@pytest.fixture
def lexicon(tmp_path) -> Dictionary:
    path = tmp_path / "de-en"
    path.write_text(LINES, encoding="utf-8")
    return Dictionary(path)


def test_a_word_is_english_or_german_when_only_one_side_holds_it(lexicon):
    assert lexicon.language("killed") == lexicon.language("Victims") == "en"
    assert lexicon.language("attacked") == "en"  # an inflection of an entry
    assert lexicon.language("passiert") == lexicon.language("zeigt") == "de"  # a form inside "er/sie zeigt"
    assert lexicon.language("global") is None  # both sides
    assert lexicon.language("bot") is None  # an English entry, and a German form ("ich/er/sie bot")
    assert lexicon.language("am") is None  # too short to tell
    assert lexicon.language("Eiffelturm") is None  # neither
    assert Dictionary(None).language("killed") is None


@pytest.mark.parametrize(("question", "english"), [
    ("Was Trump present?", True),  # "Was" opens either language: the next word of lower case decides
    ("Will Trump meet Putin?", True),
    ("Kyiv attack victims?", True),  # no function word at all: English words and no German one
    ("Was anybody killed?", True),
    ("Was bot Trump an?", False),  # a word of both languages
    ("Was passiert am Sonntag?", False),
    ("Was meinte Obama mit yes we can?", False),  # a German opening: "Was" and a German word
    ("Wer sagte yes we can?", False),
    ("Was zeigt die Serie House of Cards?", False),  # "zeigt" is German, "of" English, "House" a title
    ("Putin Trump", False),
    ("Trump Zölle?", False),  # a German noun past the first word counts against an English first word
    ("NATO summit?", True),  # an acronym is of no language
])
def test_the_words_only_one_language_has_decide_short_questions(lexicon, question, english):
    assert is_english(question, lexicon) is english
    if english:
        assert not is_english(question)  # function words alone cannot tell these


@pytest.mark.slow
def test_short_questions_are_told_apart_with_the_installed_dictionary():
    """The dictionary that `make test` installs, on 63 short English and 82 short German questions."""
    real = Dictionary(DEFAULT_DICTIONARY)
    if not real.available():
        pytest.skip("Debian's trans-de-en is not installed (make test installs it)")
    rows = [line.split("\t") for line in SHORT_QUESTIONS.read_text(encoding="utf-8").splitlines()
            if not line.startswith("#")]
    wrong = [question for language, question in rows if is_english(question, real) != (language == "en")]
    assert len(rows) == 145 and wrong == []


@pytest.mark.parametrize(("question", "english"), [
    ("Who mediated the prisoner exchange?", True),
    ("What is the name of the Kremlin spokesman?", True),
    ("Wer vermittelte den Austausch?", False),
    ("Was ist die Nato?", False),
    ("Putin Trump", False),
    ("Which theory best explains gravity?", True),  # one function word, none German
    ("Which river runs along Jacksonville?", True),
    ("Wann erschien „The Life of Pablo“?", False),  # a quoted title does not count
    ('Wer schrieb "The rebirth of Canada\'s Indians"?', False),
    ("Was macht Doctor Who, wenn sein Körper tödlich verwundet wird?", False),
    ("Who wrote „Der Zauberberg“?", True),
    ("Was kostet die IT-Sicherheit?", False),  # a part of a hyphenated word does not count
    ("Was fordert die Fridays-for-Future-Bewegung?", False),
    ("Was zeigt die Serie House of Cards?", False),  # one English word, and no English question word in front
    ("Wer singt 'Let it be'?", False),
    ("Wer singt ‚Let it be‘?", False),
    ('"What did Putin say?"', True),  # a question that is all quote is read as it is
    ("What's Putin's position?", True),
    ("In which century was quantum mechanics developed?", True),  # a question word past a preposition
    ("When was Gegen emperor?", True),  # a capitalised function word is a name
    ("Kyiv was attacked when?", True),  # an English question word at the end
    ("Name the Russian foreign minister.", True),
    ("Tell me who met Putin in Moscow.", True),
    ("Has Germany sent tanks?", True),
    ("Wer singt When I Was Your Man?", False),  # an English title, capitalised, in a German question
    ("Was baute Ludwig I an der Isar?", False),
    ("Was kostet i.d.R. eine Wohnung u.a. in München?", False),  # "i" is no English word
    ("Was will die Regierung also tun?", False),  # "will", "also", "so" and "an" are German words too
    ("Was heißt who cares?", False),  # an English question word counts in front or last
    ("Was heißt when?", False),
    ("Was the ceasefire accepted?", True),  # "was" and "will" open either language: the word after them decides
    ("Will the talks continue?", True),
    ("Was there a breakthrough?", True),
    ("Will die Regierung verhandeln?", False),
    ("Was die Regierung will, ist unklar?", False),
    ("Who is Ursula von der Leyen?", True),  # the particles of a name count for neither language
    ("Who is von der Leyen?", True),
    ("Wer ist Ursula von der Leyen?", False),
    ("Was verlangt Merkel von der Regierung?", False),
    ("Wann erschien Lord of the Rings von Peter Jackson?", False),  # an English title; the question opens in German
])
@pytest.mark.parametrize("source", ["none", "sample", "unavailable", pytest.param("installed", marks=pytest.mark.slow)])
def test_english_questions_are_told_apart(question, english, source, tmp_path):
    """With function words alone, with a dictionary of a few lines, with one whose file is missing (as no dictionary)
    and with the one `make test` installs."""
    if source == "installed" and not DEFAULT_DICTIONARY.is_file():
        pytest.skip("Debian's trans-de-en is not installed (make test installs it)")
    (tmp_path / "de-en").write_text(LINES, encoding="utf-8")
    words = {"none": None, "sample": Dictionary(tmp_path / "de-en"), "unavailable": Dictionary(tmp_path / "missing"),
             "installed": Dictionary(DEFAULT_DICTIONARY)}[source]
    assert is_english(question, words) is english
