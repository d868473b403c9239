"""The answer scorer's parts: question kinds and language, candidate features, the shipped coefficients, and the
fitting code on data whose answer is known."""

import json
from dataclasses import replace

import numpy as np
import pytest

from askcorpus.answering.continuation import CONTINUATION_FEATURES, continuation_features
from askcorpus.answering.features import FEATURES, relative_to_corpus, unmatched_stems, without_lexical
from askcorpus.answering.question_type import (
    CHECKABLE,
    Kind,
    asks_measure,
    lacks,
    lacks_answer,
    lacks_measure,
    offers,
    question_kind,
)
from askcorpus.answering.scorer import (
    ANSWER_FEATURES,
    ANY_MODEL,
    CORPUS,
    NEIGHBOURS,
    RAW,
    AnswerScorer,
    Linear,
    answer_features,
    fitted_for,
    load_scorer,
    scorer_path,
)
from askcorpus.answering.scoring import QuestionProfile, QuestionWord
from askcorpus.config import BUNDLED_MODELS, DEFAULT_MODEL_ID
from askcorpus.evaluation.fit_scorer import (
    MIN_THRESHOLD,
    Asked,
    Neighbours,
    cross_validate,
    cv_figures,
    fit,
    fit_logistic,
    fit_selection,
    outcomes,
    relative,
)


@pytest.mark.parametrize(("question", "kind"), [
    ("Wann traf Putin Witkoff?", Kind.TIME),
    ("In welchem Jahr wurde er gewählt?", Kind.TIME),
    ("Wie viele Menschen starben?", Kind.NUMBER),
    ("Wie lange dauerte das Telefonat?", Kind.DURATION),
    ("Wer vermittelte den Austausch?", Kind.PERSON),
    ("Wo befand sich Putin?", Kind.PLACE),
    ("Warum stocken die Gespräche?", Kind.REASON),
    ("Was forderte Selenskyj?", Kind.OTHER),
    ("Who mediated the exchange?", Kind.PERSON),
    ("How many days of ceasefire?", Kind.NUMBER),
    ("„Wann kam er?“", Kind.TIME),
    ("Wie heißt das Okapi?", Kind.NAME),
    ("What is the name of the spokesman?", Kind.NAME),
    ("Und wie lange dauerte das Interview?", Kind.DURATION),  # a follow-up in the chat
    ("Aber wann kam er?", Kind.TIME),
    ("And how many people died?", Kind.NUMBER),
    ("Underwood sagte was?", Kind.OTHER),
    ("An welchem Datum wurde der Vertrag unterzeichnet?", Kind.TIME),
    ("Zu welcher Uhrzeit landete das Flugzeug?", Kind.TIME),
    ("In welchem Jahrhundert entstand die Burg?", Kind.TIME),
    ("In which month does it rain most?", Kind.TIME),
    ("Um wie viel Uhr begann die Sitzung?", Kind.TIME),  # a time, not a count
    ("Aus wie vielen Mitgliedern besteht der Rat?", Kind.NUMBER),  # a preposition before "wie viele"
    ("Um wie viel stieg der Preis?", Kind.NUMBER),
    ("Ungefähr wie viele Besucher kamen?", Kind.NUMBER),
    ("For how many teams did he play?", Kind.NUMBER),
    ("Seit wie vielen Jahren regiert er?", Kind.DURATION),
    ("Gegen wie viel Uhr kam er?", Kind.TIME),
    ("Bis zu wieviel Uhr ist geöffnet?", Kind.TIME),
    ("Wieviele Menschen kamen?", Kind.NUMBER),
    ("Which decade-long war ended in 1975?", Kind.OTHER),  # "decade-long" names no time asked for
])
def test_question_kind_from_how_it_begins(question, kind):
    assert question_kind(question) is kind


