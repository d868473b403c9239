"""What kind of answer a question asks for (a time, a number, a person …), and whether a sentence offers one or
cannot hold one at all."""

from __future__ import annotations

import re
from collections.abc import Callable, Container
from enum import Enum

from askcorpus.answering.asked_noun import CURRENCY_NAMES, question_word_reading
from askcorpus.answering.language import ENGLISH_FUNCTION_WORDS, PLAIN_WORD, is_english
from askcorpus.text.analysis import STOPWORDS, composed, words
from askcorpus.text.spelling import Spellings


class Kind(Enum):
    TIME = "time"
    NUMBER = "number"
    DURATION = "duration"
    PERSON = "person"
    NAME = "name"
    PLACE = "place"
    REASON = "reason"
    OTHER = "other"


_MONTHS = ("januar|jänner|februar|märz|april|mai|juni|juli|august|september|oktober|november|dezember|january|"
           "february|march|may|june|july|october|december")
# What asks for a year, a month, a day or a clock time more precisely than "Wann"; these are of the kind TIME too.
_ASKS_YEAR = (r"(?:(?:in|im|seit|ab|bis|bis zu|aus|für|von|vor|nach) )?welche[mns]? jahr\b|"
              r"(?:(?:in|since|until|from|by|for|of) )?(?:what|which) year\b")
_ASKS_MONTH = (r"(?:(?:in|im|seit|ab|bis|für|von) )?welche[mnrs]? monat\b|"
               r"(?:(?:in|since|until|from|by|for) )?(?:what|which) month\b")
_ASKS_DAY = (r"(?:(?:an|am|bis zu|seit|ab|bis|für|von) )?welche[mnrs]? (?:datum|tag|wochentag)\b|"
             rf"am wievielten(?=\s*\?|\s+(?-i:[a-zäöüß])|\s+(?:tag\b|{_MONTHS}))|"  # not "Am wievielten Spieltag"
             r"(?:(?:on|since|until|by|for) )?(?:what|which) (?:date|day)\b(?!-|\s+(?:range|of (?!the week)))")
_ASKS_CLOCK = (r"(?:(?:zu|um) )?welche[r]? uhrzeit|(?:(?:um|gegen|bis|bis zu|ab) )?wie ?viel uhr|wie spät|"
               r"(?:(?:at|by|until|from) )?what time\b(?!-|\s+(?:period|frame|span|zone|limit|horizon|scale|window|"
               r"range|of (?:the )?year))")

# Checked in order: the first pattern that matches the question's start decides.
_KINDS = [
    (Kind.DURATION, r"wie lange|seit wie vielen|how long"),
    (Kind.TIME, rf"wann|seit wann|bis wann|ab wann|zu welchem zeitpunkt|in welchem (?:jahrzehnt|jahrhundert)|when"
                rf"|(?:in )?(?:what|which) (?:decade|century)(?!-)"
                rf"|{_ASKS_YEAR}|{_ASKS_MONTH}|{_ASKS_DAY}|{_ASKS_CLOCK}"),
    # "wie viel(e)" after a preposition or a hedge asks for a count as well: "Aus wie vielen Ziffern …", "Um wie
    # viele Milliarden …", "Ungefähr wie viele Menschen …". Of the 21 questions of XQuAD-de and GermanQuAD in the forms
    # added in stop 24 (these and the times above), 20 have a time or number in the sentence holding the answer.
    (Kind.NUMBER, r"(?:(?:aus|um|mit|für|auf|von|bei|an|in|zu|über|unter|gegen|nach|vor|durch|bis zu|ungefähr|etwa"
                  r"|circa|rund) )?wie ?viele?[nm]?|wie hoch|wie groß|wie alt|wie weit"
                  r"|(?:(?:for|with|in|by|of|to|from|into|about|approximately|roughly) )?how many|how much|how old"
                  r"|how high|how far"),
    (Kind.NAME, r"wie (?:heißt|hieß|heißen|hießen|lautet|lautete|nennt sich)|what (?:is|was|are|were) the names?"),
    (Kind.PERSON, r"wer|wem|wen|wessen|von wem|mit wem|who|whom|whose|by whom"),
    (Kind.PLACE, r"wo|wohin|woher|in welcher stadt|in welchem land|where|in which (?:city|country)"),
    (Kind.REASON, r"warum|wieso|weshalb|weswegen|aus welchem grund|why|for what reason"),
]
_QUESTION_START = [(kind, re.compile(rf"^(?:{pattern})\b", re.I)) for kind, pattern in _KINDS]

_NUMBER_WORDS = ("zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf|zwanzig|dreißig|hundert|tausend|"
                 "million|millionen|milliarde|milliarden|dutzend|hälfte|prozent")
