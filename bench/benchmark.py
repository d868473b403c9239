"""The speed and memory benchmark: builds its corpora, prints one table of figures.

Usage: python bench/benchmark.py [--shared ../shared] [--work DIR] [--skip-scale]
The scale corpus (2,026 articles) and the XQuAD questions come from ../shared/data, read in place; without
it, only the seed corpus is measured.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from askcorpus.config import Config
from askcorpus.corpus import Corpus
from askcorpus.evaluation.evaluate import write_news_articles
from askcorpus.indexing.embedder import Embedder
from askcorpus.indexing.sync import sync
from askcorpus.text.line_ends import as_read
from askcorpus.text.sentences import sentence_spans

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
QUESTION = "Wer vermittelte den Austausch von Kriegsgefangenen?"


def seconds(command: list[str], runs: int, env: dict | None = None) -> float:
    """Median wall time of a command over `runs` runs (after one warm-up)."""
    times = []
    for n in range(runs + 1):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env={**os.environ, **(env or {})})
        if n:
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def folder_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def questions(shared: Path) -> list[str]:
    squad = shared / "data" / "xquad" / "xquad.de.json"
    if squad.exists():
        data = json.loads(squad.read_text(encoding="utf-8"))["data"]
        return [qa["question"] for article in data for p in article["paragraphs"] for qa in p["qas"]][:300]
    lines = (REPO / "tests" / "data" / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines] * 15


class TimedEmbedder:
    """The real embedder, timing its embedding calls (passages with their sentences)."""

    def __init__(self, inner: Embedder):
        self.inner, self.seconds = inner, 0.0

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def embed_passages(self, texts, spans, batch_size=32, alone=None):
        started = time.perf_counter()
        try:
            return self.inner.embed_passages(texts, spans, batch_size, alone)
        finally:
            self.seconds += time.perf_counter() - started


def raw_encode_seconds(embedder: Embedder, texts: list[str]) -> float:
    started = time.perf_counter()
    embedder.encode(texts)  # one call: sentence-transformers batches and length-sorts it as well as it can
    return time.perf_counter() - started


def embedded_texts(chunks) -> tuple[list[str], list[str]]:
    """What an index run embeds: every chunk, and every distinct sentence of them (as the model reads them)."""
    texts = [chunk.text for chunk in chunks]
    sentences = list(dict.fromkeys(as_read(text[s:e]) for text in texts for s, e in sentence_spans(text)))
    return texts, sentences


def measure_corpus(name: str, seeds: Path, index: Path, embedder: Embedder, asked: list[str]) -> dict:
    from askcorpus.snapshot import generations

    figures: dict[str, object] = {"corpus": name, "articles": len(list(seeds.rglob("*.txt")))}
    timed = TimedEmbedder(embedder)
    started = time.perf_counter()
    report = sync(Config(seeds=seeds, index=index), progress=sys.stderr.isatty(), embedder=timed)
    figures["index_s"] = round(time.perf_counter() - started, 1)
    figures["chunks"] = report.chunks_in_store
    figures["index_chunks_per_s"] = round(report.chunks_in_store / figures["index_s"], 1)
    figures["index_encode_share"] = round(timed.seconds / figures["index_s"], 3)

    # Raw model.encode on the same texts: the chunks and their sentences (the index embeds both). The machine's
    # speed drifts by several % between minutes, so index_encode_share (embedding time inside the index run / its
    # total) is the steadier overhead figure.
    texts, sentences = embedded_texts(generations.load(index).chunks)
    figures["sentences"] = len(sentences)
    raw = raw_encode_seconds(embedder, texts) + raw_encode_seconds(embedder, sentences)
    figures["index_texts_per_s"] = round((len(texts) + len(sentences)) / figures["index_s"], 1)
    figures["encode_texts_per_s"] = round((len(texts) + len(sentences)) / raw, 1)
    figures["index_vs_encode"] = round(figures["index_texts_per_s"] / figures["encode_texts_per_s"], 2)

    started = time.perf_counter()
    sync(Config(seeds=seeds, index=index), progress=False, embedder=embedder)
    figures["no_change_sync_s"] = round(time.perf_counter() - started, 2)
    figures["no_change_sync_cli_s"] = round(seconds([str(BIN / "askcorpus"), "index", "--quiet", "--seeds", str(seeds),
                                                     "--index", str(index)], 3), 2)

    edited = sorted(seeds.rglob("*.txt"))[len(texts) % 3]
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace(" und ", " sowie ", 1), encoding="utf-8")  # one word of the body changed
    started = time.perf_counter()
    report = sync(Config(seeds=seeds, index=index), progress=False, embedder=embedder)
    figures["edit_one_sync_s"] = round(time.perf_counter() - started, 2)
    figures["edit_one_embedded"] = report.embedded_chunks
    figures["edit_one_reused"] = report.reused_chunks
    source = edited.relative_to(seeds).as_posix()
    figures["edit_one_file_chunks"] = sum(1 for chunk in generations.load(index).chunks if chunk.source == source)

    # every article moved into a subfolder, then a fresh `askcorpus index` as a user runs it: the moved files take
    # their stored vectors, so no model is loaded and nothing is embedded
    moved_to = seeds / "moved"
    for path in sorted(seeds.rglob("*.txt")):
        target = moved_to / path.relative_to(seeds)
        target.parent.mkdir(parents=True, exist_ok=True)
        path.rename(target)
    started = time.perf_counter()
    done = subprocess.run([str(BIN / "askcorpus"), "index", "--json", "--seeds", str(seeds), "--index", str(index)],
                          check=True, capture_output=True, text=True)
    figures["move_all_sync_cli_s"] = round(time.perf_counter() - started, 2)
    moved = json.loads(done.stdout)
    figures["move_all_embedded_reused"] = f"{moved['embedded_chunks']} / {moved['reused_chunks']}"

    corpus = Corpus(Config(seeds=seeds, index=index))
    corpus.ask(asked[0])
    latencies = []
    for question in asked:
        started = time.perf_counter()
        corpus.ask(question)
        latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()
    figures["queries"] = len(latencies)
    figures["query_p50_ms"] = round(statistics.median(latencies), 1)
    figures["query_p95_ms"] = round(latencies[int(0.95 * (len(latencies) - 1))], 1)
    figures["store_mb"] = round(folder_mb(index), 1)
    chroma_folders = [p for p in index.iterdir() if p.is_dir() and p.name not in ("snapshots", "encoder")]
    chroma_mb = sum(folder_mb(p) for p in chroma_folders) + (index / "chroma.sqlite3").stat().st_size / 1e6
    figures["chroma_mb"] = round(chroma_mb, 1)
    figures["onnx_export_mb"] = round(folder_mb(index / "encoder"), 1)
    # hard links to the model cache's copy: every index of the model shares these bytes
    figures["onnx_export_shared"] = (index / "encoder" / "model.data").stat().st_nlink > 1
    figures["snapshot_mb"] = round(folder_mb(index / "snapshots"), 1)
    return figures


@contextlib.contextmanager
def serving(seeds: Path, index: Path, *options: str):
    """`askcorpus serve` on this index, up: yields (gradio_client Client, the process's /proc status path)."""
    from gradio_client import Client

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", "NO_PROXY": "127.0.0.1,localhost"}
    process = subprocess.Popen([str(BIN / "askcorpus"), "serve", "--seeds", str(seeds), "--index", str(index),
                                "--port", str(port), *options], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env=env)
    try:
        url = f"http://127.0.0.1:{port}/"
        for _ in range(600):
            try:
                urllib.request.urlopen(url, timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        yield Client(url, verbose=False), Path(f"/proc/{process.pid}/status")
    finally:
        process.terminate()
        process.wait(timeout=30)


def status_mb(status: Path, key: str) -> float:
    """A memory figure (VmRSS, VmHWM) of a process's /proc status, in MB."""
    lines = status.read_text().splitlines()
    return round(int(next(line.split()[1] for line in lines if line.startswith(key))) / 1024, 0)


def serving_peak_rss_mb(seeds: Path, index: Path, asked: list[str]) -> float:
    """Peak RSS of `askcorpus serve` on this index after 50 questions through its API."""
    with serving(seeds, index) as (client, status):
        for question in asked[:50]:
            client.predict(question, 5, api_name="/ask")
        return status_mb(status, "VmHWM")


def serving_rss_around_sync(seeds: Path, index: Path, asked: list[str]) -> tuple[float, float]:
    """RSS of `askcorpus serve` on this index after 20 questions, and again after a sync that embedded a new
    article and 20 more questions: what a long-running app holds."""
    with serving(seeds, index, "--no-watch") as (client, status):
        for question in asked[:20]:
            client.predict(question, 5, api_name="/ask")
        before = status_mb(status, "VmRSS")
        new = seeds / "zz-benchmark-new.txt"
        new.write_text("Die Gespräche in Sotschi dauerten drei Stunden.\n" * 20, encoding="utf-8")
        try:
            client.predict(api_name="/rebuild")
            for question in asked[20:40]:
                client.predict(question, 5, api_name="/ask")
            after = status_mb(status, "VmRSS")
        finally:
            new.unlink()
        client.predict(api_name="/rebuild")  # the index as it was
        return before, after


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default="../shared")
    parser.add_argument("--work", help="folder for the corpora and indexes (default: temporary)")
    parser.add_argument("--skip-scale", action="store_true", help="seed corpus only")
    args = parser.parse_args()
    shared = Path(args.shared)
    work = Path(args.work or tempfile.mkdtemp(prefix="askcorpus-bench-"))
    asked = questions(shared)

    started = time.perf_counter()
    embedder = Embedder(Config.from_env().model)
    assert embedder.max_tokens > 0  # loads the model before anything is timed
    rows = [("machine", f"{os.cpu_count()} cores, Python {sys.version.split()[0]}"),
            ("model", embedder.model_id),
            ("model load (sentence-transformers)", f"{time.perf_counter() - started:.1f} s")]

    seeds = work / "seeds"
    shutil.rmtree(work / "seed-index", ignore_errors=True)
    shutil.rmtree(seeds, ignore_errors=True)
    shutil.copytree(REPO / "seeds", seeds)
    results = [measure_corpus("seeds", seeds, work / "seed-index", embedder, asked)]

    questions_only, after_sync = serving_rss_around_sync(seeds, work / "seed-index", asked)
    rows.append(("serving RSS (seeds): after 20 questions / after an embedding sync and 20 more",
                 f"{questions_only:.0f} / {after_sync:.0f} MB"))

    python = [sys.executable]
    query = [str(BIN / "askcorpus"), "query", QUESTION, "--seeds", str(seeds), "--index", str(work / "seed-index")]
    rows += [
        ("python -c pass", f"{seconds(python + ['-c', 'pass'], 7):.3f} s"),
        ("python -c 'import askcorpus'", f"{seconds(python + ['-c', 'import askcorpus'], 7):.3f} s"),
        ("askcorpus --help", f"{seconds([str(BIN / 'askcorpus'), '--help'], 7):.3f} s"),
        ("askcorpus query (seed index, end to end)", f"{seconds(query, 7):.3f} s"),
    ]

    data = shared / "data"
    if not args.skip_scale and (data / "10kGNAD" / "test.csv").exists():
        scale = work / "scale"
        shutil.rmtree(scale, ignore_errors=True)
        shutil.rmtree(work / "scale-index", ignore_errors=True)
        write_news_articles(data, scale)
        results.append(measure_corpus("2,026 articles", scale, work / "scale-index", embedder, asked))
        rows.append(("serving peak RSS (2,026 articles, 50 API questions)",
                     f"{serving_peak_rss_mb(scale, work / 'scale-index', asked):.0f} MB"))
    elif args.skip_scale:
        rows.append(("scale corpus", "skipped (--skip-scale)"))
    else:
        rows.append(("scale corpus", f"skipped: {data} is not here"))

    width = max(len(label) for label, _ in rows)
    print(f"askcorpus benchmark, {time.strftime('%Y-%m-%d')}\n")
    for label, value in rows:
        print(f"{label:<{width}}  {value}")
    print()
    keys = [k for k in results[0] if k != "corpus"]
    print("| figure | " + " | ".join(r["corpus"] for r in results) + " |")
    print("|---" * (len(results) + 1) + "|")
    for key in keys:
        print(f"| {key} | " + " | ".join(str(r.get(key)) for r in results) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