@pytest.mark.parametrize(("question", "kind"), [
    ("Dauer des Telefonats zwischen Trump und Putin?", Kind.DURATION),
    ("Anzahl der Toten in Kiew?", Kind.NUMBER),
    ("Genaue Zahl der Todesopfer?", Kind.NUMBER),
    ("Zeitpunkt des Gefangenenaustauschs?", Kind.TIME),
    ("Für welchen Zeitraum gilt die Waffenruhe?", Kind.DURATION),
    ("Mit welcher Anzahl an Drohnen griff Russland an?", Kind.NUMBER),
    ("Kiew Opferzahlen?", Kind.NUMBER),  # keywords, the kind last; a compound by its last part
    ("Was ist die Dauer der Waffenruhe?", Kind.DURATION),
    ("What is the death toll?", Kind.NUMBER),
    ("Putins Alter?", Kind.NUMBER),
    ("Kiew Angriff Todeszahl?", Kind.NUMBER),
    ("Number of people killed in Kyiv?", Kind.NUMBER),
    ("Start date of the ceasefire?", Kind.TIME),
    ("Ceasefire start date?", Kind.TIME),
    ("Death toll in Kyiv?", Kind.NUMBER),
    ("Trump–Putin call duration?", Kind.DURATION),
    ("For what period is the truce meant to hold?", Kind.DURATION),
    ("And the number of prisoners exchanged?", Kind.NUMBER),  # a follow-up in the chat
    ("Uhrzeit des Angriffs?", Kind.TIME),
    ("Time of the attack?", Kind.TIME),
    ("Stimmenanteil von Hofer?", Kind.NUMBER),  # a share
    ("Share of the vote for Hofer?", Kind.NUMBER),
    ("Entfernung zwischen Wien und Graz?", Kind.NUMBER),  # a distance
    ("Betrag der Kredite, die Athen zurückzahlen muss?", Kind.NUMBER),  # a sum
    ("Welche Summe zahlte die EU?", Kind.NUMBER),
    ("Wahlkampfbudget der FPÖ?", Kind.NUMBER),
    ("Campaign budget?", Kind.NUMBER),
    ("Siegerprämie beim Turnier?", Kind.NUMBER),
    ("Ransom for the hostages?", Kind.NUMBER),
    ("Fassungsvermögen des Stadions?", Kind.NUMBER),  # a capacity: a number
    ("Capacity of the arena?", Kind.NUMBER),
    ("Alter Putins?", Kind.NUMBER),  # a name in the genitive after the noun
    ("Punktezahl Rapids nach dem Sieg?", Kind.NUMBER),
    ("Kalenderdatum, an dem die Frist endet?", Kind.TIME),  # a relative clause after the noun
    ("Zeitraum, in dem verhandelt wird?", Kind.DURATION),
    ("Time of Putin's call?", Kind.TIME),
    ("Time of crisis?", Kind.OTHER),  # no time of one event
    ("Einlagen der Banken im Juni, in Euro?", Kind.NUMBER),  # the unit of the answer named last
    ("Sanctions worth in dollars?", Kind.NUMBER),
    ("Welche Strafe zahlte VW, in Dollar?", Kind.NUMBER),
    ("Aufenthalt Witkoffs, in Tagen?", Kind.DURATION),
    ("Was geschah in 30 Tagen?", Kind.OTHER),  # a time, no unit asked for
    ("Inflation in Euro-Ländern?", Kind.OTHER),
    ("Schaden durch das Hochwasser, in Millionen Euro?", Kind.NUMBER),
    ("Lowest turnout in years?", Kind.NUMBER),  # a share: a span of time names a unit only after a comma
    ("What was the worst attack in years?", Kind.OTHER),
    ("Alter des Papstes, in Jahren?", Kind.NUMBER),  # an age: the noun asks first
    ("Hochwasser in Franken?", Kind.OTHER),  # a region
    ("Kosten Tickets bald mehr?", Kind.OTHER),  # a verb first, before a name: no noun asking
    ("Zahlen Hotels die Ortstaxe?", Kind.OTHER),
    ("Welcher Etat wird am stärksten gekürzt?", Kind.OTHER),  # which budget, not how much
    ("Verbleibendes CO2-Budget?", Kind.OTHER),
    ("Time of death?", Kind.TIME),
    ("Time of uncertainty?", Kind.OTHER),
    ("Alkoholgehalt des Fahrers?", Kind.OTHER),  # a content, not a salary
    ("Gehalt des Kanzlers?", Kind.NUMBER),
    ("Gebühr für die Einreise?", Kind.NUMBER),
    ("Alter Putins heute?", Kind.NUMBER),
    ("Zahlen Hotels in Wien mehr?", Kind.OTHER),
    ("Kosten Flugtickets ab Juni mehr?", Kind.OTHER),
    ("Zahlen Unternehmen Steuern?", Kind.OTHER),
    ("Capacity of Ukraine to resist?", Kind.OTHER),  # an ability
    ("Speicherkapazität des Akkus?", Kind.NUMBER),
    ("Mehr Gehalt für Lehrer?", Kind.OTHER),  # asks whether
    ("Haftstrafe in Jahren?", Kind.DURATION),
    ("Strafe der UBS, in Schweizer Franken?", Kind.NUMBER),
    ("Is oil traded in dollars?", Kind.OTHER),  # a verb first: a yes or no
    ("Summe aller Ängste?", Kind.OTHER),
    ("Fläche des Landes?", Kind.NUMBER),
    ("Entfernung der Statue?", Kind.OTHER),  # a removal
    ("Welche Kosten entstehen?", Kind.OTHER),  # kinds of cost, not a sum
    ("Einschaltquote der Sendung?", Kind.OTHER),  # counted in viewers
    ("Trump's quote?", Kind.OTHER),  # a quotation
    ("Flüchtlingsquote für Deutschland?", Kind.OTHER),  # a quota of people
    ("Eigenanteil im Pflegeheim?", Kind.OTHER),  # paid in euros
    ("Anteil der USA am Sieg?", Kind.OTHER),  # a part played
    ("Entfernung von Hasspostings?", Kind.OTHER),  # a removal
    ("What costs does the EU cover?", Kind.OTHER),
    ("Human cost of the war?", Kind.OTHER),
    ("Auf Kosten der Steuerzahler?", Kind.OTHER),  # after a preposition
    ("Jahr für Jahr mehr Tote?", Kind.OTHER),
    ("Which report contained the correct date?", Kind.OTHER),  # a question word says what is asked
    ("Did they agree on a date?", Kind.OTHER),
    ("Was sagte Trump über die Zahl der Toten?", Kind.OTHER),
    ("Hat Putin einen Termin genannt, an dem er mit Trump über die Zahl der Toten sprechen will?", Kind.OTHER),
    ("Trump und Putin sprachen lange über die Waffenruhe und ihre Dauer?", Kind.OTHER),  # no keywords: too long
    ("What date range does the report cover?", Kind.OTHER),  # no date asked for
    ("Offensive im Frühjahr?", Kind.OTHER),  # in a phrase, or a compound's part meaning something else
    ("Kommt Putin im Frühjahr?", Kind.OTHER),
    ("Waffenruhe auf Dauer?", Kind.OTHER),
    ("Verhandlungen zum jetzigen Zeitpunkt?", Kind.OTHER),
    ("Nannte Putin einen Termin?", Kind.OTHER),
    ("Didn't they agree on a date?", Kind.OTHER),
    ("Trump person of the year?", Kind.OTHER),
    ("Russen in Überzahl?", Kind.OTHER),
    ("Mehrzahl der Deutschen für Waffenlieferungen?", Kind.OTHER),
    ("Umsatz Vorjahr?", Kind.OTHER),
    ("Welche Ausdauer haben die Soldaten?", Kind.OTHER),
    ("Which period of Soviet history does the exhibition cover?", Kind.OTHER),
    ("Toll, und was sagt Merz?", Kind.OTHER),
    ("Count Dracula?", Kind.OTHER),
    ("Bronze Age?", Kind.OTHER),
    ("Age verification rules?", Kind.OTHER),
    ("Date night?", Kind.OTHER),
])
def test_a_question_may_ask_for_its_kind_by_a_noun(question, kind):
    assert question_kind(question) is kind
    if kind is Kind.OTHER:
        assert not asks_measure(question)


def test_offers_the_kind_asked_for():
    assert offers(Kind.TIME, "Das Treffen fand am 3. Juni 2025 statt.", "Wann?")
    assert offers(Kind.NUMBER, "Mindestens zwölf Menschen wurden getötet.", "Wie viele?")
    assert offers(Kind.DURATION, "Das Gespräch dauerte zwei Stunden.", "Wie lange?")
    assert offers(Kind.REASON, "Er sagte ab, weil er krank war.", "Warum?")
    assert not offers(Kind.TIME, "Die Gespräche stocken.", "Wann?")
    assert not offers(Kind.OTHER, "Am 3. Juni.", "Was?")


@pytest.mark.parametrize(("kind", "sentence"), [
    (Kind.TIME, "Im Jahre 1186 wurde Temüdschin zum Khan gewählt."),  # a year before 1500
    (Kind.TIME, "Seit den 90er Jahren wächst das Interesse."),
    (Kind.TIME, "Die Eklogen entstanden zwischen 43 und 39 v. Chr."),
    (Kind.TIME, "Am Ende des Ersten Weltkriegs fiel das Rheinland unter den Vertrag."),
    (Kind.TIME, "Die Gespräche laufen seit Trumps Amtsübernahme wieder."),
    (Kind.TIME, "Die Ernte fiel in diesem Jahr reichlich aus."),
    (Kind.NUMBER, "Rippenquallen essen das Zehnfache ihres Eigengewichts."),
    (Kind.NUMBER, "Mindestens zwölf Menschen wurden getötet."),
    (Kind.DURATION, "Das Sommertheater war von 1870 bis 1939 in Betrieb."),
    (Kind.DURATION, "Das Telefonat dauerte über zwei Stunden."),
    (Kind.DURATION, "Die Waffenruhe hielt elf Tage."),
    (Kind.DURATION, "Die Verhandlungen zogen sich jahrelang hin."),
    (Kind.DURATION, "Das erste Plasma dauerte eine Zehntel-Sekunde."),  # a fraction of a unit, in one word
    (Kind.DURATION, "Die Sitzung dauerte eine Dreiviertelstunde."),
    (Kind.DURATION, "Die Sitzung dauerte zweieinhalb Stunden."),
    (Kind.DURATION, "Die Sperrung dauerte 3 Std. und 20 Min."),
    (Kind.DURATION, "Die Feuerwehr war den ganzen Tag im Einsatz."),  # a whole span, uncounted
    (Kind.DURATION, "Der Streit zog sich über Jahrzehnte hin."),
    (Kind.TIME, "Zwei Tage später trat er zurück."),
    (Kind.TIME, "Nach der Wahl trat er zurück."),
    (Kind.TIME, "Im Herbst kam er zurück."),
    (Kind.NUMBER, "Siebzehn Staaten stimmten zu."),
    (Kind.DURATION, "Putin kommentierte die Initiative für eine 30-tägige Feuerpause."),  # a span as an adjective
    (Kind.DURATION, "Das zweistündige Telefonat brachte keine Fortschritte."),
])
def test_a_sentence_with_anything_of_the_kind_asked_for_does_not_lack_it(kind, sentence):
    assert not lacks(kind, sentence)


