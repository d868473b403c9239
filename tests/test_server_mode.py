"""Vectors in a real `chroma run` server on loopback: the CLI end to end, readers on another machine, outages."""

import json
import shutil
import signal
import socket
import uuid

import pytest

from askcorpus.config import Config
from askcorpus.corpus import Corpus
from askcorpus.indexing.sync import sync
from support import DATA, QUESTION, ChromaServer, free_port, start_server, stored_chunks, wait_for
from support import run_cli as run

pytestmark = pytest.mark.slow  # the real model, Chroma, processes or chromium

NEW_QUESTION = "Wie hoch sind die Fördermittel für Wasserstoff-Elektrolyseure?"


def test_cli_index_query_abstain_and_eval_on_a_server(config, chroma_server):
    where = ["--seeds", str(config.seeds), "--index", str(config.index), "--chroma-url", chroma_server.url]
    first = run("index", "--json", *where)
    assert first.returncode == 0, first.stderr
    assert len(json.loads(first.stdout)["added"]) == 5
    assert not (config.index / "chroma.sqlite3").exists()
    served = Config(seeds=config.seeds, index=config.index, chroma_url=chroma_server.url)
    assert {meta["source"] for _, _, meta in stored_chunks(served)} == {p.name for p in config.seeds.glob("*.txt")}

    answer = run("query", QUESTION, "--json", "--seeds", str(config.seeds), "--index", str(config.index),
                 env={"ASKCORPUS_CHROMA_URL": chroma_server.url})
    assert answer.returncode == 0, answer.stderr
    quotes = json.loads(answer.stdout)["quotes"]
    assert quotes[0]["source"] == "003_a6245cd8f77849b7.txt" and "Türkei" in quotes[0]["text"]

    off_topic = run("query", "Wie ist das Wetter morgen in Berlin?", "--json", *where)
    assert off_topic.returncode == 0 and json.loads(off_topic.stdout)["abstained"] is True

    labelled = config.seeds.parent / "labelled.jsonl"
    records = [json.loads(line) for line in (DATA / "questions.jsonl").read_text(encoding="utf-8").splitlines()]
    labelled.write_text("\n".join(json.dumps({"question": r["question"], "answers": [
        {"source": r["source"], "contains": r["contains"]}]}) for r in records), encoding="utf-8")
    on_server = run("eval", str(labelled), "--json", *where)
    local = run("eval", str(labelled), "--json", "--seeds", str(config.seeds), "--index", str(config.index) + "-local")
    assert on_server.returncode == local.returncode == 0, on_server.stderr + local.stderr
    scores = [{k: v for k, v in json.loads(r.stdout).items() if "ms" not in k} for r in (on_server, local)]
    assert scores[0] == scores[1] and scores[0]["source@1"] >= 0.8


@pytest.mark.parametrize("family, host, netloc", [(socket.AF_INET, "127.0.0.1", "127.0.0.1"),
                                                  (socket.AF_INET6, "::1", "[::1]")])
def test_a_server_that_takes_the_connection_but_never_answers_is_one_line(config, family, host, netloc):
    """A stopped (SIGSTOP) or wedged server: Chroma's own client would wait for ever. An IPv6 address keeps its
    brackets on the way to Chroma's client."""
    with socket.socket(family) as silent:
        try:
            silent.bind((host, 0))
        except OSError:
            pytest.skip(f"no {host} on this machine")
        silent.listen()
        url = f"http://{netloc}:{silent.getsockname()[1]}"
        result = run("index", "--json", "--seeds", str(config.seeds), "--index", str(config.index), "--chroma-url", url)
    assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
    assert json.loads(result.stdout)["error"] == f"cannot reach the Chroma server at {url}: no answer within 10 s"


