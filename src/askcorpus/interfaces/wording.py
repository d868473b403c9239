"""The page's German wording of what the core says in English: a sync's summary, why a file was skipped, an upload
refused or a cited article cannot be shown, and why a question cannot be asked; counts and times in German
notation. A message with no German wording here is shown as it is."""

from __future__ import annotations

import re
import time

from askcorpus.answering.article import CHANGED
from askcorpus.corpus import BUILD_ELSEWHERE, BUILD_FIRST, NO_LONGER_THERE, NOT_INDEXED
from askcorpus.indexing.lock import DATABASE
from askcorpus.indexing.plan import SummaryWords, SyncReport
from askcorpus.indexing.sources import GONE, IN_AN_INDEX, LIMIT_SETTING, LOOP, UNREADABLE

_ = re.escape
# Each English message as a pattern, with its German wording; a named group is carried over (`_part`).
_MESSAGES = [(re.compile(english), german) for english, german in (
    # why a file is skipped (`indexing.sources`, `indexing.sync`) or an upload refused (`indexing.intake`)
    (r"is empty", "ist leer"),
    (r"has no article text left after cleaning", "enthält nach dem Bereinigen keinen Artikeltext"),
    (r"is (?P<encoding>UTF-16|UTF-32) text; re-save it as UTF-8", "ist {encoding}-Text; bitte als UTF-8 speichern"),
    (r"looks binary \(contains NUL bytes\)", "scheint binär zu sein (enthält NUL-Bytes)"),
    (r"is not valid UTF-8 \(byte (?P<byte>\d+)\) \(it looks like Latin-1/Windows-1252\); re-save it as UTF-8",
     "ist kein gültiges UTF-8 (Byte {byte}) (sieht nach Latin-1/Windows-1252 aus); bitte als UTF-8 speichern"),
    (r"is not valid UTF-8 \(byte (?P<byte>\d+)\); re-save it as UTF-8",
     "ist kein gültiges UTF-8 (Byte {byte}); bitte als UTF-8 speichern"),
    (rf"is (?P<size>[\d.e+-]+) MB, over the limit of (?P<limit>[\d.e+-]+) MB per article {_(LIMIT_SETTING)}",
     f"ist {{size}} MB groß, über der Grenze von {{limit}} MB je Artikel {LIMIT_SETTING}"),
    (rf"{_(UNREADABLE)} \((?P<detail>.*)\)", "kann nicht gelesen werden ({detail})"),
    (r"cannot be saved \((?P<detail>.*)\)", "kann nicht gespeichert werden ({detail})"),
    (_(GONE), "ist verschwunden (beim Lesen gelöscht oder verschoben)"),
    (r"is not a regular file", "ist keine reguläre Datei"),
    (r"is a link to a file that does not exist", "ist ein Link auf eine Datei, die es nicht gibt"),
    (_(LOOP), "ist ein Link, der im Kreis führt; nicht gefolgt"),
    (r"is a link to outside the seeds folder; not followed",
     "ist ein Link aus dem Artikelordner hinaus; nicht gefolgt"),
    (r"has a file name that is not valid UTF-8; rename it",
     "hat einen Dateinamen, der kein gültiges UTF-8 ist; bitte umbenennen"),
    (_(IN_AN_INDEX), f"liegt in einem Index-Ordner (er enthält {DATABASE}); nicht als Artikel gelesen"),
    (r"is not a \.txt file; only \.txt articles are added",
     "ist keine .txt-Datei; nur .txt-Artikel werden hinzugefügt"),
    (r"only plain \.txt file names are accepted \(no folders, no hidden files\)",
     "nur einfache .txt-Dateinamen werden angenommen (keine Ordner, keine versteckten Dateien)"),
    (r"is already in the seeds folder", "ist schon im Artikelordner"),
    (r"a different file named (?P<name>.+) is already in the seeds folder; rename the upload to add it",
     "eine andere Datei namens {name} ist schon im Artikelordner; zum Hinzufügen die Datei umbenennen"),
    (r"a file named (?P<name>.+) appeared in the seeds folder meanwhile",
     "eine Datei namens {name} ist inzwischen im Artikelordner erschienen"),
    (r"has the same content as (?P<twin>.+), already in the seeds folder",
     "hat denselben Inhalt wie {twin} im Artikelordner"),
    # why a cited article cannot be shown (`Corpus.article`, `answering.article`)
    (_(NOT_INDEXED), "ist nicht im Index"),
    (_(NO_LONGER_THERE), "ist nicht mehr im Artikelordner (seit dem Indexieren gelöscht oder verschoben)"),
    (_(CHANGED), "hat sich seit dem Indexieren geändert; der Index wird beim nächsten Abgleich aktualisiert"),
    # why a question cannot be asked (`answering.questions`, `Corpus.ask`, `web.passage_count`)
    (r"the question has (?P<count>\d+) characters; the limit is (?P<limit>\d+)",
     "die Frage hat {count} Zeichen, erlaubt sind {limit}"),
    (r"the question has no words to search for", "die Frage enthält kein Wort, nach dem gesucht werden kann"),
    (r"the question must be text, not (?P<kind>\w+)", "die Frage muss Text sein, nicht {kind}"),
    (r"the number of passages must be a whole number from 1 to (?P<limit>\d+), not (?P<given>.*)",
     "die Zahl der Passagen muss eine ganze Zahl von 1 bis {limit} sein, nicht {given}"),
    (r"the number of passages must be between 1 and (?P<limit>\d+)",
     "die Zahl der Passagen muss eine ganze Zahl von 1 bis {limit} sein"),
    # why a sync or an answer failed (`indexing.sync`, `indexing.lock`, `errors.IndexBusy`, `Corpus`)
    (r"no readable articles \(\*\.txt\) in seeds folder (?P<folder>.+)",
     "keine lesbaren Artikel (*.txt) im Artikelordner {folder}"),
    (r"index (?P<index>.+) is being updated by process (?P<holder>.+); try again when it has finished",
     "der Index {index} wird gerade von Prozess {holder} aktualisiert; bitte danach erneut versuchen"),
    (r"index folder (?P<index>.+) is not writable", "der Index-Ordner {index} ist nicht beschreibbar"),
    (r"cannot create index folder (?P<index>.+?): (?P<detail>.+)",
     "der Index-Ordner {index} kann nicht angelegt werden: {detail}"),
    (r"cannot lock index folder (?P<index>.+?): (?P<detail>.+)",
     "der Index-Ordner {index} kann nicht gesperrt werden: {detail}"),
    (rf"no usable index in (?P<index>.+): {_(BUILD_FIRST)}",
     "kein brauchbarer Index in {index}: zuerst `askcorpus index` ausführen"),
    (rf"no usable index in (?P<index>.+): {_(BUILD_ELSEWHERE)}",
     "kein brauchbarer Index in {index}; der Ordner ist hier nicht beschreibbar: `askcorpus index` muss jemand "
     "ausführen, der ihn schreiben darf"),
    (r"the index database in (?P<index>.+) is damaged \((?P<detail>.+)\): `askcorpus index --rebuild` moves it aside "
     r"and builds the index again",
     "die Datenbank des Index {index} ist beschädigt ({detail}): `askcorpus index --rebuild` legt sie beiseite und "
     "baut den Index neu auf"),
    (r"cannot reach the Chroma server at (?P<url>\S+): (?P<detail>.+)",
     "der Chroma-Server {url} ist nicht erreichbar: {detail}"),
    (r"the sync's process ended without an answer \(exit code (?P<code>-?\d+)\)",
     "der Prozess des Abgleichs endete ohne Antwort (Exit-Code {code})"),
    # details: the errors the operating system names most often, and a seeds folder gone
    (r"Permission denied", "keine Berechtigung"),
    (r"No space left on device", "kein Speicherplatz mehr frei"),
    (r"Disk quota exceeded", "Speicherkontingent überschritten"),
    (r"No such file or directory", "nicht vorhanden"),
    (r"Read-only file system", "Dateisystem nur lesbar"),
    (r"File name too long", "Dateiname zu lang"),
    (r"Is a directory", "ist ein Ordner"),
    (r"Not a directory", "ein Teil des Pfads ist kein Ordner"),
    (r"Input/output error", "Ein-/Ausgabefehler"),
    (r"seeds folder (?P<folder>.+) does not exist", "den Artikelordner {folder} gibt es nicht"),
    (r"seeds folder (?P<folder>.+) is not a folder", "der Artikelordner {folder} ist kein Ordner"),
    (rf"seeds folder (?P<folder>.+) is an index folder \(it holds {re.escape(DATABASE)}\); pass the folder of articles "
     r"with --seeds",
     f"der Artikelordner {{folder}} ist ein Index-Ordner (er enthält {DATABASE}); als --seeds den Ordner der Artikel "
     "angeben"),
)]
_NUMBER = re.compile(r"[\d.e+-]+")


