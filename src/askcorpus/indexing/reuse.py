"""Vectors the store already holds for text a sync would otherwise embed again: every chunk of a file renamed,
moved or copied from a stored one, the untouched passages of an edited file, and the passages that a new or edited
file shares with any file of the last snapshot (a new version of an article saved beside the old).

A chunk's vector and its sentences' vectors depend only on its text as the model reads it (`line_ends.as_read`), given
the model and the settings that the store's fingerprint pins (a store built otherwise is rebuilt before anything is
reused).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from askcorpus.errors import AskcorpusError
from askcorpus.snapshot import generations
from askcorpus.snapshot.records import Chunk, StoredChunk, StoredFile, pack_vectors
from askcorpus.text.cleaning import Article
from askcorpus.text.line_ends import as_read


@dataclass(frozen=True)
class StoredVectors:
    """What embedding a chunk's text gave: the passage's vector and its sentences' packed vectors."""

    vector: list[float]
    sentence_vectors: str


class Reuse:
    """Stored chunks by text, and complete stored file versions by content, from Chroma `get` results."""

    def __init__(self, records: dict | None = None):
        self._by_text: dict[str, StoredVectors] = {}
        self._versions: dict[tuple[str, str, str], dict[int, StoredChunk]] = {}
        self._by_content: dict[tuple[str, str], list[Chunk]] = {}
        if records:
            self.add(records)

    def add(self, records: dict) -> None:
        """Take in more Chroma `get` results (documents, metadatas and embeddings)."""
        touched = set()
        for text, metadata, vector in zip(records["documents"], records["metadatas"], records["embeddings"]):
            stored = StoredChunk.from_metadata(metadata, text)
            self._by_text[as_read(text)] = StoredVectors([float(v) for v in vector], stored.sentence_vectors)
            key = (stored.chunk.source, stored.version.file_hash, stored.version.clean_hash)
            self._versions.setdefault(key, {})[stored.chunk.index] = stored
            touched.add(key)
        for key in touched:
            chunks = self._versions[key]
            first = next(iter(chunks.values()))
            if sorted(chunks) == list(range(first.version.n_chunks)):
                self._by_content[key[1:]] = [chunks[index].chunk for index in sorted(chunks)]

    def take(self, vectors: dict[str, StoredVectors]) -> None:
        """Take in vectors by chunk text kept outside the store (`snapshot_vectors`)."""
        for text, stored in vectors.items():
            self._by_text.setdefault(as_read(text), stored)

    def chunks_of(self, article: Article) -> list[Chunk] | None:
        """`article`'s chunks, when a complete stored version has the same bytes and cleaning (so chunking it again
        would cut the same passages); None otherwise."""
        chunks = self._by_content.get((article.file_hash, article.clean_hash))
        if chunks is None:
            return None
        return [replace(chunk, source=article.source, title=article.title) for chunk in chunks]

    def vectors(self, text: str) -> StoredVectors | None:
        """The stored vectors of a chunk with this text (as the model reads it), if there is one."""
        return self._by_text.get(as_read(text))

    def __len__(self) -> int:
        return len(self._by_text)


def snapshot_vectors(index: Path, fingerprint: dict, texts: set[str] | None = None) -> dict[str, StoredVectors]:
    """The vectors of `index`'s last complete snapshot by chunk text (of these `texts` alone, as the model reads
    them, when given), when it was made with the vector settings `fingerprint` (`fingerprint.vector_fingerprint`):
    what a rebuild after the database was damaged need not embed again, nor a sync a passage that another file
    holds. Empty when there is no such snapshot or it cannot be read."""
    try:
        snapshot = generations.load(index)
    except AskcorpusError:
        return {}
    if snapshot is None or {key: snapshot.manifest.store.get(key) for key in fingerprint} != fingerprint:
        return {}
    wanted = None if texts is None else {as_read(text) for text in texts}
    starts = snapshot.sentence_starts
    return {chunk.text: StoredVectors(vector.tolist(), pack_vectors(snapshot.sentence_vectors[starts[n]:starts[n + 1]]))
            for n, (chunk, vector) in enumerate(zip(snapshot.chunks, snapshot.vectors))
            if wanted is None or as_read(chunk.text) in wanted}


def replaced_ids(sources: list[str], stored: dict[str, StoredFile]) -> list[str]:
    """Every stored chunk id of `sources` (the files a sync adds, changes or removes): what it may reuse."""
    return [chunk_id for source in sources if source in stored for chunk_id in stored[source].ids()]


def copy_ids(articles: list[Article], sources: list[str], stored: dict[str, StoredFile]) -> list[str]:
    """The chunk ids of one complete stored version of `sources` per article with the same bytes: the files that
    need no chunking and no model."""
    wanted = {(article.file_hash, article.clean_hash) for article in articles}
    found: dict[tuple[str, str], list[str]] = {}
    for source in sources:
        file = stored.get(source)
        for clean_hash, ids in (file.versions.items() if file else ()):
            key = (file.file_hashes.get(clean_hash, ""), clean_hash)
            if key in wanted and key not in found and file.complete(clean_hash):
                found[key] = ids
    return [chunk_id for ids in found.values() for chunk_id in ids]


def ids_with_text(records: dict, texts: set[str]) -> list[str]:
    """The id of one record per text in `texts` (as the model reads them), from Chroma `get` results with ids and
    documents."""
    wanted = {as_read(text) for text in texts}
    found: dict[str, str] = {}
    for chunk_id, text in zip(records["ids"], records["documents"]):
        key = as_read(text)
        if key in wanted:
            found.setdefault(key, chunk_id)
    return list(found.values())
