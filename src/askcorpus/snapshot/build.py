"""Derive a snapshot from the store's records: chunks by field, vectors, BM25 postings and the analyzer's vocabulary."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from askcorpus.snapshot.lexical import LexicalIndex
from askcorpus.snapshot.manifest import INCOMPLETE, Manifest, snapshot_settings
from askcorpus.snapshot.records import Chunk, StoredChunk, group_by_file
from askcorpus.text.analysis import GermanAnalyzer, words


@dataclass(frozen=True)
class Derived:
    """The contents of one snapshot generation, before or after it is written."""

    manifest: Manifest
    chunks: list[Chunk]  # sorted by source, then start
    vectors: np.ndarray  # one float32 row per chunk
    lexical: LexicalIndex
    analyzer: GermanAnalyzer


def derive(records: dict, store_fingerprint: dict, stats: dict[str, list[int]], skipped: list[list[str]],
           revision: str | None) -> Derived:
    """A snapshot of Chroma's `records` (ids, documents, metadatas, embeddings, as `get` returns them).

    `stats` (size, mtime of each seed file) and `skipped` ([source, reason]) describe the seeds it was made from,
    `revision` the collection's revision token.
    """
    parsed = [StoredChunk.from_metadata(m, text) for text, m in zip(records["documents"], records["metadatas"])]
    chunks = [record.chunk for record in parsed]
    order = sorted(range(len(chunks)), key=lambda n: (chunks[n].source, chunks[n].start))
    chunks = [chunks[n] for n in order]
    if chunks:
        vectors = np.asarray(records["embeddings"], dtype=np.float32).reshape(len(order), -1)[order]
    else:
        vectors = np.zeros((0, 0), dtype=np.float32)
    files = {source: stored.sole_version() or INCOMPLETE
             for source, stored in group_by_file(records["ids"], parsed).items()}
    analyzer = GermanAnalyzer({w for chunk in chunks for w in words(chunk.text)})
    lexical = LexicalIndex.build([analyzer.terms(chunk.text) for chunk in chunks])
    manifest = Manifest(store_fingerprint, snapshot_settings(), files, len(chunks), revision, stats, skipped)
    return Derived(manifest, chunks, vectors, lexical, analyzer)
