"""Bring the store in line with the seeds folder: add new files, replace changed ones, drop deleted ones."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from askcorpus import encoder, snapshot
from askcorpus.cleaning import Article, clean_articles
from askcorpus.config import Config
from askcorpus.documents import Skipped, list_article_paths, load_articles
from askcorpus.errors import AskcorpusError
from askcorpus.locking import writer_lock
from askcorpus.store import WRITING, Store, StoredFile, new_revision

ENCODE_GROUP = 256  # chunks per encode call
WINDOW = 2048  # chunks of whole files embedded (sorted by length: 4 % faster here) and then stored together


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


@dataclass
class SyncReport:
    """What a sync did: the plan, skipped files, chunks embedded now and in the store, and the time taken."""

    plan: SyncPlan
    skipped: list[Skipped]
    embedded_chunks: int
    chunks_in_store: int
    seconds: float
    rebuilt_because: str | None = None
    dry_run: bool = False

    def summary(self) -> str:
        """One line for the end of `askcorpus index`."""
        p = self.plan
        verb = "would change" if self.dry_run else "synced"
        parts = [
            f"{verb}: {len(p.added)} added, {len(p.changed)} changed, {len(p.removed)} removed, "
            f"{len(p.unchanged)} unchanged"
        ]
        if self.skipped:
            parts.append(f"{len(self.skipped)} skipped")
        parts.append(f"{self.embedded_chunks} chunks embedded, {self.chunks_in_store} in the store, {self.seconds:.1f} s")
        return "; ".join(parts)


def plan_sync(articles: list[Article], stored: dict[str, StoredFile]) -> SyncPlan:
    """Compare cleaned articles with the store; a file stored incompletely counts as changed."""
    plan = SyncPlan()
    for article in articles:
        old = stored.get(article.source)
        if old is None:
            plan.added.append(article.source)
        elif old.holds_exactly(article.clean_hash):
            plan.unchanged.append(article.source)
        else:
            plan.changed.append(article.source)
    current = {article.source for article in articles}
    plan.removed = sorted(source for source in stored if source not in current)
    return plan


def file_stats(seeds, paths) -> dict[str, list[int]]:
    """[size, modification time in ns] of each of `paths`, by source name."""
    stats = {}
    for path in paths:
        try:
            status = path.stat()
        except OSError:
            continue
        stats[path.relative_to(seeds).as_posix()] = [status.st_size, status.st_mtime_ns]
    return stats


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def sync(config: Config, *, rebuild: bool = False, dry_run: bool = False, progress: bool = True,
         warn: Callable[[str], None] = _stderr, embedder=None) -> SyncReport:
    """Make the index match `config.seeds`, embedding only new and changed articles.

    Warnings (skipped files, rebuilds) go to `warn`; raises `AskcorpusError` on a missing or empty seeds folder,
    an unusable or locked index folder, or a model that cannot be loaded. `dry_run` changes nothing.
    """
    started = time.perf_counter()
    fingerprint = config.index_fingerprint()
    paths = list_article_paths(config.seeds)
    stats = file_stats(config.seeds, paths)
    manifest = snapshot.read_manifest(config.index)
    store = None
    if config.chroma_url:  # another machine may have changed the server's collection since our snapshot
        store = Store.connect(config)
        if manifest is not None and manifest.get("revision") != store.read_revision():
            manifest = None
    if not rebuild and snapshot.unchanged_since(manifest, fingerprint, stats):
        skipped = [Skipped(source, reason) for source, reason in manifest["skipped"]]
        return _unchanged(manifest, skipped, warn, started, dry_run)

    files, skipped = load_articles(config.seeds, paths)
    articles, empty = clean_articles(files)
    skipped += [Skipped(source, "has no article text left after cleaning") for source in empty]
    skipped_list = [[item.source, item.reason] for item in skipped]
    if not rebuild and snapshot.is_current(manifest, fingerprint, {a.source: a.clean_hash for a in articles}):
        if not dry_run:
            snapshot.record_stats(config.index, stats, skipped_list)
        return _unchanged(manifest, skipped, warn, started, dry_run)
    for item in skipped:
        warn(f"warning: skipping {item.source}: {item.reason}")
    if not articles:
        raise AskcorpusError(f"no readable articles (*.txt) in seeds folder {config.seeds}")

    store = store or Store.connect(config)
    if dry_run:
        reason = store.open(modify=False)
        plan = plan_sync(articles, {} if rebuild else store.files())
        return SyncReport(plan, skipped, 0, store.count(), time.perf_counter() - started, reason, dry_run=True)

    with writer_lock(config.index):
        snapshot.mark_dirty(config.index)
        reason = store.open()
        if reason:
            warn(f"{reason}: rebuilding the whole index")
        elif rebuild:
            store.reset()
            reason = "rebuild requested"
        store.set_revision(WRITING)
        stored = store.files()
        plan = plan_sync(articles, stored)
        raw_by_source = {file.source: file.text for file in files}
        embedded, embedder = _apply(plan, articles, stored, raw_by_source, store, config, progress, embedder)
        revision = new_revision()
        store.set_revision(revision)
        written = snapshot.write(config.index, store.everything(), fingerprint, stats, skipped_list, revision)
        if embedder is not None and not encoder.exported_for(config.index, config.model):
            encoder.export(embedder.model, config.index, config.model)
        return SyncReport(plan, skipped, embedded, written["chunks"], time.perf_counter() - started, reason)


def _unchanged(manifest: dict, skipped: list[Skipped], warn, started: float, dry_run: bool) -> SyncReport:
    """The report of a sync that found the snapshot current: nothing to do but repeat the skip warnings."""
    for item in skipped:
        warn(f"warning: skipping {item.source}: {item.reason}")
    plan = SyncPlan(unchanged=sorted(manifest["files"]))
    return SyncReport(plan, skipped, 0, manifest["chunks"], time.perf_counter() - started, None, dry_run)


def _apply(plan: SyncPlan, articles: list[Article], stored: dict[str, StoredFile], raw_by_source: dict[str, str],
           store: Store, config: Config, progress: bool, embedder) -> tuple[int, object]:
    """Add the new versions first, then delete the old ones, so a reader never sees a file vanish.

    An interrupted run leaves a file's versions mixed or incomplete; the next plan calls it changed and
    this function replaces it whole, or, when its new version is already complete, only deletes the old one.
    Returns (chunks embedded, the embedder if one was needed).
    """
    by_source = {article.source: article for article in articles}
    # A changed file whose new version an interrupted run already stored whole needs only its old one deleted.
    to_embed = [by_source[source] for source in plan.added + plan.changed
                if source not in stored or not stored[source].complete(by_source[source].clean_hash)]
    embedded = 0
    if to_embed:
        from askcorpus.chunking import Chunker
        from askcorpus.embedding import Embedder

        embedder = embedder or Embedder(config.model)
        chunker = Chunker(embedder.count_tokens, min(config.chunking.tokens, embedder.max_tokens),
                          config.chunking.overlap)
        partial = [i for a in to_embed if a.source in stored for i in stored[a.source].versions.get(a.clean_hash, [])]
        store.delete(partial)
        pending = [(article, chunker.split(raw_by_source[article.source], article)) for article in to_embed]
        embedded = _embed_and_add(pending, store, embedder, progress)
    stale = [i for source in plan.changed for i in stored[source].ids(except_version=by_source[source].clean_hash)]
    stale += [i for source in plan.removed for i in stored[source].ids()]
    store.delete(stale)
    return embedded, embedder if to_embed else None


def _embed_and_add(pending: list[tuple[Article, list]], store: Store, embedder, progress: bool) -> int:
    """Embed window by window; each window of whole files is encoded shortest text first (less padding per
    batch) and then written to the store, so an interruption loses at most one window."""
    from tqdm import tqdm

    total = sum(len(chunks) for _, chunks in pending)
    with tqdm(total=total, unit="chunk", desc="embedding", disable=not progress, file=sys.stderr,
              mininterval=0.5) as bar:
        for window in _windows(pending):
            texts = [chunk.text for _, chunks in window for chunk in chunks]
            order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
            vectors: list[list[float]] = [[] for _ in texts]
            for begin in range(0, len(order), ENCODE_GROUP):
                group = order[begin:begin + ENCODE_GROUP]
                for i, vector in zip(group, embedder.encode([texts[i] for i in group]).tolist()):
                    vectors[i] = vector
                bar.update(len(group))
            _store(window, vectors, store)
    return total


def _windows(pending: list[tuple[Article, list]]):
    window, size = [], 0
    for article, chunks in pending:
        window.append((article, chunks))
        size += len(chunks)
        if size >= WINDOW:
            yield window
            window, size = [], 0
    if window:
        yield window


def _store(window: list[tuple[Article, list]], vectors: list[list[float]], store: Store) -> None:
    store.add(
        [chunk for _, chunks in window for chunk in chunks],
        vectors,
        {article.source: {"file_hash": article.file_hash, "clean_hash": article.clean_hash, "n_chunks": len(chunks),
                          "dateline": article.dateline} for article, chunks in window},
    )
