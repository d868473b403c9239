"""Names as another language spells them: "Lavrov" for "Lawrow", "Zelensky" for "Selenskyj", "Turkey" for
"Türkei". An English question names people and places the English way; a German article, the German way."""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable

# German and English transcriptions of the same sounds, folded to one spelling (longest first)
_FOLDS = (("tsch", "ch"), ("sch", "sh"), ("ß", "ss"), ("ph", "f"), ("w", "v"), ("z", "s"), ("c", "k"), ("y", "i"),
          ("j", "i"))
MIN_STEM = 4  # a name this long may take a genitive "s" ("Putins", "Lawrows")
MIN_LETTERS = 5  # a name this long may end in "a" one way and "e" the other ("Europa", "Europe")


@functools.lru_cache(maxsize=65536)
def folded(word: str) -> str:
    """`word` lower-cased, without diacritics, with German and English transcriptions made one, doubled letters
    single."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", word.casefold()) if not unicodedata.combining(c))
    for spelling, common in _FOLDS:
        plain = plain.replace(spelling, common)
    return "".join(c for n, c in enumerate(plain) if n == 0 or c != plain[n - 1])


def _alike(one: str, other: str) -> bool:
    """`spelled_alike` of two folded words."""
    a, b = sorted((one, other), key=len)
    if a == b:
        return True
    if len(a) >= MIN_STEM and b == a + "s":
        return True
    return len(a) >= MIN_LETTERS and len(a) == len(b) and a[:-1] == b[:-1] and {a[-1], b[-1]} == {"a", "e"}


def spelled_alike(one: str, other: str) -> bool:
    """True when two words are one name in two spellings: the same once `folded`, one the other's genitive (a name
    of at least MIN_STEM letters and an "s"), or, of at least MIN_LETTERS letters, ending in "a" and "e"."""
    return _alike(folded(one), folded(other))


class Spellings:
    """A question's words, to ask whether a word is one of them: as spelt, or, for its `names`, in any spelling
    (`spelled_alike`)."""

    def __init__(self, words: Iterable[str], names: Iterable[str]):
        self._words = frozenset(words)
        self._names = frozenset(folded(name) for name in names)

    def __contains__(self, word: str) -> bool:
        if word in self._words:
            return True
        mine = folded(word)
        return mine in self._names or any(_alike(mine, name) for name in self._names)
