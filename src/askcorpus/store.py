"""The Chroma collection that holds chunks, vectors and metadata, and what it records about its own settings."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from askcorpus.chunking import Chunk
from askcorpus.errors import AskcorpusError

COLLECTION = "askcorpus"
MAX_ADD = 5000  # Chroma accepts at most 5,461 items per add


@dataclass
class StoredFile:
    """The chunk ids stored for one source file, grouped by content version (`clean_hash`)."""

    n_chunks: dict[str, int] = field(default_factory=dict)
    versions: dict[str, list[str]] = field(default_factory=dict)

    def holds_exactly(self, clean_hash: str) -> bool:
        """True when this version, complete, is the only one stored (false after an interrupted write)."""
        ids = self.versions.get(clean_hash, [])
        return len(self.versions) == 1 and len(ids) == self.n_chunks.get(clean_hash, -1)

    def ids(self, except_version: str | None = None) -> list[str]:
        return [i for version, ids in self.versions.items() if version != except_version for i in ids]


def _refusing_embedding_function():
    from chromadb import Documents, EmbeddingFunction, Embeddings

    class RefuseToEmbed(EmbeddingFunction[Documents]):
        """Chroma's own embedding would download a model; askcorpus always passes its vectors."""

        def __init__(self) -> None:
            pass

        def __call__(self, input: Documents) -> Embeddings:
            raise RuntimeError("askcorpus passes its own embeddings; Chroma must not embed")

        @staticmethod
        def name() -> str:
            return "askcorpus-refuse-to-embed"

        def get_config(self) -> dict:
            return {}

        @staticmethod
        def build_from_config(config: dict) -> "RefuseToEmbed":
            return RefuseToEmbed()

    return RefuseToEmbed()


def open_client(index: Path):
    """A local Chroma client for folder `index`, created if needed, with telemetry off."""
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    try:
        index.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise AskcorpusError(f"cannot create index folder {index}: {error.strerror or error}") from error
    if not os.access(index, os.W_OK | os.X_OK):
        raise AskcorpusError(f"index folder {index} is not writable")
    import chromadb
    from chromadb.config import Settings

    try:
        return chromadb.PersistentClient(path=str(index), settings=Settings(anonymized_telemetry=False))
    except Exception as error:
        raise AskcorpusError(f"cannot open the index in {index}: {error}") from error


class Store:
    """The chunks of one index; `fingerprint` is what its vectors were made with."""

    def __init__(self, client, fingerprint: dict):
        self.client = client
        self.fingerprint = fingerprint
        self.collection = None

    def open(self, modify: bool = True) -> str | None:
        """Open the collection and return why it must be rebuilt, if it must.

        With `modify`, a mismatched collection is emptied and a missing one created; without, both leave
        `collection` as None (for dry runs and readers).
        """
        embedding_function = _refusing_embedding_function()
        try:
            existing = self.client.get_collection(COLLECTION, embedding_function=embedding_function)
        except Exception:  # NotFoundError, or a collection Chroma itself cannot read any more
            existing = None
        reason = None
        if existing is not None:
            stored = {key: (existing.metadata or {}).get(key) for key in self.fingerprint}
            if stored != self.fingerprint:
                reason = _difference(stored, self.fingerprint)
                existing = None
                if modify:
                    self.client.delete_collection(COLLECTION)
        if existing is None and modify:
            existing = self.client.create_collection(
                COLLECTION, embedding_function=embedding_function, metadata={**self.fingerprint, "hnsw:space": "cosine"}
            )
        self.collection = existing
        return reason

    def reset(self) -> None:
        """Drop every chunk and start an empty collection."""
        try:
            self.client.delete_collection(COLLECTION)
        except Exception:
            pass
        self.open()

    def count(self) -> int:
        return self.collection.count() if self.collection is not None else 0

    def files(self) -> dict[str, StoredFile]:
        """The stored state of every source file, read from chunk metadata."""
        result: dict[str, StoredFile] = {}
        if self.collection is None:
            return result
        records = self.collection.get(include=["metadatas"])
        for chunk_id, meta in zip(records["ids"], records["metadatas"]):
            stored = result.setdefault(meta["source"], StoredFile())
            stored.n_chunks[meta["clean_hash"]] = meta["n_chunks"]
            stored.versions.setdefault(meta["clean_hash"], []).append(chunk_id)
        return result

    def add(self, chunks: list[Chunk], vectors: list[list[float]], file_meta: dict[str, dict]) -> None:
        """Store whole files' chunks with their vectors; `file_meta[source]` (hashes, chunk count) goes on each."""
        for begin in range(0, len(chunks), MAX_ADD):
            batch = chunks[begin:begin + MAX_ADD]
            self.collection.add(
                ids=[chunk_id(chunk, file_meta[chunk.source]["clean_hash"]) for chunk in batch],
                embeddings=vectors[begin:begin + MAX_ADD],
                documents=[chunk.text for chunk in batch],
                metadatas=[
                    {"source": c.source, "chunk": c.index, "start": c.start, "end": c.end, "title": c.title,
                     **file_meta[c.source]}
                    for c in batch
                ],
            )

    def delete(self, ids: list[str]) -> None:
        for begin in range(0, len(ids), MAX_ADD):
            self.collection.delete(ids=ids[begin:begin + MAX_ADD])


def chunk_id(chunk: Chunk, clean_hash: str) -> str:
    """Unique per source, content version and position, so old and new versions of a file never collide."""
    return f"{chunk.source}#{clean_hash[:16]}#{chunk.index}"


def _difference(stored: dict, current: dict) -> str:
    changed = [f"{key} {stored.get(key)!r} -> {current[key]!r}" for key in current if stored.get(key) != current[key]]
    return "index was built with different settings (" + "; ".join(changed) + ")"
