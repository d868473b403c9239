"""Bring the store in line with the seeds folder, in stages: scan -> plan -> apply -> publish (-> export encoder).

`sync` runs them under the index's writer lock; each stage is a function of its own.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

from askcorpus.config import Config
from askcorpus.errors import AskcorpusError, IndexBusy, IndexNotWritable, warn
from askcorpus.indexing.chunking import Chunker
from askcorpus.indexing.damage import is_damaged, set_aside
from askcorpus.indexing.dry_run import REBUILD_REQUESTED, dry_run_report
from askcorpus.indexing.embedder import Embedder
from askcorpus.indexing.fingerprint import store_fingerprint, vector_part
from askcorpus.indexing.lock import DATABASE, check_creatable, check_writable, lock_holder, writer_lock
from askcorpus.indexing.models import model_revision
from askcorpus.indexing.plan import SyncPlan, SyncReport, plan_sync, to_delete, to_embed
from askcorpus.indexing.reuse import Reuse, copy_ids, ids_with_text, replaced_ids, snapshot_vectors
from askcorpus.indexing.sources import (
    Skipped,
    list_article_paths,
    load_articles,
    max_file_bytes,
    max_file_mb,
    may_pass_unchanged,
    read_article,
    source_name,
)
from askcorpus.indexing.store import WRITING, Store, forget_clients, new_revision
from askcorpus.snapshot import generations
from askcorpus.snapshot.build import derive
from askcorpus.snapshot.encoder_spec import export_current
from askcorpus.snapshot.manifest import Manifest
from askcorpus.snapshot.records import FileVersion, StoredChunk, StoredFile, pack_vectors
from askcorpus.text.cleaning import Article, SourceFile, clean_articles
from askcorpus.text.sentences import sentence_spans

ENCODE_GROUP = 256  # chunks per encode call, at most
BAR_STEPS = 20  # fewer chunks to embed than ENCODE_GROUP * BAR_STEPS: smaller calls, so that the bar moves
MIN_GROUP = 4
BRIEF_NAMES = 3  # skipped files named in a brief no-change warning
WINDOW = 2048  # chunks of whole files embedded together, sorted by length (4 % faster here)


@dataclass
class Scan:
    """The seeds folder as read by a sync: file stats, decoded files, cleaned articles, and what was skipped."""

    stats: dict[str, list[int]]
    files: list[SourceFile]
    articles: list[Article]
    skipped: list[Skipped]

    @property
    def versions(self) -> dict[str, str]:
        return {article.source: article.clean_hash for article in self.articles}

    @property
    def skipped_list(self) -> list[list[str]]:
        return [[item.source, item.reason] for item in self.skipped]


def file_stats(seeds: Path, paths: list[Path]) -> dict[str, list[int]]:
    """[size, modification time, status change time (both in ns)] of each of `paths`, by source name. The change
    time catches an edit that kept the size and had its modification time set back (`touch -r`, a restore), which no
    program can set back."""
    stats = {}
    for path in paths:
        try:
            status = path.stat()
        except OSError:
            continue
        stats[source_name(seeds, path)] = [status.st_size, status.st_mtime_ns, status.st_ctime_ns]
    return stats


def scan(seeds: Path, paths: list[Path], stats: dict[str, list[int]]) -> Scan:
    """Read and clean the article files at `paths`."""
    files, skipped = load_articles(seeds, paths)
    articles, empty = clean_articles(files)
    skipped += [Skipped(source, "has no article text left after cleaning") for source in empty]
    return Scan(stats, files, articles, skipped)


def sync(config: Config, *, rebuild: bool = False, dry_run: bool = False, progress: bool = True,
         embedder=None, brief: bool = False) -> SyncReport:
    """Make the index match `config.seeds`, embedding only the passages of new and changed articles that the store
    does not hold already.

    Warnings (skipped files, rebuilds) go to the `askcorpus` logger; raises `AskcorpusError` on a missing or empty
    seeds folder, an unusable or locked index folder, or a model that cannot be loaded. `dry_run` changes nothing.
    With `brief`, a sync that finds nothing changed names the files it still skips in one line, without reasons
    (a question need not repeat them all).
    """
    started = time.perf_counter()
    max_file_mb()  # a bad limit is an error even when no file changed
    if dry_run:
        check_creatable(config.index)  # as the sync would find, which creates it
    fingerprint = store_fingerprint(config)
    if embedder is not None:
        embedder.refresh()  # a long-lived embedder must not embed with the weights a model folder held before
    paths = list_article_paths(config.seeds, config.index)
    stats = file_stats(config.seeds, paths)
    manifest = generations.read_manifest(config.index)
    store = None
    if config.chroma_url:  # another machine may have changed the server's collection since our snapshot
        store = Store.connect(config)
        if manifest is not None and manifest.revision != store.read_revision():
            manifest = None
    if manifest is None and generations.syncing(config.index):
        holder = lock_holder(config.index)  # before the folder is read: the lock would refuse this sync anyway
        if holder is not None:
            raise IndexBusy(config.index, holder)
    if not rebuild and manifest is not None:
        unchanged = _unchanged_by_stats(config, manifest, fingerprint, stats, started, dry_run, brief)
        if unchanged is not None:
            return unchanged

    seeds = scan(config.seeds, paths, stats)
    if not rebuild and manifest is not None and not _database_gone(config) and manifest.matches(fingerprint,
                                                                                                seeds.versions):
        if not dry_run:
            generations.record_stats(config.index, stats, seeds.skipped_list)
        return _unchanged(manifest, seeds.skipped, started, dry_run, brief)
    for item in seeds.skipped:
        warn(f"skipping {item.source}: {item.reason}")
    if not seeds.articles:
        raise AskcorpusError(f"no readable articles (*.txt) in seeds folder {config.seeds}")

    snapshot_reason = manifest.stale_because(fingerprint) if manifest is not None else None  # the cleaner, say
    if dry_run:
        if config.index.is_dir():
            check_writable(config.index)  # from here on, the sync writes
        return dry_run_report(config, fingerprint, seeds.articles, seeds.skipped, manifest, store, rebuild=rebuild,
                              snapshot_reason=snapshot_reason, started=started)
    aside = None
    if rebuild and not config.chroma_url:
        with writer_lock(config.index):
            if _unusable(config):
                generations.mark_dirty(config.index)  # the snapshot no longer speaks for the store, until published
                aside = set_aside(config.index)
        if aside is not None:
            warn(f"the index database was damaged: moved it to {aside}; building the index again")
    with writer_lock(config.index):
        store = store or Store.connect(config)  # under the lock: a new index's database is created here
        if rebuild or store.open(modify=False) or store.collection is None:
            # Everything is embedded (again): a model that cannot load must fail before the old vectors are dropped,
            # or before a new collection records it as the index's model.
            embedder = embedder or Embedder(config.model)
            embedder.load()
        generations.mark_dirty(config.index)
        reason = store.open()
        if reason:
            warn(f"{reason}: rebuilding the whole index")
        elif rebuild:
            store.reset()
            reason = REBUILD_REQUESTED
        elif snapshot_reason:
            warn(f"{snapshot_reason}: rebuilding the answering snapshot")
        store.set_revision(WRITING)
        stored = store.files()
        plan = plan_sync(seeds.articles, stored)
        # The snapshot's vectors stand in for what the store lacks, unless the store is rebuilt on purpose (asked
        # for, or other settings): after a damaged database was set aside, a lost one, an interrupted rebuild.
        lend_under = vector_part(fingerprint) if aside is not None or not reason else None
        embedded, reused, embedder = apply(plan, seeds, stored, store, config, progress, embedder, lend_under)
        published = publish(config, store, seeds.stats, seeds.skipped_list)
        export_encoder(config, embedder)
    return SyncReport(plan, seeds.skipped, embedded, published.chunks, time.perf_counter() - started, reason,
                      snapshot_rebuilt_because=None if reason else snapshot_reason, reused_chunks=reused)


def _database_gone(config: Config) -> bool:
    """Whether the local index's database was deleted: the sync builds it again, from the snapshot's vectors
    (`apply`), whatever the files' stats say."""
    return not config.chroma_url and not (config.index / DATABASE).is_file()