@pytest.mark.parametrize(("question", "sentence"), [
    ("Wann wurde die Verhandlungsgruppe gegründet?", "Eine permanente Verhandlungsgruppe soll den Weg ebnen."),
    ("Wie lange dauerte Lawrows Interview?", "Lawrow hat in einem Interview angedeutet, dass es vorangeht."),
    ("Wie alt ist Peskow?", "Der Kremlsprecher Dmitri Peskow äußerte sich vorsichtig optimistisch."),
    ("How many prisoners were exchanged?", "Die Türkei vermittelte den Austausch von Kriegsgefangenen."),
    ("Wann wurde das Abkommen geschlossen?", "Das Abkommen wurde kürzlich geschlossen."),  # vague: no time named
    ("Aus wie vielen Mitgliedern besteht der Rat?", "Der Rat besteht aus Vertretern aller Länder."),
    ("An welchem Datum wurde der Vertrag unterzeichnet?", "Der Vertrag wurde in Genf unterzeichnet."),
    ("How many times did they meet?", "Die beiden trafen sich in Genf."),
    ("Wie viele Male ist er nach Moskau gereist?", "Er hat Moskau bereits mehrfach besucht."),  # not a count
])
def test_a_question_asking_for_a_time_number_or_duration_is_not_answered_by_a_sentence_without_one(question,
                                                                                                    sentence):
    assert question_kind(question) in CHECKABLE and lacks(question_kind(question), sentence)


def test_only_times_numbers_and_durations_can_be_lacked():
    for kind in set(Kind) - CHECKABLE:
        assert not lacks(kind, "Die Gespräche stocken.")
    assert all(lacks(kind, "Die Gespräche stocken.") for kind in CHECKABLE)


@pytest.mark.parametrize(("kind", "sentence"), [
    (Kind.TIME, "Die Seite des Bistums ist leer."),  # "seit" and "bis" only as whole words
    (Kind.TIME, "Nach Angaben des Kremls sprach er mit dem Kremlchef."),  # "nach" alone is no time
    (Kind.NUMBER, "Es gibt eine einfache Lösung."),  # "einfach" is no multiple
    (Kind.DURATION, "Die Delegation reiste lange umher."),
    (Kind.TIME, "Putin kommentierte die Initiative für eine 30-tägige Feuerpause."),  # how long, not when
    (Kind.DURATION, "Die Gespräche fanden gleichzeitig statt."),
])
def test_words_that_only_look_like_a_time_or_number_do_not_count(kind, sentence):
    assert lacks(kind, sentence)


@pytest.mark.parametrize(("question", "sentence"), [
    ("Wie alt ist der Bürgermeister?", "Der 61-Jährige eröffnete die Sitzung."),
    ("Wie alt ist der Bürgermeister?", "Bürgermeister Hans Huber (61) eröffnete die Sitzung."),
    ("Wie alt ist der Kanzler?", "Kanzler Friedrich Merz (CDU, 69) reiste nach Kiew."),
    ("Wie alt ist der Kanzler?", "Der Kanzler, 69, reiste nach Kiew."),
    ("Wie alt ist das Mädchen?", "Das Mädchen ist drei Jahre alt."),
    ("Wie alt ist der Minister?", "Der Minister, 58 Jahre alt, trat zurück."),
    ("Wie alt war die Fahrerin?", "Die Fahrerin starb im Alter von 81."),
    ("Wie alt war der Täter?", "Der Täter war minderjährig."),
    ("Wie alt ist die Angeklagte?", "Die Angeklagte ist Anfang 40."),
    ("Wie alt ist der Kanzler?", "Der Kanzler feierte am Sonntag seinen 70. Geburtstag."),
    ("Wie alt ist der Präsident?", "Der Präsident kam 1952 in Leningrad zur Welt."),
    ("Wie alt ist die Kathedrale?", "Die Kathedrale wurde im 12. Jahrhundert errichtet."),
    ("Wie alt ist der Verein?", "Der Verein besteht seit dem Jahr 1891."),
    ("How old is the striker?", "Der zwanzigjährige Stürmer traf zweimal."),
    ("Was kostet das Ticket?", "Eine Karte kostet 49 Euro im Monat."),
    ("Wie viel hat der Bau gekostet?", "Der Bau verschlang 40 Millionen Franken."),
    ("Wie teuer wird der Neubau?", "Der Neubau soll 2,5 Mrd. Euro kosten."),
    ("Wie viel Geld fehlt der Stadt?", "Der Stadt fehlen 40 Mio. €."),
    ("Was kostet die Fahrt?", "Man zahlt mit 5000 Rubeln."),
    ("How much does the vaccine cost?", "Die Impfung ist für Versicherte kostenlos."),
    ("Wie schwer war der Meteorit?", "Der Brocken brachte 3,4 Tonnen auf die Waage."),
    ("Wie viel wiegt das Paket?", "Das Paket wiegt knapp zwei Kilo."),
    ("Wie hoch ist der Schaden?", "Die Versicherung schätzt den Schaden auf mehrere Millionen."),
    ("Wie hoch waren die Baukosten?", "Gebaut wurde für 12 Mio. Franken."),
    ("Wie viel Prozent der Wähler stimmten zu?", "Gut zwei Drittel der Wähler stimmten zu."),
    ("Für wie viel Prozent der Emissionen ist China verantwortlich?", "China stößt rund 30 % der Gase aus."),
    ("Wie hoch ist die Inflation in der Türkei?", "Die Teuerung lag im Mai bei 75 Prozent."),
    ("Wie hoch ist der Anteil des Exports?", "Jeder siebte Arbeitsplatz hängt am Export."),
    ("Um wie viele Prozentpunkte stieg die Quote?", "Die Quote stieg um zwei Punkte."),
    ("Wie viel Prozent mehr kostet der Strom?", "Strom ist 30 Prozent teurer als im Vorjahr."),
    ("Wie hoch ist das Defizit?", "Das Defizit liegt bei 3,5 Prozent der Wirtschaftsleistung."),
    ("Wie hoch ist der Schaden?", "Die Versicherer rechnen mit einem Milliardenschaden."),
    ("Wie hoch ist der Schaden?", "Der Schaden beläuft sich auf knapp eine Million."),
    ("What percentage of voters backed him?", "Die Mehrheit der Wähler stimmte für ihn."),
    ("Wie lang ist die Brücke?", "Die Brücke misst 1,2 km."),
    ("Wie lang ist die Amtszeit?", "Die Amtszeit dauert vier Jahre."),
    ("Wie lang ist die Frist?", "Die Frist läuft bis Ende Juni."),
    ("Wie weit ist die Schule vom Bahnhof entfernt?", "Die Schule liegt zehn Gehminuten vom Bahnhof."),
    ("Wie weit ist Kiew von der Front entfernt?", "Bis zur Front sind es drei Autostunden."),
    ("How tall is the tower?", "Der Turm ragt 324 Meter in die Höhe."),
    ("Wie groß ist die Anbaufläche?", "Angebaut wird auf 40.000 Hektar."),
    ("Wie viele Quadratkilometer umfasst der Park?", "Der Park umfasst 250 km²."),
    ("In welchem Jahr wurde das Autobahnnetz geschaffen?", "Es entstand in den 1950er Jahren."),
    ("In welchem Jahr trat er zurück?", "Im selben Jahr trat er zurück."),
    ("Which year did the war end?", "Der Krieg endete 1648."),
    ("In welchem Monat regnet es am meisten?", "Im Juli fällt der meiste Regen."),
    ("An welchem Tag erklärte Großbritannien den Krieg?", "Daraufhin erfolgte am 17. Mai die Kriegserklärung."),
    ("An welchem Datum wurde der Vertrag unterzeichnet?", "Der Vertrag wurde am Freitag in Genf unterzeichnet."),
    ("On what date did the call take place?", "The call took place on March 18."),
    ("Zu welcher Uhrzeit begann das Telefonat?", "Das Telefonat begann um 16 Uhr Moskauer Zeit."),
    ("Um wie viel Uhr landete die Maschine?", "Die Maschine landete am späten Abend."),
    ("At what time did the call start?", "The call began at 4 p.m."),
    ("Wie oft haben die USA zu vermitteln versucht?", "Die USA haben bereits mehrfach zu vermitteln versucht."),
    ("Wie oft kam es zu Ausbrüchen?", "Die Pest trat zwischen 1361 und 1528 22-mal auf."),
    ("Wie häufig finden Wahlen statt?", "Wahlen finden alle fünf Jahre statt."),
    ("How often does the council meet?", "Der Rat tritt zweimal jährlich zusammen."),
    ("Wie oft tagt der Rat?", "Der Rat tagt dienstags und freitags."),
    ("Wie oft tagt der Rat?", "Der Rat tagt im Zweijahresrhythmus."),
    ("Wie oft tagt der Rat?", "Der Rat tagt halbjährlich."),
    ("Wie oft tagt der Rat?", "Der Rat tagt hin und wieder in Genf."),
    ("How often does the council meet?", "The council meets quarterly."),
    ("In welchem Jahr wurde die Brücke gebaut?", "Die Brücke wurde in den 90er Jahren gebaut."),
    ("In welchem Jahr wurde die Brücke gebaut?", "Die Brücke wurde vor zwei Jahren gebaut."),
    ("Seit welchem Jahr gilt das Gesetz?", "Das Gesetz gilt seit Beginn des Vorjahres."),
    ("In welchem Monat trat er zurück?", "Er trat einen Monat später zurück."),
    ("An welchem Tag wurde gewählt?", "Gewählt wurde am Montagabend."),
    ("An welchem Tag wurde gewählt?", "Gewählt wurde am Pfingstsonntag."),
    ("An welchem Tag wurde gewählt?", "Gewählt wurde zwei Tage später."),
    ("On what date did they vote?", "They voted on Sept. 3."),
    ("On what date did they vote?", "They voted the following day."),
    ("Zu welcher Uhrzeit begann der Angriff?", "Der Angriff begann in den frühen Morgenstunden."),
    ("Zu welcher Uhrzeit begann der Angriff?", "Der Angriff begann gegen halb acht."),
    ("Wie spät war es?", "Es war 22.00 Ortszeit."),
    ("An welchem Tag fand die Wahl statt?", "Die Wahl fand am Tag nach dem Anschlag statt."),
    ("In welchem Jahr wurde das Gesetz geändert?", "Das Gesetz wurde zwei Jahre nach der Wende geändert."),
    ("In welchem Jahr entstand die Band?", "Die Band entstand in den Neunzigern."),
    ("In welchen Abständen finden Wahlen statt?", "Gewählt wird in unregelmäßigen Abständen."),
    ("Zu welcher Uhrzeit stand er auf?", "Er ist um sechs aufgestanden."),
    ("Witkoff's age?", "Der 68-Jährige reiste nach Moskau."),  # a measure asked for by a noun
    ("Kosten der Stichwahl?", "Die Wiederholung der Stichwahl kostet rund zwei Millionen."),
    ("Lebenshaltungskosten in Wien?", "Sie stiegen zuletzt um acht Prozent."),
    ("Ticket price?", "Das Ticket kostet 30 Euro."),
    ("Höhe der Militärhilfe?", "Die Militärhilfe beträgt 60 Milliarden Dollar."),
    ("Wahlbeteiligung?", "Die Wahlbeteiligung lag bei 72,7 Prozent."),
    ("Stimmenanteil von Hofer?", "Hofer erhielt 35 Prozent der Stimmen."),
    ("Entfernung von Wien nach Graz?", "Die beiden Städte liegen 200 Kilometer auseinander."),
    ("Fläche für Windkraft?", "Bis 2032 sollen zwei Prozent der Bundesfläche ausgewiesen werden."),
    ("Uhrzeit des Angriffs?", "Der Angriff begann um 4.30 Uhr."),
    ("Häufigkeit der Treffen?", "Die Minister treffen sich zweimal im Jahr."),
    ("Betrag der IWF-Kredite?", "Athen muss 1,6 Milliarden Euro an den IWF zurückzahlen."),
    ("Welche Summe fordert das Ministerium?", "Das Ministerium fordert bis zu 46 Milliarden Dollar."),
    ("Höhe des Schadens?", "Der Schaden beläuft sich auf 3,5 Millionen Euro."),  # a sum noun in the genitive
    ("Alter Putins?", "Der 72-jährige Präsident reiste nach Minsk."),
    ("Was kostet das Ticket?", "Das 49-Euro-Ticket gilt bundesweit."),  # after a number, a compound names a price
    ("Sanctions worth in dollars?", "Die Sanktionen treffen Vermögen von 300 Milliarden."),
    ("Die Jungen an der Urne, in Prozent?", "Von den Jungen wählte nur die Hälfte."),
    ("Was kostet der Deal?", "Der Milliarden-Dollar-Deal wurde unterzeichnet."),  # a number as a word, a compound
    ("Ticket price in pounds?", "The ticket costs 50 pounds."),
])
def test_a_sentence_that_states_the_measure_asked_for_does_not_lack_it(question, sentence):
    assert asks_measure(question)
    assert not lacks_measure(question, sentence) and not lacks_answer(question, sentence)


