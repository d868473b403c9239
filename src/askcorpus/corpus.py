"""The Python API: `Corpus(config).sync()` keeps the index current, `.ask(question)` answers from it."""

from __future__ import annotations

import sys
import threading
import time
from dataclasses import dataclass

from askcorpus import encoder, snapshot
from askcorpus.answer import Answer, Extractor
from askcorpus.config import Config
from askcorpus.errors import AskcorpusError, IndexNotWritable, first_line
from askcorpus.following import ServerFollower
from askcorpus.questions import QuestionError, check_question
from askcorpus.search import ChunkTable, HybridSearcher, Weights
from askcorpus.sync import SyncReport, sync

DEFAULT_PASSAGES = 5
MAX_PASSAGES = 50
# Least share of a question's IDF weight that some sentence must contain; calibrated on XQuAD-de with
# half of the articles held out (`askcorpus eval FILE --calibrate`; see the README, "Evaluation").
ABSTAIN_FLOOR = 0.35


@dataclass(frozen=True)
class _Engine:
    """Everything a question needs, built from one state of the index and replaced whole."""

    searcher: HybridSearcher
    extractor: Extractor
    articles: int
    chunks: int
    generation: str
    revision: str | None


@dataclass(frozen=True)
class Status:
    """What the index holds, for display."""

    articles: int
    chunks: int
    model: str
    last_sync: float | None
    last_report: str | None


class Corpus:
    """A seeds folder and its index; answers questions with verbatim quotes. Safe to share between threads."""

    def __init__(self, config: Config, *, weights: Weights = Weights(), floor: float = ABSTAIN_FLOOR, embedder=None,
                 onnx: bool = True, query_encoder=None):
        """`onnx=False` encodes questions with sentence-transformers (the reference path) instead of the export;
        `query_encoder` (texts -> vectors) is used as given, e.g. an `encoder.BackgroundEncoder().encode`."""
        self.config = config
        self.weights = weights
        self.floor = floor
        self.onnx = onnx
        self._embedder = embedder
        self._encode = query_encoder
        self._engine: _Engine | None = None
        self._sync_lock = threading.Lock()  # one sync at a time from this object
        self._engine_lock = threading.Lock()  # one engine build at a time; questions never wait for a sync
        self._last_sync: float | None = None
        self._last_report: str | None = None
        self._follower = ServerFollower(config) if config.chroma_url else None
        self._repair_lock = threading.Lock()
        self._repaired = False

    @property
    def embedder(self):
        if self._embedder is None:
            from askcorpus.embedding import Embedder

            self._embedder = Embedder(self.config.model)
        return self._embedder

    def sync(self, **options) -> SyncReport:
        """Bring the index in line with the seeds folder (see `askcorpus.sync.sync`); questions asked meanwhile
        are answered from the previous state, later ones from the new state."""
        with self._sync_lock:
            report = sync(self.config, embedder=self._embedder, **options)
            if not report.dry_run:
                self._last_sync, self._last_report = time.time(), report.summary()
        if not report.dry_run:
            self._engine_now()
        return report

    @property
    def server_problem(self) -> str | None:
        """Why the Chroma server could not be asked at the last check (answers then come from the last snapshot)."""
        return self._follower.problem if self._follower else None

    def sync_or_keep(self, warn, **options) -> SyncReport | None:
        """`sync`, except that an index folder that cannot be written is used as it is, with a warning."""
        try:
            return self.sync(**options)
        except IndexNotWritable as error:
            warn(f"warning: {error}; answering from the index as it is, without the latest changes to the seeds")
            return None

    def _build(self) -> _Engine:
        for _ in range(3):  # a generation can be pruned while it loads when two syncs finish meanwhile; load anew
            loaded = snapshot.load(self.config.index)
            if loaded is not None:
                break
        if loaded is None or loaded.manifest.get("fingerprint") != self.config.index_fingerprint() or not loaded.rows:
            raise AskcorpusError(f"no usable index in {self.config.index}: run `askcorpus index` first")
        table = ChunkTable(loaded)
        return _Engine(HybridSearcher(table, self._embed_query, self.weights), Extractor(table, self.floor),
                       len(loaded.manifest["files"]), len(table), loaded.generation, loaded.manifest.get("revision"))

    def _embed_query(self, question: str):
        try:
            if self._encode is None:
                self._encode = self._query_encoder()
            return self._encode([question])[0]
        except AskcorpusError:
            raise
        except Exception as error:  # a damaged ONNX export (a disk error, a hand edit): make it once more
            with self._repair_lock:
                if not self._repaired:
                    self._repaired = True
                    print(f"askcorpus: warning: the model export in {self.config.index / encoder.FOLDER} cannot be "
                          f"used ({first_line(error)}); exporting it again", file=sys.stderr)
                    try:
                        self._encode = self._query_encoder(export_again=True)
                    except Exception:  # sentence-transformers gives the same vectors, only slower to start
                        self._encode = self.embedder.encode
            return self._encode([question])[0]

    def _query_encoder(self, export_again: bool = False):
        """The ONNX export when there is (or can be made) one, else sentence-transformers."""
        index, model = self.config.index, self.config.model
        if self.onnx and (export_again or not encoder.exported_for(index, model)):
            try:
                encoder.export(self.embedder.model, index, model)
            except OSError:
                pass  # a read-only index folder: encode with sentence-transformers
        if self.onnx and encoder.exported_for(index, model):
            return encoder.OnnxEncoder(index).encode
        return self.embedder.encode

    def _engine_now(self) -> _Engine:
        """The engine for the current snapshot: a sync by this or any other process is seen at the next question."""
        if self._follower:
            engine = self._engine
            self._follower.follow(engine.revision if engine else
                                  (snapshot.read_manifest(self.config.index) or {}).get("revision"))
        engine = self._engine
        if engine is None or engine.generation != snapshot.current_generation(self.config.index):
            with self._engine_lock:
                engine = self._engine
                current = snapshot.current_generation(self.config.index)
                if engine is None or (current is not None and engine.generation != current):
                    engine = self._engine = self._build()
        return engine

    def status(self) -> Status:
        """Articles and chunks in the index, the model, and the last sync made by this object."""
        engine = self._engine_now()
        return Status(engine.articles, engine.chunks, self.config.model, self._last_sync, self._last_report)

    def relevance(self, question: str, k: int = DEFAULT_PASSAGES) -> float:
        """The measure that abstention compares with the floor: the best sentence's coverage of the question."""
        question = check_question(question)
        engine = self._engine_now()
        return engine.extractor.relevance(question, engine.searcher.search(question, k))

    def ask(self, question: str, k: int = DEFAULT_PASSAGES) -> Answer:
        """Quotes that answer `question` from the `k` best passages, or an abstention when none is relevant."""
        question = check_question(question)
        if not 1 <= k <= MAX_PASSAGES:
            raise QuestionError(f"the number of passages must be between 1 and {MAX_PASSAGES}")
        engine = self._engine_now()
        passages = engine.searcher.search(question, k)
        abstained, quotes = engine.extractor.extract(question, passages)
        return Answer(question, abstained, quotes, passages)