def count_de(number: int) -> str:
    """A count in German notation: 12.345."""
    return f"{number:,}".replace(",", ".")


GERMAN_SUMMARY = SummaryWords(
    synced="Abgeglichen", would_sync="Würde abgleichen", added="hinzugefügt", changed="geändert", removed="entfernt",
    unchanged="unverändert", skipped="übersprungen", in_store_now="Passagen jetzt im Index",
    in_store_now_one="Passage jetzt im Index", embedded="Passagen eingebettet",
    embedded_one="Passage eingebettet", reused=" ({} wiederverwendet)", in_store="im Index", count=count_de,
    seconds=lambda seconds: f"{seconds:.1f} s".replace(".", ","))


def german(message: str) -> str:
    """The German wording of an English message of the core (see the table above); `message` itself when there is
    none. Details inside it (an operating system's error, a number) are worded too, where known."""
    for pattern, wording in _MESSAGES:
        match = pattern.fullmatch(message)
        if match:
            parts = {name: _part(name, value) for name, value in match.groupdict().items()}
            return wording.format(**parts)
    return message


def clock_de(moment: float | None) -> str:
    """A moment as a German date and time (05.12.2026, 14:03:22); a dash for none."""
    return time.strftime("%d.%m.%Y, %H:%M:%S", time.localtime(moment)) if moment else "–"


def sync_summary_de(report: SyncReport) -> str:
    """The German line for what a sync did (`SyncReport.summary` in English)."""
    return report.summary(GERMAN_SUMMARY)


def _part(name: str, value: str) -> str:
    """A group of a matched message in German: a detail worded in turn, a count grouped, a size with a decimal comma."""
    if name == "detail":
        return german(value)
    if name in ("count", "limit") and value.isdigit():
        return count_de(int(value))
    return value.replace(".", ",") if name in ("size", "limit") and _NUMBER.fullmatch(value) else value
