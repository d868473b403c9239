"""The index folder: created on demand, and written by one process at a time (an advisory file lock that names
the process holding it)."""

from __future__ import annotations

import errno
import fcntl
import os
import re
from contextlib import contextmanager
from pathlib import Path

from askcorpus.errors import AskcorpusError, IndexBusy, IndexNotWritable

LOCK_NAME = "askcorpus.lock"
DATABASE = "chroma.sqlite3"  # Chroma's database in an index folder (askcorpus's or another tool's)
_VECTOR_FOLDER = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")  # named by segment id


def vector_folders(index: Path) -> list[Path]:
    """The folders in which Chroma keeps the vector indexes of the index folder's collections, live or deleted."""
    try:
        return sorted(path for path in index.iterdir() if _VECTOR_FOLDER.fullmatch(path.name) and path.is_dir())
    except OSError:
        return []


def ensure_index_folder(index: Path) -> Path:
    """Create the index folder if needed; raises `AskcorpusError` when that fails or it is not writable."""
    try:
        index.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise AskcorpusError(f"index folder {index} is a file, not a folder") from None
    except PermissionError as error:
        raise IndexNotWritable(f"cannot create index folder {index}: {error.strerror}") from error
    except OSError as error:
        raise AskcorpusError(f"cannot create index folder {index}: {error.strerror or error}") from error
    if not os.access(index, os.W_OK | os.X_OK):
        raise IndexNotWritable(f"index folder {index} is not writable")
    return index


def check_creatable(index: Path) -> None:
    """Raise what `ensure_index_folder` would when it could not create `index`, creating nothing (for dry runs)."""
    folder = index
    try:
        while not folder.exists():
            folder = folder.parent
    except PermissionError:
        raise IndexNotWritable(f"cannot create index folder {index}: {os.strerror(errno.EACCES)}") from None
    if not folder.is_dir():
        raise AskcorpusError(f"cannot create index folder {index}: {os.strerror(errno.ENOTDIR)}")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise IndexNotWritable(f"cannot create index folder {index}: {os.strerror(errno.EACCES)}")


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