@pytest.mark.parametrize(("question", "sentence"), [
    ("Wie alt ist der Bürgermeister?", "Der Bürgermeister eröffnete am 3. Juni 2025 die Sitzung."),  # no age
    ("How old is the mayor?", "Der Bürgermeister reiste zum fünften Mal nach Berlin."),
    ("Wie viel kostet der Ausbau pro Jahr?", "Der Ausbau betrifft 600 Kilometer Autobahn."),
    ("Was kostet das Ticket?", "Das Ticket gilt ab dem 1. Mai in ganz Deutschland."),  # "Was …?" asks for no number
    ("Was kostet der Beitritt?", "Nato-Generalsekretär Mark Rutte lobte den Beschluss."),  # a name, not a currency
    ("How much did the new stadium cost?", "Das Stadion fasst 60.000 Zuschauer."),
    ("Wie schwer war der Meteorit?", "Der Meteorit schlug 1908 in Sibirien ein."),
    ("Wie hoch ist der Schaden?", "Der Sturm beschädigte 40 Häuser."),  # a count, not a sum
    ("Wie hoch ist die Arbeitslosenquote?", "Im Mai waren 2,9 Millionen Menschen arbeitslos."),
    ("Wie viel Prozent der Stimmen erhielt die Partei?", "Die Partei gewann 2021 die Wahl."),
    ("Wie lang ist die Grenze?", "An der Grenze stehen 12.000 Soldaten."),
    ("Wie weit liegt das Dorf von Charkiw entfernt?", "Das Dorf hat 300 Einwohner."),
    ("How tall is the cathedral?", "Die Kathedrale wurde 1248 begonnen."),
    ("Wie groß ist die Fläche des Parks?", "Der Park zählt 2 Millionen Besucher im Jahr."),
    # a point in time asked for more precisely than "Wann": a duration or a vague time does not say it
    ("Zu welcher Uhrzeit begann das Telefonat?", "Das Telefonat, das über zwei Stunden dauerte, brachte nichts."),
    ("What time did the talks begin?", "Die Gespräche dauerten drei Stunden."),
    ("An welchem Datum empfing Putin Witkoff?", "Putin empfing Witkoff, nachdem die Frist abgelaufen war."),
    ("On what date did the phone call take place?", "Das Telefonat dauerte über zwei Stunden."),
    ("In welchem Jahr wurde die Brücke gebaut?", "Die Brücke wurde nach dem Krieg gebaut und steht seit Jahrzehnten."),
    ("In welchem Monat regnet es am meisten?", "Es regnet zweimal im Monat."),
    ("Wie oft haben Trump und Putin telefoniert?", "Die Gespräche zwischen Trump und Putin zeigen wenig Annäherung."),
    ("In welchem Jahr wurde die Brücke eröffnet?", "Die Brücke steht seit Jahrzehnten, während die Stadt wuchs."),
    ("At what time did the talks begin?", "Die Gespräche dauerten über zwei Stunden."),
    ("An welchem Tag wurde das Werk eröffnet?", "Investiert wird in eine Montagehalle."),  # no weekday in it
    ("Wie oft haben sie telefoniert?", "Die Gespräche wurden wieder aufgenommen."),  # "wieder": back, not how often
    ("Wie oft tagt der Rat?", "Alle Mitglieder schrieben per E-Mail, der Kontakt brach am Montag ab."),
    ("In welchem Jahr wurde die Brücke gebaut?", "Die Brücke wurde innerhalb von zwei Jahren gebaut."),  # a duration
    ("In welchem Jahr sprach er?", "Der Leipziger Bürgermeister sprach auf einem regelmäßigen Termin."),
    ("An welchem Tag begann die Sitzung?", "Die Tagung des Rates folgte der Tagesordnung des Vorsitzes."),
    ("Zu welcher Uhrzeit kam er?", "Der frühere Minister nannte die Nachteile für halb Europa: 3.50 Euro."),
    ("An welchem Datum fand die Wahl statt?", "Er hatte es vergangene Woche angekündigt."),  # a week is no day
    ("Witkoff's age?", "Witkoff hat bereits mehrfach Moskau besucht."),  # an age asked for by a noun
    ("Alter von Juri Uschakow?", "Auf den Fotos war auch Putins Berater Juri Uschakow zu sehen."),
    ("Datum des Treffens?", "Das Treffen dauerte drei Stunden."),
    ("Kosten der Stichwahl?", "Die Stichwahl wird am 22. Mai wiederholt."),  # a price, a sum or share asked by a noun
    ("Höhe der Militärhilfe?", "Die USA haben ihre Militärhilfe um zwei Drittel reduziert."),
    ("Wahlbeteiligung in Wien?", "In Wien gaben 800.000 Menschen ihre Stimme ab."),
    ("Turnout in the runoff?", "In der Stichwahl gaben 4,6 Millionen Menschen ihre Stimme ab."),
    ("Uhrzeit des Angriffs?", "Der Angriff begann am 3. Juni."),
    ("Häufigkeit der Treffen?", "Die Minister trafen sich in Brüssel."),
    ("Betrag der Kredite, die Athen im Juni zurückzahlen muss?", "Im Juni muss Athen Kredite zurückzahlen."),
    ("Wahlkampfbudget der FPÖ?", "Die FPÖ plakatiert in 3 Bundesländern."),
    ("Siegerprämie beim Turnier?", "Der Sieger des Turniers erhält 2.000 Weltranglistenpunkte."),
    ("Höhe des Schadens?", "Der Sturm beschädigte 40 Häuser."),  # a count, not a sum
    ("Kalenderdatum, an dem die Frist endet?", "Die Frist endet bald."),
    ("Was kostet das Programm?", "Darüber berieten die Euro-Finanzminister."),  # a currency first in a compound
    ("Was kostet das Programm?", "Darüber berieten die 18 Euro-Finanzminister."),
    ("How much did the ticket cost?", "The recent rise in fares hit 40 percent of travellers."),  # "recent" is no cent
    ("Was kostet der Ausbau?", "In Oberfranken sind 3 Marktplätze geplant."),  # a region, a "Markt"
    ("Höhe der am 20. August fälligen Rate, in Euro?", "Am 20. August muss Athen an die EZB zahlen."),
    ("Entfernung zur Front, in Kilometern?", "Die 3 Brigaden liegen nahe der Front."),
])
def test_a_question_asking_for_a_measure_is_not_answered_by_a_bare_number(question, sentence):
    assert lacks_measure(question, sentence) and lacks_answer(question, sentence)


