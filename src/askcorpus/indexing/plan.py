"""What a sync will do and what it did: the plan by source file, and the report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from askcorpus.indexing.sources import Skipped
from askcorpus.snapshot.records import StoredFile
from askcorpus.text.cleaning import Article


@dataclass
class SyncPlan:
    """What a sync will do, by source file name."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def touched(self) -> bool:
        return bool(self.added or self.changed or self.removed)


def plan_sync(articles: list[Article], stored: dict[str, StoredFile]) -> SyncPlan:
    """Compare cleaned articles with the store; a file stored incompletely, or in two versions, counts as changed."""
    return plan_by_versions(articles, {source: held.sole_version() for source, held in stored.items()})


def plan_by_versions(articles: list[Article], stored: dict[str, str | None]) -> SyncPlan:
    """Compare cleaned articles with the version stored whole of each source file (`clean_hash`; anything else, such
    as None, when it is stored in part or in two versions: the file counts as changed)."""
    plan = SyncPlan()
    for article in articles:
        if article.source not in stored:
            plan.added.append(article.source)
        elif stored[article.source] == article.clean_hash:
            plan.unchanged.append(article.source)
        else:
            plan.changed.append(article.source)
    current = {article.source for article in articles}
    plan.removed = sorted(source for source in stored if source not in current)
    return plan


def to_embed(plan: SyncPlan, articles: list[Article], stored: dict[str, StoredFile]) -> list[Article]:
    """The added and changed articles whose new version is not stored whole yet (an interrupted run may have)."""
    by_source = {article.source: article for article in articles}
    return [by_source[source] for source in plan.added + plan.changed
            if source not in stored or not stored[source].complete(by_source[source].clean_hash)]


def to_delete(plan: SyncPlan, articles: list[Article], stored: dict[str, StoredFile]) -> list[str]:
    """Chunk ids to delete once the new versions are stored: old versions of changed files, all of removed ones."""
    by_source = {article.source: article for article in articles}
    stale = [i for source in plan.changed for i in stored[source].ids(except_version=by_source[source].clean_hash)]
    return stale + [i for source in plan.removed for i in stored[source].ids()]


@dataclass(frozen=True)
class SummaryWords:
    """The words of a sync's one-line summary (`SyncReport.summary`), so that a page can give it in its own language:
    `reused` is a format for the count, `count` and `seconds` write numbers."""

    synced: str = "synced"
    would_sync: str = "would sync"
    added: str = "added"
    changed: str = "changed"
    removed: str = "removed"
    unchanged: str = "unchanged"
    skipped: str = "skipped"
    in_store_now: str = "chunks in the store now"
    in_store_now_one: str = "chunk in the store now"
    embedded: str = "chunks embedded"
    embedded_one: str = "chunk embedded"
    reused: str = ", {} reused"
    in_store: str = "in the store"
    count: Callable[[int], str] = str
    seconds: Callable[[float], str] = "{:.1f} s".format


@dataclass
class SyncReport:
    """What a sync did: the plan, skipped files, chunks embedded now and in the store, the time taken, why the
    store (`rebuilt_because`) or only the answering snapshot (`snapshot_rebuilt_because`) was rebuilt, if it was,
    and how many chunks of added or changed files took vectors the store held already (`reused_chunks`)."""

    plan: SyncPlan
    skipped: list[Skipped]
    embedded_chunks: int
    chunks_in_store: int
    seconds: float
    rebuilt_because: str | None = None
    dry_run: bool = False
    snapshot_rebuilt_because: str | None = None
    reused_chunks: int = 0

    @property
    def changed_anything(self) -> bool:
        return self.plan.touched or bool(self.rebuilt_because or self.snapshot_rebuilt_because)

    def summary(self, words: SummaryWords = SummaryWords()) -> str:
        """One line for the end of `askcorpus index`, in `words`."""
        p, w, n = self.plan, words, words.count
        parts = [
            f"{w.would_sync if self.dry_run else w.synced}: {n(len(p.added))} {w.added}, {n(len(p.changed))} "
            f"{w.changed}, {n(len(p.removed))} {w.removed}, {n(len(p.unchanged))} {w.unchanged}"
        ]
        if self.skipped:
            parts.append(f"{n(len(self.skipped))} {w.skipped}")
        if self.dry_run:  # nothing was chunked, so what would be embedded is not known
            now = w.in_store_now_one if self.chunks_in_store == 1 else w.in_store_now
            parts.append(f"{n(self.chunks_in_store)} {now}, {w.seconds(self.seconds)}")
        else:
            reused = w.reused.format(n(self.reused_chunks)) if self.reused_chunks else ""
            embedded = w.embedded_one if self.embedded_chunks == 1 else w.embedded
            parts.append(f"{n(self.embedded_chunks)} {embedded}{reused}, {n(self.chunks_in_store)} {w.in_store}, "
                         f"{w.seconds(self.seconds)}")
        return "; ".join(parts)

    def to_dict(self) -> dict:
        """The JSON shape of `askcorpus index --json`."""
        p = self.plan
        return {
            "dry_run": self.dry_run, "added": p.added, "changed": p.changed, "removed": p.removed,
            "unchanged": p.unchanged, "skipped": [{"source": s.source, "reason": s.reason} for s in self.skipped],
            "embedded_chunks": None if self.dry_run else self.embedded_chunks,  # a dry run does not chunk
            "reused_chunks": None if self.dry_run else self.reused_chunks,
            "chunks_in_store": self.chunks_in_store,
            "seconds": round(self.seconds, 3), "rebuilt_because": self.rebuilt_because,
            "snapshot_rebuilt_because": self.snapshot_rebuilt_because,
        }

    @classmethod
    def from_dict(cls, values: dict) -> "SyncReport":
        """The report that `to_dict` gave `values`."""
        plan = SyncPlan(values["added"], values["changed"], values["removed"], values["unchanged"])
        return cls(plan, [Skipped(s["source"], s["reason"]) for s in values["skipped"]],
                   values["embedded_chunks"] or 0, values["chunks_in_store"], values["seconds"],
                   values["rebuilt_because"], values["dry_run"], values["snapshot_rebuilt_because"],
                   values["reused_chunks"] or 0)
