"""Notice when article files in the seeds folder are added, changed or deleted, by polling their sizes, modification
and status change times (the check `git status` makes), and report each burst of changes once it has settled."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from askcorpus.errors import AskcorpusError
from askcorpus.indexing.background import Repeating
from askcorpus.indexing.sources import list_article_paths
from askcorpus.indexing.sync import file_stats

POLL_SECONDS = 1.0
SETTLE_SECONDS = 1.5  # a copy of many files, or an editor's save in several writes, comes as one change
RETRY_SECONDS = 5.0  # after a failed sync (another process held the lock, the disk was full)


class SeedWatcher(Repeating):
    """Once started, calls `on_change()` in a daemon thread when the folder's article files differ from the last
    state it reported and have not changed for SETTLE_SECONDS; when `on_change` returns False it is called again
    RETRY_SECONDS later, until it succeeds, even when the files are back as they were (the folder moved away and
    back: the failure must be cleared)."""

    name = "askcorpus-watcher"

    def __init__(self, seeds: Path, on_change: Callable[[], bool], poll: float = POLL_SECONDS,
                 settle: float = SETTLE_SECONDS, retry: float = RETRY_SECONDS, index: Path | None = None):
        super().__init__(poll)
        self.seeds, self.index = seeds, index  # an index folder inside the seeds folder is not watched
        self.on_change = on_change
        self.settle, self.retry = settle, retry
        self._reported = self._stats()
        self._seen, self._seen_at = self._reported, time.monotonic()
        self._failed = False

    def _stats(self) -> dict[str, list[int]] | None:
        try:
            return file_stats(self.seeds, list_article_paths(self.seeds, self.index))
        except (AskcorpusError, OSError):  # the folder is gone or unreadable: the sync says why
            return None

    def check(self, now: float | None = None) -> bool:
        """One poll; returns True when it called `on_change`."""
        now = time.monotonic() if now is None else now
        stats = self._stats()
        if stats != self._seen:
            self._seen, self._seen_at = stats, now
            return False
        if (stats == self._reported and not self._failed) or now - self._seen_at < self.settle:
            return False
        self._failed = not self.on_change()
        if self._failed:
            self._seen_at = now + self.retry - self.settle  # try again in `retry` seconds
        else:
            self._reported = stats
        return True
