"""The answering copy of the index, derived from Chroma after each sync: chunk rows, vectors, BM25 postings.

Chroma stays the single source of truth; a snapshot is rebuilt from it whenever a sync changed it, and
loads with json and numpy alone, so answering never waits for Chroma or torch to import. Layout under
the index folder: `snapshots/<generation>/` and `snapshots/CURRENT` naming the valid one. `DIRTY` exists
while a sync is changing Chroma; a snapshot is only taken as current for the seeds when it is absent.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from askcorpus.analysis import ANALYSIS_VERSION, GermanAnalyzer, words
from askcorpus.lexical import LexicalIndex
from askcorpus.store import stored_files

FOLDER = "snapshots"
INCOMPLETE = "incomplete"


@dataclass(frozen=True)
class Row:
    """One chunk: `text == raw[start:end]` of file `source`."""

    chunk_id: str
    source: str
    title: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Snapshot:
    """Everything a question needs, loaded from one generation."""

    generation: str
    manifest: dict
    rows: list[Row]
    vectors: np.ndarray
    lexical: LexicalIndex
    analyzer: GermanAnalyzer


def _folder(index: Path) -> Path:
    return index / FOLDER


def mark_dirty(index: Path) -> None:
    """Call before changing Chroma: until the next `write`, no snapshot counts as current for the seeds."""
    folder = _folder(index)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "DIRTY").write_text(str(os.getpid()))


def read_manifest(index: Path) -> dict | None:
    """The current snapshot's manifest, or None when there is none or a sync has not finished."""
    folder = _folder(index)
    try:
        if (folder / "DIRTY").exists():
            return None
        generation = (folder / "CURRENT").read_text().strip()
        return json.loads((folder / generation / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _made_with(manifest: dict | None, fingerprint: dict) -> bool:
    return manifest is not None and manifest.get("analysis") == ANALYSIS_VERSION and manifest.get("fingerprint") == fingerprint


def is_current(manifest: dict | None, fingerprint: dict, files: dict[str, str]) -> bool:
    """True when the snapshot was made with these settings from exactly these file versions."""
    return _made_with(manifest, fingerprint) and manifest.get("files") == files


def unchanged_since(manifest: dict | None, fingerprint: dict, stats: dict[str, list[int]]) -> bool:
    """True when no seed file's size or modification time changed since the snapshot (as `git status` decides)."""
    return _made_with(manifest, fingerprint) and manifest.get("stats") == stats


def record_stats(index: Path, stats: dict[str, list[int]], skipped: list[list[str]]) -> None:
    """Note new file times in the current manifest after a sync found the contents themselves unchanged
    (skipped when the folder cannot be written: the next sync then compares contents again)."""
    folder = _folder(index)
    try:
        target = folder / (folder / "CURRENT").read_text().strip()
        manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
        manifest.update(stats=stats, skipped=skipped)
        temporary = target / f"manifest.json.{os.getpid()}"
        temporary.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, target / "manifest.json")
    except (OSError, ValueError):
        pass


def write(index: Path, records: dict, fingerprint: dict, stats: dict[str, list[int]], skipped: list[list[str]],
          revision: str | None) -> dict:
    """Turn the collection's `records` (`Store.everything()`) into a new generation, make it current, clear DIRTY;
    returns its manifest.

    `stats` (size, mtime of each seed file) and `skipped` ([source, reason]) describe the seeds it was made from,
    `revision` the collection's revision token.
    """
    rows = [Row(i, m["source"], m["title"], m["start"], m["end"], text)
            for i, text, m in zip(records["ids"], records["documents"], records["metadatas"])]
    order = sorted(range(len(rows)), key=lambda n: (rows[n].source, rows[n].start))
    rows = [rows[n] for n in order]
    vectors = np.asarray(records["embeddings"], dtype=np.float32).reshape(len(order), -1)[order] if rows else \
        np.zeros((0, 0), dtype=np.float32)
    files = {source: stored.sole_version() or INCOMPLETE
             for source, stored in stored_files(records["ids"], records["metadatas"]).items()}
    analyzer = GermanAnalyzer({w for row in rows for w in words(row.text)})
    vocabulary = sorted(analyzer.vocabulary)
    lexical = LexicalIndex.build([analyzer.terms(row.text) for row in rows])

    folder = _folder(index)
    generation = f"{time.time_ns()}-{os.getpid()}"
    target = folder / generation
    target.mkdir(parents=True)
    manifest = {"fingerprint": fingerprint, "analysis": ANALYSIS_VERSION, "files": files, "chunks": len(rows),
                "created": time.time(), "stats": stats, "skipped": skipped, "revision": revision}
    (target / "rows.json").write_text(json.dumps([list(row.__dict__.values()) for row in rows], ensure_ascii=False),
                                      encoding="utf-8")
    (target / "vocabulary.json").write_text(json.dumps(vocabulary, ensure_ascii=False), encoding="utf-8")
    (target / "terms.json").write_text(json.dumps(lexical.terms, ensure_ascii=False), encoding="utf-8")
    np.save(target / "vectors.npy", vectors)
    np.savez(target / "postings.npz", indptr=lexical.indptr, docs=lexical.docs, weights=lexical.weights)
    (target / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    previous = current_generation(index)
    pointer = folder / f"CURRENT.{generation}"
    pointer.write_text(generation)
    os.replace(pointer, folder / "CURRENT")
    (folder / "DIRTY").unlink(missing_ok=True)
    _prune(folder, keep={generation, previous})
    return manifest


def _prune(folder: Path, keep: set[str | None]) -> None:
    """Delete every generation but `keep` (the new one, and the one before it, which a reader may still be
    loading), and what killed writers left behind: unpublished generations and pointer files."""
    for path in folder.iterdir():
        if path.is_dir() and path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)
        elif path.name.startswith("CURRENT.") and path.name.partition(".")[2] not in keep:
            path.unlink(missing_ok=True)


def current_generation(index: Path) -> str | None:
    """The name of the current generation (one small file read), or None when there is none."""
    try:
        return (_folder(index) / "CURRENT").read_text().strip() or None
    except OSError:
        return None


def load(index: Path) -> Snapshot | None:
    """The current snapshot (even while a sync is running: then it is the state before it), or None."""
    folder = _folder(index)
    try:
        generation = (folder / "CURRENT").read_text().strip()
        target = folder / generation
        manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
        rows = [Row(*values) for values in json.loads((target / "rows.json").read_text(encoding="utf-8"))]
        vectors = np.load(target / "vectors.npy")
        postings = np.load(target / "postings.npz")
        terms = json.loads((target / "terms.json").read_text(encoding="utf-8"))
        vocabulary = json.loads((target / "vocabulary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError):
        return None
    if manifest.get("analysis") != ANALYSIS_VERSION:
        return None
    lexical = LexicalIndex(terms, postings["indptr"], postings["docs"], postings["weights"], len(rows))
    return Snapshot(generation, manifest, rows, vectors, lexical, GermanAnalyzer.from_stems(vocabulary))