_WEEKDAYS = "montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag"
_ENGLISH_WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_DAY_PARTS = "vormittag|nachmittag|morgen|mittag|abend|nacht"
_UNITS = "jahre?n?|monate?n?|wochen?|tage?n?|stunden?|minuten?|sekunden?|jahrzehnte?n?|jahrhunderte?n?"
_EVIDENCE = {
    Kind.TIME: re.compile(rf"\b(?:1[5-9]\d\d|20\d\d|{_MONTHS}|{_WEEKDAYS}|gestern|heute|morgen|uhr|jahrhundert|"
                          rf"\d{{1,2}}\.\s?\d{{1,2}}\.)", re.I),
    Kind.NUMBER: re.compile(rf"\d|\b(?:{_NUMBER_WORDS})\b", re.I),
    Kind.DURATION: re.compile(rf"\b(?:\d+|ein|eine|einen|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|"
                              rf"mehrere|viele|einige)\s+(?:{_UNITS})\b", re.I),
    Kind.REASON: re.compile(r"\b(?:weil|da|denn|deshalb|daher|wegen|aufgrund|aus diesem grund|um\b.*\bzu|damit|"
                            r"because|due to|since)\b", re.I),
    Kind.PLACE: re.compile(r"\b(?:in|im|nach|aus|bei|an der|am)\s+[A-ZÄÖÜ]\w+"),
}
# Whatever could answer a question asking for a time, a number or a duration, however loosely, as the answers to
# such questions in XQuAD-de and GermanQuAD give one (the patterns above miss 4 to 15 % of those answers; these miss
# 2 to 3 %): any year ("1186", "die 1980er", "43 v. Chr.", "9.000 BP"), an era or a season, a point relative to now
# or to an event ("in diesem Jahr", "zwei Tage später", "nach der Wahl", "Ende des Ersten Weltkriegs", "wenn …"),
# the words that speak of time alone ("seit", "bis", "während", "nachdem", "bevor", "sobald"), a count of anything,
# a multiple ("das Zehnfache"). A sentence with none of them cannot say when, how many or how long (`lacks`); vague
# words ("kürzlich", "bald", "mehrere Anzeichen") do not count.
_NUMBER_WORD = (rf"{_NUMBER_WORDS}|(?:drei|vier|fünf|sech|sieb|acht|neun)zehn|"
                rf"(?:zwan|vier|fünf|sech|sieb|acht|neun)zig|hunderte?n?|tausende?n?|drittel|viertel|"
                rf"doppelte?[nrs]?|mehrheit|dutzenden?")  # whole words
_IN_A_WORD = r"hundert|tausend|(?<=\w)(?<!ein)fache[nrs]?\b"  # "zweihundert", "das Zehnfache", not "einfache"
_FRACTION_OF = r"(?:zehntel|viertel|dreiviertel|halb|drittel)-?"  # "eine Viertelstunde", "eine Zehntel-Sekunde"
_COUNTED = (rf"\b(?:\d+|{_NUMBER_WORD}|ein(?:e[mnrs]?)?|halbe[mnrs]?|anderthalb|\w*einhalb|mehrere|viele|einige|"
            rf"wenigen?)\s+(?:{_FRACTION_OF})?(?:{_UNITS})\b|(?:hundert|tausend)\s+(?:{_UNITS})\b|"
            rf"\b(?:jahr|jahrzehnt|monat|woche|tag|stunde|minute)e?n?lang\b|\b\d+(?:[.,]\d+)?\s*(?:std|min|sek)\.")
# a span as an adjective says how long, not when: "eine 30-tägige Feuerpause", "das zweistündige Telefonat"
_LASTING = r"(?:\b\d+\s?-?\s?|\b\w*)(?:tägig|stündig|wöchig|monatig|minütig)\w*"
_SPAN = (r"\b(?:den ganzen|die ganze|das ganze)\s+(?:tag|nacht|woche|wochenende|monat|jahr|vormittag|nachmittag|"
         r"abend)\b|\büber nacht\b|\brund um die uhr\b|\b(?:jahrzehnte|jahrhunderte)n?\b")  # a whole span, uncounted
_LOOSE_TIME = (rf"\b(?:1\d\d\d|20\d\d)\b|\b\d+ern?\b|\b\d+\s*[vn]\.\s*chr|\bbp\b|\d{{1,2}}\.\s?\d{{1,2}}\.|{_COUNTED}|"
               rf"\b(?:{_MONTHS}|{_WEEKDAYS}|gestern|heute|morgen|"
               rf"uhr|jahrhunderts?|jahrtausends?|jahrzehnts?|neolithikums?|mittelalters?|antike|wenn|seit|bis|"
               rf"während|nachdem|bevor|sobald|frühling|frühjahrs?|sommers?|herbsts?|winters?|wochenendes?|"
               rf"abends?|vorjahr(?:es)?|jahresbeginn|jahresende|ostern|weihnachten|pfingsten)\b|"
               rf"\bvor\s+(?:\S+\s+){{0,2}}(?:{_UNITS})\b|"
               rf"\b(?:nach|vor)\s+(?:de[mnrs]|ihre[mnrs]?|seine[mnrs]?|\w+s)\s|"
               rf"\b(?:diese[mnrs]?|letzte[mnrs]?|vergangene[mnrs]?|nächste[mnrs]?|kommende[mnrs]?|vorige[mnrs]?|"
               rf"selben|gleichen)\s+(?:{_UNITS})\b|\b(?:ende|anfang|beginn|mitte)\s+de[rs]\b|{_SPAN}")
