"""Shared test helpers: seed locations and questions, a CLI runner, free ports, server processes, a real Chroma
server, folder hashes. The tests and bench/ import from here; this module imports neither."""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np

from askcorpus.answering.features import FEATURES
from askcorpus.answering.scorer import ANSWER_FEATURES, AnswerScorer, Linear

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
DATA = Path(__file__).resolve().parent / "data"
QUESTION = "Wer vermittelte den Austausch von Kriegsgefangenen?"  # answered by 003, "… von der Türkei vermittelt"
QUESTION_SOURCE = "003_a6245cd8f77849b7.txt"
SEED_NAMES = sorted(path.name for path in SEEDS.glob("*.txt"))

# Lines of the site's boilerplate that must never reach a chunk.
BOILERPLATE_LINES = [
    "Die besten Bücher rund um KI & Robotik!",
    "Die besten KI-News kostenlos per eMail erhalten!",
    "Zur Startseite von IT BOLTWISE® für aktuelle KI-News!",
    "IT BOLTWISE® kostenlos auf Patreon unterstützen!",
    "Aktuelle KI-Jobs auf StepStone finden und bewerben!",
    "Stellenangebote",
    "(m/w/d)", "(w/m/d)", "(all genders)",
    "Dem Menschen überlegen",
    "Du hast einen wertvollen Beitrag",
    "Es werden alle Kommentare moderiert!",
    "Für eine offene Diskussion behalten wir uns vor",
    "Wir möchten, dass respektvoll miteinander kommuniziert wird",
    "Du willst nichts verpassen?",
    "Du möchtest über ähnliche News",
    "Nutze die Google-Suchmaschine",
    "IT BOLTWISE",
]


class ServerDidNotStart(RuntimeError):
    """A server process exited or did not answer in time; the message holds its log."""


def run_cli(*args: str, env: dict | None = None, cwd=None) -> subprocess.CompletedProcess:
    """`python -m askcorpus ARGS` as a user runs it; output captured as text."""
    return subprocess.run([sys.executable, "-m", "askcorpus", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, cwd=cwd, timeout=600)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(command: list[str], log_path: Path, env: dict | None = None, port: int | None = None,
                 timeout: float = 300) -> tuple[subprocess.Popen, str]:
    """Start `python COMMAND --port N` (or with ASKCORPUS_PORT in `env`) and wait until its page answers;
    returns (process, url). Raises `ServerDidNotStart` with the log when it exits or times out."""
    port = port or free_port()
    environment = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", "NO_PROXY": "127.0.0.1,localhost", **(env or {})}
    with_port = [] if env and "ASKCORPUS_PORT" in env else ["--port", str(port)]
    log = open(log_path, "w")
    process = subprocess.Popen([sys.executable, *command, *with_port], stdout=log, stderr=subprocess.STDOUT,
                               env=environment, cwd=REPO)
    url = f"http://127.0.0.1:{int(environment.get('ASKCORPUS_PORT', port))}/"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerDidNotStart("server exited: " + log_path.read_text())
        try:
            if urllib.request.urlopen(url, timeout=2).status == 200:
                return process, url
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise ServerDidNotStart(f"server did not start in {timeout:.0f} s: " + log_path.read_text())


def start_app(seeds: Path, index: Path, log_path: Path, *extra: str) -> tuple[subprocess.Popen, str]:
    """`askcorpus serve` over `seeds` and `index` on a free loopback port."""
    return start_server(["-m", "askcorpus", "serve", "--seeds", str(seeds), "--index", str(index), *extra], log_path)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=30)