@pytest.mark.parametrize("question", [
    "What time limit applies to the ceasefire?",  # not a clock time, nor the others below
    "What day-to-day work does the envoy do?",
    "What date range does the report cover?",
    "In welchem Jahrhundert entstand die Kathedrale?",
    "An welchem Tagungsort trafen sie sich?",
    "Am wievielten Spieltag fiel das Tor?",
    "Wie hoch ist der Turm?",  # a count, a share, a sum or a height alike, without a noun that tells
    "Wie hoch ist die Zahl der Opfer?",
    "Wie groß ist das Land?",
    "Wie weit sind die Verhandlungen?",  # often no measure at all
    "Wie weit ist Kiew bereit zu gehen?",
    "Wie schwer wurde der Fahrer verletzt?",  # how badly, not how heavy
    "Wie schwer sind die Schäden?",
    "Wie tief sitzt das Misstrauen?",
    "Wie tief ist die Krise?",
    "Welchen Anteil hatte Kohl an der Einheit?",  # a role as often as a share
    "Wie weit sind die Parteien von einer Einigung entfernt?",  # a goal, not a place
    "How far is Russia from winning the war?",
    "Wie groß ist die Angriffsfläche für Hacker?",
    "Wie lange dauerte das Treffen?",  # a duration: the time rule checks it
    "Wer hat das Ticket bezahlt?",
    "Wie alternativlos ist der Plan?",
    "How much did the mediation achieve?",  # "how much" without "cost" asks for no price
    "What age group does the law protect?",
    "Anzahl der Tage des Treffens?",  # a count, which the time rule checks
])
def test_only_questions_that_name_their_measure_are_checked_for_its_unit(question):
    assert not lacks_measure(question, "Die Gespräche stocken.")


def test_a_name_asked_for_is_a_capitalised_word_the_question_lacks():
    question = "Wie heißt das Okapi, das der Zoo bekommen hat?"
    assert offers(Kind.NAME, "Das Okapi heißt Kibo.", question)
    assert not offers(Kind.NAME, "Der Zoo hat ein junges Okapi bekommen.", question)


def test_a_person_is_a_name_the_question_does_not_mention():
    question = "Wer empfing Witkoff in Moskau?"
    assert offers(Kind.PERSON, "Präsident Wladimir Putin empfing ihn.", question)
    assert not offers(Kind.PERSON, "Der Besuch in Moskau war kurz.", question)  # a noun, not a name
    assert not offers(Kind.PERSON, "Es kam Steve Witkoff.", question)  # the name asked about


def test_the_agent_of_a_passive_sentence_is_a_person():
    sentence = "Es gab einen Austausch, der von der Türkei vermittelt wurde."
    assert offers(Kind.PERSON, sentence, "Wer vermittelte den Austausch?")
    assert offers(Kind.PERSON, sentence, "Who brokered the prisoner exchange?")  # the spelling differs, not the name
    assert not offers(Kind.PERSON, sentence, "Wer vermittelte neben der Türkei?")  # the agent asked about
    assert not offers(Kind.PERSON, "Ein Austausch, vermittelt von der Türkei.", "Wer vermittelte?")  # not passive
    assert not offers(Kind.PERSON, "Der Austausch wurde von langer Hand geplant.", "Wer plante ihn?")  # no name
    assert offers(Kind.PERSON, "Von der Polizei wurde niemand festgenommen.", "Wer nahm ihn fest?")
    assert offers(Kind.PERSON, "Das Gesetz wurde von der EU gebilligt.", "Wer billigte es?")
    assert offers(Kind.PERSON, "Er wurde von der russischen Regierung empfangen.", "Wer empfing ihn?")
    assert not offers(Kind.PERSON, "Die Sitzung vom Montag wurde vertagt.", "Wer vertagte sie?")  # a time
    assert not offers(Kind.PERSON, "Das wurde gemeldet, sagte ein Sprecher von Amazon.", "Wer meldete es?")  # clauses


def test_a_decomposed_umlaut_reads_as_the_letter_in_the_kind_checks():
    assert offers(Kind.PERSON, "Dort empfing ihn Gerd Mu\u0308ller.", "Wer empfing Gerd Müller?") is False
    assert not lacks(Kind.TIME, "Das Treffen war im Ma\u0308rz.")
    assert offers(Kind.NAME, "Der Ort heißt Lu\u0308beck.", "Wie heißt der Ort?")


