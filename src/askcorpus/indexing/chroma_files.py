"""The vector folders Chroma keeps beside its database in a local index folder, one per vector segment and named by
its id: which are there, and removing a deleted collection's, which Chroma leaves behind (chroma-core/chroma#5259).
Its public API does not name a collection's segments; its database does (`segments`), read here read-only."""

from __future__ import annotations

import re
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from askcorpus.indexing.lock import DATABASE

_VECTOR_FOLDER = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_HNSW_FILES = frozenset({"header.bin", "data_level0.bin", "length.bin", "link_lists.bin", "index_metadata.pickle"})


def vector_folders(index: Path) -> list[Path]:
    """The folders of `index` named as Chroma names its vector folders, live or left behind."""
    try:
        return sorted(path for path in index.iterdir() if _VECTOR_FOLDER.fullmatch(path.name) and path.is_dir())
    except OSError:
        return []


def vector_segments(index: Path, collection_id: str | None = None) -> set[str] | None:
    """The ids of the vector segments that the database of `index` records (of one collection, if given); None when
    it cannot be read."""
    query, values = "SELECT id FROM segments WHERE scope = 'VECTOR'", ()
    if collection_id is not None:
        query, values = f"{query} AND collection = ?", (collection_id,)
    try:
        with closing(sqlite3.connect(f"{(index / DATABASE).resolve().as_uri()}?mode=ro", uri=True)) as connection:
            return {str(row[0]) for row in connection.execute(query, values)}
    except sqlite3.Error:
        return None


def remove_left_behind(index: Path, segments: set[str]) -> None:
    """Remove the vector folders of `segments` that the database no longer records: only real folders holding
    nothing but an HNSW index's files. Anything unclear is kept."""
    recorded = vector_segments(index)
    if recorded is None:
        return
    for segment in sorted(segments - recorded):
        folder = index / segment
        try:
            if (not _VECTOR_FOLDER.fullmatch(segment) or folder.is_symlink() or not folder.is_dir()
                    or not {path.name for path in folder.iterdir()} <= _HNSW_FILES):
                continue
        except OSError:
            continue
        shutil.rmtree(folder, ignore_errors=True)