# Kinds a sentence visibly holds or lacks; a person or a place may be named in ways no pattern knows ("die
# internationale Gemeinschaft", "an der Schwarzmeerküste"), and a reason need not say "weil".
_LOOSE = {
    Kind.TIME: re.compile(_LOOSE_TIME, re.I),
    Kind.NUMBER: re.compile(rf"\d|\b(?:{_NUMBER_WORD})\b|{_IN_A_WORD}|{_COUNTED}", re.I),
    Kind.DURATION: re.compile(rf"{_LOOSE_TIME}|{_LASTING}", re.I),
}
CHECKABLE = frozenset(_LOOSE)
# A measure asked for by how the question begins, and whatever could state it, however loosely: an age ("der
# 72-Jährige", "Merz (CDU, 69)", "im Alter von 39", "drei Jahre alt", "geboren", "kam 1952 zur Welt", "aus dem 12.
# Jahrhundert", "seit 1891", "Mitte 40", "ein Mittfünfziger"); a share ("Wie viel Prozent", "Um wie viele
# Prozentpunkte", "Wie hoch ist die Inflation / Arbeitslosenquote / Wahlbeteiligung / der Anteil", "What
# percentage": a per cent, a fraction, "die Mehrheit", "der Großteil", "jeder Siebte", "zwei von drei",
# "zweistellig", points, a multiple); a price (a currency, "kostenlos"; "Mark", "Franken", "Pfund" only after a
# number, as they are names and regions too); a sum asked for by its noun ("Wie hoch ist der Schaden / sind die
# Kosten / die Zinsen": a currency, millions, "Milliardenschaden", "sechsstellig", a per cent of a whole); a weight (a
# unit of mass, "wiegt"); a length or distance ("Wie lang ist", "Wie weit … entfernt", "Wie viele Kilometer", "How
# tall", "How far is … from": a unit of length, a journey's minutes or hours, "Länge", storeys; "Wie lang" also a
# time, pages or points, as "Wie lang ist die Frist / die Liste?" asks); or an area ("Wie groß ist die Fläche", "Wie
# viele Quadratkilometer": a unit of area, "so groß wie"). A number alone does not say how old, what share, how dear
# or how far ("Wie alt ist Peskow?" is not answered by "Peskow sprach am 3. Juni"). Left out, as they ask for a
# count, a share, a sum or a height alike, or for a degree: "Wie hoch" and "wie groß" without such a noun; "Welchen
# Anteil" (often a role: "Welchen Anteil hatte Kohl an der Einheit?"); "wie tief", "wie breit" ("Wie tief ist die
# Krise?"); "wie weit" without "entfernt" or with a goal ("… von einer Einigung entfernt"); "wie schwer" asking how
# badly ("Wie schwer wurde der Fahrer verletzt?", "Wie schwer sind die Schäden?").
_YEAR = r"(?:1\d\d\d|20\d\d)"
_MONTH = rf"\b(?:(?:{_MONTHS})\b|(?:jan|feb|mär|apr|jun|jul|aug|sept?|okt|oct|nov|dez|dec)\.)"  # "3. Okt."
# a weekday, also in a word: "Pfingstsonntag", "Montagabend", "dienstags"; not "Montagehalle"
_WEEKDAY = rf"(?:{_WEEKDAYS}|sonnabend|{_ENGLISH_WEEKDAYS})(?:e|en)?(?:{_DAY_PARTS})?s?\b"
_NUMERIC_DATE = r"\d{1,2}\.\s?\d{1,2}\.|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b"  # "3.3.", ISO, "3/3/2021"
_SAME = (r"\b(?:diese[mnrs]?|letzte[mnrs]?|vergangene[mnrs]?|\w*selb\w*|gleichen|nächste[mnrs]?|kommende[mnrs]?|"
         r"folgende[mnrs]?|darauffolgende[mnrs]?|vorige[mnrs]?|this|last|next|that|the same|the following|"
         r"the previous)")
# the word itself, not "Tagung", "Jahresbericht"; "vergangene Woche" is no day
_YEARS, _MONTHS_UNIT, _DAYS = r"jahr(?:e?s|en?)?|years?", r"monat(?:e?s|en?)?|months?", r"tag(?:e?s|en?)?|days?"
_SPANS = (r"jahre?n?|wochen?|monate?n?|tage?n?|stunden?|minuten?|sekunden?|quartale?n?|saison|years?|weeks?|"
          rf"months?|days?|hours?|minutes?|time|season|morning|evening|night|{_WEEKDAYS}|{_ENGLISH_WEEKDAYS}|sommer|"
          r"winter|mal")