def word(stem, weight, parts=(), related=(), synonyms=()):
    return QuestionWord(stem, tuple(parts), frozenset(related), weight, frozenset(synonyms))


def test_unmatched_stems_are_the_words_the_corpus_lacks_in_every_form():
    profile = QuestionProfile((word("eiffelturm", 3.0, parts=("eiffel", "turm")), word("paris", 1.0)))
    corpus = {"paris", "turm"}.__contains__
    assert unmatched_stems(profile, corpus) == {"eiffelturm"}  # one part of the compound is not enough
    assert unmatched_stems(profile, {"paris", "turm", "eiffel"}.__contains__) == set()
    related = QuestionProfile((word("getotet", 2.0, related=("todesopf",)), word("kiew", 2.0)))
    assert unmatched_stems(related, {"todesopf", "kiew"}.__contains__) == set()
    assert unmatched_stems(related, {"todesopf"}.__contains__) == {"kiew"}
    assert unmatched_stems(QuestionProfile(()), corpus) == set()


def test_a_word_whose_synonym_the_corpus_holds_is_not_unmatched():
    profile = QuestionProfile((word("staatsoberhaupt", 3.0, synonyms=("prasident", "staatschef")), word("putin", 1.0)))
    assert unmatched_stems(profile, {"prasident", "putin"}.__contains__) == set()
    assert unmatched_stems(profile, {"putin"}.__contains__) == {"staatsoberhaupt"}


def test_without_lexical_clears_lexical_evidence_and_marks_english():
    rows = np.arange(2 * len(FEATURES), dtype=np.float32).reshape(2, -1) + 1
    seen = without_lexical(rows)
    for name in ("coverage", "coverage_gap", "coverage_rank", "previous_coverage", "unmatched_pull"):
        assert (seen[:, FEATURES.index(name)] == 0).all()
    assert (seen[:, FEATURES.index("english")] == 1).all()
    assert (seen[:, FEATURES.index("semantic")] == rows[:, FEATURES.index("semantic")]).all()
    assert (rows[:, FEATURES.index("coverage")] != 0).all()  # the input is left alone


@pytest.mark.parametrize("model", (*BUNDLED_MODELS, ANY_MODEL))
def test_each_shipped_scorer_has_coefficients_that_load_and_round_trip(model):
    assert fitted_for(model) == (model != ANY_MODEL)
    scorer = load_scorer(model)
    assert len(scorer.selection.weights) == len(FEATURES)
    assert len(scorer.answer.weights) == len(ANSWER_FEATURES)
    assert 0.0 < scorer.threshold < 1.0
    again = AnswerScorer.from_dict(json.loads(json.dumps(scorer.to_dict())))
    assert np.allclose(again.selection.weights, scorer.selection.weights, atol=1e-5)
    assert (again.threshold, again.similarities) == pytest.approx((scorer.threshold, scorer.similarities))
    for neighbour in NEIGHBOURS:
        assert getattr(scorer, neighbour) is not None and getattr(again, neighbour) is not None
        assert np.allclose(getattr(again, neighbour).weights, getattr(scorer, neighbour).weights, atol=1e-5)
    assert again.english_gap == pytest.approx(scorer.english_gap)
    assert (scorer.english_gap > 0) == (model == DEFAULT_MODEL_ID)  # measured for the multilingual model only
    recorded = json.loads(scorer_path(model).read_text(encoding="utf-8"))
    assert recorded["model"] == model  # the file says what it was fitted for and on
    assert recorded["cross_validated"]["all"]["questions"] >= 1500


def test_the_models_have_scorers_of_their_own_and_an_unknown_model_gets_the_one_for_any_model():
    first, second = (load_scorer(model) for model in BUNDLED_MODELS)
    assert not np.allclose(first.selection.mean, second.selection.mean)  # fitted on each model's similarities
    assert first.similarities == second.similarities == RAW
    assert not fitted_for("/models/my-own-model") and not fitted_for(ANY_MODEL)
    for lookalike in (f"/models/{DEFAULT_MODEL_ID}", f"intfloat/{DEFAULT_MODEL_ID}"):  # e.g. a fine-tuned copy
        assert not fitted_for(lookalike)
        assert load_scorer(lookalike).similarities == CORPUS
    generic = load_scorer("/models/my-own-model")
    assert generic.similarities == CORPUS
    assert generic.to_dict() == load_scorer(ANY_MODEL).to_dict()
    recorded = json.loads(scorer_path(ANY_MODEL).read_text(encoding="utf-8"))
    assert recorded["model"] == ANY_MODEL
    assert set(recorded["models_not_fitted_on"]) == set(BUNDLED_MODELS)  # the figures for a model it has not seen


def test_relative_to_corpus_makes_similarities_standard_scores():
    rows = np.zeros((3, len(FEATURES)), dtype=np.float32)
    semantic, gap, passage = (FEATURES.index(n) for n in ("semantic", "semantic_gap", "passage_semantic"))
    rows[:, semantic] = [0.9, 0.8, 0.7]
    rows[:, gap] = [0.0, -0.1, -0.2]
    rows[:, passage] = 0.85
    rows[:, FEATURES.index("coverage")] = 0.5
    seen = relative_to_corpus(rows, (0.8, 0.05))
    assert seen[:, semantic] == pytest.approx([2.0, 0.0, -2.0])
    assert seen[:, gap] == pytest.approx([0.0, -2.0, -4.0])
    assert seen[:, passage] == pytest.approx([1.0, 1.0, 1.0])
    assert (seen[:, FEATURES.index("coverage")] == 0.5).all()  # only similarities change
    assert rows[0, semantic] == pytest.approx(0.9)  # the input is left alone
    assert np.isfinite(relative_to_corpus(rows, (0.8, 0.0))).all()  # one sentence: no spread


def test_coefficients_for_other_features_or_similarities_are_refused():
    fitted = load_scorer().to_dict()
    fitted["features"] = fitted["features"][:-1]
    with pytest.raises(ValueError):
        AnswerScorer.from_dict(fitted)
    with pytest.raises(ValueError):
        AnswerScorer.from_dict(load_scorer().to_dict() | {"similarities": "cosine"})
    with pytest.raises(ValueError):
        AnswerScorer.from_dict(load_scorer().to_dict() | {"continuation_features": ["logit_gap"]})
    with pytest.raises(ValueError):  # the features without the coefficients
        AnswerScorer.from_dict({k: v for k, v in load_scorer().to_dict().items() if k not in NEIGHBOURS})
    with pytest.raises(ValueError):  # coefficients without their features
        AnswerScorer.from_dict({k: v for k, v in load_scorer().to_dict().items() if k != "continuation_features"})
    without = {key: value for key, value in load_scorer().to_dict().items()
               if not key.startswith("continuation") and key != "preceding"}
    assert AnswerScorer.from_dict(without).continuation is None  # a file from before continuations still loads
    older = {key: value for key, value in load_scorer().to_dict().items() if key != "preceding"}
    assert AnswerScorer.from_dict(older).preceding is None and AnswerScorer.from_dict(older).continuation is not None


def synthetic_questions(count: int, seed: int, hidden: bool = False) -> list[Asked]:
    """Questions of 8 candidates where the one with the highest 'semantic' value holds the answer (unless the
    answer is hidden: then none does, and every 'semantic' value is low)."""
    rng = np.random.default_rng(seed)
    asked = []
    for n in range(count):
        rows = rng.normal(size=(8, len(FEATURES))).astype(np.float32)
        semantic = FEATURES.index("semantic")
        rows[:, semantic] = rng.uniform(0.70, 0.80, size=8)
        labels = np.zeros(8, dtype=np.float32)
        if not hidden:
            rows[3, semantic] = 0.9
            labels[3] = 1.0
        asked.append(Asked(f"synthetic:{n % 10}", hidden, rows, labels))
    return asked


