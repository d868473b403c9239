"""The Chroma collection that holds chunks, vectors and metadata, and what it records about its own settings.

chromadb (0.7 s to import, httpx with it) is imported inside the functions that talk to it: a process that only
answers from a snapshot never loads it.
"""

from __future__ import annotations

import functools
import os
import sqlite3
import time
from pathlib import Path
from urllib.parse import urlsplit

from askcorpus.config import Config
from askcorpus.errors import AskcorpusError, first_line
from askcorpus.indexing.chroma_files import remove_left_behind, vector_segments
from askcorpus.indexing.damage import damaged, is_damaged
from askcorpus.indexing.fingerprint import vector_fingerprint
from askcorpus.indexing.lock import DATABASE, ensure_index_folder
from askcorpus.snapshot.manifest import difference
from askcorpus.snapshot.records import StoredChunk, StoredFile, stored_files

MAX_ADD = 5000  # Chroma accepts at most 5,461 items per add
SERVER_TIMEOUT = 10.0  # seconds for a Chroma server to take a connection and answer its heartbeat


def _refusing_embedding_function():
    from chromadb import Documents, EmbeddingFunction, Embeddings
    from chromadb.utils.embedding_functions import register_embedding_function

    # Registered by name, so that Chroma can rebuild it from a collection's stored configuration (it warns on
    # every read otherwise).
    @register_embedding_function
    class RefuseToEmbed(EmbeddingFunction[Documents]):
        """Chroma's own embedding would download a model; askcorpus always passes its vectors."""

        def __init__(self) -> None:
            pass

        def __call__(self, input: Documents) -> Embeddings:
            raise RuntimeError("askcorpus passes its own embeddings; Chroma must not embed")

        @staticmethod
        def name() -> str:
            return "askcorpus-refuse-to-embed"

        def get_config(self) -> dict:
            return {}

        @staticmethod
        def build_from_config(config: dict) -> "RefuseToEmbed":
            return RefuseToEmbed()

    return RefuseToEmbed()


def open_client(config: Config):
    """The Chroma client for `config`: a server's when `chroma_url` is set, else the local index folder's
    (created if needed). Telemetry is off either way."""
    if config.chroma_url:
        return _server_client(config.chroma_url)
    index = ensure_index_folder(config.index)
    import chromadb
    from chromadb.api.client import SharedSystemClient
    from chromadb.config import Settings

    database, key = index / DATABASE, str(index.resolve())
    if database.is_file() and _opened.get(key) != _inode(database) and is_damaged(database):
        # Chroma's Rust core would panic on it, printing its own lines; a database this process has open was checked
        raise damaged(index, "SQLite's quick check failed")
    if key in _opened and _opened[key] != _inode(database):
        # The folder was deleted or replaced since this process opened it; Chroma would hand back its cached
        # client, still bound to the old database file.
        SharedSystemClient.clear_system_cache()
    try:
        client = chromadb.PersistentClient(path=str(index), settings=Settings(anonymized_telemetry=False))
    except BaseException as error:
        if not chroma_failed(error):
            raise
        SharedSystemClient.clear_system_cache()  # Chroma keeps a half-opened system, which a retry would get
        if is_damaged(database):
            raise damaged(index, first_line(error)) from error
        raise AskcorpusError(f"cannot open the index in {index}: {first_line(error)}; if it is damaged, "
                             f"`askcorpus index --rebuild` moves it aside and builds it again") from error
    _opened[key] = _inode(database)
    return client


def settings_differ(recorded: dict, fingerprint: dict) -> str | None:
    """Why a collection whose metadata (or snapshot) records `recorded` must be rebuilt for a store with
    `fingerprint` (`vector_fingerprint`), or None."""
    stored = {key: recorded[key] for key in fingerprint if key in recorded}
    if stored == fingerprint:
        return None
    return f"index was built with different settings ({difference(stored, fingerprint)})"


def forget_clients() -> None:
    """Drop the Chroma clients this process holds, so that the next `open_client` opens its database afresh."""
    from chromadb.api.client import SharedSystemClient

    SharedSystemClient.clear_system_cache()
    _opened.clear()


_opened: dict[str, int | None] = {}  # index folder -> inode of the database this process opened there


def _inode(path) -> int | None:
    try:
        return path.stat().st_ino
    except OSError:
        return None