_CLOCK_WORDS = "eins|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf"
_BEFORE_OR_AFTER = r"(?:später|darauf|danach|zuvor|davor|vorher|nachher|früher|nach|vor|later|earlier|before|after|ago)"


def _relative(unit: str) -> str:
    """A point named by its distance from another or as another's: "im selben Jahr", "zwei Jahre später", "am Tag
    nach der Wahl", "vor drei Tagen", "im Jahr der Wende" (not "innerhalb von zwei Jahren": a duration)."""
    return (rf"{_SAME}\s+(?:{unit})\b|\b(?:{unit})\s+(?:{_BEFORE_OR_AFTER}|de[rs])\b|"
            rf"\b(?:vor|nach)\s+(?:\S+\s+){{0,2}}(?:{unit})\b")

_AFTER_A_NUMBER = r"(?:\d|\b(?:mio|mrd|million(?:en)?|milliarden?|tausend|hundert))\.?\s*"
_IS = r"(?:ist|war|sind|waren|liegt|lag|liegen|lagen|beträgt|betrug|betragen|betrugen)"
_NOUN_AFTER = rf"{_IS}\s+(?:\w+\s+)?(?:de[mnrs]|die|das)\s+(?:\w+\s+)?\b\w*?"  # "ist inzwischen die Inflations|rate"
_SUM_NOUNS = ("kosten|preis|preise|summe|betrag|budget|etat|gehalt|gehälter|lohn|löhne|miete|mieten|schulden|"
              "schaden|umsatz|umsätze|gewinn|gewinne|honorar|gebühr|gebühren|entschädigung|lösegeld|kaution|prämie|"
              "investition|investitionen|fördermittel|finanzhilfe|militärhilfe|hilfsgelder|ablöse|vermögen|defizit|"
              "einnahmen|ausgaben|zinsen")
_SHARE_NOUNS = ("anteil|(?<!einschalt)quote|inflation|inflationsrate|teuerung|teuerungsrate|arbeitslosenrate|"
                "arbeitslosigkeit|wahlbeteiligung|zinssatz|leitzins|steuersatz|mehrwertsteuer|wachstumsrate|"
                "zustimmung|zustimmungswerte")  # an "Einschaltquote" is counted in viewers
_MILLIONS = (r"\b(?:million(?:en)?|milliarden?|billion(?:en)?|mio|mrd|bio)\b|\b(?:millionen|milliarden|billionen)\w+|"
             r"\b\w+stellig")
_PER_CENT = r"%|\bprozent|\b\w+prozentig|\bper\s?cent|\bpercentage\b"
_NUMERAL = r"\d+|ein|eine|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf|hundert|tausend"
# a currency first in a compound names none ("Euro-Finanzminister", "Dollar-Kurs", "18 Euro-Finanzminister"), unless
# a number opens the compound ("49-Euro-Ticket", "Neun-Euro-Ticket", "Milliarden-Dollar-Deal")
_CURRENCY = (rf"€|\$|£|¥|\b(?:{CURRENCY_NAMES})\b(?!-[^\W\d_])|"
             rf"\b(?:{_NUMERAL}|\w*(?:zig|ßig|zehn)|million(?:en)?|milliarden?|billion(?:en)?|multi)-"
             rf"(?:{CURRENCY_NAMES})\b|"
             r"\b\w+(?:euro|dollar|rubel)\b|\b(?:euro|dollar)cents?\b|"
             rf"{_AFTER_A_NUMBER}(?:mark|franken|fr\.|pfund|pounds?|kronen?|lira|dm)\b")  # "dm" alone: a drugstore
_LENGTH = (r"\d\s*(?:km|m|cm|mm|ft|mi)\b(?![-²³])|\b(?:meilen?|miles?|fuß|feet|foot|yards?|zoll|inch(?:es)?|"
           r"lichtjahre?n?|seemeilen?|kilomet(?:er|re)s?|met(?:er|re)s?)\b|\b\w*met(?:er|re)[ns]?\b|\b\w+meilen\b|"
           r"\b\w*stunden?\b|\b\w*minuten?\b|\bhours?\b|\b(?:tiefe|breite|länge)\b|\bhöhe\b(?!\s+von)|"
           r"\bstockw\w*|\betagen?\b|\bgeschosse?\b|\bstor(?:ey|ie)s\b|\bfloors\b")
