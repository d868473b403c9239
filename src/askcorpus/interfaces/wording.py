"""The page's German wording of what the indexer reports in English: a sync's summary, and why a file was skipped or
an upload not added. A reason with no German wording here is shown as it is."""

from __future__ import annotations

import re

from askcorpus.indexing.lock import DATABASE
from askcorpus.indexing.plan import SyncReport

# Each English reason (`indexing.sources`, `indexing.intake`, `indexing.sync`) as a pattern, with its German wording;
# a named group is carried over, a number in German notation.
_REASONS = [(re.compile(english), german) for english, german in (
    (r"is empty", "ist leer"),
    (r"has no article text left after cleaning", "enthält nach dem Bereinigen keinen Artikeltext"),
    (r"is (?P<encoding>UTF-16|UTF-32) text; re-save it as UTF-8",
     "ist {encoding}-Text; bitte als UTF-8 speichern"),
    (r"looks binary \(contains NUL bytes\)", "scheint binär zu sein (enthält NUL-Bytes)"),
    (r"is not valid UTF-8 \(byte (?P<byte>\d+)\)(?P<latin1> \(it looks like Latin-1/Windows-1252\))?; "
     r"re-save it as UTF-8", "ist kein gültiges UTF-8 (Byte {byte}){latin1}; bitte als UTF-8 speichern"),
    (r"is (?P<size>[\d.e+-]+) MB, over the limit of (?P<limit>[\d.e+-]+) MB per article \(ASKCORPUS_MAX_FILE_MB\)",
     "ist {size} MB groß, über der Grenze von {limit} MB je Artikel (ASKCORPUS_MAX_FILE_MB)"),
    (r"cannot be read \((?P<detail>.*)\)", "kann nicht gelesen werden ({detail})"),
    (r"cannot be saved \((?P<detail>.*)\)", "kann nicht gespeichert werden ({detail})"),
    (r"is gone \(deleted or moved while it was being read\)",
     "ist fort (gelöscht oder verschoben, während sie gelesen wurde)"),
    (r"is not a regular file", "ist keine gewöhnliche Datei"),
    (r"is a link to a file that does not exist", "ist ein Link auf eine Datei, die es nicht gibt"),
    (r"is a link that leads in a loop; not followed", "ist ein Link, der im Kreis führt; nicht gefolgt"),
    (r"is a link to outside the seeds folder; not followed",
     "ist ein Link aus dem Artikelordner hinaus; nicht gefolgt"),
    (r"has a file name that is not valid UTF-8; rename it",
     "hat einen Dateinamen, der kein gültiges UTF-8 ist; bitte umbenennen"),
    (rf"lies in an index folder \(it holds {re.escape(DATABASE)}\); not read as an article",
     f"liegt in einem Index-Ordner (er enthält {DATABASE}); nicht als Artikel gelesen"),
    (r"only plain \.txt file names are accepted \(no folders, no hidden files\)",
     "nur einfache .txt-Dateinamen werden angenommen (keine Ordner, keine versteckten Dateien)"),
    (r"is already in the seeds folder", "ist schon im Artikelordner"),
    (r"a different file named (?P<name>.+) is already in the seeds folder; rename the upload to add it",
     "eine andere Datei namens {name} ist schon im Artikelordner; zum Hinzufügen die Datei umbenennen"),
    (r"has the same content as (?P<twin>.+), already in the seeds folder",
     "hat denselben Inhalt wie {twin}, die schon im Artikelordner liegt"),
)]
_GERMAN_PARTS = {"latin1": " (sieht nach Latin-1/Windows-1252 aus)"}
_NUMBER = re.compile(r"^[\d.e+-]+$")


def reason_de(reason: str) -> str:
    """The German wording of why a file was skipped or an upload not added; `reason` itself when there is none."""
    for pattern, german in _REASONS:
        match = pattern.fullmatch(reason)
        if match:
            return german.format(**{name: _german_part(name, value) for name, value in match.groupdict().items()})
    return reason


def sync_summary_de(report: SyncReport) -> str:
    """The German line for what a sync did (`SyncReport.summary` in English)."""
    plan = report.plan
    parts = [f"{'Würde abgleichen' if report.dry_run else 'Abgeglichen'}: {len(plan.added)} hinzugefügt, "
             f"{len(plan.changed)} geändert, {len(plan.removed)} entfernt, {len(plan.unchanged)} unverändert"]
    if report.skipped:
        parts.append(f"{len(report.skipped)} übersprungen")
    seconds = f"{report.seconds:.1f} s".replace(".", ",")
    if report.dry_run:
        parts.append(f"{report.chunks_in_store} Abschnitte jetzt im Index, {seconds}")
    else:
        reused = f" ({report.reused_chunks} wiederverwendet)" if report.reused_chunks else ""
        parts.append(f"{report.embedded_chunks} Abschnitte eingebettet{reused}, {report.chunks_in_store} im Index, "
                     f"{seconds}")
    return "; ".join(parts)


def _german_part(name: str, value: str | None) -> str:
    if value is None:
        return ""
    if name in _GERMAN_PARTS:
        return _GERMAN_PARTS[name]
    return value.replace(".", ",") if _NUMBER.match(value) else value