def test_reader_on_another_machine_follows_the_server(tmp_path, config, chroma_server, embedder, monkeypatch):
    """Two index folders stand for two machines; the writer adds a file, the reader answers from it."""
    collection = f"test-{uuid.uuid4().hex[:12]}"
    writer = Config(seeds=config.seeds, index=tmp_path / "writer-index", chroma_url=chroma_server.url,
                    collection=collection)
    sync(writer, progress=False, embedder=embedder)
    reader_seeds = tmp_path / "reader-seeds"
    shutil.copytree(config.seeds, reader_seeds)
    reader = Corpus(Config(seeds=reader_seeds, index=tmp_path / "reader-index", chroma_url=chroma_server.url,
                           collection=collection), embedder=embedder)
    reader.sync(progress=False)
    assert reader.ask(NEW_QUESTION).abstained
    reader.follow_server(interval=0.2)

    shutil.copy(DATA / "boltwise_new_article.txt", config.seeds / "005_new.txt")
    report = sync(writer, progress=False, embedder=embedder)
    assert report.plan.added == ["005_new.txt"]
    answer = wait_for(lambda: reader.ask(NEW_QUESTION), lambda a: not a.abstained)
    reader.close()
    assert not answer.abstained and answer.quotes[0].source == "005_new.txt"
    assert "4,2 Mrd. Euro" in answer.quotes[0].text  # the sentence after the one chosen names the sum asked for
    assert reader.status().articles == 6


def test_answers_continue_from_the_snapshot_while_the_server_is_down(tmp_path, config, embedder, monkeypatch):
    server = ChromaServer(tmp_path / "chroma").start()
    corpus = Corpus(Config(seeds=config.seeds, index=config.index, chroma_url=server.url), embedder=embedder)
    corpus.sync(progress=False)
    corpus.follow_server(interval=0.2)
    server.stop()
    answer = corpus.ask(QUESTION)
    assert answer.quotes[0].source == "003_a6245cd8f77849b7.txt"
    assert "cannot reach the Chroma server" in wait_for(lambda: corpus.server_problem or "", bool)
    corpus.close()

    down = run("index", "--seeds", str(config.seeds), "--index", str(tmp_path / "other"), "--chroma-url", server.url)
    assert down.returncode == 1 and "Traceback" not in down.stderr
    assert down.stderr.strip() == down.stderr.strip().splitlines()[0]
    assert f"cannot reach the Chroma server at {server.url}" in down.stderr


def test_a_server_that_stops_answering_while_the_app_follows_it_is_named(tmp_path, config, embedder):
    """SIGSTOP: the server keeps its connections but answers nothing; the app's follower must not wait for ever."""
    server = ChromaServer(tmp_path / "chroma").start()
    corpus = Corpus(Config(seeds=config.seeds, index=config.index, chroma_url=server.url), embedder=embedder)
    try:
        corpus.sync(progress=False)
        corpus.follow_server(interval=0.2)
        assert wait_for(lambda: corpus._refresher._store, bool, 10)  # connected: its client is the one to hang
        server.process.send_signal(signal.SIGSTOP)
        problem = wait_for(lambda: corpus.server_problem or "", bool, seconds=40)
        assert "no answer within 10 s" in problem
        assert corpus.ask(QUESTION).quotes[0].source == "003_a6245cd8f77849b7.txt"  # from the snapshot meanwhile
    finally:
        server.process.send_signal(signal.SIGCONT)
        corpus.close()
        server.stop()


@pytest.mark.parametrize("url", ["ftp://127.0.0.1:8000", "127.0.0.1:8000", "http://:8000", "http://host:port",
                                 "http://127.0.0.1:8000/some/path"])
def test_malformed_server_urls_get_one_line(config, url):
    result = run("index", "--seeds", str(config.seeds), "--index", str(config.index), "--chroma-url", url)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "must look like http://HOST:PORT" in result.stderr and result.stderr.count("\n") == 1


def test_unused_port_is_reported(config):
    url = f"http://127.0.0.1:{free_port()}"
    result = run("query", QUESTION, "--seeds", str(config.seeds), "--index", str(config.index), "--chroma-url", url)
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert f"cannot reach the Chroma server at {url}" in result.stderr


def test_serve_keeps_its_vectors_on_the_server(tmp_path, config, chroma_server):
    from gradio_client import Client

    process, url = start_server(["-m", "askcorpus", "serve", "--seeds", str(config.seeds), "--index",
                                 str(config.index), "--chroma-url", chroma_server.url], tmp_path / "serve.log",
                                env={"ASKCORPUS_COLLECTION": f"test-{uuid.uuid4().hex[:12]}"})
    try:
        answer = Client(url, verbose=False).predict(QUESTION, 5, api_name="/ask")
        assert answer["quotes"][0]["source"] == "003_a6245cd8f77849b7.txt"
        assert not (config.index / "chroma.sqlite3").exists()
    finally:
        process.terminate()
        process.wait(timeout=30)
