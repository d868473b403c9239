"""The German terms an English question's words stand for: each content word's translations (`text.bilingual`),
and a name as it is, all as the snapshot's analyzer stems them and only those the corpus holds. BM25 scores the
question by the best of each word's alternatives (`LexicalIndex.best_of_scores`)."""

from __future__ import annotations

import re

from askcorpus.answering.question_type import ENGLISH_FUNCTION_WORDS
from askcorpus.answering.table import ChunkTable
from askcorpus.text.bilingual import Dictionary

_ENGLISH_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")


def translated_terms(question: str, dictionary: Dictionary, table: ChunkTable) -> list[list[str]]:
    """One group of alternative terms per content word of the English `question` that has any in the corpus: the
    stems of its German translations, and for a capitalised word (a name: "Putin", "NATO") its own stems too."""
    groups = []
    for match in _ENGLISH_WORD.finditer(question):
        word = match.group()
        if word.casefold() in ENGLISH_FUNCTION_WORDS:
            continue
        texts = dictionary.translations(word) + ([word] if word[0].isupper() else [])
        terms = {term for text in texts for term in table.analyzer.terms(text) if term in table.lexical}
        if terms:
            groups.append(sorted(terms))
    return groups