def nothing_to_do(config: Config, *, dry_run: bool = False, brief: bool = False) -> SyncReport | None:
    """The report of a sync of `config`, when the files' sizes and times tell that it has nothing to do (a few
    milliseconds: no file read, no Chroma, no model); None when a sync must look further (a file changed, the
    database is gone). With a Chroma server, always None (another machine may have changed the collection)."""
    started = time.perf_counter()
    max_file_mb()
    manifest = generations.read_manifest(config.index)
    if config.chroma_url or manifest is None:
        return None
    stats = file_stats(config.seeds, list_article_paths(config.seeds, config.index))
    return _unchanged_by_stats(config, manifest, store_fingerprint(config), stats, started, dry_run, brief)


def _unchanged_by_stats(config: Config, manifest: Manifest, fingerprint: dict, stats: dict[str, list[int]],
                        started: float, dry_run: bool, brief: bool) -> SyncReport | None:
    """`_unchanged` when no file's size or time changed since the snapshot, none is over the size limit now and
    none it skipped would now be read; else None. A read-only index is compared by sizes and modification times
    alone: it cannot record the new change times that a `chmod` or a copy of the seeds brings, and would read every
    file at every question."""
    change_times = os.access(config.index, os.W_OK)
    if not manifest.unchanged_since(fingerprint, stats, change_times) or _over_the_limit(manifest, stats):
        return None
    if _database_gone(config):
        return None
    skipped = _still_skipped(config.seeds, stats, manifest.skipped)
    return None if skipped is None else _unchanged(manifest, skipped, started, dry_run, brief)


