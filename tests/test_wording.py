"""The page's German wording of the indexer's reports: every reason the indexer gives has one."""

import os

import pytest

from askcorpus.indexing.intake import add_upload
from askcorpus.indexing.lock import DATABASE
from askcorpus.indexing.plan import SyncPlan, SyncReport
from askcorpus.indexing.sources import GONE, UNREADABLE, Skipped, decode_article, read_article, size_problem
from askcorpus.indexing.sync import scan
from askcorpus.interfaces.wording import reason_de, sync_summary_de


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
    monkeypatch.setenv("ASKCORPUS_MAX_FILE_MB", "0.000001")
    (seeds / "gross.txt").write_text("Ein Satz. " * 10, encoding="utf-8")
    names = ["ordner.txt", "index/a.txt", "hinaus.txt", "fehlt.txt", "kreis.txt", os.fsdecode(b"caf\xe9.txt"),
             "gross.txt"]
    reasons = [read_article(seeds, seeds / name).reason for name in names]
    monkeypatch.delenv("ASKCORPUS_MAX_FILE_MB")
    reasons += [s.reason for s in scan(seeds, [seeds / "nur-werbung.txt"], {}).skipped]
    return reasons


def _reasons_of_bytes() -> list[str]:
    contents = [b"\xff\xfe", "Text".encode("utf-32"), "Ein Text".encode("utf-16"), b"a\x00b",
                "Übel und Größe".encode("latin-1"), b"ok \xff\xfe\xfd\xfc \x80"]
    return [decode_article(data).reason for data in contents]


def _reasons_of_uploads(tmp_path) -> list[str]:
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
    return reasons


def test_every_reason_the_indexer_gives_has_a_german_wording(tmp_path, monkeypatch):
    reasons = _reasons_of_files(tmp_path, monkeypatch) + _reasons_of_bytes() + _reasons_of_uploads(tmp_path)
    reasons += [GONE, f"{UNREADABLE} (Permission denied)"]
    assert len(set(reasons)) == len(reasons) == 21  # each kind once: none fell through to another
    untranslated = [reason for reason in reasons if reason_de(reason) == reason]
    assert untranslated == []


@pytest.mark.parametrize("english, german", [
    ("is 7.5 MB, over the limit of 5 MB per article (ASKCORPUS_MAX_FILE_MB)",
     "ist 7,5 MB groß, über der Grenze von 5 MB je Artikel (ASKCORPUS_MAX_FILE_MB)"),
    ("is not valid UTF-8 (byte 12) (it looks like Latin-1/Windows-1252); re-save it as UTF-8",
     "ist kein gültiges UTF-8 (Byte 12) (sieht nach Latin-1/Windows-1252 aus); bitte als UTF-8 speichern"),
    ("is not valid UTF-8 (byte 3); re-save it as UTF-8", "ist kein gültiges UTF-8 (Byte 3); bitte als UTF-8 speichern"),
    ("has the same content as sub/1.5.txt, already in the seeds folder",
     "hat denselben Inhalt wie sub/1.5.txt, die schon im Artikelordner liegt"),
    ("a reason not known here", "a reason not known here"),
])
def test_a_reason_keeps_its_details_in_german(english, german):
    assert reason_de(english) == german


def test_a_size_reason_in_german_is_the_size_rule_s():
    assert reason_de(size_problem(10**12)).startswith("ist 1e+06 MB groß, über der Grenze von ")


def test_the_sync_summary_in_german():
    plan = SyncPlan(added=["d.txt"], changed=["a.txt"], removed=["c.txt"], unchanged=["b.txt", "e.txt"])
    report = SyncReport(plan, [Skipped("x.txt", "is empty")], embedded_chunks=4, chunks_in_store=9, seconds=1.23456)
    assert sync_summary_de(report) == ("Abgeglichen: 1 hinzugefügt, 1 geändert, 1 entfernt, 2 unverändert; "
                                       "1 übersprungen; 4 Abschnitte eingebettet, 9 im Index, 1,2 s")
    reused = SyncReport(plan, [], embedded_chunks=4, chunks_in_store=9, seconds=0.04, reused_chunks=3)
    assert sync_summary_de(reused).endswith("; 4 Abschnitte eingebettet (3 wiederverwendet), 9 im Index, 0,0 s")
    dry = SyncReport(plan, [], embedded_chunks=0, chunks_in_store=9, seconds=0.5, dry_run=True)
    assert sync_summary_de(dry) == ("Würde abgleichen: 1 hinzugefügt, 1 geändert, 1 entfernt, 2 unverändert; "
                                    "9 Abschnitte jetzt im Index, 0,5 s")
