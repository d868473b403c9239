"""Snapshot generations: derive from Chroma-shaped records, publish, load back; damage, DIRTY, stats, pruning."""

import json

import numpy as np
import pytest

from askcorpus.errors import AskcorpusError
from askcorpus.snapshot import generations
from askcorpus.snapshot.build import derive
from askcorpus.snapshot.manifest import INCOMPLETE, snapshot_settings
from askcorpus.snapshot.records import Chunk, FileVersion, StoredChunk
from support import FakeEmbedder

FINGERPRINT = {"schema_version": 1, "model": "fake-bag-of-words", "chunk_tokens": 200}
RAW = {
    "b.txt": "Die Türkei vermittelte den Austausch von Kriegsgefangenen. Danach kehrte Ruhe ein.",
    "a.txt": "Putin empfing Witkoff in Moskau. Die Gespräche dauerten Stunden. Ein Abkommen blieb aus.",
    "c.txt": "Lawrow sprach von einer Feinjustierung des Abkommens.",
}


def chunk(source: str, index: int, start: int, end: int) -> Chunk:
    return Chunk(source, index, start, end, f"Titel {source}", RAW[source][start:end])


# Deliberately out of order: derive sorts by (source, start).
CHUNKS = [chunk("b.txt", 0, 0, 58), chunk("a.txt", 1, 33, 88), chunk("c.txt", 0, 0, 53), chunk("a.txt", 0, 0, 32)]
N_CHUNKS = {"a.txt": 2, "b.txt": 1, "c.txt": 2}  # c.txt: one of two chunks stored, an interrupted write


def records(chunks=CHUNKS) -> dict:
    vectors = FakeEmbedder().encode([c.text for c in chunks])
    stored = [StoredChunk(c, FileVersion("f-" + c.source, "c-" + c.source, N_CHUNKS[c.source], "")) for c in chunks]
    return {"ids": [s.chunk_id for s in stored], "documents": [c.text for c in chunks],
            "metadatas": [s.to_metadata() for s in stored], "embeddings": vectors}


@pytest.fixture
def derived():
    return derive(records(), dict(FINGERPRINT), {"a.txt": [1, 2]}, [["d.txt", "is empty"]], "rev-1")


def test_chunks_are_verbatim_fixtures():
    for c in CHUNKS:
        assert RAW[c.source][c.start:c.end] == c.text and c.text.strip() == c.text


def test_derive_sorts_by_source_then_start(derived):
    assert [(c.source, c.start) for c in derived.chunks] == [("a.txt", 0), ("a.txt", 33), ("b.txt", 0), ("c.txt", 0)]


def test_derive_keeps_each_vector_with_its_chunk(derived):
    originals = records()
    by_text = dict(zip(originals["documents"], np.asarray(originals["embeddings"])))
    assert derived.vectors.dtype == np.float32 and derived.vectors.shape == (4, FakeEmbedder.DIMENSIONS)
    for row, c in enumerate(derived.chunks):
        assert np.array_equal(derived.vectors[row], by_text[c.text])


def test_derive_manifest(derived):
    m = derived.manifest
    assert m.files == {"a.txt": "c-a.txt", "b.txt": "c-b.txt", "c.txt": INCOMPLETE}
    assert m.chunks == 4 and m.revision == "rev-1" and m.store == FINGERPRINT
    assert m.stats == {"a.txt": [1, 2]} and m.skipped == [["d.txt", "is empty"]]
    assert m.settings == snapshot_settings()


def test_derive_indexes_terms_per_chunk(derived):
    row = next(i for i, c in enumerate(derived.chunks) if c.source == "c.txt")
    scores = derived.lexical.scores(derived.analyzer.terms("Feinjustierung"))
    assert scores.argmax() == row and np.count_nonzero(scores) == 1


def test_derive_of_an_empty_store():
    empty = derive({"ids": [], "documents": [], "metadatas": [], "embeddings": []}, {}, {}, [], None)
    assert empty.chunks == [] and empty.manifest.chunks == 0 and empty.manifest.files == {}
    assert empty.lexical.size == 0


def test_publish_and_load_round_trip(tmp_path, derived):
    index = tmp_path / "index"
    published = generations.publish(index, derived)
    loaded = generations.load(index)
    assert published == derived.manifest == loaded.manifest
    assert loaded.chunks == derived.chunks
    assert np.array_equal(loaded.vectors, derived.vectors)
    assert loaded.lexical.terms == derived.lexical.terms
    for query in (["austausch"], ["abkomm", "moskau"], ["unbekannt"]):
        assert np.array_equal(loaded.lexical.scores(query), derived.lexical.scores(query))
    assert loaded.analyzer.vocabulary == derived.analyzer.vocabulary
    assert loaded.generation == generations.current_generation(index)
    assert generations.read_manifest(index) == derived.manifest