_MEASURES = [
    (r"wie alt|in welchem alter|how old|at what age",
     r"\((?:[^()]*[,;\s])?\d{1,3}(?:[,;\s][^()]*)?\)|,\s*\d{1,3}\s*,|\d\s*-?\s*jährig|\b\w*jährig|"
     r"\d+(?:\s+\w+)?\s+(?:lebens)?jahre?n?\b|\bjahr\w*\s+alte?[mnrs]?\b|\balters?\b|"
     r"\b(?:ist|war|wird|wurde)\s+\d{1,3}\b(?![.,]?\d)|\b(?:anfang|mitte|ende)\s+\d0\b|\b\w+(?:zig|ßig)er(?:in)?\b|"
     r"\d{4}er\b|geboren|\bgeb\.|zur welt|geburtstag|lebensjahr|jahrgang|baujahr|gegründet|gründung|erbaut|"
     r"errichtet|gebaut|eingeweiht|entstand|jahrhunderts?\b|jahrhunderte\b|jahrtausends?\b|"
     rf"\bseit\s+(?:dem\s+jahre?\s+)?{_YEAR}\b|\baus\s+de[mr]\s+(?:jahre?\s+)?{_YEAR}\b|years?\s+old|\bborn\b"),
    # before the price: "Wie viel Prozent mehr kostet …?" asks for a share
    (rf"(?:um |zu |auf |für )?wie ?viele? prozent(?:punkte?n?)?\b|"
     rf"wie (?:hoch|gro(?:ß|ss)) {_NOUN_AFTER}(?:{_SHARE_NOUNS})(?:e?s)?\b|"
     r"what (?:percentage|percent|proportion|fraction|share of)\b|how many (?:percent|percentage points)\b",
     rf"{_PER_CENT}|\bhälfte|\bhalb(?:e[mnrs]?|iert)?\b|"
     r"\b(?:zwei|drei|vier|fünf|neun)?(?:drittel|viertel|fünftel|sechstel|achtel|zehntel|hundertstel)\b|"
     rf"\bmehrheit|\bminderheit|\bgroßteil|\bbruchteil|\bmeisten\b|\bjede[rs]?\s+(?:\w+te|\d+\.)|"
     rf"\b(?:{_NUMERAL})\s+von\s+(?:{_NUMERAL})\b|\b\w+stellig|promille|"
     r"\bhalf\b|\bthirds?\b|\bquarters?\b|\b(?:fifths?|sixths?|tenths?)\b|\bone in \w+|\bmajority|"
     r"\bpunkte\b|prozentpunkt|basispunkt|(?<=\w)(?<!ein)fache[nrs]?\b|\bdoppelt|\bverdoppel|\bverdreifach"),
    (r"wie teuer|was (?:kostet|kostete|kosten|kosteten)\b|was (?:soll|wird|würde)\b[^?]*\bkosten\b|"
     r"(?:was|wie ?viel)\b[^?]*?\b(?:gekostet|kostet|kostete|kosteten)\b|wie ?viel (?:geld|euro|dollar)\b|"
     r"zu welchem preis|how expensive|how much (?:money|(?:\w+\s+){1,8}?costs?\b)",
     rf"{_CURRENCY}|kostenlos|kostenfrei|gratis|umsonst"),
    (rf"wie hoch {_NOUN_AFTER}(?:{_SUM_NOUNS})(?:e?s)?\b",  # "Höhe des Schadens?", read "wie hoch ist Höhe des …"
     rf"{_CURRENCY}|kostenlos|kostenfrei|gratis|{_MILLIONS}|{_PER_CENT}"),
    (r"wie schwer (?:ist|war|sind|waren|wird|werden)\b(?![^?]*\b(?:verletz|beschädig|schäden|schaden|getroffen|"
     r"krank|betroffen|belastet))|wie ?viel (?:wiegt|wog|wiegen|wogen)\b|how heavy|"
     r"how much (?:\w+\s+){1,8}?weighs?\b",
     r"\d\s*(?:kg|g|t|mg)\b(?!-)|\b(?:gramm|kilogramm|kilos?|tonnen?|pfund|zentner|unzen?|karat)\b|"
     r"\b\w+(?:gramm|tonnen?|unzen?)\b|\bwieg(?:t|en)\b|\bwog\b|gewogen|(?<!gleich)gewicht"),
    (r"wie lang (?:ist|war|sind|waren|wird|werden)\b",  # a length, a time span, pages or points
     rf"{_LENGTH}|{_LOOSE_TIME}|{_LASTING}|\bseiten\b|\bpunkte\b|\bzeilen\b|\bkapitel\b"),
    (r"wie ?viele? (?:kilo)?meter\b|how tall\b|"
     r"wie weit (?:ist|war|sind|waren|liegt|lag|liegen|lagen)\b(?![^?]*\bvon (?:einer|einem)\b)[^?]*\bentfernt\b|"
     r"how far (?:is|was|are|were)\b[^?]*\b(?:from|away)\b(?!\s+\w+ing\b)",
     _LENGTH),
    (rf"wie gro(?:ß|ss) {_NOUN_AFTER}(?<!angriffs)(?:fläche|areal|gelände|grundstück)\b|"
     r"wie ?viele? (?:quadrat\w*|hektar)\b|"
     r"how (?:big|large) (?:is|was) the (?:\w+\s+)?area\b",
     r"\d\s*(?:km|m|mi)\s*[²2]|\d\s*q(?:k)?m\b|\bquadrat\w*|\b\w*hektar\w*|\bha\b|\bacres?\b|\bsquare\b|"
     rf"fußballfeld\w*|so gro(?:ß|ss) wie|mal so gro(?:ß|ss)|{_PER_CENT}"),  # "zwei Prozent der Bundesfläche"
    # How often: a count or a frequency ("zwei Mal", "22-mal", "mehrfach", "alle fünf Jahre", "halbjährlich",
    # "dienstags", "im Zweijahresrhythmus", "in unregelmäßigen Abständen", "erneut", "selten"; not a bare "wieder",
    # mostly "back": "wieder aufgenommen", nor "alle", "pro" or "per" without a span: "Alle Mitglieder", "per E-Mail").
    # "Wie viele Male", "How many times" ask for a count, which "mehrfach" does not give: a number.
    (r"wie (?:oft|häufig)|in welche[mn] (?:abstand|abständen|rhythmus|turnus|takt)\b|how (?:often|frequently)",
     rf"\d|\b(?:{_NUMBER_WORD})\b|\b\w*(?:ein|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf|zig|ßig|"
     rf"hundert|tausend|mehr|viel|etliche|unzählige|dutzend|erst|letzt|dies|oft)[- ]?mal(?:s|ig\w*)?\b|\bmale?\b|"
     rf"\w*(?:jährlich|wöchentlich|monatlich|täglich|stündlich)\w*|\w*wöchig\w*|\bvierzehntägig\w*|\w*(?:rhythmus|turnus)\w*|"
     rf"\w*(?<!kon)takt\b|\w*abst[aä]nd\w*|(?:{_WEEKDAYS}|sonnabend)(?:{_DAY_PARTS})?s\b|\b(?:{_ENGLISH_WEEKDAYS})s\b|"
     rf"\b(?:alle|pro|per|jede[nmrs]?|each|every)\s+(?:\S+\s+)?(?:{_SPANS})\b|"
     r"\b(?:mehrfach|vielfach|häufig\w*|oft|öfter\w*|selten\w*|nie|niemals|kaum|immer wieder|wiederholt\w*|"
     r"erneut\w*|abermals|manchmal|gelegentlich\w*|zuweilen|ab und zu|hin und wieder|regelmäßig\w*|ständig\w*|"
     r"stets|werktags|(?:bei|nach) bedarf|(?:jahr|tag|woche|monat) für (?:jahr|tag|woche|monat)|once|twice|thrice|"
     r"times|often|rarely|never|seldom|sometimes|occasionally|repeatedly|frequently|regularly|daily|nightly|weekly|"
     r"biweekly|monthly|quarterly|fortnightly|hourly|annual\w*|biannual\w*|semiannual\w*|biennial\w*|yearly)\b"),
    # A point in time asked for more precisely than "Wann": a year, a month, a day or a clock time. A duration
    # ("über zwei Stunden", "innerhalb von zwei Jahren"), "seit", "während" or "wenn", which pass the loose check of
    # a time, do not say it ("Zu welcher Uhrzeit begann das Telefonat?" is not answered by "das über zwei Stunden
    # dauerte"); whatever could, does ("1848", "in den 90ern", "zwei Jahre später", "im Vorjahr", "Anfang März", "3.
    # Okt.", "am Montagabend", "am Tag nach der Wahl", "am Wahltag", "in den frühen Morgenstunden", "gegen halb acht",
    # "um sechs", "14.30 Ortszeit").
    (_ASKS_YEAR,
     rf"\b\d{{3,4}}(?:er|ern|s)?\b|\b\d0(?:er|ern|s)\b|'\d0s\b|\b(?:zwanzig|dreißig|vierzig|fünfzig|sechzig|siebzig|"
     rf"achtzig|neunzig)(?:er|ern|erjahre\w*)\b|\b\d+\s*[vn]\.\s*chr|{_relative(_YEARS)}|\b(?:vor|folge)jahr(?:e?s)?\b|"
     r"\bheuer\b|jahrhundert\w*|\bcentury"),
    (_ASKS_MONTH,
     rf"{_MONTH}|{_NUMERIC_DATE}|"
     rf"{_relative(_MONTHS_UNIT)}|\b(?:vor|folge)monat(?:e?s)?\b|\b(?:monats|jahres)(?:anfang|beginn|mitte|ende|"
     r"wechsel)|\b(?:ende|anfang|mitte|beginn)\s+des\s+monats|\bfrühling\w*|\bfrühjahr\w*|\bsommer\w*|"
     r"\bherbst\w*|\bwinter\w*|\bspring\b|\bsummer\b|\bautumn\b|\bramadan\b|\badvent\b|\bostern\b|"
     r"\bweihnacht\w*|\bchristmas\b|\beaster\b"),
    (_ASKS_DAY,
     rf"{_NUMERIC_DATE}|\d{{1,2}}\.\s?{_MONTH}|{_MONTH}\s*\d{{1,2}}(?:st|nd|rd|th)?\b|"
     rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}|"
     rf"{_WEEKDAY}|{_relative(_DAYS)}|\btags?\s+(?:darauf|zuvor|danach|davor)\b|"
     r"\b(?:heute|gestern|vorgestern|übermorgen|morgen|today|yesterday|tomorrow|tonight)\b|"
     r"\w*(?:feier|wahl|stich|jahres|vor|folge|gedenk|heilig|weihnachts|oster|pfingst|karfrei|rosenmon|werk|"
     r"national|unabhängigkeits|wochen)tag(?:e?s|en?)?\b|\bwochenende\w*|heiligabend|silvester|neujahr\w*|"
     r"\bchristmas\b|\bnew year|\beaster\b|\beve\b"),
    (_ASKS_CLOCK,
     rf"\buhr\b|\b\d{{1,2}}:\d{{2}}\b|\b(?:[01]?\d|2[0-3])\.[0-5]\d\b(?![.,]?\d|\s*(?:€|\$|euro|dollar|cent|"
     rf"franken|prozent|%|mio|mrd|millionen|milliarden|meter|km|kg))|"
     rf"\w*(?:{_DAY_PARTS})(?:s|stunden?|s?zeit)?\b|\bfrüh(?:morgens)?\b|"
     rf"\b(?:halb|dreiviertel|viertel\s+(?:nach|vor))\s+(?:\d{{1,2}}|{_CLOCK_WORDS})\b|"
     rf"\b(?:um|gegen)\s+(?:\d{{1,2}}h\b|(?:\d{{1,2}}|{_CLOCK_WORDS})(?=\s*[,.;]|\s+(?-i:[a-zäöüß])))|"
     r"tagesanbruch|morgengrauen|sonnenaufgang|sonnenuntergang|dämmerung|tagsüber|ortszeit|"
     r"\b(?:mez|mesz|gmt|utc|cet)\b|\d\s*(?:a\.?m\.?|p\.?m\.?)(?!\w)|o'clock|\bnoon\b|midnight|\bmorning|"
     r"afternoon|evening|\bnight|overnight|\bdawn\b|\bdusk\b|early hours|half past|quarter (?:past|to)"),
]
_MEASURE = [(re.compile(rf"^(?:{asked})\b", re.I), re.compile(evidence, re.I)) for asked, evidence in _MEASURES]
# A name as German writes one: two capitalised words in a row ("Wladimir Putin", "Juri Uschakow"); single
# capitalised words are mostly common nouns in German.
_CAPITALISED = re.compile(r"(?<=\s)[A-ZÄÖÜ][\w'’-]*[a-zäöüß]")
_NAME = re.compile(r"(?=\b([A-ZÄÖÜ][\w'’-]*[a-zäöüß])\s+([A-ZÄÖÜ][\w'’-]*[a-zäöüß])\b)")
# The agent of a passive clause: "das von der Türkei vermittelt wurde", "vom Kreml bestätigt worden"
# (after a determiner and an adjective too: "von der russischen Regierung"; "vom BND"); not a time ("vom Montag")
_AGENT = re.compile(r"\b[Vv]o[nm]\s+(?:(?:der|dem|den|einer|einem|seine[mr]|ihre[mr])\s+(?:[a-zäöüß]+e[mnrs]?\s+)?)?"
                    r"([A-ZÄÖÜ][\w'’-]*[a-zäöüß]|[A-ZÄÖÜ]{2,}\b)")
