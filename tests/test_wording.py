"""The page's German wording of the core's English messages: every reason the indexer gives has one, word for word."""

import os
import re
from dataclasses import replace
from pathlib import Path

import pytest

from askcorpus.corpus import Corpus
from askcorpus.errors import ArticleUnavailable
from askcorpus.indexing.damage import damaged
from askcorpus.indexing.intake import add_upload
from askcorpus.indexing.lock import DATABASE
from askcorpus.indexing.plan import SyncPlan, SyncReport
from askcorpus.indexing.sources import GONE, UNREADABLE, Skipped, decode_article, read_article, size_problem
from askcorpus.indexing.sync import scan
from askcorpus.interfaces.wording import clock_de, count_de, german, sync_summary_de
from support import SEED_NAMES

ENGLISH = re.compile(r"\b(the|is|not|of|to|it|folder|file|does|has|cannot|already|seeds|denied)\b")


def _reasons_of_files(tmp_path, monkeypatch) -> list[str]:
    seeds = tmp_path / "seeds"
    (seeds / "ordner.txt").mkdir(parents=True)
    (seeds / "index").mkdir()
    (seeds / "index" / DATABASE).write_bytes(b"")
    (seeds / "index" / "a.txt").write_text("Ein Satz.", encoding="utf-8")
    (tmp_path / "draussen.txt").write_text("Ein Satz.", encoding="utf-8")
    os.symlink(tmp_path / "draussen.txt", seeds / "hinaus.txt")
    os.symlink(seeds / "fehlt", seeds / "fehlt.txt")
    os.symlink(seeds / "kreis.txt", seeds / "kreis.txt")
    (seeds / os.fsdecode(b"caf\xe9.txt")).write_bytes(b"Ein Satz.")
    (seeds / "nur-werbung.txt").write_text("Anzeige\n", encoding="utf-8")
    (seeds / "gross.txt").write_text("Ein Satz. " * 10, encoding="utf-8")
    names = ["ordner.txt", "index/a.txt", "hinaus.txt", "fehlt.txt", "kreis.txt", os.fsdecode(b"caf\xe9.txt")]
    reasons = [read_article(seeds, seeds / name).reason for name in names]
    with monkeypatch.context() as patch:
        patch.setenv("ASKCORPUS_MAX_FILE_MB", "0.00001")
        reasons.append(read_article(seeds, seeds / "gross.txt").reason)
    return reasons + [s.reason for s in scan(seeds, [seeds / "nur-werbung.txt"], {}).skipped]


def _reasons_of_bytes() -> list[str]:
    contents = [b"\xff\xfe", "Text".encode("utf-32"), "Ein Text".encode("utf-16"), b"a\x00b",
                "Übel und Größe".encode("latin-1"), b"ok \xff\xfe\xfd\xfc \x80"]
    return [decode_article(data).reason for data in contents]


def _reasons_of_uploads(tmp_path, monkeypatch) -> list[str]:
    seeds = tmp_path / "uploaded"
    seeds.mkdir()
    (seeds / "000.txt").write_bytes(b"Ein Artikel.")
    upload = tmp_path / "upload.bin"
    reasons = []
    for name, data, folder in (("../x.txt", b"Ein Satz.", seeds), ("000.txt", b"Ein Artikel.", seeds),
                               ("000.txt", b"Anders.", seeds), ("kopie.txt", b"Ein Artikel.", seeds),
                               ("neu.txt", b"Ein Satz.", tmp_path / "fort")):
        upload.write_bytes(data)
        reasons.append(add_upload(folder, name, upload).reason)
    with monkeypatch.context() as patch:
        for error in (FileExistsError, PermissionError(13, "Permission denied")):
            patch.setattr(os, "link", lambda *args, error=error: (_ for _ in ()).throw(error))
            reasons.append(add_upload(seeds, "neu.txt", upload).reason)
    return reasons