def _unusable(config: Config) -> bool:
    """True when the index's Chroma database is there but damaged (SQLite's own check) or Chroma cannot open it
    (another version's schema, a changed migration): a rebuild moves it aside (`damage.set_aside`)."""
    database = config.index / DATABASE
    if not database.is_file():
        return False
    if is_damaged(database):
        return True
    try:
        Store.connect(config).open(modify=False)
    except IndexNotWritable:
        raise
    except AskcorpusError:
        forget_clients()  # Chroma may keep what it opened of the old database
        return True
    return False


def _over_the_limit(manifest: Manifest, stats: dict[str, list[int]]) -> bool:
    """True when an indexed file is now over the size limit (it was lowered): the file is to leave the index."""
    limit = max_file_bytes()
    return any(stats[source][0] > limit for source in manifest.files if source in stats)


def _still_skipped(seeds: Path, stats: dict[str, list[int]], recorded: list[list[str]]) -> list[Skipped] | None:
    """The files the snapshot left out, with today's reasons: those that can pass without changing (a read
    permission granted, a size limit raised) are tried again. None when one of them would now be read."""
    skipped = []
    for source, reason in recorded:
        if may_pass_unchanged(reason) and source in stats:
            again = read_article(seeds, seeds / source)
            if not isinstance(again, Skipped):
                return None
            reason = again.reason
        skipped.append(Skipped(source, reason))
    return skipped


def _unchanged(manifest: Manifest, skipped: list[Skipped], started: float, dry_run: bool,
               brief: bool = False) -> SyncReport:
    """The report of a sync that found the snapshot current: nothing to do but repeat the skip warnings (`brief`:
    in one line)."""
    if brief and skipped:
        names = ", ".join(item.source for item in skipped[:BRIEF_NAMES])
        more = f" and {len(skipped) - BRIEF_NAMES} more" if len(skipped) > BRIEF_NAMES else ""
        warn(f"not indexed: {names}{more} (`askcorpus index` says why)")
    for item in [] if brief else skipped:
        warn(f"skipping {item.source}: {item.reason}")
    plan = SyncPlan(unchanged=sorted(manifest.files))
    return SyncReport(plan, skipped, 0, manifest.chunks, time.perf_counter() - started, None, dry_run)


def apply(plan: SyncPlan, seeds: Scan, stored: dict[str, StoredFile], store: Store, config: Config,
          progress: bool, embedder=None, lend_under: dict | None = None) -> tuple[int, int, object]:
    """Add the new versions first, then delete the old ones, so a reader never sees a file vanish.

    A chunk whose text the store holds among the files replaced, or (given `lend_under`, the vector settings of the
    store) the current snapshot holds in any file, takes those vectors instead of being embedded (`reuse`); a file
    whose bytes are stored whole under another name is not even chunked, so a renamed, moved or copied file needs
    no model. An interrupted run leaves a file's
    versions mixed or incomplete; the plan calls it changed and this stage replaces it whole, or, when its new
    version is already complete, only deletes the old one.
    Returns (chunks embedded, chunks reused, the embedder if it embedded anything, else None).
    """
    pending_articles = to_embed(plan, seeds.articles, stored)
    embedded = reused = 0
    if pending_articles:
        pending, reuse, embedder = _chunk(pending_articles, plan.added + plan.changed + plan.removed, seeds, stored,
                                          store, config, embedder, lend_under)
        store.delete([i for a in pending_articles if a.source in stored
                      for i in stored[a.source].versions.get(a.clean_hash, [])])
        embedded, reused = _embed_and_add(pending, store, embedder, reuse, progress)
    store.delete(to_delete(plan, seeds.articles, stored))
    return embedded, reused, embedder if embedded else None


def _chunk(articles: list[Article], replaced: list[str], seeds: Scan, stored: dict[str, StoredFile], store: Store,
           config: Config, embedder, lend_under: dict | None) -> tuple[list[tuple[Article, list]], Reuse, object]:
    """Each article with its chunks, and the stored vectors it may take: those of any stored file with the same
    bytes first (no chunker, no model), then those of the `replaced` files' chunks with the same text as a fresh
    chunking cuts; then (given `lend_under`, the store's vector settings) those of any chunk of the current
    snapshot with a text still missing. Returns (articles with their chunks, reusable vectors, the embedder if one
    was loaded)."""
    reuse = Reuse(store.records(copy_ids(articles, list(stored), stored)))
    raw = {file.source: file.text for file in seeds.files}
    chunker = None
    pending, cut = [], set()
    for article in articles:
        chunks = reuse.chunks_of(article)
        if chunks is None:
            if chunker is None:
                embedder = embedder or Embedder(config.model)
                chunker = Chunker(embedder.count_tokens, min(config.chunking.tokens, embedder.max_tokens),
                                  config.chunking.overlap)
            chunks = chunker.split(raw[article.source], article)
            cut.update(chunk.text for chunk in chunks)
        pending.append((article, chunks))
    if cut:
        texts = store.records(replaced_ids(replaced, stored), include=("documents",))
        reuse.add(store.records(ids_with_text(texts, cut)))
        missing = {text for text in cut if reuse.vectors(text) is None}
        if missing and lend_under is not None:  # the store's chunks as last published, read without Chroma
            reuse.take(snapshot_vectors(config.index, lend_under, missing))
    return pending, reuse, embedder


