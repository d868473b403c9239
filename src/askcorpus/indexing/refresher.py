"""Readers of a Chroma server: a background thread that notices when another machine changed the collection and
takes a new snapshot, so that questions never wait for the server, the writer lock or a snapshot build."""

from __future__ import annotations

import threading

from askcorpus.config import Config
from askcorpus.errors import LOGGER, AskcorpusError
from askcorpus.indexing.lock import writer_lock
from askcorpus.indexing.store import WRITING, Store
from askcorpus.indexing.sync import publish
from askcorpus.snapshot.generations import read_manifest

CHECK_SECONDS = 1.0


class ServerRefresher:
    """Checks the server collection's revision every `interval` seconds in a daemon thread; `problem` says why the
    last check failed (answers then keep coming from the last snapshot)."""

    def __init__(self, config: Config, interval: float = CHECK_SECONDS):
        self.config = config
        self.interval = interval
        self.problem: str | None = None
        self._store: Store | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> "ServerRefresher":
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="askcorpus-refresher", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.check()
            except Exception as error:  # a bug must not stop following for the life of the app: report it, go on
                LOGGER.exception("following the Chroma server failed")
                self.problem = f"following the Chroma server failed: {type(error).__name__}: {error}"

    def check(self) -> bool:
        """One check: write a snapshot when the collection's revision is finished and differs from the current
        snapshot's. Returns True when it wrote one."""
        try:
            if self._store is None:
                self._store = Store.connect(self.config)
            revision = self._store.read_revision()
            manifest = read_manifest(self.config.index)
            wrote = False
            if revision not in (None, WRITING) and (manifest is None or manifest.revision != revision):
                with writer_lock(self.config.index):  # fails at once while a sync here holds it; that sync publishes
                    publish(self.config, self._store, {}, [], revision=revision)
                    wrote = True
            self.problem = None
            return wrote
        except AskcorpusError as error:
            self.problem = str(error)
            return False
