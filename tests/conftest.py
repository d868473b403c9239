"""Shared fixtures: the real bundled model, loaded once, and seed folders and indexes in temporary folders."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from dataclasses import replace
from pathlib import Path

import pytest

from askcorpus.config import DEFAULT_MODEL_ID, Config
from askcorpus.embedding import Embedder

QUESTION = "Wer vermittelte den Austausch von Kriegsgefangenen?"  # answered by 003, "… von der Türkei vermittelt"
REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
DATA = Path(__file__).resolve().parent / "data"

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


class RecordingEmbedder:
    """The real embedder, plus a record of every text it was asked to embed."""

    def __init__(self, embedder: Embedder):
        self.inner = embedder
        self.texts: list[str] = []

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def encode(self, texts, batch_size=32):
        self.texts.extend(texts)
        return self.inner.encode(texts, batch_size)


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    model = Embedder(DEFAULT_MODEL_ID)
    model.model  # load once for the whole session
    return model


@pytest.fixture
def recorder(embedder) -> RecordingEmbedder:
    return RecordingEmbedder(embedder)


@pytest.fixture
def seeds_copy(tmp_path) -> Path:
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    return folder


@pytest.fixture
def config(seeds_copy, tmp_path) -> Config:
    return Config(seeds=seeds_copy, index=tmp_path / "index")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


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
                assert self.process.poll() is None, "chroma run exited"
                time.sleep(0.2)
        raise AssertionError("chroma run did not answer its heartbeat within 60 s")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory):
    server = ChromaServer(tmp_path_factory.mktemp("chroma-server")).start()
    yield server
    server.stop()


@pytest.fixture(params=["local", "server"])
def any_store_config(request, config):
    """`config` with the vectors in the index folder, and again in a collection of its own on a Chroma server."""
    if request.param == "local":
        return config
    server = request.getfixturevalue("chroma_server")
    return replace(config, chroma_url=server.url, collection=f"test-{uuid.uuid4().hex[:12]}")


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory, embedder):
    """The seed articles indexed once, read-only for the tests that use it."""
    from askcorpus.sync import sync

    base = tmp_path_factory.mktemp("seed_index")
    seeds = base / "seeds"
    shutil.copytree(SEEDS, seeds)
    config = Config(seeds=seeds, index=base / "index")
    report = sync(config, progress=False, embedder=embedder)
    return config, report


def stored_chunks(config: Config) -> list[tuple[str, str, dict]]:
    """(id, text, metadata) of every chunk in the index of `config`."""
    from askcorpus.store import Store

    store = Store.connect(config)
    store.open(modify=False)
    records = store.collection.get(include=["documents", "metadatas"])
    return list(zip(records["ids"], records["documents"], records["metadatas"]))