def test_loaded_analyzer_splits_compounds_like_the_derived_one(tmp_path, derived):
    generations.publish(tmp_path, derived)
    loaded = generations.load(tmp_path)
    assert loaded.analyzer.terms("Kriegsgefangenen") == derived.analyzer.terms("Kriegsgefangenen")


def test_chunks_are_read_by_field_name(tmp_path, derived):
    generations.publish(tmp_path, derived)
    path = tmp_path / "snapshots" / generations.current_generation(tmp_path) / "chunks.json"
    columns = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(dict(reversed(list(columns.items()))), ensure_ascii=False), encoding="utf-8")
    assert list(json.loads(path.read_text(encoding="utf-8")))[0] == "text"
    assert generations.load(tmp_path).chunks == derived.chunks


def test_no_snapshot_loads_as_none(tmp_path):
    assert generations.load(tmp_path / "index") is None
    assert generations.read_manifest(tmp_path / "index") is None
    assert generations.current_generation(tmp_path / "index") is None


def generation_file(index, name):
    return index / "snapshots" / generations.current_generation(index) / name


@pytest.mark.parametrize(("name", "content"), [
    ("chunks.json", "{not json"),
    ("chunks.json", json.dumps({"source": [], "index": []})),  # columns missing
    ("terms.json", "[1, 2"),
    ("manifest.json", json.dumps({"format": 2})),
])
def test_a_damaged_file_raises_damaged(tmp_path, derived, name, content):
    generations.publish(tmp_path, derived)
    generation_file(tmp_path, name).write_text(content)
    with pytest.raises(AskcorpusError, match="damaged") as caught:
        generations.load(tmp_path)
    assert "askcorpus index --rebuild" in str(caught.value)


def test_an_unreadable_file_raises_cannot_read(tmp_path, derived):
    generations.publish(tmp_path, derived)
    path = generation_file(tmp_path, "chunks.json")
    path.unlink()
    path.mkdir()  # IsADirectoryError: an OSError that is not FileNotFoundError, even as root
    with pytest.raises(AskcorpusError, match="cannot read"):
        generations.load(tmp_path)


def test_a_vanished_generation_loads_as_none(tmp_path, derived):
    generations.publish(tmp_path, derived)
    generation_file(tmp_path, "vectors.npy").unlink()
    assert generations.load(tmp_path) is None


def test_read_manifest_is_none_while_dirty(tmp_path, derived):
    generations.publish(tmp_path, derived)
    generations.mark_dirty(tmp_path)
    assert generations.read_manifest(tmp_path) is None
    assert generations.load(tmp_path).manifest == derived.manifest  # readers keep the state before the sync
    generations.publish(tmp_path, derived)
    assert not (tmp_path / "snapshots" / "DIRTY").exists()
    assert generations.read_manifest(tmp_path) == derived.manifest


def test_record_stats_updates_the_current_manifest(tmp_path, derived):
    generations.publish(tmp_path, derived)
    generation = generations.current_generation(tmp_path)
    generations.record_stats(tmp_path, {"a.txt": [5, 6], "b.txt": [7, 8]}, [["x.txt", "is empty"]])
    manifest = generations.read_manifest(tmp_path)
    assert manifest.stats == {"a.txt": [5, 6], "b.txt": [7, 8]}
    assert manifest.skipped == [["x.txt", "is empty"]]
    assert manifest.files == derived.manifest.files and manifest.created == derived.manifest.created
    assert generations.current_generation(tmp_path) == generation


def test_record_stats_without_a_snapshot_does_nothing(tmp_path):
    generations.record_stats(tmp_path, {"a.txt": [1, 2]}, [])
    assert generations.read_manifest(tmp_path) is None


def test_pruning_keeps_the_new_and_the_previous_generation(tmp_path, derived):
    names = []
    for _ in range(4):
        generations.publish(tmp_path, derived)
        names.append(generations.current_generation(tmp_path))
    assert len(set(names)) == 4
    folders = sorted(p.name for p in (tmp_path / "snapshots").iterdir() if p.is_dir())
    assert folders == sorted(names[-2:])
    assert (tmp_path / "snapshots" / "CURRENT").read_text() == names[-1]


def test_pruning_removes_leftovers_of_killed_writers(tmp_path, derived):
    folder = tmp_path / "snapshots"
    (folder / "123-unpublished").mkdir(parents=True)
    (folder / "CURRENT.123-unpublished").write_text("123-unpublished")
    generations.publish(tmp_path, derived)
    assert sorted(p.name for p in folder.iterdir()) == sorted(["CURRENT", generations.current_generation(tmp_path)])
