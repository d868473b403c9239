"""A question that names the kind of answer it wants by a noun, not by a question word ("Dauer des Telefonats?",
"Number of people killed?", "Witkoff's age?", "Für welchen Zeitraum …?"), read as the question word it stands for."""

from __future__ import annotations

import re

# A noun asking for a kind (German compounds by their last part: "Opferzahl", "Gesprächsdauer", "Geburtsdatum"),
# the nouns of those that ask after "welche"/"what"/"which" too (there "What date range", "What year-long", "What
# age group" ask for no date, year or age: `question_type` reads the openings it knows first), and the opening that
# asks the same with a question word, as `question_type` reads openings.
_NOUNS = [
    (r"\w*datum|dates?", r"\w*datum", "an welchem Datum"),
    (r"zeitpunkt|termin|timing", r"zeitpunkt|termin", "zu welchem Zeitpunkt"),
    (r"\w*jahr|year", r"\w*jahr", "in welchem Jahr"),
    (r"\w*anzahl|\w*zahl|numbers?|count|toll|amount|quantity", r"\w*anzahl|\w*zahl|number|amount|quantity",
     "wie viele"),
    (r"\w*dauer|\w*zeitraum|zeitspanne|zeitrahmen|duration|period|time ?span|time ?frame",
     r"\w*dauer|\w*zeitraum|zeitspanne|zeitrahmen|duration|period|time ?span|time ?frame", "wie lange"),
    (r"alter|age", r"alter", "wie alt"),
    (r"länge|length", r"länge|length", "wie lang ist"),
]
_PREPOSITIONS = ("in|im|an|am|auf|aus|bei|bis|für|mit|nach|seit|über|um|unter|von|vor|zu|zum|zur|ab|innerhalb|"
                 "während|binnen|at|on|for|over|within|during|since|until|by|from|of|after|before")
_OF = r"of|for|der|des|dem|den|von|vom|zwischen|between|bei|beim|im|in"
# How a question with a question word or a verb first begins: such a question says what it asks otherwise, and a
# noun at its end is no keyword ("Which report gave the correct date?").
_ASKED_OTHERWISE = re.compile(
    r"^(?:was|wer|wie|wo|wann|warum|welche[mnrs]?|wem|wen|wessen|wieso|weshalb|weswegen|wohin|woher|womit|wofür|"
    r"worüber|wodurch|worauf|woran|worum|wovon|wozu|woraus|worin|ist|sind|war|waren|hat|haben|hatte|hatten|gibt|gab|"
    r"kann|können|konnte|konnten|wird|werden|wurde|wurden|soll|sollen|sollte|muss|müssen|darf|will|wollen|nenne|"
    r"nennen|nennt|stimmt|trifft|what|which|who|whom|whose|where|when|why|how|is|are|were|do|does|did|has|have|had|"
    r"can|could|would|should|shall|may|might|must)\b", re.I)
_KEYWORDS_AT_MOST = 6  # words of a question made of keywords: "Ceasefire start date?"
_AFTER_WHICH = [(re.compile(rf"^(?:(?:{_PREPOSITIONS})\s+)?(?:welche[mnrs]?|what|which)\s+(?:{nouns})\b", re.I), asked)
                for _, nouns, asked in _NOUNS]
_FIRST = [(re.compile(rf"^(?:(?:the|die|der|das|an?)\s+)?(?:[\w'’]+[\s-]+)?(?:{nouns})\s+(?:{_OF})\b", re.I), asked)
          for nouns, _, asked in _NOUNS]  # "Dauer des …", "Start date of …"
_FIRST_OR_LAST = [(re.compile(rf"^(?:{nouns})\b|(?:^|[\s–—-])(?:{nouns})\W*$", re.I), asked)
                  for nouns, _, asked in _NOUNS]  # of keywords: "Opferzahl Kiew?", "Death toll?"


def question_word_reading(opening: str) -> str | None:
    """`opening` (a question past a leading conjunction) with the question word its noun stands for put first, or
    None when no noun of `_NOUNS` asks what it wants: after "welche"/"what"/"which", first, or first or last in a
    question of keywords. "Dauer des Telefonats?" reads "wie lange Dauer des Telefonats?"."""
    readings = _AFTER_WHICH
    if not _ASKED_OTHERWISE.match(opening):
        readings = readings + _FIRST + (_FIRST_OR_LAST if len(opening.split()) <= _KEYWORDS_AT_MOST else [])
    return next((f"{asked} {opening}" for pattern, asked in readings if pattern.search(opening)), None)
