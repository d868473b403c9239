"""The snapshot manifest: JSON round trip and validation, and why a snapshot is stale."""

import json
from dataclasses import asdict, replace

import pytest

import askcorpus.snapshot.lexical as lexical
import askcorpus.text.analysis as analysis
from askcorpus.snapshot.manifest import FORMAT, INCOMPLETE, Manifest, difference, snapshot_settings

FINGERPRINT = {"schema_version": 1, "model": "fake", "chunk_tokens": 200, "chunk_overlap": 40}


def manifest(**changes) -> Manifest:
    base = Manifest(dict(FINGERPRINT), snapshot_settings(), {"a.txt": "h" * 64, "b.txt": INCOMPLETE}, 7,
                    revision="123-4", stats={"a.txt": [100, 1_700_000_000_000_000_000]},
                    skipped=[["c.txt", "is empty"]], created=1.5)
    return replace(base, **changes)


def test_json_round_trip():
    original = manifest()
    assert Manifest.from_json(original.to_json()) == original


def test_json_keeps_non_ascii_readable():
    text = manifest(files={"München.txt": "x"}).to_json()
    assert "München.txt" in text


def test_from_json_rejects_another_format():
    data = asdict(manifest())
    data["format"] = FORMAT - 1
    with pytest.raises(ValueError, match="format"):
        Manifest.from_json(json.dumps(data))


def test_from_json_rejects_a_missing_field():
    data = asdict(manifest())
    del data["stats"]
    with pytest.raises(ValueError, match="stats"):
        Manifest.from_json(json.dumps(data))


def test_from_json_rejects_an_extra_field():
    data = asdict(manifest())
    data["surprise"] = 1
    with pytest.raises(ValueError, match="surprise"):
        Manifest.from_json(json.dumps(data))


@pytest.mark.parametrize("text", ["[]", "3", '"manifest"', "null", "{}"])
def test_from_json_rejects_what_is_not_an_object_of_this_format(text):
    with pytest.raises(ValueError):
        Manifest.from_json(text)


def test_from_json_rejects_invalid_json():
    with pytest.raises(ValueError):
        Manifest.from_json('{"format": 2,')


def test_same_settings_are_not_stale():
    m = manifest()
    assert m.stale_because(dict(FINGERPRINT)) is None
    assert m.settings_changed() is None
    assert m.matches(dict(FINGERPRINT), {"a.txt": "h" * 64, "b.txt": INCOMPLETE})
    assert m.unchanged_since(dict(FINGERPRINT), {"a.txt": [100, 1_700_000_000_000_000_000]})


def test_store_fingerprint_change_names_the_key():
    reason = manifest().stale_because({**FINGERPRINT, "chunk_tokens": 120})
    assert reason == "index settings changed (chunk_tokens 200 -> 120)"
    assert not manifest().matches({**FINGERPRINT, "chunk_tokens": 120}, {"a.txt": "h" * 64, "b.txt": INCOMPLETE})


def test_matches_and_unchanged_since_compare_files_and_stats():
    m = manifest()
    assert not m.matches(dict(FINGERPRINT), {"a.txt": "h" * 64})
    assert not m.unchanged_since(dict(FINGERPRINT), {"a.txt": [100, 1_700_000_000_000_000_001]})


@pytest.mark.parametrize(("name", "key", "value"), [("K1", "bm25_k1", 1.2), ("B", "bm25_b", 0.75),
                                                     ("DELTA", "bm25_delta", 1.0)])
def test_bm25_parameter_change_is_named(monkeypatch, name, key, value):
    m = manifest()
    old = getattr(lexical, name)
    monkeypatch.setattr(lexical, name, value)
    expected = f"snapshot settings changed ({key} {old!r} -> {value!r})"
    assert m.settings_changed() == expected
    assert m.stale_because(dict(FINGERPRINT)) == expected


def test_k1_change_reads_as_from_0_9(monkeypatch):
    m = manifest()
    monkeypatch.setattr(lexical, "K1", 1.2)
    assert "bm25_k1 0.9 -> 1.2" in m.settings_changed()


def test_stopword_change_names_the_analyzer(monkeypatch):
    m = manifest()
    monkeypatch.setattr(analysis, "STOPWORDS", analysis.STOPWORDS | {"etwa"})
    reason = m.settings_changed()
    assert reason is not None and reason.startswith("snapshot settings changed (analyzer ")
    assert "bm25" not in reason


def test_store_change_is_reported_before_a_settings_change(monkeypatch):
    monkeypatch.setattr(lexical, "K1", 1.2)
    reason = manifest().stale_because({**FINGERPRINT, "model": "other"})
    assert reason == "index settings changed (model 'fake' -> 'other')"


def test_snapshot_settings_keys():
    assert set(snapshot_settings()) == {"analyzer", "bm25_k1", "bm25_b", "bm25_delta"}


def test_difference_formatting():
    old = {"a": 1, "b": "x", "same": True, "gone": 3}
    new = {"a": 2, "b": "y", "same": True, "new": [1]}
    assert difference(old, new) == "a 1 -> 2; b 'x' -> 'y'; gone 3 -> not recorded; new not recorded -> [1]"


def test_difference_of_equal_dicts_is_empty():
    assert difference({"a": 1}, {"a": 1}) == ""
