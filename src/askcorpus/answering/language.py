"""Whether a question is English: lexical matching against the German articles then says nothing, and answering
goes by the model's vectors and the dictionary's translations instead."""

from __future__ import annotations

import re
from typing import Protocol

ENGLISH_FUNCTION_WORDS = frozenset(
    "the a an of is are were did does do what who whom whose which when where why how many much "
    "and to on for with by from that this have had as such at it its be been being their there "
    "they them he she his her him or not into about after before than can could would should along "
    "during between against through over under any some all these those if whether has "
    "me my you your we us our "  # not "i": "i.d.R.", "i.A."; the pronoun is "I", a capital
    "in was an so will also die hat".split())  # the last are German words too
_GERMAN = frozenset("der die das den dem des ein eine einen einem einer eines ist sind war waren wer wie was wann wo "
                    "warum welche welcher welches welchem welchen und zu im in auf für mit von hat haben hatte nach "
                    "bei wurde wurden wird werden sein seine seiner seinem seinen ihm ihr ihre ihren ihrem sich nicht "
                    "gegen um ohne zum zur vom beim als wenn dass über durch noch auch es wieviel wieviele viele "
                    "diese dieser dieses wem wen wessen wieso weshalb wozu womit wofür worüber heisst bedeutet gibt "
                    "gab kann können konnte soll sollte muss müssen darf hier dort denn schon nur sehr mehr bis seit "
                    "unter vor zwischen an so will also die".split())  # casefolded: "heißt" reads "heisst"
_ENGLISH_ONLY = ENGLISH_FUNCTION_WORDS - _GERMAN  # "in", "was", "an", "die", "hat" are words of either language
_GERMAN_ONLY = _GERMAN - ENGLISH_FUNCTION_WORDS
_FUNCTION_WORDS = ENGLISH_FUNCTION_WORDS | _GERMAN
ENGLISH_QUESTION_WORDS = frozenset("what who whom whose which when where why how".split())  # also last: "… when?"
_ENGLISH_START = ENGLISH_QUESTION_WORDS | frozenset("did does do is are were can could would should has have had "
                                                     "tell name list give describe explain".split()) - _GERMAN
GERMAN_QUESTION_WORDS = frozenset("wer wie wann wo warum welche welcher welches welchem welchen wieso weshalb "
                                  "weswegen wozu womit wofür worüber wem wen wessen wieviel wieviele".split())
# openings of either language, English when an English word follows: "Was the …?", "Will Trump meet …?"
_EITHER_START = frozenset("was will".split())
# a question word may follow one of these ("In which year …?", "Since when …?")
_ENGLISH_PREPOSITIONS = frozenset("in on at for by to from of with since until during after before".split())
# a title quoted in the question: „…“ "…" “…” »…« «…» ‚…‘ and '…' (not an apostrophe inside a word)
_QUOTED = re.compile(r"„[^“”\"]*[“”\"]|\"[^\"]*\"|“[^”]*”|»[^«]*«|«[^»]*»|‚[^‘’]*[‘’]|(?<!\w)'[^']*'(?!\w)")
PLAIN_WORD = re.compile(r"(?<![\w-])[^\W\d_]+(?![\w-])")  # not a part of a hyphenated word ("IT-Sicherheit")
_NAME_PARTICLES = frozenset("von vom van der den de du da di del della la le zu zur ten ter".split())


class WordLanguages(Protocol):
    """Which language a word belongs to, as a bilingual dictionary knows it (`text.bilingual.Dictionary`)."""

    def language(self, word: str) -> str | None:
        """"en" or "de" for a word of only that language, else None."""
        ...

    def available(self) -> bool:
        """Whether there is anything to look words up in."""
        ...


def is_english(question: str, lexicon: WordLanguages | None = None) -> bool:
    """More English words than German ones, and at least two, or (with a `lexicon`) none German, or an English
    question word last ("… when?"), or an English opening word in front (past one preposition: "In which year …?";
    "Was"/"Will" before an English word: "Was the ceasefire accepted?", "Was Trump present?"). A word is English or
    German by the function words of each language and, with a `lexicon`, by whether only one language has it
    ("killed", "victims"; "passiert"): "Kremlin statement?" is English only so. Quoted titles ("Wann erschien „The
    Life of Pablo“?"), parts of hyphenated words ("IT-Sicherheit") and capitalised words past the first ("When was
    Gegen emperor?"), and in a question opening in English the particles before one ("von der Leyen"), do not count.
    A question opening in German is German: a German question word ("Wer sagte yes we can?"), or "Was" before a
    German word ("Was heißt who cares?").
    Checked on the 1,552 German questions of XQuAD-de and GermanQuAD (none taken for English) and on the 1,190
    English translations of XQuAD-de questions in `eval/` (all English), with Debian's dictionary and without."""
    if lexicon is not None and not lexicon.available():
        lexicon = None  # a dictionary without its file knows no word
    unquoted = _QUOTED.sub(" ", question)
    plain = PLAIN_WORD.findall(unquoted if unquoted.strip(" ?!.") else question)
    tokens = [word.casefold() for word in plain]

    def language(token: str, word: str = "") -> str | None:
        if token in _ENGLISH_ONLY:
            return "en"
        if token in _GERMAN_ONLY:
            return "de"
        if lexicon is None or token in _FUNCTION_WORDS or len(word) > 1 and word.isupper():
            return None  # an acronym is of no language: "NATO", "USA"
        return lexicon.language(token)

    opening = tokens[1:2] if tokens[:1] and tokens[0] in _ENGLISH_PREPOSITIONS else tokens[:1]
    lower = [token for token, word in zip(tokens[1:], plain[1:]) if not word[0].isupper()]
    after = language(lower[0]) if lower and opening and opening[0] in _EITHER_START else None
    opens_english = bool(opening) and (opening[0] in _ENGLISH_START or after == "en")
    if opening and (opening[0] in GERMAN_QUESTION_WORDS or after == "de"):
        return False  # "Was heißt who cares?", "Wer sagte yes we can?"
    # past the first word, a capitalised function word is part of a name or title ("When was Gegen emperor?"), and
    # in a question opening in English so are the particles before one ("Who is Ursula von der Leyen?")
    counted = list(zip(tokens, plain))[:1] + [
        (token, word) for n, (token, word) in enumerate(zip(tokens[1:], plain[1:]), 1)
        if not word[0].isupper() and not (opens_english and _name_particle(plain, n))]
    languages = [language(token, word) for token, word in counted]
    if lexicon is not None and not opens_english:  # German nouns past the first: "Trump Zölle?", "Musk Tesla Werk?"
        languages += ["de" for token, word in zip(tokens[1:], plain[1:])
                      if word[0].isupper() and language(token, word) == "de"]
    english, german = languages.count("en"), languages.count("de")
    # with no lexicon, a German question may show no German word at all ("Was zeigt die Serie House of Cards?")
    return english > german and (english >= 2 or lexicon is not None and german == 0 or opens_english
                                 or len(tokens) > 1 and tokens[-1] in ENGLISH_QUESTION_WORDS)


def _name_particle(plain: list[str], n: int) -> bool:
    """True when `plain[n]` is one of a run of name particles that a capitalised word follows ("von der Leyen")."""
    after = n
    while after < len(plain) and plain[after] in _NAME_PARTICLES:
        after += 1
    return after > n and after < len(plain) and plain[after][0].isupper()
