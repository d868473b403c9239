"""A damaged Chroma database in the index folder, found by SQLite's own check (or by Chroma refusing it) and moved
aside for a rebuild."""

from __future__ import annotations

import sqlite3
import tempfile
import time
from contextlib import closing
from pathlib import Path

from askcorpus.errors import AskcorpusError, IndexDamaged
from askcorpus.indexing.chroma_files import vector_folders
from askcorpus.indexing.lock import DATABASE

_DATABASE_FILES = (DATABASE, f"{DATABASE}-wal", f"{DATABASE}-shm", f"{DATABASE}-journal")


def is_damaged(database: Path) -> bool:
    """True when SQLite finds `database` malformed or not a database at all. A database it cannot open for other
    reasons (a permission, a lock) is not called damaged: moving it would not help."""
    try:
        with closing(sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)) as connection:
            return connection.execute("PRAGMA quick_check").fetchall() != [("ok",)]
    except sqlite3.OperationalError:
        return False
    except sqlite3.DatabaseError:
        return True


def damaged(index: Path, detail: str) -> IndexDamaged:
    """The error for a damaged database in `index`, with what failed on it (`detail`) and what to do."""
    return IndexDamaged(f"the index database in {index} is damaged ({detail}): `askcorpus index --rebuild` moves "
                        f"it aside and builds the index again")


def set_aside(index: Path) -> Path:
    """Move the Chroma database of `index` and its vector folders into a new `damaged-<time>` folder inside it, and
    return that folder. Nothing is deleted. Raises `AskcorpusError` when a file cannot be moved."""
    aside = Path(tempfile.mkdtemp(prefix=time.strftime("damaged-%Y%m%d-%H%M%S-"), dir=index))
    moving = [path for path in sorted(index.iterdir()) if path.name in _DATABASE_FILES] + vector_folders(index)
    for path in moving:
        try:
            path.rename(aside / path.name)
        except OSError as error:
            raise AskcorpusError(f"cannot move the damaged index database aside to {aside}: "
                                 f"{error.strerror or error}") from error
    return aside
