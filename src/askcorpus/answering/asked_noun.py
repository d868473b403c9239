"""A question that names the kind of answer it wants by a noun, not by a question word ("Dauer des Telefonats?",
"Number of people killed?", "Witkoff's age?", "Für welchen Zeitraum …?"), read as the question word it stands for."""

from __future__ import annotations

import re
from typing import NamedTuple

from askcorpus.answering.language import ENGLISH_QUESTION_WORDS, GERMAN_QUESTION_WORDS


class AskingNoun(NamedTuple):
    """Nouns that ask for one kind of answer, and the opening that asks the same with a question word."""

    anywhere: str  # first before "der"/"of" ("Dauer des …"), or last in a question of keywords
    after_which: str | None  # after "welche"/"what"/"which" ("Für welchen Zeitraum …"); None: not there
    reading: str  # as `question_type` reads openings


_PLURAL = r"(?:e?n|e|s)?"  # "Opferzahlen", "Termine", "Zeitraums"
# a currency's name or sign, as a question names the unit of its answer and a sentence states a sum
CURRENCY_NAMES = (r"euros?|eur|cent|ct|dollars?|usd|chf|gbp|yen|yuan|rubel\w*|hrywn[ai]a|hrywna|griwna|zloty|złoty|"
                  r"schekel|forint|pesos?|dirham|rupien?|d-mark")
# "time of" asks for a time before a determiner, a name or an event ("Time of the attack?", "Time of Putin's call?",
# "Time of death?"; not "Time of crisis?", "Response time of police?")
_TIMED = r"(?:the|his|her|its|their|this|that|death|birth|arrival|departure|impact|landing|launch)\b|(?-i:[A-Z])"
# a sum of money ("Gesamtbetrag", "Schadenssumme", "Wahlkampfbudget", "Siegerprämie", "Transfer fee"; not a budget of
# time or emissions, nor a content: "Alkoholgehalt"); after "welche"/"which" only an amount asks how much ("Welcher
# Etat wird gekürzt?" asks which)
_AMOUNTS = r"\w*betr[aä]ge?s?|\w*summen?"
_SUMS = (rf"{_AMOUNTS}|\w*(?<!zeit)(?<!zeit-)(?<!time )(?<!co2-)(?<!carbon )(?<!emissions)budgets?|\w*etats?|"
         r"\w*honorars?|\w*prämien?|\w*gebühr(?:en)?|"
         r"(?:\w*(?:jahres|monats|brutto|netto|grund|einstiegs|manager|spitzen|mindest|durchschnitts))?gehalts?|"
         r"\w*gehälter|ablöse|lösegeld(?:e?s)?|kaution|\w*miete|fees?|salary|salaries|ransom|bail|prize money|rent")
