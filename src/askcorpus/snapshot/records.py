"""The chunk records that Chroma stores and the snapshot is derived from, and their Chroma metadata."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Chunk:
    """A passage of one article: `text == raw[start:end]` of file `source`; `index` counts the file's chunks."""

    source: str
    index: int
    start: int
    end: int
    title: str
    text: str


@dataclass(frozen=True)
class FileVersion:
    """One content version of a source file, recorded on each of its chunks."""

    file_hash: str  # of the file's bytes
    clean_hash: str  # of what is indexed: changes with the file or the cleaner's output
    n_chunks: int  # how many chunks the version has: fewer stored means an interrupted write
    dateline: str


@dataclass(frozen=True)
class StoredChunk:
    """A chunk with the file version it belongs to and its sentences' vectors (`pack_vectors`, one row per
    `sentence_spans(chunk.text)`): what one Chroma record holds besides its vector."""

    chunk: Chunk
    version: FileVersion
    sentence_vectors: str = ""

    @property
    def chunk_id(self) -> str:
        """Unique per source, content version and position, so old and new versions of a file never collide."""
        return f"{self.chunk.source}#{self.version.clean_hash[:16]}#{self.chunk.index}"

    def to_metadata(self) -> dict[str, str | int]:
        """The Chroma metadata of this chunk (its text is the record's document)."""
        c, v = self.chunk, self.version
        return {"source": c.source, "chunk": c.index, "start": c.start, "end": c.end, "title": c.title,
                "file_hash": v.file_hash, "clean_hash": v.clean_hash, "n_chunks": v.n_chunks, "dateline": v.dateline,
                "sentence_vectors": self.sentence_vectors}

    @classmethod
    def from_metadata(cls, metadata: dict, text: str = "") -> "StoredChunk":
        """The record back from Chroma metadata and document; raises KeyError when a field is missing."""
        m = metadata
        return cls(Chunk(m["source"], int(m["chunk"]), int(m["start"]), int(m["end"]), m["title"], text),
                   FileVersion(m["file_hash"], m["clean_hash"], int(m["n_chunks"]), m.get("dateline") or ""),
                   m.get("sentence_vectors") or "")


def pack_vectors(rows: np.ndarray) -> str:
    """Unit vectors as text for Chroma metadata: float16 (ample for cosine ranking), base64."""
    return base64.b64encode(np.asarray(rows, dtype="<f2").tobytes()).decode("ascii")


def unpack_vectors(text: str, width: int) -> np.ndarray:
    """The float16 rows `pack_vectors` wrote; raises ValueError when they do not fit `width`."""
    values = np.frombuffer(base64.b64decode(text), dtype="<f2")
    if width <= 0 or len(values) % width:
        raise ValueError(f"{len(values)} values do not make rows of {width}")
    return values.reshape(-1, width)


@dataclass
class StoredFile:
    """The chunk ids stored for one source file, grouped by content version (`clean_hash`)."""

    n_chunks: dict[str, int] = field(default_factory=dict)
    versions: dict[str, list[str]] = field(default_factory=dict)
    file_hashes: dict[str, str] = field(default_factory=dict)  # of each version's bytes

    def complete(self, clean_hash: str) -> bool:
        """True when every chunk of this version is stored (other versions may linger beside it)."""
        return len(self.versions.get(clean_hash, [])) == self.n_chunks.get(clean_hash, -1)

    def sole_version(self) -> str | None:
        """The one version stored, if it is the only one and complete; None after an interrupted write."""
        if len(self.versions) != 1:
            return None
        (clean_hash,) = self.versions
        return clean_hash if self.complete(clean_hash) else None

    def ids(self, except_version: str | None = None) -> list[str]:
        """The ids of every stored chunk, or of every version but `except_version`."""
        return [i for version, ids in self.versions.items() if version != except_version for i in ids]


def stored_files(ids: list[str], metadatas: list[dict]) -> dict[str, StoredFile]:
    """The stored state of every source file, from the ids and Chroma metadata of its chunks."""
    return group_by_file(ids, [StoredChunk.from_metadata(metadata) for metadata in metadatas])


def group_by_file(ids: list[str], records: list[StoredChunk]) -> dict[str, StoredFile]:
    """The stored state of every source file, from the ids and parsed records of its chunks."""
    result: dict[str, StoredFile] = {}
    for chunk_id, record in zip(ids, records):
        stored = result.setdefault(record.chunk.source, StoredFile())
        stored.n_chunks[record.version.clean_hash] = record.version.n_chunks
        stored.file_hashes[record.version.clean_hash] = record.version.file_hash
        stored.versions.setdefault(record.version.clean_hash, []).append(chunk_id)
    return result