GERMAN = [
    "ist keine reguläre Datei",
    f"liegt in einem Index-Ordner (er enthält {DATABASE}); nicht als Artikel gelesen",
    "ist ein Link aus dem Artikelordner hinaus; nicht gefolgt",
    "ist ein Link auf eine Datei, die es nicht gibt",
    "ist ein Link, der im Kreis führt; nicht gefolgt",
    "hat einen Dateinamen, der kein gültiges UTF-8 ist; bitte umbenennen",
    "ist 0,0001 MB groß, über der Grenze von 1e-05 MB je Artikel (ASKCORPUS_MAX_FILE_MB)",
    "enthält nach dem Bereinigen keinen Artikeltext",
    "ist leer",
    "ist UTF-32-Text; bitte als UTF-8 speichern",
    "ist UTF-16-Text; bitte als UTF-8 speichern",
    "scheint binär zu sein (enthält NUL-Bytes)",
    "ist kein gültiges UTF-8 (Byte 0) (sieht nach Latin-1/Windows-1252 aus); bitte als UTF-8 speichern",
    "ist kein gültiges UTF-8 (Byte 3); bitte als UTF-8 speichern",
    "nur einfache .txt-Dateinamen werden angenommen (keine Ordner, keine versteckten Dateien)",
    "ist schon im Artikelordner",
    "eine andere Datei namens 000.txt ist schon im Artikelordner; zum Hinzufügen die Datei umbenennen",
    "hat denselben Inhalt wie 000.txt im Artikelordner",
    "kann nicht gespeichert werden (den Artikelordner {fort} gibt es nicht)",
    "eine Datei namens neu.txt ist inzwischen im Artikelordner erschienen",
    "kann nicht gespeichert werden (keine Berechtigung)",
    "ist verschwunden (beim Lesen gelöscht oder verschoben)",
    "kann nicht gelesen werden (keine Berechtigung)",
]


def test_every_reason_the_indexer_gives_is_worded_in_german(tmp_path, monkeypatch):
    reasons = (_reasons_of_files(tmp_path, monkeypatch) + _reasons_of_bytes()
               + _reasons_of_uploads(tmp_path, monkeypatch) + [GONE, f"{UNREADABLE} (Permission denied)"])
    assert [german(reason) for reason in reasons] == [text.format(fort=tmp_path / "fort") for text in GERMAN]
    assert [reason for reason in reasons if ENGLISH.search(german(reason).replace(str(tmp_path), ""))] == []


def test_why_a_cited_article_cannot_be_shown_is_worded_in_german(config, fake_embedder, monkeypatch):
    from askcorpus.indexing.sync import sync

    sync(config, progress=False, embedder=fake_embedder)
    corpus = Corpus(config, embedder=fake_embedder)
    path = config.seeds / SEED_NAMES[0]
    raw = path.read_text(encoding="utf-8")
    reasons = []
    for change in (lambda: None, lambda: path.write_text(raw.replace("Putin", "Puten"), encoding="utf-8"),
                   lambda: path.unlink(), lambda: path.write_bytes(b"\x00\x01")):
        change()
        with pytest.raises(ArticleUnavailable) as raised:
            corpus.article("kein-artikel.txt" if not reasons else SEED_NAMES[0])
        reasons.append(german(raised.value.reason))
    assert reasons == ["ist nicht im Index",
                       "hat sich seit dem Indexieren geändert; der Index wird beim nächsten Abgleich aktualisiert",
                       "ist nicht mehr im Artikelordner (seit dem Indexieren gelöscht oder verschoben)",
                       "scheint binär zu sein (enthält NUL-Bytes)"]


@pytest.mark.parametrize("english, worded", [
    ("is 7.5 MB, over the limit of 5 MB per article (ASKCORPUS_MAX_FILE_MB)",
     "ist 7,5 MB groß, über der Grenze von 5 MB je Artikel (ASKCORPUS_MAX_FILE_MB)"),
    (size_problem(1_234_567_891), "ist 1235 MB groß, über der Grenze von 5 MB je Artikel (ASKCORPUS_MAX_FILE_MB)"),
    ("cannot be read (Some rare error)", "kann nicht gelesen werden (Some rare error)"),
    ("has the same content as sub/1.5.txt, already in the seeds folder",
     "hat denselben Inhalt wie sub/1.5.txt im Artikelordner"),
    ("the question has 12345 characters; the limit is 2000", "die Frage hat 12.345 Zeichen, erlaubt sind 2.000"),
    ("the number of passages must be a whole number from 1 to 50, not '2.5'",
     "die Zahl der Passagen muss eine ganze Zahl von 1 bis 50 sein, nicht '2.5'"),
    ("the number of passages must be between 1 and 50", "die Zahl der Passagen muss eine ganze Zahl von 1 bis 50 sein"),
    ("seeds folder /data/2024.12 does not exist", "den Artikelordner /data/2024.12 gibt es nicht"),
    (str(damaged(Path("/data/index"), "database disk image is malformed")),
     "die Datenbank des Index /data/index ist beschädigt (database disk image is malformed): "
     "`askcorpus index --rebuild` legt sie beiseite und baut den Index neu auf"),
    ("a message not known here", "a message not known here"),
])
def test_a_message_keeps_its_details_in_german(english, worded):
    assert german(english) == worded


