"""Readers of a Chroma server: a background thread that notices when another machine changed the collection and
takes a new snapshot, so that questions never wait for the server, the writer lock or a snapshot build."""

from __future__ import annotations

from askcorpus.config import Config
from askcorpus.errors import AskcorpusError
from askcorpus.indexing.background import Repeating
from askcorpus.indexing.lock import writer_lock
from askcorpus.indexing.store import WRITING, Store, check_answers
from askcorpus.indexing.sync import publish
from askcorpus.snapshot.generations import read_manifest

CHECK_SECONDS = 1.0


class ServerRefresher(Repeating):
    """Checks the server collection's revision every `interval` seconds in a daemon thread once started; `problem`
    says why the last check failed (answers then keep coming from the last snapshot)."""

    name = "askcorpus-refresher"

    def __init__(self, config: Config, interval: float = CHECK_SECONDS):
        super().__init__(interval)
        self.config = config
        self.problem: str | None = None
        self._store: Store | None = None

    def failed(self, error: Exception) -> None:
        self.problem = f"following the Chroma server failed: {type(error).__name__}: {error}"

    def check(self) -> bool:
        """One check: write a snapshot when the collection's revision is finished and differs from the current
        snapshot's. Returns True when it wrote one."""
        try:
            if self._store is None:
                self._store = Store.connect(self.config)
            else:
                check_answers(self.config.chroma_url)  # the client it keeps would wait for ever on a stopped server
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