def test_fitting_learns_which_candidate_answers_and_when_none_does():
    training = synthetic_questions(200, 1) + synthetic_questions(200, 2, hidden=True)
    selection = fit_selection([a for a in training if not a.hidden])
    assert selection.weights[FEATURES.index("semantic")] > 0
    scorer = fit(training)
    results = outcomes(scorer, synthetic_questions(100, 3) + synthetic_questions(100, 4, hidden=True))
    answered = [r.confidence >= scorer.threshold for r in results if not r.hidden]
    right = [r.holds for r in results if not r.hidden]
    abstained = [r.confidence < scorer.threshold for r in results if r.hidden]
    assert np.mean(right) > 0.95 and np.mean(answered) > 0.8 and np.mean(abstained) > 0.9
    assert scorer.continuation is scorer.preceding is None  # collected without neighbours: nothing to learn from


def test_questions_with_only_their_answers_sentence_hidden_are_scored_but_not_learnt_from():
    training = synthetic_questions(200, 1) + synthetic_questions(200, 2, hidden=True)
    # on-topic candidates that lack the answer yet look like one: learnt from, they would move the coefficients
    lookalikes = [replace(a, hidden=True, sentence_hidden=True, labels=np.zeros_like(a.labels))
                  for a in synthetic_questions(200, 5)]
    plain, with_lookalikes = fit(training), fit(training + lookalikes)
    assert np.array_equal(plain.answer.weights, with_lookalikes.answer.weights)
    assert plain.threshold == with_lookalikes.threshold
    figures = cv_figures(*cross_validate(training + lookalikes))["all"]
    assert figures["questions"] == 200
    assert figures["hidden_paragraph_abstained"] > 0.9  # the paragraphs hidden alone, as before
    assert figures["hidden_sentence_abstained"] < 0.2  # the lookalikes, counted apart: the scorer answers them


def test_questions_asked_in_english_teach_the_confidence_alone_and_are_scored_apart():
    training = synthetic_questions(200, 1) + synthetic_questions(200, 2, hidden=True)
    translated = [replace(a, english=True, translated=True) for a in synthetic_questions(200, 6, hidden=True)]
    plain, with_english = fit(training), fit(training + translated)
    assert np.array_equal(plain.selection.weights, with_english.selection.weights)
    assert not np.array_equal(plain.answer.weights, with_english.answer.weights)
    german = [o.confidence for o in outcomes(with_english, training) if not o.hidden]
    assert np.isclose(np.mean(np.array(german) < with_english.threshold), 0.04, atol=0.01)  # set on German alone
    figures = cv_figures(*cross_validate(training + translated))
    assert figures["synthetic"]["questions"] == figures["all"]["questions"] == 200  # all: the German questions
    assert figures["synthetic-english"]["hidden_paragraph_abstained"] > 0.9


def test_the_threshold_stays_above_0_when_more_quotes_than_it_allows_lack_the_kind_asked_for():
    """Past TARGET_FALSE_ABSTENTION of such quotes the quantile would be 0, and 0 abstains on nothing."""
    shown = synthetic_questions(200, 1)
    lacking = [replace(a, lacking=np.ones(len(a.rows), dtype=bool)) for a in shown[:20]]  # 10 % of them
    scorer = fit(lacking + shown[20:] + synthetic_questions(200, 2, hidden=True))
    assert scorer.threshold >= MIN_THRESHOLD > 0.0
    assert all(r.confidence < scorer.threshold for r in outcomes(scorer, lacking))
    assert all(r.confidence > 0.0 for r in outcomes(scorer, shown[20:]))


def test_the_fit_takes_in_the_next_sentence_naming_the_measure_only_when_the_question_asks_for_one():
    """As answering does (`missing_kind.takes_next`): a chosen sentence without the measure whose next sentence names
    it is quoted with it, for a question asking for a measure; for a time or a number the quote stays alone and
    lacks the kind asked for."""
    scorer = fit(synthetic_questions(200, 1) + synthetic_questions(200, 2, hidden=True))
    after, before = np.array([1, 2, 3, 4, 5, 6, 7, -1]), np.array([-1, 0, 1, 2, 3, 4, 5, 6])
    lacking = np.ones(8, dtype=bool)
    lacking[4] = False  # only the sentence after the chosen one (the fourth) names the measure
    joined = np.zeros(8, dtype=bool)
    joined[3] = True  # the chosen sentence and the next hold the answer together
    base = replace(synthetic_questions(1, 5)[0], lacking=lacking,
                   following=Neighbours(after, before, joined, *np.zeros((3, 8), dtype=bool)))
    measure, number = outcomes(scorer, [replace(base, asks_measure=True), replace(base, asks_measure=False)])
    assert measure.extended and measure.quoted_holds and measure.confidence > 0.0
    assert not number.extended and number.confidence == 0.0


def test_the_fit_shows_a_sentence_pointing_back_with_the_one_before_unless_a_rule_widens_it():
    """As answering does (`continuation.in_context`): a chosen sentence quoted alone that points back is shown with
    the sentence before, which may hold the answer; one that takes in the next sentence naming the measure asked
    for is not, and whether it lacks the measure is judged without the sentence before."""
    scorer = fit(synthetic_questions(200, 1) + synthetic_questions(200, 2, hidden=True))
    after, before = np.array([1, 2, 3, 4, 5, 6, 7, -1]), np.array([-1, 0, 1, 2, 3, 4, 5, 6])
    joined = np.zeros(8, dtype=bool)
    joined[2] = True  # the sentence before the chosen one (the fourth) holds the answer
    points, none = np.zeros(8, dtype=bool), np.zeros(8, dtype=bool)
    points[3] = True
    question = synthetic_questions(1, 5)[0]
    base = replace(question, labels=np.zeros_like(question.labels),  # only the run of the two holds the answer
                   following=Neighbours(after, before, joined, none, points, none))
    alone_base = replace(base, following=Neighbours(after, before, joined, none, none, none))
    shown, alone = outcomes(scorer, [base, alone_base])
    assert shown.extended and shown.quoted_holds and not shown.holds
    assert not alone.extended and not alone.quoted_holds
    lacking = np.ones(8, dtype=bool)
    lacking[4] = False  # only the sentence after the chosen one names the measure; the one before lacks it too
    measure, number = outcomes(scorer, [replace(base, lacking=lacking, asks_measure=True),
                                        replace(base, lacking=lacking, asks_measure=False)])
    assert measure.extended and not measure.quoted_holds and measure.confidence > 0.0  # the next one, not before
    assert number.extended and number.quoted_holds and number.confidence == 0.0  # shown in context, yet lacking


def continuing_questions(count: int, seed: int, backward: bool = False) -> list[Asked]:
    """Questions of 8 sentences in a row, the fourth most similar; in every other question its answer goes on
    into the fifth (`backward`: began in the third), which then offers the kind asked for (elsewhere no sentence
    does)."""
    rng = np.random.default_rng(seed)
    asked = []
    for n, base in enumerate(synthetic_questions(count, seed)):
        rows, labels = base.rows.copy(), base.labels.copy()
        rows[:, FEATURES.index("kind_offered")] = 0.0
        joined = labels.copy()
        if n % 2:
            rows[2 if backward else 4, FEATURES.index("kind_offered")] = 1.0
            labels[:] = 0.0  # the answer spans the two sentences
            joined[:] = 0.0
            joined[2 if backward else 3] = 1.0  # the run of a pair is marked at its first sentence
        else:
            rows[rng.integers(5, 8), FEATURES.index("kind_offered")] = 1.0  # not next to the chosen one
        after, before = np.array([1, 2, 3, 4, 5, 6, 7, -1]), np.array([-1, 0, 1, 2, 3, 4, 5, 6])
        asked.append(replace(base, rows=rows, labels=labels,
                             following=Neighbours(after, before, joined, *np.zeros((3, len(rows)), dtype=bool))))
    return asked


