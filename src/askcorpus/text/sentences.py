"""German sentence boundaries: where a sentence ends, and the sentence spans of a text."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

ABBREVIATIONS = (
    "z", "B", "Nr", "Mio", "Mrd", "Dr", "Prof", "bzw", "ca", "vgl", "usw", "etc", "St", "Str", "Abs", "Art",
    "Jh", "Jhd", "Hr", "Fr", "Hrsg", "inkl", "exkl", "evtl", "ggf", "sog", "u", "a", "d", "h", "o", "s",
    "Tel", "Mr", "Mrs", "Ms", "Jr", "Sr", "Co", "Bd", "Aufl", "geb", "gest", "Jan", "Feb", "Apr", "Aug",
    "Sep", "Sept", "Okt", "Nov", "Dez", "Mo", "Di", "Mi", "Do", "Sa", "So", "Std", "Min", "Bsp", "bspw",
    "v", "n", "Jhs", "rd", "ehem", "Kap", "Anm", "zit", "Ziff", "gegr",
)
MONTHS = "Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember"
# Before a number of three or more digits these make it an ordinal ("seinen 100. Geburtstag", "am 1000. Tag"), not
# the end of a sentence ("stieg auf 300. Danach …").
ORDINAL_DETERMINERS = (
    "der", "die", "das", "den", "dem", "des", "zum", "zur", "am", "im", "vom", "beim", "ins",
    "sein", "seine", "seinen", "seinem", "seiner", "seines", "ihr", "ihre", "ihren", "ihrem", "ihrer", "ihres",
    "unser", "unsere", "unseren", "unserem", "unserer", "unseres", "diese", "dieser", "diesen", "diesem", "dieses",
    "jede", "jeder", "jeden", "jedem", "jedes",
)
ORDINAL_DIGITS = (3, 4, 5)
# ... unless one of these follows, which opens a sentence rather than naming what is counted ("die 300. Die anderen").
SENTENCE_OPENERS = (
    "Der", "Die", "Das", "Dem", "Den", "Des", "Ein", "Eine", "Einer", "Er", "Sie", "Es", "Ich", "Wir", "Ihr", "Man",
    "Dies", "Diese", "Dieser", "Dieses", "Danach", "Dann", "Da", "Damit", "Doch", "Aber", "Und", "Auch", "Mehr",
    "Nun", "Jetzt", "So", "Denn", "Noch", "Nur", "Am", "Im", "In", "Bei", "Mit", "Nach", "Von", "Zum", "Zur",
)


def sentence_boundary() -> str:
    """Whitespace after a sentence end, but not after an abbreviation, an initial, or an ordinal: a number of one or
    two digits ('3. Juni', 'im 19. Jahrhundert', 'der 2. Weltkrieg'); a longer one ends a sentence unless a month or
    a lower-case word follows, or an article or a possessive comes before it ('zum 100. Mal') and no word that opens
    sentences after it ('die 300. Die anderen …').

    Built from the current word lists, so the splitter and its `splitter_signature` always agree.
    """
    return _boundary(ABBREVIATIONS, MONTHS, ORDINAL_DETERMINERS, ORDINAL_DIGITS, SENTENCE_OPENERS)


@lru_cache(maxsize=4)
def _boundary(abbreviations: tuple[str, ...], months: str, determiners: tuple[str, ...],
              digits: tuple[int, ...], openers: tuple[str, ...]) -> str:
    not_abbreviation = "".join(f"(?<!\\b{re.escape(word)}\\.)" for word in abbreviations)
    not_initial = r"(?<!\b[A-ZÄÖÜ]\.)"
    not_ordinal = "".join(f"(?<!\\b{re.escape(form)}\\s\\d{{{count}}}\\.)" for word in determiners
                          for form in (word, word.capitalize()) for count in digits)
    opener = rf"(?=\s+(?:{'|'.join(openers)})\b)"
    ordinal_date = rf"(?<!\d\.)|(?<=\d\d\d\.)(?:{not_ordinal}|{opener})(?!\s+(?:{months}|[a-zäöüß(]))"
    return (
        rf"(?<=[.!?…])(?:(?<=\.){not_abbreviation}{not_initial}(?:{ordinal_date})|(?<![.]))"
        r"[\"“”»«)\]]*\s+(?=[\"„“»«(\[]?[A-ZÄÖÜ0-9])"
    )


@lru_cache(maxsize=4)
def _splitter(boundary: str) -> re.Pattern:
    return re.compile(rf"{boundary}|\s*\n\s*")


def splitter_signature() -> str:
    """Changes whenever sentence boundaries could fall elsewhere (the abbreviations, the months, the pattern)."""
    return hashlib.sha256(sentence_boundary().encode()).hexdigest()[:16]


_CLOSERS = "\"“”»«)]"


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in `text`, without surrounding whitespace; line breaks end sentences too."""
    spans, start = [], 0
    for match in _splitter(sentence_boundary()).finditer(text):
        end = match.start()
        while match.group().startswith(tuple(_CLOSERS)) and end < match.end() and text[end] in _CLOSERS:
            end += 1  # a closing quote belongs to the sentence it closes
        spans.append((start, end))
        start = match.end()
    spans.append((start, len(text)))
    result = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            result.append((s, e))
    return result
