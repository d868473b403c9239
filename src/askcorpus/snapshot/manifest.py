"""The snapshot manifest: which store state and which settings a snapshot was derived with, and from which seeds."""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field, fields

from askcorpus.snapshot.lexical import bm25_parameters
from askcorpus.text.analysis import analyzer_signature

FORMAT = 2  # raise when the files of a generation change shape
COLLECTION = "collection"  # the key of the Chroma collection's name in the store's fingerprint
# keys of the store's fingerprint that snapshots written before them lack: such a snapshot holds today's value
LATER_KEYS = (COLLECTION,)
INCOMPLETE = "incomplete"  # the version recorded for a file whose chunks Chroma holds only in part


def snapshot_settings() -> dict[str, str | float]:
    """What the snapshot adds to the store's chunks itself: the analyzer's terms and the BM25 weights."""
    return {"analyzer": analyzer_signature(), **{f"bm25_{name}": value for name, value in bm25_parameters().items()}}


@dataclass(frozen=True)
class Manifest:
    """What one snapshot generation was made from; written last, so a generation with one is complete."""

    store: dict  # the store's fingerprint (model, chunking, cleaner, ...) when the snapshot was taken
    settings: dict  # `snapshot_settings()` when it was taken
    files: dict[str, str]  # source -> clean_hash of the stored version (or INCOMPLETE)
    chunks: int
    revision: str | None = None  # the Chroma collection's revision token it was taken at
    stats: dict[str, list[int]] = field(default_factory=dict)  # source -> [size, mtime_ns, ctime_ns] of its seeds
    skipped: list[list[str]] = field(default_factory=list)  # [source, reason] of the seed files left out
    created: float = field(default_factory=time.time)
    format: int = FORMAT

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> "Manifest":
        """Raises ValueError when `text` is not a manifest of this format."""
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError(f"not a snapshot manifest of format {FORMAT}")
        names = {f.name for f in fields(cls)}
        if set(data) != names:
            raise ValueError(f"snapshot manifest fields differ: {sorted(set(data) ^ names)}")
        return cls(**data)

    def recorded_store(self, store_fingerprint: dict) -> dict:
        """The store's fingerprint as this snapshot records it; a key it predates (LATER_KEYS) reads as in
        `store_fingerprint`, as it was taken for granted then."""
        taken = {key: value for key, value in store_fingerprint.items() if key in LATER_KEYS and key not in self.store}
        return {**self.store, **taken}

    def stale_because(self, store_fingerprint: dict) -> str | None:
        """Why this snapshot cannot answer for a store with `store_fingerprint` under today's settings, or None."""
        recorded = self.recorded_store(store_fingerprint)
        if recorded != store_fingerprint:
            return f"index settings changed ({difference(recorded, store_fingerprint)})"
        return self.settings_changed()

    def settings_changed(self) -> str | None:
        """Why the snapshot's own settings (analyzer, BM25) differ from today's, or None."""
        current = snapshot_settings()
        if self.settings != current:
            return f"snapshot settings changed ({difference(self.settings, current)})"
        return None

    def matches(self, store_fingerprint: dict, files: dict[str, str]) -> bool:
        """True when the snapshot is current for a store with these settings holding exactly these file versions."""
        return self.stale_because(store_fingerprint) is None and self.files == files

    def unchanged_since(self, store_fingerprint: dict, stats: dict[str, list[int]], change_times: bool = True) -> bool:
        """True when no seed file's size, modification time or (with `change_times`) status change time changed since
        the snapshot (as `git status` decides)."""
        if not change_times:
            stats, recorded = _sizes_and_times(stats), _sizes_and_times(self.stats)
        else:
            recorded = self.stats
        return self.stale_because(store_fingerprint) is None and recorded == stats


def difference(old: dict, new: dict) -> str:
    """`key old -> new` for every key whose value differs, joined by '; ' (a key one side lacks: "not recorded")."""
    keys = [key for key in {**old, **new} if key not in old or key not in new or old[key] != new[key]]
    shown = lambda side, key: repr(side[key]) if key in side else "not recorded"  # noqa: E731
    return "; ".join(f"{key} {shown(old, key)} -> {shown(new, key)}" for key in keys)


def _sizes_and_times(stats: dict[str, list[int]]) -> dict[str, list[int]]:
    return {source: values[:2] for source, values in stats.items()}