def _server_address(url: str) -> tuple[str, int, bool]:
    """(host, port, https) of a Chroma server URL; an IPv6 host keeps its brackets, as Chroma's client needs them."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = -1
    if parts.scheme not in ("http", "https") or not parts.hostname or port == -1 or parts.path not in ("", "/"):
        raise AskcorpusError(f"Chroma server URL {url!r} must look like http://HOST:PORT")
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return host, port or (443 if parts.scheme == "https" else 8000), parts.scheme == "https"


def _server_client(url: str):
    host, port, https = _server_address(url)
    import chromadb
    from chromadb.config import Settings

    check_answers(url)
    try:
        return chromadb.HttpClient(host=host, port=port, ssl=https, settings=Settings(anonymized_telemetry=False))
    except (*store_failures(), ValueError) as error:  # ValueError: "Could not connect to a Chroma server"
        raise AskcorpusError(f"cannot reach the Chroma server at {url}: {first_line(error)}") from error


def check_answers(url: str) -> None:
    """Raise `AskcorpusError` when the Chroma server at `url` takes no connection or gives no answer within
    SERVER_TIMEOUT: Chroma's client waits for ever (a stopped server would hang every command). Other failures are
    left for Chroma's client to name."""
    import httpx

    host, port, https = _server_address(url)
    try:
        httpx.get(f"{'https' if https else 'http'}://{host}:{port}/api/v2/heartbeat", timeout=SERVER_TIMEOUT)
    except httpx.TimeoutException as error:
        raise AskcorpusError(f"cannot reach the Chroma server at {url}: no answer within {SERVER_TIMEOUT:g} s") \
            from error
    except httpx.HTTPError:
        pass


def store_failures() -> tuple[type[BaseException], ...]:
    """The exceptions that mean Chroma, its database or the network to its server failed (not a bug of ours)."""
    import httpx
    from chromadb.errors import ChromaError

    return ChromaError, sqlite3.Error, httpx.HTTPError, OSError


def chroma_failed(error: BaseException) -> bool:
    """Whether `error` means Chroma, its database or the network failed (`store_failures`), or Chroma's Rust core
    panicked (on a database damaged inside its pages): pyo3's PanicException derives from BaseException and has no
    importable name."""
    kind = type(error)
    return isinstance(error, store_failures()) or (kind.__module__, kind.__name__) == ("pyo3_runtime", "PanicException")