def publish(config: Config, store: Store, stats: dict[str, list[int]], skipped: list[list[str]],
            revision: str | None = None) -> Manifest:
    """Make a snapshot of the store the current one. A writer passes no `revision`: the store is stamped with a new
    one first; a reader passes the revision it read."""
    if revision is None:
        revision = new_revision()
        store.set_revision(revision)
    derived = derive(store.everything(), store_fingerprint(config), stats, skipped, revision)
    return generations.publish(config.index, derived)


def export_encoder(config: Config, embedder) -> None:
    """Export the model for the query encoder, unless the index holds a current export of it."""
    if embedder is not None and not export_current(config.index, config.model, model_revision(config.model)):
        try:
            embedder.export_query_encoder(config.index)
        except OSError as error:  # the index is complete; questions are then encoded with sentence-transformers
            warn(f"cannot write the model export ({error}); questions will load the full model (slower)")


def _embed_and_add(pending: list[tuple[Article, list]], store: Store, embedder, reuse: Reuse,
                   progress: bool) -> tuple[int, int]:
    """Embed window by window what `reuse` has no vectors for: each window of whole files is encoded shortest text
    first (less padding per batch), and each encode call's chunks are written to the store as soon as they are
    embedded, so an interruption loses at most one call's work. A file stored in part counts as changed at the next
    sync, which takes the stored chunks' vectors back (`_chunk`). Returns (chunks embedded, chunks reused)."""
    from tqdm import tqdm  # 0.1 s; only a sync that embeds shows a bar

    known = {chunk.text: reuse.vectors(chunk.text) for _, chunks in pending for chunk in chunks}
    total = sum(known[chunk.text] is None for _, chunks in pending for chunk in chunks)
    embedded = 0
    step = encode_step(total)
    loading = total and not getattr(embedder, "loaded", True)
    with tqdm(total=total, unit="chunk", desc="loading the model" if loading else "embedding",
              disable=not progress or not total, file=sys.stderr, mininterval=0.5) as bar:
        if loading:
            bar.refresh()
            embedder.load()  # seconds on a first sync: the bar says so instead of standing at 0
            bar.set_description("embedding")
        for window in _windows(pending):
            records = [StoredChunk(chunk, FileVersion(article.file_hash, article.clean_hash, len(chunks),
                                                      article.dateline))
                       for article, chunks in window for chunk in chunks]
            texts = [record.chunk.text for record in records]
            reused = [i for i, text in enumerate(texts) if known[text] is not None]
            _add(store, records, reused, [known[texts[i]].vector for i in reused],
                 [known[texts[i]].sentence_vectors for i in reused])
            order = sorted((i for i, text in enumerate(texts) if known[text] is None), key=lambda i: len(texts[i]))
            alone: dict = {}  # sentences embedded alone in this window: a file's overlapping chunks share some
            for begin in range(0, len(order), step):
                group = order[begin:begin + step]
                group_texts = [texts[i] for i in group]
                passages, rows = embedder.embed_passages(group_texts, [sentence_spans(t) for t in group_texts],
                                                         alone=alone)
                _add(store, records, group, passages.tolist(), [pack_vectors(sentence_rows) for sentence_rows in rows])
                bar.update(len(group))
            embedded += len(order)
    return embedded, sum(len(chunks) for _, chunks in pending) - embedded


def _add(store: Store, records: list[StoredChunk], chosen: list[int], vectors: list[list[float]],
         sentence_vectors: list[str]) -> None:
    """Store the `chosen` of `records` with their vectors and packed sentence vectors."""
    if chosen:
        store.add([replace(records[i], sentence_vectors=packed) for i, packed in zip(chosen, sentence_vectors)],
                  vectors)


def encode_step(total: int) -> int:
    """Chunks per encode call when `total` are to be embedded: ENCODE_GROUP, or fewer for a small folder, whose bar
    would otherwise stand at 0 until the end (25 chunks of the seed articles take 25 s with e5)."""
    return min(ENCODE_GROUP, max(MIN_GROUP, total // BAR_STEPS))


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
