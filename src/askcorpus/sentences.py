"""German sentence boundaries: where a sentence ends, and the sentence spans of a text."""

from __future__ import annotations

import re

ABBREVIATIONS = (
    "z", "B", "Nr", "Mio", "Mrd", "Dr", "Prof", "bzw", "ca", "vgl", "usw", "etc", "St", "Str", "Abs", "Art",
    "Jh", "Jhd", "Hr", "Fr", "Hrsg", "inkl", "exkl", "evtl", "ggf", "sog", "u", "a", "d", "h", "o", "s",
    "Tel", "Mr", "Mrs", "Ms", "Jr", "Sr", "Co", "Bd", "Aufl", "geb", "gest", "Jan", "Feb", "Apr", "Aug",
    "Sep", "Sept", "Okt", "Nov", "Dez", "Mo", "Di", "Mi", "Do", "Sa", "So", "Std", "Min", "Bsp", "bspw",
)
MONTHS = "Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember"


def _boundary() -> str:
    """Whitespace after a sentence end, but not after an abbreviation, an initial or a date like '3. Juni'."""
    not_abbreviation = "".join(f"(?<!\\b{re.escape(word)}\\.)" for word in ABBREVIATIONS)
    not_initial = r"(?<!\b[A-ZÄÖÜ]\.)"
    ordinal_date = rf"(?<!\d\.)|(?<=\d\.)(?!\s+(?:{MONTHS}|[a-zäöüß(]))"
    return (
        rf"(?<=[.!?…])(?:(?<=\.){not_abbreviation}{not_initial}(?:{ordinal_date})|(?<![.]))"
        r"[\"“”»«)\]]*\s+(?=[\"„“»«(\[]?[A-ZÄÖÜ0-9])"
    )


SENTENCE_BOUNDARY = _boundary()
_SPLIT = re.compile(rf"{SENTENCE_BOUNDARY}|\s*\n\s*")
_CLOSERS = "\"“”»«)]"


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in `text`, without surrounding whitespace; line breaks end sentences too."""
    spans, start = [], 0
    for match in _SPLIT.finditer(text):
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