class ChromaServer:
    """A real `chroma run` process on loopback, with its data in `path`."""

    def __init__(self, path: Path):
        self.path = path
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None

    def start(self) -> "ChromaServer":
        chroma = Path(sys.executable).parent / "chroma"
        self.process = subprocess.Popen(
            [str(chroma), "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "ANONYMIZED_TELEMETRY": "False"})
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/api/v2/heartbeat", timeout=1).read()
                return self
            except OSError:
                if self.process.poll() is not None:
                    raise ServerDidNotStart("chroma run exited") from None
                time.sleep(0.2)
        raise ServerDidNotStart("chroma run did not answer its heartbeat within 60 s")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def stored_chunks(config) -> list[tuple[str, str, dict]]:
    """(id, text, metadata) of every chunk in the Chroma store of `config`."""
    from askcorpus.indexing.store import Store

    store = Store.connect(config)
    store.open(modify=False)
    records = store.collection.get(include=["documents", "metadatas"])
    return list(zip(records["ids"], records["documents"], records["metadatas"]))


def folder_hash(folder: Path) -> str:
    """A hash of every name, file content and link target under `folder` (links are not followed)."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(path.relative_to(folder).as_posix().encode())
        if path.is_symlink():
            digest.update(os.readlink(path).encode())
        elif path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


class FakeEmbedder:
    """Stands in for the model where the model is not the point: each word adds to one of DIMENSIONS axes (chosen by
    a hash), so texts sharing words get similar unit vectors; a token is a word. Never exports an ONNX encoder."""

    DIMENSIONS = 32
    model_id = "fake-bag-of-words"
    max_tokens = 256

    def __init__(self):
        self.texts: list[str] = []

    def load(self) -> None:
        pass

    def refresh(self) -> bool:
        return False  # its "weights" never change

    def count_tokens(self, text: str) -> int:
        return len(text.split()) + 2

    def encode(self, texts, batch_size: int = 32):
        self.texts.extend(texts)
        return self._vectors(texts)

    def _vectors(self, texts):
        import numpy as np

        vectors = np.zeros((len(texts), self.DIMENSIONS), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                vectors[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % self.DIMENSIONS] += 1.0
            vectors[row, 0] += 1e-3  # never a zero vector
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    def embed_passages(self, texts, spans, batch_size: int = 32, alone=None):
        """The passages' vectors, and each sentence's own bag-of-words vector."""
        return self.encode(texts), [self._vectors([text[s:e] for s, e in text_spans]) for text, text_spans in
                                      zip(texts, spans)]

    def encode_queries(self, texts):
        return self.encode(texts)

    def export_query_encoder(self, index, again: bool = False) -> bool:
        return False


def wait_for(produce, accept, seconds: float = 20.0, every: float = 0.1):
    """Call `produce()` until `accept(value)` holds or `seconds` pass; returns the last value."""
    deadline = time.monotonic() + seconds
    value = produce()
    while not accept(value) and time.monotonic() < deadline:
        time.sleep(every)
        value = produce()
    return value


# The chat app in Debian's chromium (through playwright, never `playwright install`).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TEXTBOX = '#ac-input textarea[data-testid="textbox"]'  # the page has a hidden one too
SUBMIT = 'button[data-testid="submit-button"]'
BOT = '[data-testid="bot"]'


def ask_in_page(page, question: str):
    """Type a question into the chat, send it, and return the newest bot message once it has rendered."""
    before = page.locator(BOT).count()
    page.fill(TEXTBOX, question)
    page.click(SUBMIT)
    page.wait_for_function(
        """([selector, before]) => {
            const bots = document.querySelectorAll(selector);
            return bots.length > before && bots[bots.length - 1].querySelector('.ac-quote, .ac-abstain, .ac-error');
        }""", arg=[BOT, before], timeout=60_000)
    return page.locator(BOT).last


def off_machine(urls: list[str]) -> list[str]:
    """The URLs among `urls` that point anywhere but this machine."""
    from urllib.parse import urlparse

    return [url for url in urls if urlparse(url).hostname not in ("127.0.0.1", "localhost")]


def open_app(browser, url: str, width: int = 1400, height: int = 900):
    """A new page on the chat app at `url`, once its question box is there; `page.requested` records every URL
    the page asks for."""
    page = browser.new_page(viewport={"width": width, "height": height})
    page.requested = []
    page.on("request", lambda request: page.requested.append(request.url))
    page.goto(url)
    page.wait_for_selector(TEXTBOX, timeout=60_000)
    return page


def coverage_scorer(floor: float) -> AnswerScorer:
    """A scorer by lexical coverage alone: it chooses the sentence that covers most of the question, and its
    confidence passes the threshold where that coverage passes `floor`."""
    def linear(names, weights, bias):
        vector = np.zeros(len(names), dtype=np.float32)
        vector[[names.index(n) for n in weights]] = list(weights.values())
        return Linear(vector, bias, np.zeros(len(names), dtype=np.float32), np.ones(len(names), dtype=np.float32))

    threshold = float(1 / (1 + np.exp(2.0 - 4.0 * floor)))
    return AnswerScorer(linear(FEATURES, {"coverage": 2.0}, 0.0), linear(ANSWER_FEATURES, {"coverage": 4.0}, -2.0),
                        threshold)
