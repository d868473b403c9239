"""The German terms an English question's words stand for: each content word's translations (`text.bilingual`),
and a name as it is, all as the snapshot's analyzer stems them and only those the corpus holds. BM25 scores the
question by the best of each word's alternatives (`LexicalIndex.best_of_scores`), and a sentence covers such a word
when it holds any of them (`TranslatedProfile`)."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from askcorpus.answering.language import ENGLISH_FUNCTION_WORDS
from askcorpus.answering.table import ChunkTable
from askcorpus.text.analysis import LINKS
from askcorpus.text.bilingual import Dictionary

# Not content: function words, and reporting verbs ("What did Lavrov say …?"), whose translations are noise
_NOT_CONTENT = ENGLISH_FUNCTION_WORDS | frozenset("say says said saying tell tells told".split())
MIN_NAME = 4  # a shorter capitalised word is not looked for in other spellings ("May" is no "Mai")
_UMLAUTS = str.maketrans("äöü", "aou")  # the stemmer writes "ä" as "a"
_SPELT_UMLAUT = re.compile(r"((?<![aeiouyäöü])[ao]|(?<![aeiouyäöüq])u)e")  # and "ae" as "a", not "aue"
_ENGLISH_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’-](?=[^\W\d_]))*|\d+(?:[.,]\d+)*")


def translated_terms(question: str, dictionary: Dictionary, table: ChunkTable) -> list[list[str]]:
    """One group of alternative terms per content word of the English `question` that has any in the corpus: the
    stems of its German translations (not their compound parts: "Bundeskanzler" is no "Bund"), and for a number, an
    acronym ("US", "WHO") or a capitalised word past the first (a name: "Putin", "Söder") its own stem too. A name is
    looked up as it is, never as an inflected word ("Hayes" is no "hay"), and in the corpus's spellings of it
    ("Lavrov": "lawrow", `LexicalIndex.spelt_as`). Two content words side by side add a group of their own when the
    dictionary has them as one entry ("foreign minister": "außenminist") or German joins their translations into a
    word the corpus holds ("Kremlin spokesman": "kremlsprech"), which English writes as two words and German as
    one."""
    groups = []
    matches = list(_ENGLISH_WORD.finditer(question))
    lookup = functools.cache(dictionary.translations)  # a word is looked up as itself and in its neighbours' pairs
    n = 0
    while n < len(matches):
        word = _without_possessive(matches[n])
        name = (len(word) > 1 and word.isupper()) or word[0].isdigit() or (n > 0 and word[0].isupper())
        if word == "I" or not name and word.casefold() in _NOT_CONTENT:
            n += 1
            continue
        pair = _pair_terms(question, matches, n, lookup, table)
        if pair:  # "foreign minister" is one German word, "Außenminister"
            groups.append(pair)
        texts = lookup(word, uninflect=not name) + ([word] if word[0].isupper() or name else [])
        terms = {stem for text in texts if (stem := _stem(text, table)) in table.lexical}
        if len(word) >= MIN_NAME and word[0].isupper() and not word.isupper() and (n > 0 or not terms):
            terms.update(table.lexical.spelt_as(word))  # "Lavrov" is the articles' "Lawrow"
        if terms:
            groups.append(sorted(terms))
        n += 1
    return groups


def _pair_terms(question: str, matches: list[re.Match[str]], n: int, lookup: Callable[..., list[str]],
                table: ChunkTable) -> list[str]:
    """The corpus's stems of the German words for the two words of `question` from `matches[n]` on, when they stand
    side by side: the dictionary's entry for the two ("death toll", "air strikes"), and the German compounds of
    their translations (`_compounds`); else []. `lookup` is `Dictionary.translations`."""
    if n + 1 >= len(matches) or not question[matches[n].end():matches[n + 1].start()].isspace():
        return []
    first, second = matches[n].group(), matches[n + 1].group()
    if any(w == "I" or w[0].isdigit() or len(w) > 1 and w.isupper() or w.casefold() in _NOT_CONTENT
           for w in (first, second)):
        return []
    texts = lookup(f"{first} {second}")
    found = {stem for text in texts if (stem := _stem(text, table)) in table.lexical}
    heads, tails = (lookup(_without_possessive(matches[at]), uninflect=not (at > 0 and word[0].isupper()))  # a name
                    for at, word in ((n, first), (n + 1, second)))  # as it is
    return sorted(found | _compounds(heads, tails, table))


def _without_possessive(match: re.Match[str]) -> str:
    """A word of an English question without a possessive "'s" ("Kremlin’s": "Kremlin")."""
    return match.group().replace("’", "'").removesuffix("'s")


def _compounds(heads: list[str], tails: list[str], table: ChunkTable) -> set[str]:
    """The corpus's stems of German compounds of one of `heads` and one of the nouns among `tails`, joined as German
    joins them ("Kreml" + "Sprecher": "Kremlsprecher", "Frieden" + "Gespräche": "Friedensgespräche", "Grenze" +
    "Kontrolle": "Grenzkontrolle"). A head and link that begin no corpus term are not tried with any tail."""
    tails = [tail.casefold() for tail in tails if tail.isalpha() and tail[0].isupper()]
    found: set[str] = set()
    if not tails:
        return found
    for joint, start in _joints(tuple(heads)):
        if table.lexical.has_prefix(start):
            found.update(stem for tail in tails if (stem := table.analyzer.stem(joint + tail)) in table.lexical)
    return found


@functools.lru_cache(maxsize=4096)
def _joints(heads: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """Each way `heads` begin a compound, with a linking letter or losing a final "e" ("Hilfe": "hilfs"), and how
    the stemmer writes that beginning: "ß" as "ss", umlauts without their dots, and "ae", "oe", "ue" as the vowel
    alone ("Influenza": "influnza"; not after "q" or a vowel: "Quelle", "Feuer")."""
    joints = {(head + link).casefold() for head in heads if head.isalpha() for link in LINKS}
    joints |= {(head[:-1] + link).casefold() for head in heads if head.isalpha() and head.endswith("e")
               for link in ("", "s")}
    return tuple((joint, _SPELT_UMLAUT.sub(r"\1", joint.replace("ß", "ss")).translate(_UMLAUTS))
                 for joint in sorted(joints))


def _stem(text: str, table: ChunkTable) -> str | None:
    """The stem of a word as the corpus's analyzer makes it (None for a stop word)."""
    groups = table.analyzer.term_groups(text)
    return groups[0][0] if groups else None


@dataclass(frozen=True)
class TranslatedProfile:
    """An English question prepared for scoring German sentences, as `scoring.QuestionProfile` prepares a German
    one: each word's alternatives (`translated_terms`) and its weight, the highest IDF among them."""

    alternatives: tuple[frozenset[str], ...]
    weights: tuple[float, ...]

    @classmethod
    def of(cls, question: str, dictionary: Dictionary, table: ChunkTable) -> "TranslatedProfile":
        groups = tuple(frozenset(group) for group in translated_terms(question, dictionary, table))
        return cls(groups, tuple(max(table.lexical.idf(term) for term in group) for group in groups))

    def coverage(self, terms: frozenset[str]) -> float:
        """Share of the question's weight whose words `terms` hold in any of their translations (0..1)."""
        total = sum(self.weights)
        found = sum(weight for group, weight in zip(self.alternatives, self.weights) if not group.isdisjoint(terms))
        return found / total if total else 0.0
