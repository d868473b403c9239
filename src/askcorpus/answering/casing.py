"""Questions typed in capitals ("WER VERMITTELTE DEN AUSTAUSCH?") or all in lower case: the model reads a word in
capitals far worse than the same word as the articles write it (lower case a little worse), so such a question is
asked in the articles' own case."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

WORD = re.compile(r"[^\W\d_]+")
LETTER = re.compile(r"[^\W\d_]")
SENTENCE_ENDS = frozenset(".!?:\n")
WORD_OR_END = re.compile(r"[^\W\d_]+|[.!?:\n]")
CAPITALS_SHARE = 0.9  # of the cased letters: a question with an acronym or two is not written in capitals
UNCASED_WORDS = 2  # words of three letters or more, so that "USA?" or "EU-Gipfel" is not


def uncased(question: str) -> bool:
    """True when `question` is written in capitals, or all in lower case."""
    letters = [c for c in question if c.lower() != c.upper()]
    long_words = sum(len(word) >= 3 for word in WORD.findall(question))
    upper = sum(c.isupper() for c in letters)
    return long_words >= UNCASED_WORDS and (upper >= CAPITALS_SHARE * len(letters) or upper == 0)


class Casing:
    """The usual spelling of each word of some texts: the most frequent of its spellings inside a sentence, where
    German capitals only nouns and names ("trotz", not the "Trotz" that opens a sentence)."""

    def __init__(self, texts: Iterable[str]):
        inside, opening = Counter(), Counter()
        for text in texts:
            counts = opening
            for token in WORD_OR_END.findall(text):
                if token in SENTENCE_ENDS:
                    counts = opening
                else:
                    counts[token] += 1
                    counts = inside
        usual: dict[str, str] = {}
        for word in sorted(inside.keys() | opening.keys(), key=lambda word: (inside[word], opening[word], word)):
            usual[word.lower()] = word  # the last, the most frequent, wins; of equals, the one in lower case
        self._usual = usual

    def restore(self, question: str) -> str:
        """`question` in the usual case of its words when it is `uncased` (a word the texts lack in lower case, the
        first letter a capital); any other question as it is."""
        if not uncased(question):
            return question
        recased = WORD.sub(lambda match: self._usual.get(match[0].lower(), match[0].lower()), question)
        return LETTER.sub(lambda match: match[0].upper(), recased, count=1)