def test_why_a_sync_or_an_answer_failed_is_worded_in_german(tmp_path, config, fake_embedder, monkeypatch):
    from askcorpus.errors import AskcorpusError, IndexBusy
    from askcorpus.indexing.lock import ensure_index_folder
    from askcorpus.indexing.sync import sync

    empty = tmp_path / "leer"
    empty.mkdir()
    messages = [str(IndexBusy(tmp_path / "index", "4711 (askcorpus index)"))]
    for attempt in (lambda: sync(replace(config, seeds=empty), progress=False, embedder=fake_embedder),
                    lambda: Corpus(config, embedder=fake_embedder).ask("Wer vermittelte?")):
        with pytest.raises(AskcorpusError) as raised:
            attempt()
        messages.append(str(raised.value))
    (tmp_path / "datei").write_text("x", encoding="utf-8")
    with pytest.raises(AskcorpusError) as raised:
        ensure_index_folder(tmp_path / "datei" / "index")
    messages.append(str(raised.value))
    with monkeypatch.context() as patch:
        patch.setattr(os, "access", lambda *args, **kwargs: False)
        for attempt in (lambda: ensure_index_folder(config.index),
                        lambda: Corpus(config, embedder=fake_embedder).ask("Wer vermittelte?")):
            with pytest.raises(AskcorpusError) as raised:
                attempt()
            messages.append(str(raised.value))
    assert [german(m).replace(str(tmp_path), "T") for m in messages] == [
        "der Index T/index wird gerade von Prozess 4711 (askcorpus index) aktualisiert; bitte danach erneut versuchen",
        "keine lesbaren Artikel (*.txt) im Artikelordner T/leer",
        f"kein brauchbarer Index in {config.index}: zuerst `askcorpus index` ausführen".replace(str(tmp_path), "T"),
        "der Index-Ordner T/datei/index kann nicht angelegt werden: ein Teil des Pfads ist kein Ordner",
        f"der Index-Ordner {config.index} ist nicht beschreibbar".replace(str(tmp_path), "T"),
        f"kein brauchbarer Index in {config.index}; der Ordner ist hier nicht beschreibbar: `askcorpus index` muss "
        "jemand ausführen, der ihn schreiben darf".replace(str(tmp_path), "T"),
    ]


def test_counts_and_times_in_german_notation():
    assert [count_de(n) for n in (0, 999, 8402, 1234567)] == ["0", "999", "8.402", "1.234.567"]
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4}, \d\d:\d\d:\d\d", clock_de(1_764_950_400.0))
    assert clock_de(None) == "–"


def test_the_sync_summary_in_german():
    plan = SyncPlan(added=["d.txt"], changed=["a.txt"], removed=["c.txt"], unchanged=["b.txt", "e.txt"])
    report = SyncReport(plan, [Skipped("x.txt", "is empty")], embedded_chunks=4, chunks_in_store=9, seconds=1.23456)
    assert sync_summary_de(report) == ("Abgeglichen: 1 hinzugefügt, 1 geändert, 1 entfernt, 2 unverändert; "
                                       "1 übersprungen; 4 Passagen eingebettet, 9 im Index, 1,2 s")
    reused = SyncReport(plan, [], embedded_chunks=4, chunks_in_store=8402, seconds=0.04, reused_chunks=3)
    assert sync_summary_de(reused).endswith("; 4 Passagen eingebettet (3 wiederverwendet), 8.402 im Index, 0,0 s")
    one = SyncReport(plan, [], embedded_chunks=1, chunks_in_store=1, seconds=0.04)
    assert sync_summary_de(one).endswith("; 1 Passage eingebettet, 1 im Index, 0,0 s")
    assert sync_summary_de(replace(one, dry_run=True)).endswith("; 1 Passage jetzt im Index, 0,0 s")
