"""Which stored vectors a sync may take instead of embedding: chunks by text, whole files by content."""

from askcorpus.indexing.reuse import Reuse, copy_ids, ids_with_text, replaced_ids
from askcorpus.snapshot.records import Chunk, FileVersion, StoredChunk, stored_files
from askcorpus.text.cleaning import SourceFile, clean_article

TEXT = "Putin empfing Witkoff in Moskau.\n\nDas Gespräch dauerte fünf Stunden.\n"


def records(source: str, texts: list[str], n_chunks: int | None = None, file_text: str = TEXT) -> dict:
    """Chroma `get` results for the first chunks of one version of `source` (all of them unless `n_chunks` says
    the version has more)."""
    article = clean_article(SourceFile(source, file_text, f"hash-of-{file_text}"))
    version = FileVersion(article.file_hash, article.clean_hash, n_chunks or len(texts), article.dateline)
    result = {"ids": [], "documents": [], "metadatas": [], "embeddings": []}
    start = 0
    for index, text in enumerate(texts):
        stored = StoredChunk(Chunk(source, index, start, start + len(text), article.title, text), version,
                             sentence_vectors=f"packed-{index}")
        start += len(text) + 2
        result["ids"].append(stored.chunk_id)
        result["documents"].append(text)
        result["metadatas"].append(stored.to_metadata())
        result["embeddings"].append([float(index), 1.0])
    return result


def test_a_renamed_file_gets_the_stored_chunks_under_its_new_name():
    reuse = Reuse(records("old.txt", ["Putin empfing Witkoff in Moskau.", "Das Gespräch dauerte fünf Stunden."]))
    renamed = clean_article(SourceFile("new/name.txt", TEXT, f"hash-of-{TEXT}"))
    chunks = reuse.chunks_of(renamed)
    assert [c.source for c in chunks] == ["new/name.txt"] * 2
    assert [c.index for c in chunks] == [0, 1] and chunks[1].text == "Das Gespräch dauerte fünf Stunden."
    assert reuse.vectors(chunks[1].text).vector == [1.0, 1.0]
    assert reuse.vectors(chunks[1].text).sentence_vectors == "packed-1"


def test_other_content_gets_no_whole_file_but_keeps_its_identical_chunks():
    reuse = Reuse(records("old.txt", ["Putin empfing Witkoff in Moskau.", "Das Gespräch dauerte fünf Stunden."]))
    edited = TEXT + "\nEin neuer Absatz mit mehr als nur ein paar Wörtern darin.\n"
    assert reuse.chunks_of(clean_article(SourceFile("old.txt", edited, f"hash-of-{edited}"))) is None
    assert reuse.vectors("Putin empfing Witkoff in Moskau.") is not None
    assert reuse.vectors("Ein neuer Absatz mit mehr als nur ein paar Wörtern darin.") is None


def test_an_incompletely_stored_version_is_not_reused_as_a_whole_file():
    """What a killed sync leaves: one chunk of two stored. Its chunk still spares one embedding."""
    reuse = Reuse(records("old.txt", ["Putin empfing Witkoff in Moskau."], n_chunks=2))
    assert reuse.chunks_of(clean_article(SourceFile("x.txt", TEXT, f"hash-of-{TEXT}"))) is None
    assert reuse.vectors("Putin empfing Witkoff in Moskau.").sentence_vectors == "packed-0"


def test_nothing_stored_reuses_nothing():
    reuse = Reuse()
    assert len(reuse) == 0 and reuse.vectors("Putin empfing Witkoff in Moskau.") is None
    assert reuse.chunks_of(clean_article(SourceFile("x.txt", TEXT, f"hash-of-{TEXT}"))) is None


def test_replaced_ids_are_those_of_the_named_files_that_are_stored():
    got = records("a.txt", ["Putin empfing Witkoff in Moskau.", "Das Gespräch dauerte fünf Stunden."])
    stored = stored_files(got["ids"], got["metadatas"])
    assert sorted(replaced_ids(["a.txt", "not-stored.txt"], stored)) == sorted(got["ids"])
    assert replaced_ids(["b.txt"], stored) == []


def test_a_version_given_in_two_parts_is_reused_whole():
    got = records("old.txt", ["Putin empfing Witkoff in Moskau.", "Das Gespräch dauerte fünf Stunden."])
    first, second = ({key: values[part:part + 1] for key, values in got.items()} for part in (0, 1))
    reuse = Reuse(first)
    article = clean_article(SourceFile("x.txt", TEXT, f"hash-of-{TEXT}"))
    assert reuse.chunks_of(article) is None
    reuse.add(second)
    assert [chunk.text for chunk in reuse.chunks_of(article)] == got["documents"]


def test_copy_ids_name_one_complete_version_with_the_same_bytes():
    texts = ["Putin empfing Witkoff in Moskau.", "Das Gespräch dauerte fünf Stunden."]
    a, b = records("a.txt", texts), records("b.txt", texts)
    partial = records("c.txt", texts[:1], n_chunks=2)
    other = records("d.txt", texts, file_text=TEXT + "\nNoch ein Satz.\n")
    ids = a["ids"] + b["ids"] + partial["ids"] + other["ids"]
    stored = stored_files(ids, a["metadatas"] + b["metadatas"] + partial["metadatas"] + other["metadatas"])
    moved = clean_article(SourceFile("new.txt", TEXT, f"hash-of-{TEXT}"))
    assert copy_ids([moved], ["a.txt", "b.txt", "c.txt", "d.txt"], stored) == a["ids"]
    assert copy_ids([moved], ["c.txt", "d.txt"], stored) == []  # incomplete, or other bytes
    assert copy_ids([moved, moved], ["b.txt"], stored) == b["ids"]


def test_ids_with_text_name_one_record_per_wanted_text():
    got = records("a.txt", ["Putin empfing Witkoff in Moskau.", "Das Gespräch dauerte fünf Stunden."])
    again = records("b.txt", ["Putin empfing Witkoff in Moskau."])
    both = {key: got[key] + again[key] for key in ("ids", "documents")}
    assert ids_with_text(both, {"Putin empfing Witkoff in Moskau.", "Nicht gespeichert."}) == [got["ids"][0]]
    assert ids_with_text(both, set()) == []


def test_a_chunk_whose_line_ends_were_converted_takes_the_stored_vectors():
    texts = ["Putin empfing Witkoff.\nIn Moskau.", "Das Gespräch dauerte fünf Stunden."]
    stored = records("old.txt", texts)
    reuse = Reuse(stored)
    assert reuse.vectors("Putin empfing Witkoff.\r\nIn Moskau.").sentence_vectors == "packed-0"
    assert reuse.vectors("Putin empfing Witkoff.\rIn Moskau.") is None
    assert ids_with_text(stored, {"Putin empfing Witkoff.\r\nIn Moskau."}) == [stored["ids"][0]]
