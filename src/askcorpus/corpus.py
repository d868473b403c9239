"""The Python API: `Corpus(config).sync()` keeps the index current, `.ask(question)` answers from it."""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path

from askcorpus.answering.answer import Answer
from askcorpus.answering.article import ArticleView, article_view
from askcorpus.answering.encoder import EncoderUnusable, OnnxEncoder
from askcorpus.answering.extraction import EXTRACT_PASSAGES, Extractor
from askcorpus.answering.features import without_unmatched
from askcorpus.answering.questions import QuestionError, check_question
from askcorpus.answering.retrieval import HybridSearcher, Weights
from askcorpus.answering.scorer import AnswerScorer, fitted_for, load_scorer
from askcorpus.answering.table import ChunkTable
from askcorpus.config import Config
from askcorpus.errors import (
    ArticleUnavailable,
    AskcorpusError,
    IndexBusy,
    IndexDamaged,
    IndexNotWritable,
    NoIndex,
    first_line,
    note,
    warn,
)
from askcorpus.indexing.embedder import Embedder
from askcorpus.indexing.fingerprint import store_fingerprint, vector_part
from askcorpus.indexing.intake import Intake, add_upload
from askcorpus.indexing.models import model_revision
from askcorpus.indexing.plan import SyncReport
from askcorpus.indexing.refresher import CHECK_SECONDS, ServerRefresher
from askcorpus.indexing.sources import GONE, Skipped, article_text, read_article
from askcorpus.indexing.sync import nothing_to_do, sync
from askcorpus.indexing.sync_process import export_in_child, sync_in_child
from askcorpus.indexing.watch import POLL_SECONDS, SETTLE_SECONDS, SeedWatcher
from askcorpus.snapshot import generations
from askcorpus.snapshot.build import with_todays_settings
from askcorpus.snapshot.encoder_spec import FOLDER as ENCODER_FOLDER
from askcorpus.snapshot.encoder_spec import exported_for
from askcorpus.snapshot.manifest import difference
from askcorpus.text.bilingual import Dictionary
from askcorpus.text.thesaurus import Thesaurus

DEFAULT_PASSAGES = 5
MAX_PASSAGES = 50
DEFAULT_WEIGHTS = Weights()
# why a cited article cannot be shown, and what to do about a missing index (the page words them in German)
NOT_INDEXED = "is not in the index"
NO_LONGER_THERE = "is no longer in the seeds folder (deleted or moved since it was indexed)"
BUILD_FIRST = "run `askcorpus index` first"
BUILD_ELSEWHERE = "the folder cannot be written here: `askcorpus index` must be run by someone who may write it"


@dataclass(frozen=True)
class _Engine:
    """Everything a question needs, built from one snapshot generation and replaced whole."""

    searcher: HybridSearcher
    extractor: Extractor
    articles: int
    chunks: int
    generation: str


@dataclass(frozen=True)
class AutoSync:
    """The last sync the seeds watcher started: when, what it changed, or why it failed."""

    at: float
    report: SyncReport | None
    error: str | None = None
    skipped: frozenset[str] = frozenset()  # the files it left out


@dataclass(frozen=True)
class Status:
    """What the index holds, for display."""

    articles: int
    chunks: int
    model: str
    last_sync: float | None
    last_report: str | None
    auto_sync: AutoSync | None = None
    not_indexed: tuple[tuple[str, str], ...] = ()  # (file, reason) of the seed files the last sync left out