# German compounds by their last part ("Opferzahl", "Gesprächsdauer", "Geburtsdatum"), not where the part means
# something else ("Überzahl", "Mehrzahl", "Ausdauer", "Frühjahr", "Vorjahr"); English words that ask for a kind only
# in their compounds or after a possessive ("death toll", "body count", "Witkoff's age": not "Count Dracula", "Bronze
# Age"). After "welche"/"what"/"which" the phrases that question_type knows ask first ("What date range", "What
# year-long" ask for no date or year), and "period" asks for none before "of" or "piece". A deadline ("Frist",
# "deadline") is left out: it is often told as vaguely as "läuft bald ab", which no time check takes for one.
_NOUNS = [
    AskingNoun(r"\w*datum|dates?", r"\w*datum", "an welchem Datum"),
    AskingNoun(rf"zeitpunkt{_PLURAL}|termin{_PLURAL}|timing|time(?= of\s+(?:{_TIMED}))",
               rf"zeitpunkt{_PLURAL}|termin{_PLURAL}", "zu welchem Zeitpunkt"),
    AskingNoun(rf"(?:geburts|gründungs|todes|bau|erscheinungs)?jahr{_PLURAL}|jahreszahl{_PLURAL}|year",
               rf"(?:geburts|gründungs|todes|bau|erscheinungs)?jahr{_PLURAL}|jahreszahl{_PLURAL}", "in welchem Jahr"),
    AskingNoun(rf"\w*anzahl|\w*(?<!über)(?<!mehr)(?<!unter)(?<!be)zahl{_PLURAL}|numbers?|death toll|toll of|"
               r"(?:death|body|head) count|count of|amount|quantity|\w*fassungsvermögen|\w*kapazität|"
               r"capacity(?!\s+(?:of|for)\s+\w+\s+to\b)",
               rf"\w*anzahl|\w*(?<!über)(?<!mehr)(?<!unter)(?<!be)zahl{_PLURAL}|number|amount|quantity", "wie viele"),
    AskingNoun(rf"\w*(?<!aus)dauer|\w*zeitraum{_PLURAL}|zeitspanne|zeitrahmen{_PLURAL}|duration|period|time ?span|"
               r"time ?frame",
               rf"\w*(?<!aus)dauer|\w*zeitraum{_PLURAL}|zeitspanne|zeitrahmen{_PLURAL}|duration|"
               r"period(?!\s+(?:of|piece)\b)|time ?span|time ?frame", "wie lange"),
    AskingNoun(r"alter|(?<=['’]s )age|age(?= of\b)", r"alter", "wie alt"),
    AskingNoun(r"länge|length", r"länge|length", "wie lang ist"),
    AskingNoun(rf"uhrzeit{_PLURAL}", rf"uhrzeit{_PLURAL}", "zu welcher Uhrzeit"),
    # a measure: a price; a sum, costs as "Wie hoch sind die Kosten" reads them (millions and per cents state them too),
    # and an amount, a budget ("Betrag der IWF-Kredite", "Welche Summe …", "Wahlkampfbudget Hofers");
    # a sum or share by the noun after "Höhe" ("Höhe der Militärhilfe / der Inflation"); a share (not an "Eigenanteil"
    # paid in euros, a part played: "Anteil der USA am Sieg", a quota of people: "Frauenquote", or English "quote");
    # a distance ("Entfernung von" a place "nach" another: else a removal); an area; a frequency
    AskingNoun(r"price", r"price", "was kostet"),
    AskingNoun(r"\w*kosten|(?<!human )(?<!humanitarian )(?<!political )costs?", None, "wie hoch sind die Kosten"),
    AskingNoun(_SUMS, _AMOUNTS, "wie hoch ist der Betrag"),
    AskingNoun(r"höhe", r"höhe", "wie hoch ist"),
    AskingNoun(rf"\w*(?<!eigen)(?<!erb)(?<!bundes)(?<!finanzierungs)anteil{_PLURAL}(?![^?]*\ba[nm]\b)|prozentsatz|"
               r"\w+(?<!einschalt)(?<!frauen)(?<!flüchtlings)(?<!fang)(?<!zuschauer)quote|wahlbeteiligung|percentage|"
               r"proportion|share(?= of\b)|turnout",
               r"prozentsatz|percentage|proportion", "wie viel Prozent"),
    AskingNoun(r"entfernung(?=\s+(?:zwischen\b|nach\b|vo[nm]\b[^?]*\b(?:nach|bis|zu[rm]?)\b))|distance(?= between\b)",
               r"entfernung", "wie viele Kilometer"),
    AskingNoun(r"fläche", r"fläche", "wie groß ist die Fläche"),
    AskingNoun(r"häufigkeit|frequency", r"häufigkeit|frequency", "wie oft"),
]
_PREPOSITIONS = ("in|im|an|am|auf|aus|bei|beim|bis|für|mit|nach|seit|über|um|unter|von|vom|vor|zu|zum|zur|ab|"
                 "innerhalb|während|binnen|at|on|for|over|within|during|since|until|by|from|of|after|before|to|into")
_ARTICLES = "the|a|an|der|die|das|dem|den|des|ein|eine|einen|einem|einer|eines|kein|keine|keinen|this|that|dieser|diese"
_MORE_OR_LESS = r"mehr|weniger|more|less|fewer"
_OF = r"of|for|der|des|dem|den|von|vom|für|zwischen|between|bei|beim|im|in"
# How a question with a question word or a verb first begins: such a question says what it asks otherwise, and a
# noun at its end is no keyword ("Which report gave the correct date?", "Didn't they name a date?").
_VERBS = (r"ist|sind|war|waren|hat|haben|hatte|hatten|gibt|gab|kann|können|konnte|konnten|wird|werden|wurde|wurden|"
          r"soll|sollen|sollte|muss|müssen|darf|will|wollen|nenne|nennen|nennt|stimmt|trifft|is|are|were|do|does|did|"
          r"has|have|had|can|could|would|should|shall|may|might|must|\w+n['’]t")
_VERB_FIRST = re.compile(rf"^(?:{_VERBS})\b", re.I)
_ASKED_OTHERWISE = re.compile(
    rf"^(?:{'|'.join(sorted(GERMAN_QUESTION_WORDS | ENGLISH_QUESTION_WORDS))}|was|wohin|woher|wodurch|worauf|woran|"
    rf"worum|wovon|woraus|worin|{_VERBS})\b", re.I)
# After a noun that asks first, a name in the genitive ("Alter Putins?", "Punktezahl Rapids in der Tabelle?"; not
# after the verbs "Zahlen Hotels die Ortstaxe?", "Kosten Tickets bald mehr?") or a relative clause ("Kalenderdatum,
# an dem …", "Zahl, die …") stands for "der …" / "of …" too.
_GENITIVE_NAME = r"(?<!\bzahlen)(?<!\bkosten)\s+(?-i:[A-ZÄÖÜ]\w*s)\b"
_RELATIVE_CLAUSE = (rf"\s*,\s*(?:(?:{_PREPOSITIONS})\s+)?"
                    r"(?:de[mnr]|die|das|denen|deren|dessen|welche[mnrs]?|wann|wo|which|when|that)\b")