def _reporting(method):
    """Let a Chroma or network failure inside `method` surface as one line naming the store."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except AskcorpusError:
            raise
        except BaseException as error:
            if chroma_failed(error):
                raise self.failure(error) from error
            raise

    return wrapper


class Store:
    """The chunks of one index; `fingerprint` is what its vectors were made with.

    The collection's metadata holds the fingerprint and a `revision`: WRITING while a sync changes the chunks,
    then a new token, so readers elsewhere can tell when to reload and never load a half-written state.
    `folder` is the local index folder (None with a server).
    """

    def __init__(self, client, fingerprint: dict, name: str, url: str | None = None, folder: Path | None = None):
        self.client = client
        self.fingerprint = fingerprint
        self.name = name
        self.url = url
        self.folder = folder
        self.collection = None

    @classmethod
    def connect(cls, config: Config) -> "Store":
        """A store for `config`, not yet opened."""
        folder = None if config.chroma_url else config.index
        return cls(open_client(config), vector_fingerprint(config), config.collection, config.chroma_url, folder)

    def failure(self, error: BaseException) -> AskcorpusError:
        """The one-line error for a failed Chroma call; `IndexDamaged` when SQLite finds the local database
        damaged (Chroma's own message does not say so)."""
        if self.url and type(error).__module__.startswith("httpx"):
            return AskcorpusError(f"cannot reach the Chroma server at {self.url}: {first_line(error)}")
        if self.folder is not None and is_damaged(self.folder / DATABASE):
            return damaged(self.folder, first_line(error))
        where = f"collection {self.name} on {self.url}" if self.url else f"collection {self.name}"
        return AskcorpusError(f"Chroma failed on {where}: {first_line(error)}")

    @_reporting
    def open(self, modify: bool = True) -> str | None:
        """Open the collection and return why it must be rebuilt, if it must.

        With `modify`, a mismatched collection is emptied and a missing one created; without, both leave
        `collection` as None (for dry runs and readers).
        """
        embedding_function = _refusing_embedding_function()
        existing = self._existing(embedding_function)
        reason = None
        if existing is not None:
            reason = settings_differ(existing.metadata or {}, self.fingerprint)
            if reason:
                existing = None
                if modify:
                    self._delete_collection()
        if existing is None and modify:
            existing = self.client.create_collection(
                self.name, embedding_function=embedding_function, metadata=self.fingerprint,
                configuration={"hnsw": {"space": "cosine"}}
            )
        self.collection = existing
        return reason

    @_reporting
    def reset(self) -> None:
        """Drop every chunk and start an empty collection."""
        self._delete_collection()
        self.open()

    def _delete_collection(self) -> None:
        """Delete the collection, and in a local index folder its vector folder, which Chroma leaves on disk."""
        from chromadb.errors import NotFoundError

        existing = self._existing(_refusing_embedding_function())
        if existing is None:
            return
        segments = vector_segments(self.folder, str(existing.id)) if self.folder is not None else None
        try:
            self.client.delete_collection(self.name)
        except NotFoundError:
            return
        if segments:
            remove_left_behind(self.folder, segments)

    @_reporting
    def read_revision(self) -> str | None:
        """Open the collection afresh without changing it (another process may have replaced it) and return its
        revision token: None when there is no collection with these settings."""
        self.open(modify=False)
        return None if self.collection is None else (self.collection.metadata or {}).get("revision")

    def _existing(self, embedding_function):
        """The collection as it is, whatever its settings; None when there is none."""
        from chromadb.errors import NotFoundError

        try:
            return self.client.get_collection(self.name, embedding_function=embedding_function)
        except (NotFoundError, ValueError):
            return None

    @_reporting
    def built_with(self) -> str | None:
        """The model the collection's vectors come from, whatever this store's settings are; None when there is no
        collection."""
        existing = self._existing(_refusing_embedding_function())
        return None if existing is None else (existing.metadata or {}).get("model")

    @_reporting
    def set_revision(self, revision: str) -> None:
        self.collection.modify(metadata={**self.fingerprint, "revision": revision})

    @_reporting
    def count(self) -> int:
        return self.collection.count() if self.collection is not None else 0

    @_reporting
    def held(self) -> int:
        """The chunks the collection holds, whatever settings it was built with (0 when there is none)."""
        existing = self._existing(_refusing_embedding_function())
        return 0 if existing is None else existing.count()

    @_reporting
    def files(self) -> dict[str, StoredFile]:
        """The stored state of every source file, read from chunk metadata."""
        if self.collection is None:
            return {}
        records = self.collection.get(include=["metadatas"])
        return stored_files(records["ids"], records["metadatas"])

    @_reporting
    def everything(self) -> dict:
        """Ids, texts, metadata and vectors of every chunk, as Chroma's `get` returns them."""
        return self.collection.get(include=["documents", "metadatas", "embeddings"])

    @_reporting
    def records(self, ids: list[str], include: tuple[str, ...] = ("documents", "metadatas", "embeddings")) -> dict:
        """The ids and `include`d fields of the chunks with these ids (those stored), as Chroma's `get` returns
        them."""
        result: dict = {key: [] for key in ("ids", *include)}
        for begin in range(0, len(ids), MAX_ADD):
            batch = self.collection.get(ids=ids[begin:begin + MAX_ADD], include=list(include))
            for key in result:
                result[key].extend(batch[key])
        return result

    @_reporting
    def add(self, records: list[StoredChunk], vectors: list[list[float]]) -> None:
        """Store chunks with their vectors, in batches Chroma accepts."""
        for begin in range(0, len(records), MAX_ADD):
            batch = records[begin:begin + MAX_ADD]
            self.collection.add(
                ids=[record.chunk_id for record in batch],
                embeddings=vectors[begin:begin + MAX_ADD],
                documents=[record.chunk.text for record in batch],
                metadatas=[record.to_metadata() for record in batch],
            )

    @_reporting
    def delete(self, ids: list[str]) -> None:
        for begin in range(0, len(ids), MAX_ADD):
            self.collection.delete(ids=ids[begin:begin + MAX_ADD])


WRITING = "writing"


def new_revision() -> str:
    return f"{time.time_ns()}-{os.getpid()}"
