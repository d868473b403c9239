"""Readers of a Chroma server: notice when another machine changed the collection, and take a new snapshot."""

from __future__ import annotations

import threading
import time

from askcorpus import snapshot
from askcorpus.config import Config
from askcorpus.errors import AskcorpusError
from askcorpus.locking import writer_lock
from askcorpus.store import WRITING, Store

CHECK_SECONDS = 1.0


class ServerFollower:
    """Checks the server collection's revision at most once per CHECK_SECONDS; safe to share between threads."""

    def __init__(self, config: Config):
        self.config = config
        self.problem: str | None = None  # why the server could not be asked at the last check, if it could not
        self._store: Store | None = None
        self._lock = threading.Lock()
        self._checked = -CHECK_SECONDS

    def follow(self, known_revision: str | None) -> None:
        """Write a snapshot of the collection when its revision is finished and differs from `known_revision`
        (the one the caller answers from); a server that cannot be reached leaves the last snapshot in use."""
        now = time.monotonic()
        if now - self._checked < CHECK_SECONDS or not self._lock.acquire(blocking=False):
            return  # checked a moment ago, or another thread is checking now
        self._checked = now
        try:
            if self._store is None:
                self._store = Store.connect(self.config)
            revision = self._store.read_revision()
            if revision not in (None, WRITING, known_revision):
                with writer_lock(self.config.index):
                    snapshot.write(self.config.index, self._store.everything(), self.config.index_fingerprint(),
                                   {}, [], revision)
            self.problem = None
        except AskcorpusError as error:  # the server is down, or a sync here holds the lock and will publish
            self.problem = str(error)
        finally:
            self._lock.release()