_PASSIVE = re.compile(r"\b(?:wurden?|worden|wird|werden)\b")
_CLAUSE = re.compile(r"[^,;:–—()]+")
_NOT_AGENTS = re.compile(rf"(?:(?:{_WEEKDAYS})(?:{_DAY_PARTS})?|{_MONTHS}|anfang|ende|mitte|beginn)(?:e?s|n)?", re.I)


# A follow-up in a chat opens with a conjunction ("Und wann …?", "And how long …?"); what it asks comes after it.
_LEADING_CONJUNCTION = re.compile(r"^(?:und|aber|oder|also|doch|dann|and|but|or|so)\b[\s,]+(?=\w)", re.I)


def _opening(question: str) -> str:
    """How `question` begins, past opening punctuation and a leading conjunction; a question that asks by a noun
    instead of a question word begins with the question word it stands for (`asked_noun`)."""
    text = _LEADING_CONJUNCTION.sub("", question.strip().lstrip("¿¡\"'„“»«(").lstrip())
    if any(pattern.match(text) for _, pattern in _QUESTION_START) or any(asked.match(text) for asked, _ in _MEASURE):
        return text
    return question_word_reading(text) or text


def question_kind(question: str) -> Kind:
    """The kind of answer asked for, from how the question begins (German or English)."""
    return _kind_opened_by(_opening(question))