@pytest.mark.parametrize("backward", (False, True))
def test_fitting_learns_when_the_answer_goes_on_in_the_next_sentence_or_began_in_the_one_before(backward):
    scorer = fit(continuing_questions(300, 1, backward) + synthetic_questions(200, 2, hidden=True))
    learnt, unused = (scorer.preceding, scorer.continuation) if backward else (scorer.continuation, scorer.preceding)
    assert learnt is not None and unused is None  # no answer lay on the other side: nothing to learn there
    weights = dict(zip(CONTINUATION_FEATURES, learnt.weights))
    assert weights["next_kind_offered"] > 0  # the neighbour's kind, whichever side it is on
    results = outcomes(scorer, continuing_questions(100, 3, backward))
    goes_on, ends = results[1::2], results[0::2]
    assert all(r.extended and r.quoted_holds and not r.holds for r in goes_on)
    assert not any(r.extended for r in ends) and all(r.quoted_holds == r.holds for r in ends)
    figures = cv_figures(*cross_validate(continuing_questions(300, 4, backward)))["all"]
    assert figures["answer@1"] > figures["answer@1_one_sentence"] + 0.4
    assert 0.4 < figures["quotes_extended"] < 0.6


def test_a_quote_lacking_the_kind_asked_for_is_abstained_on_in_fitting_as_in_answering():
    """`outcomes` gives such a question confidence 0, as `Extractor` does, so the threshold is chosen with
    those abstentions counted; a quote that takes in a neighbour holding the kind does not lack it."""
    scorer = fit(continuing_questions(300, 1) + synthetic_questions(200, 2, hidden=True))
    questions = continuing_questions(20, 3)
    nothing, everything = np.zeros(8, dtype=bool), np.ones(8, dtype=bool)
    plain = outcomes(scorer, questions)
    assert all(r.confidence > 0 for r in plain)
    assert outcomes(scorer, [replace(a, lacking=nothing) for a in questions]) == plain
    lacking = outcomes(scorer, [replace(a, lacking=everything) for a in questions])
    assert all(r.confidence == 0.0 for r in lacking)
    only_chosen = everything.copy()
    only_chosen[4] = False  # the sentence after the chosen one holds the kind
    widened = outcomes(scorer, [replace(a, lacking=only_chosen) for a in questions])
    assert [r.confidence > 0 for r in widened] == [r.extended for r in plain]


def test_continuation_features_pair_each_candidate_with_the_next():
    rows = np.zeros((3, len(FEATURES)), dtype=np.float32)
    rows[:, FEATURES.index("semantic")] = [0.9, 0.7, 0.8]
    rows[:, FEATURES.index("kind_offered")] = [0.0, 1.0, 0.0]
    features = continuation_features(rows, np.array([2.0, 1.0, 0.0]), np.array([1, -1, -1]))
    first = dict(zip(CONTINUATION_FEATURES, features[0]))
    assert first["logit_gap"] == pytest.approx(-1.0)
    assert first["semantic_gap"] == pytest.approx(-0.2)
    assert (first["next_kind_offered"], first["kind_offered"]) == (1.0, 0.0)
    assert (features[1:] == 0).all()  # no next sentence
    scorer = replace(load_scorer(), continuation=Linear(np.zeros(len(CONTINUATION_FEATURES), np.float32), 5.0,
                                                        np.zeros(len(CONTINUATION_FEATURES), np.float32),
                                                        np.ones(len(CONTINUATION_FEATURES), np.float32)))
    assert scorer.continues(rows, np.array([2.0, 1.0, 0.0]), np.array([1, -1, -1])) == pytest.approx(
        [1 / (1 + np.exp(-5.0)), 0.0, 0.0])
    assert (replace(scorer, continuation=None).continues(rows, np.zeros(3), np.array([1, 2, -1])) == 0).all()


def on_another_scale(asked: list[Asked], offset: float, factor: float) -> list[Asked]:
    """The same questions as another model would see them: every similarity moved to another band."""
    columns = [FEATURES.index(n) for n in ("semantic", "passage_semantic")]
    gap = FEATURES.index("semantic_gap")
    moved = []
    for a in asked:
        rows = a.rows.copy()
        rows[:, columns] = offset + factor * rows[:, columns]
        rows[:, gap] *= factor
        moved.append(replace(a, rows=rows, spread=(offset + factor * 0.72, factor * 0.03)))
    return moved


def test_a_scorer_of_similarities_relative_to_the_corpus_carries_over_to_another_model():
    training = synthetic_questions(200, 1) + synthetic_questions(200, 2, hidden=True)
    one_model = on_another_scale(training, 0.0, 1.0)
    other_model = on_another_scale(training, -0.5, 1.2)  # similarities of 0.34..0.58 instead of 0.7..0.9
    raw_results, _ = cross_validate(one_model, scored=other_model)
    results, names = cross_validate(relative(one_model), scored=relative(other_model))
    assert len(results) == len(other_model) and set(names) == {"synthetic"}
    answered = lambda rows: np.mean([shown for r, shown in rows if not r.hidden])  # noqa: E731
    abstained = lambda rows: np.mean([not shown for r, shown in rows if r.hidden])  # noqa: E731
    assert answered(results) > 0.8 and abstained(results) > 0.8
    assert min(answered(raw_results), abstained(raw_results)) < 0.5  # the cosines themselves do not carry over
    assert fit(relative(one_model), CORPUS).similarities == CORPUS
    with pytest.raises(ValueError):
        relative(training)  # collected without a spread


def test_logistic_fit_separates_a_clear_signal():
    rng = np.random.default_rng(5)
    x = rng.normal(size=(400, 2)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.float32)
    model = fit_logistic(x, y)
    assert model.weights[0] > 2 * abs(model.weights[1])


def test_answer_features_describe_the_best_candidate():
    rows = np.zeros((3, len(FEATURES)), dtype=np.float32)
    rows[:, FEATURES.index("semantic")] = [0.7, 0.9, 0.8]
    features = answer_features(rows, np.array([0.0, 2.0, 1.0]))
    values = dict(zip(ANSWER_FEATURES, features))
    assert values["semantic"] == pytest.approx(0.9)
    assert values["margin"] == pytest.approx(1.0)
    assert 0.5 < values["best_share"] < 1.0


def test_the_confidence_reads_an_english_question_without_its_translated_words():
    scorer = load_scorer(DEFAULT_MODEL_ID)
    rows = np.zeros((3, len(FEATURES)), dtype=np.float32)
    rows[:, FEATURES.index("semantic")] = [0.82, 0.80, 0.78]
    rows[:, FEATURES.index("passage_semantic")] = 0.8
    rows[:, FEATURES.index("english")] = 1.0
    translated = rows.copy()
    for name, values in (("coverage", [0.0, 1.0, 0.5]), ("coverage_gap", [-1.0, 0.0, -0.5]),
                         ("coverage_rank", [1 / 3, 1.0, 0.5])):  # the second holds all words' German translations
        translated[:, FEATURES.index(name)] = values
    logits = scorer.choose(translated)
    assert not np.allclose(logits, scorer.choose(rows))  # they count for the choice
    plain = without_lexical(translated)
    assert scorer.confidence(translated, logits) == pytest.approx(scorer.confidence(plain, scorer.choose(plain)))
    german = translated.copy()
    german[:, FEATURES.index("english")] = 0.0  # a German question's coverage counts for the confidence
    assert scorer.confidence(german, scorer.choose(german)) != pytest.approx(scorer.confidence(
        without_lexical(german), scorer.choose(without_lexical(german))))
