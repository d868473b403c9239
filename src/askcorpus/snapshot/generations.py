"""Snapshot generations on disk: write one and make it current, read the current one, mark a sync in progress.

Layout under the index folder: `snapshots/<generation>/` holds `manifest.json` (written last), `chunks.json`
(columns by field name), `vectors.npy`, `sentences.npz` (sentence vectors), `postings.npz`, `terms.json` and
`vocabulary.json`; `snapshots/CURRENT` names the valid generation. `DIRTY` exists while a sync is changing Chroma:
a snapshot is only taken as current for the seeds when it is absent. Everything loads with json and numpy alone.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass, fields, replace
from pathlib import Path

import numpy as np

from askcorpus.errors import AskcorpusError, first_line
from askcorpus.snapshot.build import Derived
from askcorpus.snapshot.lexical import LexicalIndex
from askcorpus.snapshot.manifest import Manifest
from askcorpus.snapshot.records import Chunk
from askcorpus.text.analysis import GermanAnalyzer

FOLDER = "snapshots"


@dataclass(frozen=True)
class Snapshot(Derived):
    """A loaded generation: everything a question needs."""

    generation: str = ""


def _folder(index: Path) -> Path:
    return index / FOLDER


def mark_dirty(index: Path) -> None:
    """Call before changing Chroma: until the next `publish`, no snapshot counts as current for the seeds."""
    folder = _folder(index)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "DIRTY").write_text(str(os.getpid()))


def current_generation(index: Path) -> str | None:
    """The name of the current generation (one small file read), or None when there is none."""
    try:
        return (_folder(index) / "CURRENT").read_text().strip() or None
    except OSError:
        return None


def syncing(index: Path) -> bool:
    """True while a sync is changing Chroma, or after one that was cut short (`mark_dirty`)."""
    return (_folder(index) / "DIRTY").exists()


def read_manifest(index: Path, while_syncing: bool = False) -> Manifest | None:
    """The current snapshot's manifest; None when there is none, it cannot be read, or a sync has not finished
    (a sync then rebuilds the snapshot), unless `while_syncing` (the last complete state, for what it records)."""
    folder = _folder(index)
    try:
        if not while_syncing and syncing(index):
            return None
        generation = (folder / "CURRENT").read_text().strip()
        return Manifest.from_json((folder / generation / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError):
        return None


def record_stats(index: Path, stats: dict[str, list[int]], skipped: list[list[str]]) -> None:
    """Note new file times in the current manifest after a sync found the contents themselves unchanged
    (skipped when the folder cannot be written: the next sync then compares contents again)."""
    folder = _folder(index)
    try:
        target = folder / (folder / "CURRENT").read_text().strip()
        manifest = Manifest.from_json((target / "manifest.json").read_text(encoding="utf-8"))
        _write_atomically(target / "manifest.json", replace(manifest, stats=stats, skipped=skipped).to_json())
    except (OSError, ValueError, TypeError):
        pass


def publish(index: Path, derived: Derived) -> Manifest:
    """Write `derived` as a new generation, make it current, clear DIRTY, prune old generations."""
    folder = _folder(index)
    generation = f"{time.time_ns()}-{os.getpid()}"
    target = folder / generation
    target.mkdir(parents=True)
    columns = {f.name: [getattr(chunk, f.name) for chunk in derived.chunks] for f in fields(Chunk)}
    _write_json(target / "chunks.json", columns)
    _write_json(target / "vocabulary.json", sorted(derived.analyzer.vocabulary))
    _write_json(target / "terms.json", derived.lexical.terms)
    np.save(target / "vectors.npy", derived.vectors)
    np.savez(target / "sentences.npz", vectors=derived.sentence_vectors, starts=derived.sentence_starts)
    lexical = derived.lexical
    np.savez(target / "postings.npz", indptr=lexical.indptr, docs=lexical.docs, weights=lexical.weights)
    (target / "manifest.json").write_text(derived.manifest.to_json(), encoding="utf-8")
    previous = current_generation(index)
    _write_atomically(folder / "CURRENT", generation, temporary=folder / f"CURRENT.{generation}")
    (folder / "DIRTY").unlink(missing_ok=True)
    _prune(folder, keep={generation, previous})
    return derived.manifest


def load(index: Path) -> Snapshot | None:
    """The current snapshot (while a sync runs: the state before it); None when there is none, or when its files
    vanished while loading (a newer generation pruned it: load again). Raises `AskcorpusError` when it cannot be
    read or is damaged."""
    folder = _folder(index)
    target = folder
    try:
        generation = (folder / "CURRENT").read_text().strip()
        target = folder / generation
        manifest = Manifest.from_json((target / "manifest.json").read_text(encoding="utf-8"))
        columns = _read_json(target / "chunks.json")
        names = [f.name for f in fields(Chunk)]
        chunks = [Chunk(*values) for values in zip(*(columns[name] for name in names))]
        vectors = np.load(target / "vectors.npy")
        sentences = np.load(target / "sentences.npz")
        sentence_vectors, sentence_starts = sentences["vectors"], sentences["starts"]
        if len(sentence_starts) != len(chunks) + 1:
            raise ValueError("sentence vectors do not fit the chunks")
        postings = np.load(target / "postings.npz")
        lexical = LexicalIndex(_read_json(target / "terms.json"), postings["indptr"], postings["docs"],
                               postings["weights"], len(chunks))
        analyzer = GermanAnalyzer.from_stems(_read_json(target / "vocabulary.json"))
    except FileNotFoundError:
        return None
    except OSError as error:
        raise AskcorpusError(f"cannot read the index snapshot in {target}: {error.strerror or error}") from error
    except (ValueError, KeyError, TypeError) as error:
        raise AskcorpusError(f"the index snapshot in {target} is damaged ({first_line(error)}); "
                             f"run `askcorpus index --rebuild`") from error
    return Snapshot(manifest, chunks, vectors, lexical, analyzer, sentence_vectors, sentence_starts, generation)


def _prune(folder: Path, keep: set[str | None]) -> None:
    """Delete every generation but `keep` (the new one, and the one before it, which a reader may still be
    loading), and what killed writers left behind: unpublished generations and pointer files."""
    for path in folder.iterdir():
        if path.is_dir() and path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)
        elif path.name.startswith("CURRENT.") and path.name.partition(".")[2] not in keep:
            path.unlink(missing_ok=True)


def _write_json(path: Path, value) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")


def _read_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def _write_atomically(path: Path, text: str, temporary: Path | None = None) -> None:
    temporary = temporary or path.with_name(f"{path.name}.{os.getpid()}")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
