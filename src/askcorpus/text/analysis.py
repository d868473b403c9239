"""German text analysis for lexical matching: words, stopwords, Snowball stems and compound parts."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

import Stemmer

WORD = re.compile(r"[^\W_]+", re.UNICODE)
MIN_PART = 4
MIN_COMPOUND = 8
LINKS = ("", "s", "es", "n", "en", "e")
QUESTION_WORDS = frozenset(
    "wer wie was wann wo warum welche welcher welches welchem welchen wem wen wessen woher wohin wieso weshalb "
    "weswegen wozu womit wofür worauf woran worüber worum wovon wodurch wogegen worin wonach inwiefern".split()
)


ANALYSIS_VERSION = 2  # raise when the stemming changes in a way the word lists do not show
# German function words: articles, pronouns, prepositions, conjunctions, auxiliaries, particles.
STOPWORDS = frozenset("""
aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes anders auch auf
aus bei bin bis bist da damit dann das dass dasselbe dazu dein deine deinem deinen deiner dem demselben den
denn denselben der derer derselbe derselben des desselben dessen dich die dies diese dieselbe dieselben diesem
diesen dieser dieses dir doch dort du durch ein eine einem einen einer eines einig einige einigem einigen
einiger einiges einmal er es etwas euch euer eure eurem euren eurer für gegen gewesen hab habe haben hat hatte
hatten hier hin hinter ich ihm ihn ihnen ihr ihre ihrem ihren ihrer ihres im in indem ins ist jede jedem jeden
jeder jedes jene jenem jenen jener jenes jetzt kann kein keine keinem keinen keiner keines können könnte
machen man manche manchem manchen mancher manches mein meine meinem meinen meiner meines mich mir mit muss
musste nach nicht nichts noch nun nur ob oder ohne sehr sein seine seinem seinen seiner seines selbst sich sie
sind so solche solchem solchen solcher solches soll sollte sondern sonst über um und uns unser unsere unserem
unseren unter viel viele vielem vielen vieler vieles vom von vor während war waren warst was weg weil weiter welche
welchem welchen welcher welches wenig wenige wenigem wenigen weniger weniges wenn werde werden wie wieder will
wir wird wirst wo wollen wollte würde würden zu zum zur zwar zwischen
""".split())


def _stopwords() -> frozenset[str]:
    return STOPWORDS | QUESTION_WORDS


def analyzer_signature() -> str:
    """Changes whenever the terms of a text could change: the version, the word lists, the compound rules."""
    parts = [str(ANALYSIS_VERSION), "snowball-german", " ".join(sorted(_stopwords())), str(MIN_PART),
             str(MIN_COMPOUND), ",".join(LINKS), WORD.pattern]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def composed(text: str) -> str:
    """`text` with its letters composed (NFC): a "ü" written as "u" and a combining diaeresis is one letter, which
    the word patterns read as a letter, not as a word break. Only for reading: quotes keep the file's characters."""
    return unicodedata.normalize("NFC", text)


def words(text: str) -> list[str]:
    """Lower-cased word tokens, composed (`composed`); hyphenated words come apart ("Ukraine-Konflikt" -> ukraine,
    konflikt)."""
    return WORD.findall(composed(text.casefold()))


class GermanAnalyzer:
    """Turns text into stems for BM25; compounds also yield their parts when both parts are corpus words."""

    def __init__(self, vocabulary: Iterable[str] = ()):
        self._stem = Stemmer.Stemmer("german").stemWord
        self.stopwords = _stopwords()
        self.vocabulary = frozenset(self._stem(w) for w in vocabulary if len(w) >= MIN_PART and w not in self.stopwords)
        self._cache: dict[str, tuple[str, ...]] = {}

    @classmethod
    def from_stems(cls, stems: Iterable[str]) -> "GermanAnalyzer":
        """An analyzer whose compound vocabulary is these stems (as saved from `vocabulary`)."""
        analyzer = cls()
        analyzer.vocabulary = frozenset(stems)
        return analyzer

    def stem(self, word: str) -> str:
        """The stem of one word (not split, not checked for a stop word), as `terms` stems it, without looking for
        compound parts."""
        return self._stem(composed(word.casefold()))

    def terms(self, text: str) -> list[str]:
        """Stems of the content words of `text`, each compound followed by the stems of its parts."""
        return [term for group in self.term_groups(text) for term in group]

    def term_groups(self, text: str) -> list[tuple[str, ...]]:
        """One tuple per content word: its stem, then the stems of its compound parts, if any."""
        groups: list[tuple[str, ...]] = []
        for word in words(text):
            if word in self.stopwords:
                continue
            group = self._cache.get(word)
            if group is None:
                group = self._cache[word] = (self._stem(word), *self.compound_parts(word))
            groups.append(group)
        return groups

    def compound_parts(self, word: str) -> tuple[str, ...]:
        """Stems of the two parts of a compound ("kriegsgefangene" -> krieg, gefang), or () if none is found.

        Both parts must be stems of corpus words; the longest tail wins, and a linking s/es/n/en/e may end the head.
        """
        if len(word) < MIN_COMPOUND or not self.vocabulary:
            return ()
        for cut in range(MIN_PART, len(word) - MIN_PART + 1):
            tail = self._stem(word[cut:])
            if tail not in self.vocabulary:
                continue
            head = word[:cut]
            for link in LINKS:
                if head.endswith(link) and len(head) - len(link) >= MIN_PART:
                    stem = self._stem(head[: len(head) - len(link)])
                    if stem in self.vocabulary:
                        return stem, tail
        return ()


def related(question_stem: str, stem: str) -> bool:
    """Loosely the same word: a shared stem beginning ("hofft", "hoffnung") or a compound ending
    ("wies", "zuruckgewies")."""
    if len(question_stem) < 4 or len(stem) < 4:
        return False
    if stem.endswith(question_stem) or question_stem.endswith(stem):
        return True
    shared = 0
    for a, b in zip(question_stem, stem):
        if a != b:
            break
        shared += 1
    return shared >= max(4, min(len(question_stem), len(stem)) - 1)