def _kind_opened_by(opening: str) -> Kind:
    """The kind of answer a question beginning `opening` (as `_opening` gives it) asks for."""
    return next((kind for kind, pattern in _QUESTION_START if pattern.match(opening)), Kind.OTHER)


def offers(kind: Kind, sentence: str, question: str, mentioned: Container[str] | None = None) -> bool:
    """True when `sentence` contains something of `kind`; a person is a name the question does not mention (or the
    agent of a passive clause, `_new_passive_agent`), a name
    asked for ("Wie heißt …") any capitalised word it does not mention (`asked_words`, or `mentioned` when given:
    the same, worked out once for the question)."""
    if kind is Kind.OTHER:
        return False
    sentence = composed(sentence)
    if kind in (Kind.NAME, Kind.PERSON):
        asked = asked_words(question) if mentioned is None else mentioned
    if kind is Kind.NAME:  # anything named: a capitalised word (not the first) that the question lacks
        return any(_unmentioned(word, asked) for word in _CAPITALISED.findall(sentence))
    if kind is Kind.PERSON:
        return _new_name_pair(sentence, asked) or _new_passive_agent(sentence, asked)
    return bool(_EVIDENCE[kind].search(sentence))


def _new_name_pair(sentence: str, asked: Container[str]) -> bool:
    """True when `sentence` holds a first and last name (two capitalised words in a row) that `asked` lacks."""
    return any(first.casefold() not in STOPWORDS and _unmentioned(f"{first} {last}", asked)
               for first, last in _NAME.findall(sentence))


