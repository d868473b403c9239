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
        "Ukrainekrieg;Ukraine-Konflikt;Krieg in der Ukraine\n",  # a question's "Ukraine-Konflikt" is two words
        "Wortwechsel;Kunst der Gesprächsführung\n",  # one word left: no synonyms
    ])
    assert synsets == [["Gepräge", "Stimmung", "Atmo", "Ambiance"], ["Waffenruhe", "Feuerpause"],
                       ["einigen", "übereinkommen"]]


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


def test_no_file_an_empty_setting_or_a_folder_give_no_synonyms(monkeypatch, tmp_path):
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
    thesaurus = Thesaurus(source)
    assert thesaurus.synonyms(STEM("Präsident")) == {STEM("Staatschef")}
    assert thesaurus.synonyms(STEM("Bote")) == frozenset()  # "Kuri\ufffdr" is no word


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


def test_a_cache_that_cannot_be_written_costs_only_the_parse(monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # a file where the folder would go
    thesaurus = Thesaurus(SAMPLE_THESAURUS)
    with monkeypatch.context() as patched:
        patched.setattr("askcorpus.text.thesaurus.parse_synsets", lambda lines: pytest.fail("parsed for nothing"))
        thesaurus.make_cache()  # no cache can be written: the file waits for the first lookup
    assert thesaurus.synonyms(STEM("Staatschef")) == {STEM("Staatsoberhaupt"), STEM("Präsident")}
    assert blocker.read_text(encoding="utf-8") == ""


def test_a_damaged_cache_is_read_anew_and_replaced(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    source = tmp_path / "openthesaurus.txt"
    names = ["".join(chr(ord("a") + int(digit)) for digit in f"{n:04d}") for n in range(3000)]  # "aaaa", "aaab"
    source.write_text("".join(f"Wort{name};Begriff{name}\n" for name in names), encoding="utf-8")
    Thesaurus(source).make_cache()
    cached = next((tmp_path / "cache" / "askcorpus" / "thesauri").glob("*.sqlite"))
    data = bytearray(cached.read_bytes())
    data[len(data) // 2:] = b"\xff" * (len(data) - len(data) // 2)  # its later pages: it still opens
    cached.write_bytes(bytes(data))
    damaged = Thesaurus(source)
    found = [damaged.synonyms(STEM(f"Wort{name}")) for name in names]
    assert frozenset() in found and not cached.exists()  # stems on damaged pages go without; the file goes
    again = Thesaurus(source)
    assert all(again.synonyms(STEM(f"Wort{name}")) == {STEM(f"Begriff{name}")} for name in names)
    assert len(list(cached.parent.glob("*.sqlite"))) == 1


def test_the_caches_of_two_files_of_one_name_in_two_folders_are_kept_apart(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    for folder, synonym in (("one", "Staatschef"), ("two", "Präsident")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "openthesaurus.txt").write_text(f"Staatsoberhaupt;{synonym}\n", encoding="utf-8")
        Thesaurus(tmp_path / folder / "openthesaurus.txt").make_cache()
    assert len(list((tmp_path / "cache" / "askcorpus" / "thesauri").glob("*.sqlite"))) == 2
    with monkeypatch.context() as patched:
        patched.setattr("askcorpus.text.thesaurus.parse_synsets", lambda lines: pytest.fail("parsed again"))
        assert Thesaurus(tmp_path / "one" / "openthesaurus.txt").synonyms("staatsoberhaupt") == {"staatschef"}
        assert Thesaurus(tmp_path / "two" / "openthesaurus.txt").synonyms("staatsoberhaupt") == {"prasident"}


def _rows(cached: Path) -> list[tuple[str, str]]:
    connection = sqlite3.connect(cached)
    try:
        return connection.execute("SELECT word, stems FROM synonyms ORDER BY word").fetchall()
    finally:
        connection.close()
