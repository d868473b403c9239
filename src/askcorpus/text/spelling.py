"""Names as another language spells them: "Lavrov" for "Lawrow", "Zelensky" for "Selenskyj", "Turkey" for
"Türkei". An English question names people and places the English way; a German article, the German way."""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable

# German and English transcriptions of the same sounds, folded to one spelling (longest first)
_FOLDS = (("tsch", "ch"), ("sch", "sh"), ("ß", "ss"), ("ph", "f"), ("w", "v"), ("z", "s"), ("c", "k"), ("y", "i"),
          ("j", "i"))
MAX_ENDING = 2  # letters an inflected form may add ("Putins", "Lawrows")
MIN_STEM = 3  # a shorter word is only ever the same word
MIN_LETTERS = 5  # a word this long may also differ in its last letter ("Europa", "Europe"), not "Iran" and "Irak"


@functools.lru_cache(maxsize=65536)
def folded(word: str) -> str:
    """`word` lower-cased, without diacritics, with German and English transcriptions made one, doubled letters
    single."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", word.casefold()) if not unicodedata.combining(c))
    for spelling, common in _FOLDS:
        plain = plain.replace(spelling, common)
    return "".join(c for n, c in enumerate(plain) if n == 0 or c != plain[n - 1])


def _alike(a: str, b: str) -> bool:
    """`spelled_alike` of two folded words, `a` not the longer."""
    if a == b:
        return True
    if len(a) < MIN_STEM:
        return False
    if b.startswith(a) and len(b) - len(a) <= MAX_ENDING:
        return True
    return len(a) >= MIN_LETTERS and len(b) == len(a) and b.startswith(a[:-1])


def spelled_alike(one: str, other: str) -> bool:
    """True when two words are one name in two spellings, or one inflected ("Putins"): the same once `folded`, the
    shorter (of at least MIN_STEM letters) followed by at most MAX_ENDING letters, or, both of at least MIN_LETTERS
    letters and as long, different in the last alone."""
    a, b = sorted((folded(one), folded(other)), key=len)
    return _alike(a, b)


class Spellings:
    """Words (a question's), to ask whether another word is one of them in some spelling (`spelled_alike`)."""

    def __init__(self, words: Iterable[str]):
        self._folded = frozenset(folded(word) for word in words)

    def __contains__(self, word: str) -> bool:
        mine = folded(word)
        return mine in self._folded or any(_alike(*sorted((mine, other), key=len)) for other in self._folded)
