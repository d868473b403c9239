"""What a sync would do, changing nothing. A local index is planned from its snapshot's manifest when that is current:
opening Chroma, even to read, rewrites its bookkeeping files, and would do so unlocked beside a running sync. What
only Chroma can tell is then left to the sync: a database that SQLite reads but Chroma refuses (another version's
schema). A snapshot taken from another collection (ASKCORPUS_COLLECTION) does not speak for the one named now:
Chroma is read then."""

from __future__ import annotations

import time
from dataclasses import dataclass

from askcorpus.config import Config
from askcorpus.errors import warn
from askcorpus.indexing.damage import damaged, is_damaged
from askcorpus.indexing.fingerprint import vector_part
from askcorpus.indexing.lock import DATABASE
from askcorpus.indexing.models import check_findable
from askcorpus.indexing.plan import SyncReport, plan_by_versions
from askcorpus.indexing.sources import Skipped
from askcorpus.indexing.store import Store, settings_differ
from askcorpus.snapshot.manifest import COLLECTION, Manifest
from askcorpus.text.cleaning import Article

REBUILD_REQUESTED = "rebuild requested"  # why a --rebuild rebuilt


@dataclass(frozen=True)
class Held:
    """What the index holds, as far as a plan needs: why its collection would be rebuilt (`reason`), the version
    stored whole of each file (`versions`; None without a collection to keep) and its chunks."""

    reason: str | None
    versions: dict[str, str | None] | None
    chunks: int

    @classmethod
    def in_store(cls, store: Store) -> "Held":
        reason = store.open(modify=False)
        versions = None if store.collection is None else {
            source: held.sole_version() for source, held in store.files().items()}
        return cls(reason, versions, store.held())

    @classmethod
    def in_snapshot(cls, manifest: Manifest, fingerprint: dict) -> "Held":
        """As the current snapshot recorded the store (a sync trusts it the same way when no file changed), for a
        store with `fingerprint` (`store_fingerprint`)."""
        reason = settings_differ(manifest.store, vector_part(fingerprint))
        return cls(reason, None if reason else dict(manifest.files), manifest.chunks)


def dry_run_report(config: Config, fingerprint: dict, articles: list[Article], skipped: list[Skipped],
                   manifest: Manifest | None, store: Store | None, *, rebuild: bool, snapshot_reason: str | None,
                   started: float) -> SyncReport:
    """The report of a sync of `articles` into `config`'s index that changes nothing (`SyncReport.dry_run`).
    `fingerprint` is the store's (`store_fingerprint`), `manifest` the current snapshot's (None during a sync),
    `store` a connected server's. Warns, as the sync
    would, when it would rebuild the whole store or the answering snapshot; fails as the sync would on a database
    SQLite finds damaged, or when it would embed everything with a model found nowhere."""
    requested = REBUILD_REQUESTED if rebuild else None
    held = _held(config, fingerprint, manifest, store, rebuild)
    if held is None or held.reason or requested or held.versions is None:
        check_findable(config.model)  # the sync would load it, and fail
    if held is not None and (held.reason or requested):  # without a store: a first build, or a damaged one (said)
        warn(f"{held.reason or requested}: would rebuild the whole index")
    elif snapshot_reason and not requested:
        warn(f"{snapshot_reason}: would rebuild the answering snapshot")
    kept = held.versions if held is not None and held.versions is not None and not requested else {}
    reason = (held.reason if held is not None else None) or requested
    return SyncReport(plan_by_versions(articles, kept), skipped, 0, 0 if held is None else held.chunks,
                      time.perf_counter() - started, reason, dry_run=True,
                      snapshot_rebuilt_because=None if reason else snapshot_reason)


def _held(config: Config, fingerprint: dict, manifest: Manifest | None, store: Store | None,
          rebuild: bool) -> Held | None:
    """What the index holds; None when there is nothing to keep: no database yet, or a damaged one that a rebuild
    would move aside."""
    if config.chroma_url:
        return Held.in_store(store or Store.connect(config))
    database = config.index / DATABASE
    if not database.exists():
        return None
    if is_damaged(database):  # SQLite's read-only check: Chroma's Rust core would panic on it
        if not rebuild:
            raise damaged(config.index, "SQLite's quick check failed")
        warn("the index database is damaged: would move it aside and build the index again")
        return None
    if manifest is not None and manifest.recorded_store(fingerprint)[COLLECTION] == fingerprint[COLLECTION]:
        return Held.in_snapshot(manifest, fingerprint)
    return Held.in_store(store or Store.connect(config))
