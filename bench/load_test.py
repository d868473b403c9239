"""Load test: concurrent gradio_client users ask seed questions of a running `askcorpus serve` on loopback.

Usage: python bench/load_test.py [--users 16] [--seconds 60] [--edit-every S] [--url URL] [--json]

Without --url it starts `askcorpus serve` on a free loopback port over a temporary copy of seeds/ and stops it
afterwards. Each user asks the seed questions in turn through the `/ask` endpoint (the chat's own code path)
until the time is up; every answer is checked (no error, the expected file quoted, quotes verbatim).
With --edit-every, a seed file is edited S seconds after the app's automatic sync of the previous edit (the first
after S seconds) while the users keep asking, and nothing is pressed: the app notices the change and syncs by
itself; its automatic syncs are counted from its log (the last edit's sync is waited for). Prints p50/p95/max
latency, answers per second, errors and the automatic syncs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from support import REPO, ServerDidNotStart, start_app  # noqa: E402

SYNC_TIMEOUT = 120  # seconds an edit may wait for the app's automatic sync of it
QUESTIONS = [  # (question, the file the first quote must come from)
    ("Wer vermittelte den Austausch von Kriegsgefangenen?", "003_a6245cd8f77849b7.txt"),
    ("Wo befand sich Putin während des Telefonats?", "003_a6245cd8f77849b7.txt"),
    ("Auf welcher Plattform forderte Trump Putin auf, die Angriffe zu stoppen?", "004_7e4980c0d24f6968.txt"),
    ("Welcher Berater Putins war auf den Fotos des Treffens zu sehen?", "001_1f07cc221ee6bb27.txt"),
]


def check(answer: dict, expected: str, seeds: Path | None) -> str | None:
    """What is wrong with an answer, or None."""
    if answer.get("abstained") or not answer.get("quotes"):
        return "abstained"
    if answer["quotes"][0]["source"] != expected:
        return f"quoted {answer['quotes'][0]['source']}"
    if seeds is not None:
        for quote in answer["quotes"]:
            if quote["source"] == expected:  # the files asked about are never edited during the run
                raw = (seeds / quote["source"]).read_text(encoding="utf-8")
                if raw[quote["start"]:quote["end"]] != quote["text"]:
                    return "quote not verbatim"
    return None


def run_load(url: str, users: int, seconds: float, seeds: Path | None = None, edit_every: float | None = None,
             edit: Path | None = None, log: Path | None = None) -> dict:
    """`users` threads, each with its own gradio_client, ask for `seconds`; returns the figures."""
    from gradio_client import Client

    clients = [Client(url, verbose=False) for _ in range(users)]
    latencies: list[float] = []
    errors: list[str] = []
    edits: list[float] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def user(number: int) -> None:
        client, n = clients[number], number
        while time.monotonic() < stop:
            question, expected = QUESTIONS[n % len(QUESTIONS)]
            n += 1
            started = time.perf_counter()
            try:
                problem = check(client.predict(question, 5, api_name="/ask"), expected, seeds)
            except Exception as error:  # any failure counts; the load test reports, it does not stop
                problem = f"{type(error).__name__}: {error}".splitlines()[0]
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if problem:
                    errors.append(f"{question[:40]}: {problem}")

    def editor() -> None:
        round_ = 0
        while time.monotonic() + edit_every < stop:
            time.sleep(edit_every)
            round_ += 1
            synced = len(_automatic_syncs(log))
            _add_to_body(edit, f"Nachtrag {round_}: Die Redaktion ergänzt in diesem Bericht einen weiteren Satz mit "
                               f"der Nummer {round_}.")
            edits.append(time.monotonic())
            _wait_for_sync(log, synced)  # one edit per sync, however slow the loaded machine makes a sync

    logged_before = _automatic_syncs(log)
    askers = [threading.Thread(target=user, args=(n,)) for n in range(users)]
    editing = threading.Thread(target=editor) if edit_every else None
    began = time.perf_counter()
    for thread in askers + ([editing] if editing else []):
        thread.start()
    for thread in askers:
        thread.join()
    wall = time.perf_counter() - began
    if editing:
        editing.join()
    ordered = sorted(latencies)
    syncs = _automatic_syncs(log)[len(logged_before):]
    return {
        "users": users, "seconds": round(wall, 1), "answers": len(latencies), "errors": len(errors),
        "error_examples": errors[:5], "answers_per_second": round(len(latencies) / wall, 1),
        "p50_ms": round(statistics.median(ordered) * 1000, 1) if ordered else None,
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 1) if ordered else None,
        "max_ms": round(ordered[-1] * 1000, 1) if ordered else None,
        "edits": len(edits), "automatic_syncs": syncs,
        # what the app logged, when an edit got no automatic sync within SYNC_TIMEOUT: the why is in there
        "app_log_tail": _tail(log) if len(syncs) < len(edits) else [],
    }


def _add_to_body(path: Path, sentence: str) -> None:
    """Add `sentence` as a line of its own after the article's third line, inside its body (text after the site's
    trailer is cleaned away and would leave nothing to embed)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    path.write_text("\n".join(lines[:3] + [sentence] + lines[3:]), encoding="utf-8")


def _wait_for_sync(log: Path | None, synced: int, timeout: float = SYNC_TIMEOUT) -> None:
    """Wait until the app has logged more than `synced` automatic syncs, or `timeout` seconds have passed."""
    deadline = time.monotonic() + timeout
    while len(_automatic_syncs(log)) <= synced and time.monotonic() < deadline:
        time.sleep(0.2)


def _tail(log: Path | None, lines: int = 80) -> list[str]:
    """The last `lines` lines of the app's log."""
    if log is None or not log.exists():
        return []
    return [line[:300] for line in log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]]


def _automatic_syncs(log: Path | None) -> list[str]:
    """The summaries of the automatic syncs the app has logged so far."""
    if log is None or not log.exists():
        return []
    marker = "askcorpus: automatic sync: "
    return [line.split(marker, 1)[1][:200] for line in log.read_text(encoding="utf-8").splitlines() if marker in line]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--edit-every", type=float, metavar="S",
                        help="edit a seed file S s after the app's automatic sync of the previous edit")
    parser.add_argument("--url", help="an already running app (loopback only); default: start one")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.url and not args.url.startswith(("http://127.0.0.1", "http://localhost")):
        raise SystemExit("the load test only runs against loopback")
    if args.url and args.edit_every:
        raise SystemExit("--edit-every needs the app this script starts (it edits that app's seeds)")
    os.environ["NO_PROXY"] = "127.0.0.1,localhost"
    with tempfile.TemporaryDirectory(prefix="askcorpus-load-") as work:
        work = Path(work)
        process, seeds = None, None
        url = args.url
        if not url:
            seeds = work / "seeds"
            shutil.copytree(REPO / "seeds", seeds)
            try:
                process, url = start_app(seeds, work / "index", work / "server.log")
            except ServerDidNotStart as error:
                raise SystemExit(str(error)) from None
        try:
            figures = run_load(url, args.users, args.seconds, seeds, args.edit_every,
                               seeds / "000_1670353909dcf48a.txt" if seeds else None,
                               work / "server.log" if seeds else None)
        finally:
            if process:
                process.terminate()
                process.wait(timeout=30)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
    else:
        for key, value in figures.items():
            print(f"{key:>18}  {value}")
    return 1 if figures["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
