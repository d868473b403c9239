"""The English-German dictionary: its entries, the inflected English words it finds, and its cache."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from askcorpus.text.bilingual import DEFAULT_DICTIONARY, Dictionary, parse_dictionary, parse_entries
from conftest import SAMPLE_DICTIONARY


def test_entries_pair_aligned_forms_and_synonyms_without_notes():
    entries = parse_entries([
        "# a comment :: not an entry\n",
        "Gefangene {m,f}; Gefangener | Gefangenen {pl} :: prisoner | prisoners\n",
        "vermitteln {vt} | vermittelt :: to mediate | mediated\n",
        "Hafen {m} (für Schiffe) :: harbour; port\n",
        "Waffenruhe {f} | Waffenruhen {pl} | zur Waffenruhe :: ceasefire | ceasefires\n",  # not aligned
        "Ausflug {m} :: day trip\n",  # two English words, as one
        "Außenministerium {n} :: ministry of foreign affairs; foreign office\n",
    ])
    assert entries["prisoner"] == ["Gefangene", "Gefangener"]
    assert entries["prisoners"] == ["Gefangenen"]
    assert entries["mediate"] == ["vermitteln"] and entries["mediated"] == ["vermittelt"]
    assert entries["harbour"] == entries["port"] == ["Hafen"]
    assert entries["ceasefire"] == ["Waffenruhe"] and "ceasefires" not in entries
    assert "day" not in entries and "trip" not in entries and "a" not in entries
    assert entries["day trip"] == ["Ausflug"] and entries["foreign office"] == ["Außenministerium"]
    assert "ministry of foreign affairs" not in entries  # more than two words


def test_notes_placeholders_and_articles_go_before_synonyms_are_split():
    entries = parse_entries([
        "beginnen {vi} | begann {began; begun} :: to begin | began\n",
        "Regierung {f} [pol.] :: government /Gov.; Govt./; administration [Am.]\n",
        "etw. ankündigen; bekanntgeben {vt} :: to announce sth.\n",
        "jdn./etw. anmelden {vt} (bei jdm.) :: to announce sb./sth. (to sb.)\n",
        "der Kreml {m} (Amtssitz) :: the Kremlin\n",
        "sich melden {vr} :: to report oneself\n",
    ])
    assert entries["began"] == ["begann"] and entries["begin"] == ["beginnen"]
    assert entries["government"] == entries["administration"] == ["Regierung"] and "govt." not in entries
    assert entries["announce"] == ["ankündigen", "bekanntgeben", "anmelden"]
    assert entries["kremlin"] == ["Kreml"] and entries["report"] == ["melden"]


def test_the_german_side_gives_its_words_in_phrases_and_notes_but_not_labels():
    _, german = parse_dictionary(["Lehrer {m} [school] | ich/er/sie lehrte (Neues) :: teacher | I/he/she taught\n"])
    assert {"lehrer", "sie", "lehrte", "neues"} <= german and "school" not in german and "ich" in german


def test_the_installed_dictionarys_format_is_read():
    """The fast tests use a sample; this one reads the real file when the machine has it (`make test` installs it)."""
    real = Dictionary(DEFAULT_DICTIONARY)
    if not real.available():
        pytest.skip("Debian's trans-de-en is not installed (make test installs it)")
    with DEFAULT_DICTIONARY.open(encoding="utf-8") as lines:
        entries = parse_entries(line for line in lines if line.startswith(("Regierung", "Gefangene")))
    assert "Regierung" in entries["government"] and "Gefangener" in entries["prisoner"]


def test_a_word_is_found_as_it_is_or_uninflected():
    dictionary = Dictionary(SAMPLE_DICTIONARY)
    assert dictionary.available()
    assert dictionary.translations("Exchange") == ["Austausch"]
    assert dictionary.translations("exchanges") == ["Austausche"]  # an entry of its own, a noun: as it is
    assert dictionary.translations("truces") == ["Waffenruhe", "Feuerpause"]
    assert dictionary.translations("harvested") == ["Ernte"]
    assert dictionary.translations("raining") == ["regnend", "regnen"]  # a verb's form: its infinitive too
    assert dictionary.translations("Istanbul") == [] and dictionary.translations("is") == []
    assert dictionary.translations("prisoner’s") == ["Gefangene", "Gefangener"]  # a curly apostrophe
    assert dictionary.translations("harvested", uninflect=False) == []  # a name is looked up as it is


def test_a_verb_form_that_is_an_entry_of_its_own_stands_for_its_uninflected_word_too(tmp_path):
    path = tmp_path / "de-en"
    path.write_text("reden {vi} | redet :: to talk | talks\nGespräch {n} :: talk\nNachricht {f} :: news\n"
                    "neu {adj} :: new\nhoffend :: hoping\nHoffnung {f} :: hope\nHopfen {m} :: hop\n"
                    "reden {vi} | redend :: to speak | speaking\n", encoding="utf-8")
    dictionary = Dictionary(path)
    assert dictionary.translations("talks") == ["redet", "reden", "Gespräch"]  # a verb's form, a noun's plural
    assert dictionary.translations("talks", uninflect=False) == ["redet"]
    assert dictionary.translations("news") == ["Nachricht"]  # a noun of its own: not "new"
    assert dictionary.translations("hoping") == ["hoffend", "Hoffnung"]  # the first uninflected form only
    assert dictionary.translations("speaking") == ["redend", "reden"]  # "reden" once


def test_without_a_dictionary_nothing_is_translated(tmp_path):
    for dictionary in (Dictionary(None), Dictionary(tmp_path / "missing")):
        assert not dictionary.available()
        assert dictionary.translations("exchange") == []


def test_the_dictionary_is_configured_by_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("ASKCORPUS_DICTIONARY", "")
    assert Dictionary.from_env().path is None
    monkeypatch.setenv("ASKCORPUS_DICTIONARY", str(tmp_path / "de-en"))
    assert Dictionary.from_env().path == tmp_path / "de-en"
    monkeypatch.delenv("ASKCORPUS_DICTIONARY")
    assert Dictionary.from_env().path == DEFAULT_DICTIONARY == Path("/usr/share/trans/de-en")


def test_the_entries_are_cached_per_version_of_the_file(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    source = tmp_path / "de-en"
    source.write_text("Austausch {m} :: exchange\n", encoding="utf-8")
    folder = tmp_path / "cache" / "askcorpus" / "dictionaries"
    folder.mkdir(parents=True)
    earlier = [folder / name for name in ("de-en-0123456789abcdef.json", "de-en-0123456789abcdef.sqlite",
                                          "de-en-f4-0123456789abcdef.sqlite")]
    for path in earlier:
        path.write_text('{"exchange": "Austausch"}', encoding="utf-8")
    another = folder / "de-en-sample-f5-0123456789abcdef.sqlite"  # another dictionary's
    another.write_bytes(b"")
    assert Dictionary(source).translations("exchange") == ["Austausch"]
    assert not any(path.exists() for path in earlier) and another.exists()  # the caches of earlier formats go
    cached = [path for path in folder.glob("de-en-*.sqlite") if path != another]
    assert len(cached) == 1 and _rows(cached[0]) == [("exchange", "Austausch")]
    cached[0].write_bytes(cached[0].read_bytes()[:90])  # a damaged cache is read anew from the dictionary
    assert Dictionary(source).translations("exchange") == ["Austausch"]
    assert _rows(cached[0]) == [("exchange", "Austausch")]
    with monkeypatch.context() as patched:
        patched.setattr("askcorpus.text.bilingual.parse_dictionary", lambda lines: pytest.fail("parsed again"))
        assert Dictionary(source).translations("exchanges") == ["Austausch"]  # looked up in the cache
    source.write_text("Tausch {m} :: exchange\n", encoding="utf-8")  # another version: another cache file
    assert Dictionary(source).translations("exchange") == ["Tausch"]


def test_a_cache_is_kept_per_file_and_one_that_is_not_a_table_is_read_anew(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    for folder in ("one", "two"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "de-en").write_text(f"{folder.title()} {{m}} :: exchange\n", encoding="utf-8")
        os.utime(tmp_path / folder / "de-en", ns=(10**18, 10**18))  # the same name, size and time
    assert Dictionary(tmp_path / "one" / "de-en").translations("exchange") == ["One"]
    assert Dictionary(tmp_path / "two" / "de-en").translations("exchange") == ["Two"]
    for cached in (tmp_path / "cache" / "askcorpus" / "dictionaries").glob("*.sqlite"):
        with sqlite3.connect(cached) as connection:  # an SQLite file, but of another table
            connection.execute("ALTER TABLE entries RENAME TO other")
    assert Dictionary(tmp_path / "one" / "de-en").translations("exchange") == ["One"]


def test_without_a_home_folder_the_dictionary_is_read_uncached(monkeypatch):
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setattr("pathlib.Path.home", lambda: (_ for _ in ()).throw(RuntimeError("no home")))
    assert Dictionary(SAMPLE_DICTIONARY).translations("exchange") == ["Austausch"]


def test_a_cache_that_cannot_be_written_costs_only_the_parse(monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # a file where the folder would go
    assert Dictionary(SAMPLE_DICTIONARY).translations("prisoner") == ["Gefangene", "Gefangener"]


def _rows(cached: Path) -> list[tuple[str, str]]:
    connection = sqlite3.connect(cached)
    try:
        return connection.execute("SELECT word, germans FROM entries").fetchall()
    finally:
        connection.close()


def test_a_cache_damaged_past_its_first_pages_is_read_anew_by_the_next_dictionary(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    source = tmp_path / "de-en"
    source.write_text("".join(f"Wort{n} {{n}} :: word{n}\n" for n in range(3000)), encoding="utf-8")
    assert Dictionary(source).translations("word1") == ["Wort1"]
    cached = next((tmp_path / "cache" / "askcorpus" / "dictionaries").glob("*.sqlite"))
    data = bytearray(cached.read_bytes())
    data[len(data) // 2:] = b"\xff" * (len(data) - len(data) // 2)  # its later pages: the check at opening passes
    cached.write_bytes(bytes(data))
    damaged = Dictionary(source)
    found = [damaged.translations(f"word{n}") for n in range(3000)]
    assert [] in found and not cached.exists()  # words on damaged pages go untranslated; the file goes
    again = Dictionary(source)
    assert all(again.translations(f"word{n}") == [f"Wort{n}"] for n in range(3000)) and again.language("wort") == "de"


def test_a_damaged_page_of_german_words_is_read_anew_by_the_next_dictionary(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    names = ["wort" + "".join(chr(ord("a") + int(digit)) for digit in f"{n:04d}") for n in range(3000)]
    source = tmp_path / "de-en"
    source.write_text("".join(f"{name} {{n}} :: word{n}\n" for n, name in enumerate(names)), encoding="utf-8")
    assert Dictionary(source).language(names[0]) == "de"
    cached = next((tmp_path / "cache" / "askcorpus" / "dictionaries").glob("*.sqlite"))
    data = bytearray(cached.read_bytes())
    data[4 * 4096:6 * 4096] = b"\xff" * (2 * 4096)  # leaves of the German words (written first), not their root
    cached.write_bytes(bytes(data))
    damaged = Dictionary(source)
    assert None in [damaged.language(name) for name in names] and not cached.exists()
    assert all(Dictionary(source).language(name) == "de" for name in names)


def test_an_earlier_cache_that_cannot_be_removed_leaves_the_new_one_working(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    stuck = tmp_path / "cache" / "askcorpus" / "dictionaries" / "de-en-0123456789abcdef.json"
    stuck.mkdir(parents=True)  # a folder where format 2's file was: unlink fails
    source = tmp_path / "de-en"
    source.write_text("Austausch {m} :: exchange\n", encoding="utf-8")
    Dictionary(source).make_cache()
    assert stuck.is_dir() and Dictionary(source).translations("exchange") == ["Austausch"]
    assert len(list(stuck.parent.glob("de-en-f*.sqlite"))) == 1
