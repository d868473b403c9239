"""The Python API: `Corpus(config).sync()` keeps the index current, `.ask(question)` answers from it."""

from __future__ import annotations

from askcorpus.answer import Answer, Extractor
from askcorpus.config import Config
from askcorpus.errors import AskcorpusError
from askcorpus.search import ChunkTable, HybridSearcher, Weights
from askcorpus.store import Store, open_client
from askcorpus.sync import SyncReport, sync

MAX_QUESTION_CHARS = 2000
DEFAULT_PASSAGES = 5
# Least share of a question's IDF weight that the best sentence must contain; calibrated on XQuAD-de
# with each question's own article held out (see README, "Evaluation").
ABSTAIN_FLOOR = 0.35


class QuestionError(AskcorpusError):
    """An empty or over-long question."""

    exit_code = 2


def check_question(question: str) -> str:
    """The question, stripped; raises `QuestionError` if it is empty or longer than MAX_QUESTION_CHARS."""
    stripped = (question or "").strip()
    if not stripped:
        raise QuestionError("the question is empty")
    if len(stripped) > MAX_QUESTION_CHARS:
        raise QuestionError(f"the question has {len(stripped)} characters; the limit is {MAX_QUESTION_CHARS}")
    return stripped


class Corpus:
    """A seeds folder and its index; answers questions with verbatim quotes."""

    def __init__(self, config: Config, *, weights: Weights = Weights(), floor: float = ABSTAIN_FLOOR, embedder=None):
        self.config = config
        self.weights = weights
        self.floor = floor
        self._embedder = embedder
        self._searcher: HybridSearcher | None = None
        self._extractor: Extractor | None = None

    @property
    def embedder(self):
        if self._embedder is None:
            from askcorpus.embedding import Embedder

            self._embedder = Embedder(self.config.model)
        return self._embedder

    def sync(self, **options) -> SyncReport:
        """Bring the index in line with the seeds folder (see `askcorpus.sync.sync`) and reload it."""
        report = sync(self.config, embedder=self._embedder, **options)
        if not report.dry_run:
            self._searcher = None
        return report

    def load(self) -> None:
        """Read the chunks from Chroma and build the lexical index; raises if there is no index yet."""
        store = Store(open_client(self.config.index), self.config.index_fingerprint())
        reason = store.open(modify=False)
        if reason or store.collection is None or store.count() == 0:
            raise AskcorpusError(f"no usable index in {self.config.index}: run `askcorpus index` first"
                                 + (f" ({reason})" if reason else ""))
        table = ChunkTable(store.collection)
        self._searcher = HybridSearcher(store.collection, table, self._embed_query, self.weights)
        self._extractor = Extractor(table, self.floor)

    def _embed_query(self, question: str):
        return self.embedder.encode([question])[0]

    def relevance(self, question: str, k: int = DEFAULT_PASSAGES) -> float:
        """The measure that abstention compares with the floor: the best sentence's coverage of the question."""
        question = check_question(question)
        if self._searcher is None:
            self.load()
        return self._extractor.relevance(question, self._searcher.search(question, k))

    def ask(self, question: str, k: int = DEFAULT_PASSAGES) -> Answer:
        """Quotes that answer `question` from the `k` best passages, or an abstention when none is relevant."""
        question = check_question(question)
        if k < 1:
            raise QuestionError("the number of passages must be at least 1")
        if self._searcher is None:
            self.load()
        passages = self._searcher.search(question, k)
        abstained, quotes = self._extractor.extract(question, passages)
        return Answer(question, abstained, quotes, passages)
