"""Tables of words read from a reference file (the dictionary, the thesaurus), kept as SQLite files in the user's
cache and looked up a word at a time: parsing such a file takes a second or more, opening its table about a
millisecond. A table is written under another name first, so that a reader never sees it half written."""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import tempfile
import threading
import weakref
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import ClassVar, Generic, TypeVar

from askcorpus.config import user_cache

Table = TypeVar("Table")


class WordFile(Generic[Table]):
    """A word list in the file at `path` (None: none), read into a `Table` on first use by any thread, through its
    cache in the user's cache folder `CACHE_FOLDER`; `from_env` gives the file that the variable `SETTING` names
    (empty: none), else `DEFAULT`."""

    SETTING: ClassVar[str]
    DEFAULT: ClassVar[Path]
    CACHE_FOLDER: ClassVar[str]

    def __init__(self, path: Path | None):
        self.path = path
        self._table: Table | None = None
        self._lock = threading.Lock()

    @classmethod
    def from_env(cls):
        """The file the variable SETTING names (empty: none), else DEFAULT."""
        configured = os.environ.get(cls.SETTING)
        if configured is not None:
            return cls(Path(configured).expanduser() if configured.strip() else None)
        return cls(cls.DEFAULT)

    def available(self) -> bool:
        """Whether the file is there to read."""
        return self.path is not None and self.path.is_file()

    def preload(self) -> None:
        """Read the file now, in a thread of its own, so that the first question does not wait for it (a
        long-running server calls this)."""
        if self.available():
            threading.Thread(target=self._read, name=f"askcorpus-{self.CACHE_FOLDER}", daemon=True).start()

    def make_cache(self) -> None:
        """Read the file now when it has no cache yet and one can be written, so that the cache is there for the
        first question. Nothing without a file or a folder to write."""
        folder = cache_folder(self.CACHE_FOLDER)
        if self.available() and folder is not None and writable(folder):
            self._read()

    def _read(self) -> Table:
        if self._table is None:
            with self._lock:
                if self._table is None:
                    self._table = self._load(self.path) if self.available() and self.path else self._empty()
        return self._table

    def _load(self, path: Path) -> Table:
        """The table of the file at `path`, from its cache or parsed (and cached)."""
        raise NotImplementedError

    def _empty(self) -> Table:
        """The table of no file."""
        raise NotImplementedError


def cache_folder(name: str) -> Path | None:
    """The folder of the user's cache for tables of one kind; None without a home folder."""
    try:
        return user_cache() / name
    except RuntimeError:
        return None


def file_key(path: Path, version: str) -> str:
    """16 hex digits naming this very file (its path, size and time) as read by `version` of a parser."""
    stat = path.stat()
    return hashlib.sha256(f"{path.resolve()}\0{stat.st_size}\0{stat.st_mtime_ns}\0{version}".encode()).hexdigest()[:16]


def writable(folder: Path) -> bool:
    """Whether `folder` can be written, or made where it does not exist yet (not under a file)."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    return existing.is_dir() and os.access(existing, os.W_OK)


def remove_quietly(paths: Iterable[Path]) -> None:
    """Each of `paths` removed, if it can be: a cache that stays behind costs only disk."""
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)


class CachedRows:
    """A cached SQLite file opened read-only, queried one word at a time by any thread. A damaged page makes the word
    unknown and removes the file (when it is still the one opened), which the next process writes anew."""

    def __init__(self, connection: sqlite3.Connection, path: Path):
        self._connection = connection
        self._path = path
        self._identity = _identity(path)
        self._lock = threading.Lock()
        weakref.finalize(self, connection.close)

    def row(self, query: str, word: str) -> tuple | None:
        """The first row of `query` with `word` as its one parameter, or None."""
        try:
            with self._lock:
                return self._connection.execute(query, (word,)).fetchone()
        except sqlite3.Error as error:
            damaged = isinstance(error, sqlite3.DatabaseError) and not isinstance(error, sqlite3.OperationalError)
            if damaged and _identity(self._path) == self._identity:  # not a newer file another process put there
                remove_quietly([self._path])
            return None


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


def open_rows(cached: Path | None, tables: Iterable[str]) -> CachedRows | None:
    """The file at `cached`, opened read-only; None when it is missing or lacks one of `tables` (each with a `word`
    column)."""
    if cached is None or not cached.is_file():
        return None
    connection = None
    try:
        connection = sqlite3.connect(f"{cached.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
        for table in tables:
            connection.execute(f"SELECT 1 FROM {table} WHERE word = ''").fetchall()
    except (OSError, sqlite3.Error):
        if connection is not None:
            connection.close()
        return None
    return CachedRows(connection, cached)


def write_rows(cached: Path | None, fill: Callable[[sqlite3.Connection], None]) -> bool:
    """A new SQLite file at `cached`, its tables made by `fill`, written under another name first; whether it was
    written (a cache that cannot be written only costs a parse at the next start)."""
    if cached is None:
        return False
    partial = None
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=cached.parent, prefix=f".{cached.name}.", delete=False) as handle:
            partial = Path(handle.name)
        connection = sqlite3.connect(partial)
        try:
            with connection:
                fill(connection)
        finally:
            connection.close()
        os.replace(partial, cached)
        return True
    except BaseException as error:  # a Ctrl-C too: no half-written file stays behind
        if partial is not None:
            partial.unlink(missing_ok=True)
        if not isinstance(error, (OSError, sqlite3.Error)):
            raise
        return False
