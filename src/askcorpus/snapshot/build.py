"""Derive a snapshot from the store's records: chunks by field, vectors, BM25 postings and the analyzer's vocabulary."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from askcorpus.snapshot.lexical import LexicalIndex
from askcorpus.snapshot.manifest import INCOMPLETE, Manifest, snapshot_settings
from askcorpus.snapshot.records import Chunk, StoredChunk, group_by_file, unpack_vectors
from askcorpus.text.analysis import GermanAnalyzer, words
from askcorpus.text.sentences import sentence_spans


@dataclass(frozen=True)
class Derived:
    """The contents of one snapshot generation, before or after it is written."""

    manifest: Manifest
    chunks: list[Chunk]  # sorted by source, then start
    vectors: np.ndarray  # one float32 row per chunk
    lexical: LexicalIndex
    analyzer: GermanAnalyzer
    sentence_vectors: np.ndarray  # float16 rows: chunk n's sentences are rows sentence_starts[n]:sentence_starts[n+1]
    sentence_starts: np.ndarray  # int64, one more than there are chunks


def derive(records: dict, store_fingerprint: dict, stats: dict[str, list[int]], skipped: list[list[str]],
           revision: str | None) -> Derived:
    """A snapshot of Chroma's `records` (ids, documents, metadatas, embeddings, as `get` returns them).

    `stats` (size, mtime, ctime of each seed file) and `skipped` ([source, reason]) describe the seeds it was made from,
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
    sentence_vectors, sentence_starts = _sentence_rows(chunks, vectors, [parsed[n].sentence_vectors for n in order])
    files = {source: stored.sole_version() or INCOMPLETE
             for source, stored in group_by_file(records["ids"], parsed).items()}
    analyzer, lexical = _lexical(chunks)
    manifest = Manifest(store_fingerprint, snapshot_settings(), files, len(chunks), revision, stats, skipped)
    return Derived(manifest, chunks, vectors, lexical, analyzer, sentence_vectors, sentence_starts)


def with_todays_settings(derived: Derived) -> Derived:
    """`derived` (a loaded snapshot too) with its analyzer and BM25 postings made anew from its own chunks by today's
    analyzer: what a sync would write after a change of the snapshot settings alone, for an index that cannot be
    written."""
    analyzer, lexical = _lexical(derived.chunks)
    return replace(derived, analyzer=analyzer, lexical=lexical,
                   manifest=replace(derived.manifest, settings=snapshot_settings()))


def _lexical(chunks: list[Chunk]) -> tuple[GermanAnalyzer, LexicalIndex]:
    analyzer = GermanAnalyzer({w for chunk in chunks for w in words(chunk.text)})
    return analyzer, LexicalIndex.build([analyzer.terms(chunk.text) for chunk in chunks])


def _sentence_rows(chunks: list[Chunk], vectors: np.ndarray, packed: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """All sentence vectors in chunk order, and where each chunk's begin; a chunk stored without them (or with a
    count that does not fit its sentences) lends its own vector to each of its sentences."""
    blocks, starts = [], [0]
    width = vectors.shape[1] if len(chunks) else 0
    for chunk, vector, text in zip(chunks, vectors, packed):
        count = len(sentence_spans(chunk.text))
        try:
            rows = unpack_vectors(text, width) if text else None
        except ValueError:
            rows = None
        if rows is None or len(rows) != count:
            rows = np.repeat(vector[None, :].astype(np.float16), count, axis=0)
        blocks.append(rows)
        starts.append(starts[-1] + count)
    joined = np.concatenate(blocks) if blocks else np.zeros((0, width), dtype=np.float16)
    return joined.astype(np.float16), np.array(starts, dtype=np.int64)
