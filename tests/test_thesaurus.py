"""The German thesaurus: its lines, the synonyms of a stem, and its cache."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from askcorpus.text.analysis import GermanAnalyzer
from askcorpus.text.thesaurus import DEFAULT_THESAURUS, Thesaurus, parse_synsets, synonyms_by_stem
from conftest import SAMPLE_THESAURUS

STEM = GermanAnalyzer().stem


def test_lines_keep_single_words_without_notes():
    synsets = parse_synsets([
        "# OpenThesaurus - a comment;not;words\n",
        "Gepräge;Stimmung;Atmo (ugs.);Ambiance (schweiz.)\n",
        "Einstellung der Kampfhandlungen;Waffenruhe;(die) Waffen schweigen;Feuerpause\n",
        "(sich) einigen;übereinkommen\n",
        "Ukraine-Konflikt;Ukrainekrieg\n",
        "Wortwechsel;Kunst der Gesprächsführung\n",  # one word left: no synonyms
    ])
    assert synsets == [["Gepräge", "Stimmung", "Atmo", "Ambiance"], ["Waffenruhe", "Feuerpause"],
                       ["einigen", "übereinkommen"], ["Ukraine-Konflikt", "Ukrainekrieg"]]


def test_a_stem_has_the_stems_of_every_line_it_is_on_but_itself():
    by_stem = synonyms_by_stem([["Angriff", "Attacke", "Offensive"], ["Angriff", "Anschlag"],
                                ["Gespräch", "Gespräche"]], STEM)
    assert by_stem[STEM("Angriff")] == {STEM("Attacke"), STEM("Offensive"), STEM("Anschlag")}
    assert by_stem[STEM("Anschlag")] == {STEM("Angriff")}
    assert STEM("Gespräch") not in by_stem  # its forms share one stem: no synonym


def test_synonyms_are_looked_up_by_the_stem_of_any_form():
    thesaurus = Thesaurus(SAMPLE_THESAURUS)
    assert thesaurus.synonyms(STEM("Staatsoberhäupter")) == {STEM("Staatschef"), STEM("Präsident")}
    assert thesaurus.synonyms(STEM("Unterredungen")) == {STEM(w) for w in ("Gespräch", "Dialog", "Austausch")}
    assert thesaurus.synonyms(STEM("Wortwechsel")) == thesaurus.synonyms("eiffelturm") == frozenset()


def test_no_file_an_empty_setting_or_an_unreadable_file_give_no_synonyms(monkeypatch, tmp_path):
    monkeypatch.setenv("ASKCORPUS_THESAURUS", "")
    assert Thesaurus.from_env().path is None and Thesaurus.from_env().synonyms("prasident") == frozenset()
    monkeypatch.setenv("ASKCORPUS_THESAURUS", str(tmp_path / "missing.txt"))
    assert not Thesaurus.from_env().available() and Thesaurus.from_env().synonyms("prasident") == frozenset()
    (tmp_path / "folder.txt").mkdir()
    assert Thesaurus(tmp_path / "folder.txt").synonyms("prasident") == frozenset()
    monkeypatch.delenv("ASKCORPUS_THESAURUS")
    assert Thesaurus.from_env().path == DEFAULT_THESAURUS == Path("/usr/share/openthesaurus-de/openthesaurus.txt")


def test_a_line_that_is_not_utf8_costs_only_its_own_words(tmp_path):
    source = tmp_path / "thesaurus.txt"
    source.write_bytes("Präsident;Staatschef\n".encode() + b"Bote;Kuri\xe9r\n")
    assert Thesaurus(source).synonyms(STEM("Präsident")) == {STEM("Staatschef")}


def test_the_synonyms_are_cached_per_version_of_the_file(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    source = tmp_path / "openthesaurus.txt"
    source.write_text("Präsident;Staatschef\n", encoding="utf-8")
    assert Thesaurus(source).synonyms(STEM("Präsident")) == {STEM("Staatschef")}
    folder = tmp_path / "cache" / "askcorpus" / "thesauri"
    cached = list(folder.glob("openthesaurus.txt-*.sqlite"))
    assert len(cached) == 1 and _rows(cached[0]) == [("prasident", "staatschef"), ("staatschef", "prasident")]
    with monkeypatch.context() as patched:
        patched.setattr("askcorpus.text.thesaurus.parse_synsets", lambda lines: pytest.fail("parsed again"))
        assert Thesaurus(source).synonyms(STEM("Staatschefs")) == {STEM("Präsident")}  # read from the cache
    source.write_text("Präsident;Vorsitzender\n", encoding="utf-8")  # another version: another cache, the old goes
    assert Thesaurus(source).synonyms(STEM("Präsident")) == {STEM("Vorsitzender")}
    assert not cached[0].exists() and len(list(folder.glob("openthesaurus.txt-*.sqlite"))) == 1


def test_a_cache_that_cannot_be_written_or_read_costs_only_the_parse(monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # a file where the folder would go
    thesaurus = Thesaurus(SAMPLE_THESAURUS)
    thesaurus.make_cache()  # nothing to write to: the file is read at the first lookup
    assert thesaurus.synonyms(STEM("Staatschef")) == {STEM("Staatsoberhaupt"), STEM("Präsident")}
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    Thesaurus(SAMPLE_THESAURUS).make_cache()
    cached = next((tmp_path / "cache" / "askcorpus" / "thesauri").glob("*.sqlite"))
    cached.write_bytes(cached.read_bytes()[:90])  # damaged: read anew from the thesaurus
    assert Thesaurus(SAMPLE_THESAURUS).synonyms(STEM("Gesandter")) == {STEM("Abgesandter"), STEM("Emissär")}


def _rows(cached: Path) -> list[tuple[str, str]]:
    connection = sqlite3.connect(cached)
    try:
        return connection.execute("SELECT word, stems FROM synonyms ORDER BY word").fetchall()
    finally:
        connection.close()
