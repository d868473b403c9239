"""Fixtures: the real bundled model, loaded once, seed folders and indexes in temporary folders, a Chroma server.
Helpers without fixture state live in tests/support.py."""

from __future__ import annotations

import shutil
import uuid
from dataclasses import replace
from pathlib import Path

import pytest

from askcorpus.config import DEFAULT_MODEL_ID, Config
from askcorpus.indexing.models import model_cache
from support import CHROMIUM, CHROMIUM_ARGS, SEEDS, ChromaServer, FakeEmbedder


class RecordingEmbedder:
    """The real embedder, plus a record of every text it was asked to embed."""

    def __init__(self, embedder):
        self.inner = embedder
        self.texts: list[str] = []

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def encode(self, texts, batch_size=32):
        self.texts.extend(texts)
        return self.inner.encode(texts, batch_size)

    def embed_passages(self, texts, spans, batch_size=32, alone=None):
        self.texts.extend(texts)
        return self.inner.embed_passages(texts, spans, batch_size, alone)


SAMPLE_DICTIONARY = Path(__file__).parent / "data" / "de-en-sample"
SAMPLE_THESAURUS = Path(__file__).parent / "data" / "openthesaurus-sample"


@pytest.fixture(autouse=True)
def sample_word_lists(request, monkeypatch, tmp_path_factory):
    """The fast tests translate English words with a small dictionary of their own, and find synonyms in a small
    thesaurus of their own, whatever the machine has; the slow ones use those installed (Debian's trans-de-en and
    openthesaurus-de-text, which `make test` installs). Either is cached in the test session's folder, not the
    user's; the converted model stays where it is."""
    monkeypatch.setenv("ASKCORPUS_MODEL_CACHE", str(model_cache()))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "cache"))
    if request.node.get_closest_marker("slow") is None:
        monkeypatch.setenv("ASKCORPUS_DICTIONARY", str(SAMPLE_DICTIONARY))
        monkeypatch.setenv("ASKCORPUS_THESAURUS", str(SAMPLE_THESAURUS))


@pytest.fixture(scope="session")
def embedder():
    """The real bundled model, loaded once for the whole session."""
    from askcorpus.indexing.embedder import Embedder

    model = Embedder(DEFAULT_MODEL_ID)
    model.load()  # now, once
    return model


@pytest.fixture
def recorder(embedder) -> RecordingEmbedder:
    return RecordingEmbedder(embedder)


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def seeds_copy(tmp_path) -> Path:
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    return folder


@pytest.fixture
def config(seeds_copy, tmp_path) -> Config:
    return Config(seeds=seeds_copy, index=tmp_path / "index")


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
    """The seed articles indexed once with the real model, read-only for the tests that use it."""
    from askcorpus.indexing.sync import sync

    base = tmp_path_factory.mktemp("seed_index")
    seeds = base / "seeds"
    shutil.copytree(SEEDS, seeds)
    config = Config(seeds=seeds, index=base / "index")
    report = sync(config, progress=False, embedder=embedder)
    return config, report


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium, headless, through playwright."""
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (make test does)")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
