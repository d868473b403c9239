"""The English-German dictionary: its entries, the inflected English words it finds, and its cache."""

from __future__ import annotations

import json

from askcorpus.text.bilingual import Dictionary, parse_entries
from conftest import SAMPLE_DICTIONARY


def test_entries_pair_aligned_forms_and_synonyms_without_notes():
    entries = parse_entries([
        "# a comment :: not an entry\n",
        "Gefangene {m,f}; Gefangener | Gefangenen {pl} :: prisoner | prisoners\n",
        "vermitteln {vt} | vermittelt :: to mediate | mediated\n",
        "Hafen {m} (für Schiffe) :: harbour; port\n",
        "Waffenruhe {f} | Waffenruhen {pl} | zur Waffenruhe :: ceasefire | ceasefires\n",  # not aligned
        "Ausflug {m} :: day trip\n",  # no single English word
    ])
    assert entries["prisoner"] == ["Gefangene", "Gefangener"]
    assert entries["prisoners"] == ["Gefangenen"]
    assert entries["mediate"] == ["vermitteln"] and entries["mediated"] == ["vermittelt"]
    assert entries["harbour"] == entries["port"] == ["Hafen"]
    assert entries["ceasefire"] == ["Waffenruhe"] and "ceasefires" not in entries
    assert "day" not in entries and "trip" not in entries and "a" not in entries


def test_a_word_is_found_as_it_is_or_uninflected():
    dictionary = Dictionary(SAMPLE_DICTIONARY)
    assert dictionary.available()
    assert dictionary.translations("Exchange") == ["Austausch"]
    assert dictionary.translations("exchanges") == ["Austausche"]  # an entry of its own first
    assert dictionary.translations("truces") == ["Waffenruhe", "Feuerpause"]
    assert dictionary.translations("harvested") == ["Ernte"]
    assert dictionary.translations("raining") == ["regnend"]
    assert dictionary.translations("Istanbul") == [] and dictionary.translations("is") == []


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
    assert str(Dictionary.from_env().path) == "/usr/share/trans/de-en"


def test_the_entries_are_cached_per_version_of_the_file(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    source = tmp_path / "de-en"
    source.write_text("Austausch {m} :: exchange\n", encoding="utf-8")
    assert Dictionary(source).translations("exchange") == ["Austausch"]
    cached = list((tmp_path / "cache" / "askcorpus" / "dictionaries").glob("de-en-*.json"))
    assert len(cached) == 1 and json.loads(cached[0].read_text(encoding="utf-8")) == {"exchange": "Austausch"}
    cached[0].write_text("{not json", encoding="utf-8")  # a damaged cache is read anew from the dictionary
    assert Dictionary(source).translations("exchange") == ["Austausch"]
    source.write_text("Tausch {m} :: exchange\n", encoding="utf-8")  # another version: another cache file
    assert Dictionary(source).translations("exchange") == ["Tausch"]


def test_a_cache_that_cannot_be_written_costs_only_the_parse(monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # a file where the folder would go
    assert Dictionary(SAMPLE_DICTIONARY).translations("prisoner") == ["Gefangene", "Gefangener"]
