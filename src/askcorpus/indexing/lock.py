"""The index folder: created on demand, and written by one process at a time (an advisory file lock that names
the process holding it)."""

from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path

from askcorpus.errors import AskcorpusError, IndexBusy, IndexNotWritable

LOCK_NAME = "askcorpus.lock"
DATABASE = "chroma.sqlite3"  # Chroma's database in an index folder (askcorpus's or another tool's)


def not_a_folder(index: Path) -> AskcorpusError:
    """The error for an index folder path that holds a file."""
    return AskcorpusError(f"index folder {index} is a file, not a folder")


def ensure_index_folder(index: Path) -> Path:
    """Create the index folder if needed; raises `AskcorpusError` when that fails or it is not writable."""
    try:
        index.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise not_a_folder(index) from None
    except PermissionError as error:
        raise IndexNotWritable(f"cannot create index folder {index}: {error.strerror}") from error
    except OSError as error:
        raise AskcorpusError(f"cannot create index folder {index}: {error.strerror or error}") from error
    check_writable(index)
    return index


def check_writable(index: Path) -> None:
    """Raise `IndexNotWritable` when the index folder that is there cannot be written."""
    if not os.access(index, os.W_OK | os.X_OK):
        raise IndexNotWritable(f"index folder {index} is not writable")


def check_creatable(index: Path) -> None:
    """Raise when `ensure_index_folder` could not create `index`, creating nothing (for dry runs). An index folder
    that is there is not asked to be writable here: a sync that finds nothing changed writes nothing."""
    if os.path.lexists(index):
        if not index.is_dir():
            raise not_a_folder(index)
        return
    folder = index.parent
    while not os.path.lexists(folder):
        folder = folder.parent
    if not folder.is_dir():
        raise AskcorpusError(f"cannot create index folder {index}: {folder} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise IndexNotWritable(f"cannot create index folder {index}: {folder} is not writable")


def lock_holder(index: Path) -> str | None:
    """The process id that holds the index's write lock ("unknown" if it wrote none), or None when no process holds
    it: a probe that takes a shared lock and lets it go at once."""
    try:
        with open(index / LOCK_NAME) as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                return handle.read().strip() or "unknown"
            fcntl.flock(handle, fcntl.LOCK_UN)
    except OSError:
        pass
    return None


@contextmanager
def writer_lock(index: Path):
    """Hold the index's write lock, or fail at once with the holder's process id."""
    path = ensure_index_folder(index) / LOCK_NAME
    try:
        handle = open(path, "a+")
    except PermissionError as error:
        raise IndexNotWritable(f"cannot lock index folder {index}: {error.strerror}") from error
    except OSError as error:
        raise AskcorpusError(f"cannot lock index folder {index}: {error.strerror or error}") from error
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise IndexBusy(index, holder) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)
