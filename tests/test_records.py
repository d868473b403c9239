"""Chunk records and their Chroma metadata: round trips, ids, and what a file holds after interrupted writes."""

import numpy as np
import pytest

from askcorpus.snapshot.records import (
    Chunk,
    FileVersion,
    StoredChunk,
    StoredFile,
    pack_vectors,
    stored_files,
    unpack_vectors,
)

VERSION_A = FileVersion("f" * 64, "a" * 64, 2, "MÜNCHEN")
VERSION_B = FileVersion("e" * 64, "b" * 64, 3, "")


def record(source: str = "003_x.txt", index: int = 0, version: FileVersion = VERSION_A, text: str = "Satz eins.",
           start: int = 10) -> StoredChunk:
    return StoredChunk(Chunk(source, index, start, start + len(text), "Ein Titel „mit“ Zeichen", text), version)


def test_metadata_round_trip_is_equal():
    original = record(text="Die Türkei vermittelte den Austausch.")
    metadata = original.to_metadata()
    assert StoredChunk.from_metadata(metadata, original.chunk.text) == original


def test_metadata_holds_only_flat_values():
    metadata = record().to_metadata()
    assert set(metadata) == {"source", "chunk", "start", "end", "title", "file_hash", "clean_hash", "n_chunks",
                             "dateline", "sentence_vectors"}
    assert all(isinstance(value, str | int) for value in metadata.values())


def test_sentence_vectors_round_trip_as_float16_text():
    rows = np.random.default_rng(1).normal(size=(3, 8)).astype(np.float32)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    original = StoredChunk(record().chunk, VERSION_A, pack_vectors(rows))
    back = StoredChunk.from_metadata(original.to_metadata(), original.chunk.text)
    assert back == original
    assert np.abs(unpack_vectors(back.sentence_vectors, 8) - rows).max() < 1e-3
    with pytest.raises(ValueError):
        unpack_vectors(back.sentence_vectors, 5)


def test_from_metadata_accepts_numbers_as_floats_and_a_missing_dateline():
    metadata = record().to_metadata()
    metadata.update(chunk=0.0, start=10.0, end=20.0, n_chunks=2.0)
    del metadata["dateline"]
    back = StoredChunk.from_metadata(metadata, "x")
    assert (back.chunk.index, back.chunk.start, back.chunk.end, back.version.n_chunks) == (0, 10, 20, 2)
    assert isinstance(back.chunk.start, int) and back.version.dateline == ""


@pytest.mark.parametrize("missing", ["source", "chunk", "start", "end", "title", "file_hash", "clean_hash",
                                     "n_chunks"])
def test_missing_field_raises_key_error(missing):
    metadata = record().to_metadata()
    del metadata[missing]
    with pytest.raises(KeyError):
        StoredChunk.from_metadata(metadata, "text")


def test_chunk_id_format():
    assert record(index=7).chunk_id == "003_x.txt#" + "a" * 16 + "#7"


def test_chunk_ids_are_unique_per_version_and_position():
    ids = {record(index=i, version=v).chunk_id for v in (VERSION_A, VERSION_B) for i in range(3)}
    assert len(ids) == 6
    assert record(source="other.txt").chunk_id != record().chunk_id


def records_of(*stored: StoredChunk) -> tuple[list[str], list[dict]]:
    return [r.chunk_id for r in stored], [r.to_metadata() for r in stored]


def test_stored_files_groups_by_source_and_version():
    files = stored_files(*records_of(record("a.txt", 0), record("a.txt", 1), record("b.txt", 0, VERSION_B),
                                     record("a.txt", 0, VERSION_B)))
    assert set(files) == {"a.txt", "b.txt"}
    assert files["a.txt"].n_chunks == {"a" * 64: 2, "b" * 64: 3}
    assert sorted(files["a.txt"].versions["a" * 64]) == [record("a.txt", 0).chunk_id, record("a.txt", 1).chunk_id]
    assert files["b.txt"].versions == {"b" * 64: [record("b.txt", 0, VERSION_B).chunk_id]}


def test_stored_files_of_nothing():
    assert stored_files([], []) == {}


def test_complete_sole_version():
    stored = stored_files(*records_of(record(index=0), record(index=1)))["003_x.txt"]
    assert stored.complete("a" * 64)
    assert stored.sole_version() == "a" * 64
    assert not stored.complete("b" * 64)


def test_interrupted_write_has_fewer_chunks():
    stored = stored_files(*records_of(record(index=0)))["003_x.txt"]  # n_chunks says 2
    assert not stored.complete("a" * 64)
    assert stored.sole_version() is None
    assert stored.ids() == [record(index=0).chunk_id]


def test_two_versions_after_an_interrupted_replace():
    new = [record(index=i, version=VERSION_B) for i in range(3)]
    stored = stored_files(*records_of(record(index=0), record(index=1), *new))["003_x.txt"]
    assert stored.complete("a" * 64) and stored.complete("b" * 64)
    assert stored.sole_version() is None
    assert sorted(stored.ids()) == sorted([record(index=0).chunk_id, record(index=1).chunk_id,
                                           *(r.chunk_id for r in new)])
    assert stored.ids(except_version="b" * 64) == [record(index=0).chunk_id, record(index=1).chunk_id]
    assert sorted(stored.ids(except_version="a" * 64)) == sorted(r.chunk_id for r in new)


def test_empty_stored_file():
    stored = StoredFile()
    assert stored.sole_version() is None
    assert not stored.complete("a" * 64)
    assert stored.ids() == []