class Corpus:
    """A seeds folder and its index; answers questions with verbatim quotes. Safe to share between threads."""

    def __init__(self, config: Config, *, weights: Weights = DEFAULT_WEIGHTS, threshold: float | None = None,
                 scorer: AnswerScorer | None = None, embedder=None, onnx: bool = True, query_encoder=None,
                 sync_apart: bool = False):
        """`scorer` replaces the one the package ships fitted for the model, `threshold` its abstention threshold
        (0 never abstains while a passage is found);
        `onnx=False` encodes questions with sentence-transformers (the reference path) instead of the export;
        `query_encoder` (texts -> vectors) is used as given, e.g. an `encoder.BackgroundEncoder().encode`;
        `sync_apart` runs every sync that has work to do, and every export of the query encoder, in a process of
        its own (`sync_process`), so that this one, answering from the ONNX export, does not load torch and the
        model (a long-running app); it still does when the model cannot be exported or the index folder written."""
        self.config = config
        self.weights = weights
        self.dictionary = Dictionary.from_env()  # read at the first question, kept across syncs
        self.thesaurus = Thesaurus.from_env()  # the same
        self.threshold = threshold
        self.scorer = scorer
        self.onnx = onnx
        self.sync_apart = sync_apart
        self._embedder = embedder
        self._owns_embedder = embedder is None  # one passed in is the caller's to keep loaded or free
        self._encode = query_encoder
        self._encode_revision: str | None = None  # the model's revision when this corpus made `_encode`
        self._engine: _Engine | None = None
        self._unusable: str | None = None  # a snapshot generation `_build` refused while the engine answered
        self._sync_lock = threading.Lock()  # one sync at a time from this object
        self._engine_lock = threading.Lock()  # one engine build at a time; questions never wait for a sync
        self._last_sync: float | None = None
        self._last_report: str | None = None
        self._refresher: ServerRefresher | None = None
        self._watcher: SeedWatcher | None = None
        self._auto_sync: AutoSync | None = None
        self._repair_lock = threading.Lock()
        self._repaired = False

    @property
    def embedder(self):
        if self._embedder is None:
            self._embedder = Embedder(self.config.model)
        return self._embedder

    def sync(self, **options) -> SyncReport:
        """Bring the index in line with the seeds folder (see `askcorpus.indexing.sync.sync`); questions asked
        meanwhile are answered from the previous state, later ones from the new state."""
        with self._sync_lock:
            if self.sync_apart:
                quick = None if options.get("rebuild") else nothing_to_do(
                    self.config, dry_run=options.get("dry_run", False), brief=options.get("brief", False))
                report = quick or sync_in_child(self.config, **options)  # the child only when there is work
            else:
                embedder = self._embedder_for_sync()
                try:
                    report = sync(self.config, embedder=embedder, **options)
                finally:
                    if self._owns_embedder and self._questions_need_no_model():
                        embedder.unload()  # about 400 MB a serving app would otherwise hold until the next sync
                self._embedder = embedder
            if not report.dry_run:
                self._last_sync, self._last_report = time.time(), report.summary()
        if not report.dry_run:
            self._engine_now()
        return report

    def sync_or_keep(self, **options) -> SyncReport | None:
        """`sync`, except that an index folder that cannot be written, whose database is damaged, or that another
        process is updating, is used as it is (its last complete snapshot), with a warning."""
        try:
            return self.sync(**options)
        except IndexNotWritable as error:
            warn(f"{error}; answering from the index as it is, without the latest changes to the seeds")
        except IndexDamaged as error:
            if generations.current_generation(self.config.index) is None:
                raise
            warn(f"{error}; answering from its last complete state, without the latest changes to the seeds")
        except IndexBusy as error:
            if generations.current_generation(self.config.index) is None:
                raise
            warn(f"index {error.index} is being updated by process {error.holder}; answering from its last "
                 f"complete state")
        return None

    def follow_server(self, interval: float = CHECK_SECONDS) -> None:
        """With a Chroma server, take a new snapshot in the background whenever another machine changed the
        collection (a long-running app calls this once); questions keep answering from the last snapshot."""
        if self.config.chroma_url and self._refresher is None:
            self._refresher = ServerRefresher(self.config, interval).start()

    def watch_seeds(self, poll: float = POLL_SECONDS, settle: float = SETTLE_SECONDS) -> None:
        """Sync in the background whenever article files are added, changed or deleted in the seeds folder (a
        long-running app calls this once); a failed sync is recorded in `status().auto_sync` and tried again."""
        if self._watcher is None:
            self._watcher = SeedWatcher(self.config.seeds, self._sync_for_watcher, poll, settle,
                                        index=self.config.index).start()

    def _sync_for_watcher(self) -> bool:
        last = self._auto_sync
        before = last.skipped if last else self._skipped_by_last_sync()
        try:
            report = self.sync(progress=False)
        except (AskcorpusError, OSError) as error:  # an unreadable folder, a lock held elsewhere, a full disk
            self._auto_sync = AutoSync(time.time(), None, str(error) or type(error).__name__, before)
            warn(f"automatic sync failed: {self._auto_sync.error}")
            return False
        skipped = frozenset(item.source for item in report.skipped)
        if report.changed_anything or skipped != before:
            # a sync that found nothing new (after an upload synced already) would hide what the last one did
            self._auto_sync = AutoSync(time.time(), report, skipped=skipped)
            note(f"automatic sync: {report.summary()}")
        elif last and last.error:  # mended, with nothing left to do (the folder came back, another process synced)
            self._auto_sync = AutoSync(time.time(), None, skipped=skipped)
            note("automatic sync: works again; nothing was left to do")
        return True

    def _skipped_by_last_sync(self) -> frozenset[str]:
        """The files the last sync by any process left out, as the status names them: after a restart, the first
        automatic sync that leaves out the same ones has nothing new to show."""
        manifest = generations.read_manifest(self.config.index, while_syncing=True)
        return frozenset(source for source, _ in manifest.skipped) if manifest else frozenset()

    @property
    def server_problem(self) -> str | None:
        """Why the Chroma server could not be asked at the last check (answers then come from the last snapshot)."""
        return self._refresher.problem if self._refresher else None

    def close(self) -> None:
        """Stop following the server and watching the seeds folder, where this corpus does."""
        for worker in (self._refresher, self._watcher):
            if worker is not None:
                worker.stop()

    def _build(self) -> _Engine:
        loaded = None
        for _ in range(3):  # a generation can be pruned while it loads when two syncs finish meanwhile; load anew
            loaded = generations.load(self.config.index)
            if loaded is not None:
                break
        if loaded is None or not loaded.chunks:
            raise NoIndex(f"no usable index in {self.config.index}: {_building_advice(self.config.index)}")
        fingerprint = store_fingerprint(self.config)
        read_only = not os.access(self.config.index, os.W_OK)
        recorded = loaded.manifest.recorded_store(fingerprint)
        if read_only and recorded != fingerprint and vector_part(recorded) == vector_part(fingerprint):
            # its vectors are good; its articles are as an earlier cleaner left them (or another collection holds
            # them) until someone syncs
            warn(f"the index in {self.config.index} was made by an earlier version or from another collection "
                 f"({difference(recorded, fingerprint)}) and cannot be written: answering from it as it is until "
                 f"`askcorpus index` is run by someone who may write it")
            loaded = replace(loaded, manifest=replace(loaded.manifest, store=fingerprint))
        stale = loaded.manifest.stale_because(fingerprint)
        if stale and loaded.manifest.recorded_store(fingerprint) == fingerprint and read_only:
            warn(f"{stale}, and the index folder cannot be written: the answering snapshot is made anew in memory, "
                 f"at every start until `askcorpus index` is run by someone who may write {self.config.index}")
            loaded, stale = with_todays_settings(loaded), None
        if stale:
            raise NoIndex(f"the index in {self.config.index} does not fit: {stale}; run `askcorpus index`")
        table = ChunkTable(loaded, self.thesaurus)
        extractor = Extractor(table, self._fitted_scorer(), self.threshold, self.dictionary)
        return _Engine(HybridSearcher(table, self.weights, self.dictionary), extractor, len(loaded.manifest.files),
                       len(table), loaded.generation)

    def _fitted_scorer(self) -> AnswerScorer:
        """The scorer given, else the package's for the model; a model it has none for gets the one for any model,
        and is told once."""
        if self.scorer is None:
            if not fitted_for(self.config.model):
                warn(f"no answer scorer is fitted for the model {self.config.model}: using the one for any model, "
                     f"so quotes and abstention are less sure than with a bundled model")
            self.scorer = load_scorer(self.config.model)
        return self.scorer

    def engine(self) -> _Engine:
        """The searcher and extractor of the current snapshot (evaluation and fitting look inside)."""
        return self._engine_now()

    def _embedder_for_sync(self):
        """One embedder for every sync of this corpus (its tokenizer is read once), except after new weights were
        put into the model folder: then a new one, while the old one keeps encoding questions for the old index."""
        return Embedder(self.config.model) if self._embedder_is_stale() else self.embedder

    def _embedder_is_stale(self) -> bool:
        """True when this corpus's own embedder read its model at another revision than the folder's now."""
        embedder = self._embedder
        return (self._owns_embedder and embedder is not None
                and embedder.revision not in (None, model_revision(self.config.model)))

    def embed_question(self, question: str):
        """The question's unit vector, as answering computes it."""
        return self._embed_query(check_question(question))

    def embed_text(self, text: str):
        """A text's unit vector as a question, without the checks a question gets: answering also embeds a question
        with its unmatched words cut out (`features.without_unmatched`), which may leave no word at all."""
        return self._embed_query(text)

    def _embed_query(self, question: str):
        return self._embed_queries([question])[0]

    def _embed_queries(self, texts: list[str]):
        encode = self._encode
        if encode is None:
            with self._repair_lock:  # two first questions at once export the encoder once
                if self._encode is None:
                    self._encode_revision = model_revision(self.config.model)
                    self._encode = self._query_encoder()
                encode = self._encode
        try:
            return encode(texts)
        except EncoderUnusable as error:  # a damaged export (a disk error, a hand edit): make it once more
            with self._repair_lock:
                if not self._repaired:
                    self._repaired = True
                    warn(f"the model export in {self.config.index / ENCODER_FOLDER} cannot be used "
                         f"({first_line(error)}); exporting it again")
                    self._encode = self._query_encoder(export_again=True)
                encode = self._encode
            return encode(texts)

    def _question_vectors(self, engine: _Engine, question: str):
        """The question's vector and, when it has words the corpus cannot match, the vector of the question without
        them (`features.without_unmatched`), encoded together: one model call instead of two."""
        reduced = without_unmatched(engine.extractor.table, question, dictionary=engine.extractor.dictionary)
        vectors = self._embed_queries([question] if reduced is None else [question, reduced])
        return vectors[0], (vectors[1] if reduced is not None else None)

    def _questions_need_no_model(self) -> bool:
        """True when questions are encoded without the embedder's model (by the ONNX export, or the encoder the
        corpus was given)."""
        if self._encode is not None:
            return self._encode != self.embedder.encode_queries
        return self.onnx and exported_for(self.config.index, self.config.model)

    def _query_encoder(self, export_again: bool = False):
        """The ONNX export when there is (or can be made) one, else sentence-transformers."""
        index, model = self.config.index, self.config.model
        revision = model_revision(model)  # new weights in a model folder make the export stale
        if self.onnx and (export_again or not exported_for(index, model, revision)):
            try:
                if self.sync_apart:
                    with self._sync_lock:  # never beside a sync's child, which may be exporting the same model
                        export_in_child(self.config, again=export_again)
                else:
                    self.embedder.export_query_encoder(index, again=export_again)
            except OSError:
                pass  # a read-only index folder: encode with sentence-transformers
            except AskcorpusError as error:  # the export's process failed (killed, out of memory): not again
                warn(f"the model could not be exported for questions ({first_line(error)}); using "
                     f"sentence-transformers")
        if self.onnx and exported_for(index, model, revision):
            try:
                return OnnxEncoder(index).encode
            except EncoderUnusable as error:
                warn(f"the model export in {index / ENCODER_FOLDER} cannot be opened ({first_line(error)}); "
                     f"using sentence-transformers")
        return self.embedder.encode_queries

    def _engine_now(self) -> _Engine:
        """The engine for the current snapshot: a sync by this or any other process is seen at the next question.
        A snapshot this process cannot use (written by another version of askcorpus, upgraded while this one runs)
        leaves the engine it has answering, with one warning per such snapshot."""
        engine = self._engine
        current = generations.current_generation(self.config.index)
        if engine is None or (current is not None and current not in (engine.generation, self._unusable)):
            with self._engine_lock:
                engine = self._engine
                current = generations.current_generation(self.config.index)
                if engine is None or (current is not None and current not in (engine.generation, self._unusable)):
                    try:
                        new = self._build()
                    except NoIndex as error:
                        if engine is None:
                            raise
                        self._unusable = current
                        warn(f"{error}; answering from the index this process loaded before (restart it if "
                             f"askcorpus was upgraded meanwhile)")  # once per such snapshot
                        return engine
                    self._forget_stale_encoder()  # before the new engine is seen: never new index, old weights
                    self._engine = engine = new
        return engine

    def _forget_stale_encoder(self) -> None:
        """Drop the question encoder this corpus made when the model's revision changed since (new weights in a
        model folder, which rebuilt the index): questions are then encoded as the passages are."""
        revision = self._encode_revision
        if revision is not None and revision != model_revision(self.config.model):
            with self._repair_lock:
                self._encode = self._encode_revision = None
                if self._embedder_is_stale():  # another process rebuilt the index: read the new weights too
                    self._embedder = Embedder(self.config.model)

    def status(self) -> Status:
        """Articles and chunks in the index, the model, the last sync made by this object, and the seed files the
        last sync (by any process) left out, with why."""
        engine = self._engine_now()
        manifest = generations.read_manifest(self.config.index, while_syncing=True)
        not_indexed = tuple((source, reason) for source, reason in manifest.skipped) if manifest else ()
        return Status(engine.articles, engine.chunks, self.config.model, self._last_sync, self._last_report,
                      self._auto_sync, not_indexed)

    def relevance(self, question: str, k: int = DEFAULT_PASSAGES) -> float:
        """What abstention compares with the threshold: the best sentence's probability of answering (0 when the
        first quote, as shown, lacks the kind of answer asked for: `question_type.lacks_answer`)."""
        question = check_question(question)
        engine = self._engine_now()
        question = engine.searcher.table.in_usual_case(question)
        vector, reduced_vector = self._question_vectors(engine, question)
        return engine.extractor.relevance(question, vector, self._passages(engine, question, vector, k), reduced_vector)

    def article(self, source: str) -> ArticleView:
        """The indexed article `source` (a file name as cited), read from the seeds folder; raises `AskcorpusError`
        when no such article is in the index or its file cannot be read or changed since it was indexed."""
        engine = self._engine_now()
        chunks = [chunk for chunk in engine.searcher.table.chunks if chunk.source == source]
        if not chunks:
            raise ArticleUnavailable(source, NOT_INDEXED)
        loaded = read_article(self.config.seeds, self.config.seeds / source)
        if isinstance(loaded, Skipped):
            raise ArticleUnavailable(source, NO_LONGER_THERE if loaded.reason == GONE else loaded.reason)
        return article_view(chunks, loaded.text)

    def add_articles(self, uploads: list[tuple[str, Path]]
                     ) -> tuple[list[Intake], SyncReport | None, AskcorpusError | None]:
        """Copy uploaded files, given as (original name, path of the upload), into the seeds folder with the
        indexer's checks (see `indexing.intake.add_upload`), then sync if any was added: what became of each file,
        and the sync's report or the error that stopped it (the files stay added, for the next sync)."""
        results = [add_upload(self.config.seeds, original, Path(path)) for original, path in uploads]
        if not any(result.added for result in results):
            return results, None, None
        try:
            return results, self.sync(progress=False), None
        except AskcorpusError as error:
            return results, None, error

    def ask(self, question: str, k: int = DEFAULT_PASSAGES) -> Answer:
        """Quotes that answer `question`, chosen from the EXTRACT_PASSAGES best passages whatever `k`, and the `k` best
        passages with any other that a quote comes from; or an abstention when none is relevant. Passages of files
        changed since the index was made give way to the next ones (`left_out` names those files). A question written
        in capitals or all in lower case is asked as the articles spell its words (`answering.casing`)."""
        question = check_question(question)
        if not 1 <= k <= MAX_PASSAGES:
            raise QuestionError(f"the number of passages must be between 1 and {MAX_PASSAGES}")
        engine = self._engine_now()
        asked = engine.searcher.table.in_usual_case(question)
        vector, reduced_vector = self._question_vectors(engine, asked)
        found = self._passages(engine, asked, vector, k)
        if self.config.chroma_url:  # a server's articles may be another machine's files
            abstained, quotes = engine.extractor.extract(asked, vector, found, reduced_vector)
            return Answer(question, abstained, quotes, _shown(found, k, quotes))
        found, changed = self._in_files_now(engine, asked, vector, found)
        if changed:
            warn(f"{', '.join(sorted(changed))} changed (or cannot be read) since the index was made: left out of "
                 f"this answer; run `askcorpus index`")
        abstained, quotes = engine.extractor.extract(asked, vector, found, reduced_vector)
        return Answer(question, abstained, quotes, _shown(found, k, quotes), sorted(changed))

    @staticmethod
    def _passages(engine: _Engine, question: str, vector, k: int) -> list:
        """The `k` best passages, and at least the EXTRACT_PASSAGES best: quotes are chosen from those whatever
        number is shown, as the scorer was fitted (fewer candidates would raise the chosen one's share and answer
        where five abstain)."""
        return engine.searcher.search(question, vector, max(k, EXTRACT_PASSAGES))

    def _in_files_now(self, engine: _Engine, question: str, vector, found: list) -> tuple[list, set[str]]:
        """As many of the best passages as `found` holds, all of them still standing at their offsets in the seed
        files, and the files left out. A file changed since the index was made (a read-only index, an edit the
        watcher has not synced yet, an edit that kept the file's size and time) gives way to the next passages of
        the other files, rather than showing words the file no longer has there."""
        texts: dict[str, str | None] = {}
        changed = self._changed(found, texts)
        if not changed:
            return found, changed
        wanted, searched = len(found), len(found)
        kept = [p for p in found if p.source not in changed]
        while len(kept) < wanted and len(found) == searched < len(engine.searcher.table):
            searched = min(2 * searched, len(engine.searcher.table))
            found = engine.searcher.search(question, vector, searched, changed)  # fewer: no more candidates
            changed |= self._changed(found, texts)
            kept = [p for p in found if p.source not in changed]
        return kept[:wanted], changed

    def _changed(self, items, texts: dict[str, str | None]) -> set[str]:
        """The files of the passages `items` whose text no longer stands at their offsets; reads each file once into
        `texts`."""
        for item in items:
            if item.source not in texts:
                texts[item.source] = article_text(self.config.seeds, self.config.seeds / item.source)
        return {item.source for item in items if (texts[item.source] or "")[item.start:item.end] != item.text}


def _building_advice(index: Path) -> str:
    """What to do about an index folder without a usable index: build it, or, where this user cannot write the
    folder, have someone who may build it."""
    existing = next((folder for folder in (index, *index.parents) if folder.exists()), index)
    return BUILD_FIRST if os.access(existing, os.W_OK | os.X_OK) else BUILD_ELSEWHERE


def _shown(found: list, k: int, quotes: list) -> list:
    """The `k` best of the passages `found`, and after them any other that a quote overlaps, best first: every quote
    is shown with a passage it came from (and its article's title) however few passages are asked for."""
    shown = found[:k]
    for passage in found[k:EXTRACT_PASSAGES]:
        if any(q.source == passage.source and q.start < passage.end and passage.start < q.end for q in quotes):
            shown.append(passage)
    return shown