_NAMED_BY = re.compile(r"^(?:was|what)\s+(?:ist|war|sind|waren|is|was|are|were)\s+(?:the|die|der|das)\s+", re.I)
_KEYWORDS_AT_MOST = 6  # words of a question made of keywords: "Ceasefire start date?"
# In a phrase the noun is no keyword: "im Frühjahr", "auf Dauer", "zum jetzigen Zeitpunkt", "on a date" (punctuation
# ends a phrase: "Putin in Sotschi: Gesprächsdauer?")
_IN_A_PHRASE = re.compile(rf"(?:^|\s)(?:{_PREPOSITIONS}|{_ARTICLES})\s+(?:[\w'’]+\s+)?[\w'’-]+\W*$", re.I)
_AFTER_WHICH = [(re.compile(rf"^(?:(?:{_PREPOSITIONS})\s+)?(?:welche[mnrs]?|what|which)\s+(?:{noun.after_which})\b",
                            re.I), noun.reading) for noun in _NOUNS if noun.after_which]
_FIRST = [(re.compile(rf"^(?:(?:the|die|der|das)\s+)?(?!(?:{_PREPOSITIONS}|{_MORE_OR_LESS})\s)(?:[\w'’]+[\s-]+)?"
                      rf"(?:{noun.anywhere})"
                      rf"(?:\s+(?:{_OF})\b(?!\s+(?:{noun.anywhere})\b)|{_GENITIVE_NAME}|{_RELATIVE_CLAUSE}|\W*$)",
                      re.I), noun.reading)
          for noun in _NOUNS]  # "Dauer des …", "Genaue Zahl der …", "Start date of …", "Was ist die Dauer?"; not
# after a preposition ("Auf Kosten der Steuerzahler?") or "mehr"/"weniger" ("Mehr Gehalt für Lehrer?" asks whether)
# nor before itself ("Jahr für Jahr mehr Tote?")
_LAST = [(re.compile(rf"(?:^|[\s–—-])(?:{noun.anywhere})\W*$", re.I), noun.reading)
         for noun in _NOUNS]  # of keywords: "Kiew Opferzahl?", "Ceasefire start date?", "Witkoff's age?"


# A question that ends naming the unit of its answer asks for a measure in it, unless a verb opens it ("Is oil traded
# in dollars?"): "Einlagenstand der Banken, in Euro?", "Sanctions worth in dollars?", "Schaden, in Millionen Euro?";
# only a unit right after "in" ("in 30 Tagen" is a time, "in Euro-Ländern" a place). A span of time only where no
# noun asks ("Alter des Papstes in Jahren?" asks an age), and in English after a comma ("Stay, in days?"; not "Worst
# attack in years?").
_SCALE = r"(?:(?:mio|mrd)\.?|tausend|millionen|milliarden|billionen|thousands of|millions of|billions of)\s+"
_ANSWER_UNITS = [
    (rf"(?:{_SCALE})?(?:{CURRENCY_NAMES}|us[- ]dollars?|pounds?|schweizer franken)", "wie hoch ist der Betrag"),
    (r"prozent|percent|per cent|percentage points|prozentpunkten", "wie viel Prozent"),
    (r"kilometern|km|metern|meilen|kilomet(?:er|re)s|met(?:er|re)s|miles", "wie viele Kilometer"),
]
_IN_UNIT = [(re.compile(rf"\bin\s+(?:{unit})\W*$", re.I), reading) for unit, reading in _ANSWER_UNITS]
_IN_TIME_UNIT = [(re.compile(r"(?:\bin\s+(?:sekunden|minuten|stunden|tagen|wochen|monaten|jahren)|"
                             r",\s*in\s+(?:seconds|minutes|hours|days|weeks|months|years))\W*$", re.I), "wie lange")]


def _is_keywords(opening: str) -> bool:
    """True when `opening` is a few keywords, its last word no part of a phrase ("im Frühjahr", "on a date")."""
    return len(opening.split()) <= _KEYWORDS_AT_MOST and not _IN_A_PHRASE.search(opening)


def question_word_reading(opening: str) -> str | None:
    """`opening` (a question past a leading conjunction) with the question word its noun stands for put first, or
    None when no noun of `_NOUNS` asks what it wants: after "welche"/"what"/"which", first (also after "Was ist
    die" / "What is the"), or last in a question of keywords; or when it ends naming a unit (`_ANSWER_UNITS`).
    "Dauer des Telefonats?" reads "wie lange Dauer des Telefonats?"."""
    named = _NAMED_BY.sub("", opening, count=1)
    verb_first = _VERB_FIRST.match(opening)
    places = [] if verb_first else [(_IN_UNIT, opening)]
    places.append((_AFTER_WHICH, opening))
    if named != opening:
        places.append((_FIRST, named))
    elif not _ASKED_OTHERWISE.match(opening):
        places += [(_FIRST, opening)] + ([(_LAST, opening)] if _is_keywords(opening) else [])
    if not verb_first:
        places.append((_IN_TIME_UNIT, opening))
    return next((f"{reading} {opening}" for patterns, text in places for pattern, reading in patterns
                 if pattern.search(text)), None)