def _new_passive_agent(sentence: str, asked: Container[str]) -> bool:
    """True when a clause of `sentence` is passive and names who acted ("…, das von der Türkei vermittelt wurde"),
    and `asked` lacks that name: a country, an office or one surname answers "Wer …?" there."""
    return any(_PASSIVE.search(clause) and any(not _NOT_AGENTS.fullmatch(agent) and _unmentioned(agent, asked)
                                               for agent in _AGENT.findall(clause))
               for clause in _CLAUSE.findall(sentence))


def _unmentioned(name: str, asked: Container[str]) -> bool:
    """True when no word of `name` is one of the question's words (`asked`)."""
    return not any(part in asked for part in words(name))


def asked_words(question: str, english: bool | None = None) -> Container[str]:
    """The words `question` mentions (lower-cased, as `words` gives them), to tell whether a word of a sentence is
    one of them: as spelt, or, the question being English (`english`, else `is_english`), the names it spells with a
    capital in any spelling (`spelling.spelled_alike`: "Lavrov" mentions the article's "Lawrow")."""
    found = words(question)
    if not (is_english(question) if english is None else english):
        return set(found)
    return Spellings(found, [word for word in PLAIN_WORD.findall(question)
                             if word[0].isupper() and word.casefold() not in ENGLISH_FUNCTION_WORDS])


def lacks(kind: Kind, text: str) -> bool:
    """True when `kind` is CHECKABLE and `text` holds nothing that could be one, however loosely: a sentence without
    any time does not say when, whatever else it shares with the question."""
    return kind in CHECKABLE and not _LOOSE[kind].search(composed(text))


def _measure_evidence(question: str) -> re.Pattern[str] | None:
    """What could state the measure `question` asks for by how it begins (an age, a price or sum, a weight, a share,
    a length, an area, a frequency, or a year, month, date or clock time), or None."""
    return _measure_opened_by(_opening(question))


def _measure_opened_by(opening: str) -> re.Pattern[str] | None:
    """`_measure_evidence` of a question beginning `opening` (as `_opening` gives it)."""
    return next((evidence for asked, evidence in _MEASURE if asked.match(opening)), None)


def lack_test(question: str) -> Callable[[str], bool]:
    """What `lacks_answer` asks of a text, worked out once for `question`."""
    opening = _opening(question)
    evidence = _measure_opened_by(opening)
    if evidence is not None:
        return lambda text: not evidence.search(composed(text))
    kind = _kind_opened_by(opening)
    return lambda text: lacks(kind, text)


def asks_measure(question: str) -> bool:
    """True when `question` asks for a measure by how it begins: an age, a share, a price or sum, a weight, a length,
    an area, a frequency, or a year, month, date or clock time (`_MEASURES`)."""
    return _measure_evidence(question) is not None


def lacks_measure(question: str, text: str) -> bool:
    """True when `question` asks for a measure (an age, a price or sum, a weight, a share, a length, an area, a
    frequency, or a year, month, date or clock time) and `text` names nothing that could be one, however loosely
    (`_MEASURES`)."""
    evidence = _measure_evidence(question)
    return evidence is not None and not evidence.search(composed(text))


def lacks_answer(question: str, text: str) -> bool:
    """True when `text` cannot answer `question` for want of the kind of answer it asks for: the measure asked for
    (`lacks_measure`; "kostenlos", "minderjährig" and "zwei Drittel" state one without a digit), else the time,
    number or duration (`lacks`)."""
    return lack_test(question)(text)
