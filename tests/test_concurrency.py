"""Questions while the index changes: syncs in this process and `askcorpus index` in another never make a
question fail or see a half-written state. The same under load through the app: `bench/load_test.py`."""

import subprocess
import sys
import threading

from conftest import DATA, QUESTION, REPO

from askcorpus.corpus import Corpus

sys.path.insert(0, str(REPO / "bench"))

from load_test import run_load, start_server  # noqa: E402

NEW_QUESTION = "Wie hoch sind die Fördermittel für Wasserstoff-Elektrolyseure?"


def test_questions_keep_their_answers_through_syncs(config, embedder):
    corpus = Corpus(config, embedder=embedder)
    corpus.sync(progress=False)
    raw = (config.seeds / "003_a6245cd8f77849b7.txt").read_text(encoding="utf-8")
    stop, errors, answered, new_states = threading.Event(), [], [], set()

    def asker():
        while not stop.is_set():
            try:
                answer = corpus.ask(QUESTION)
                quote = answer.quotes[0]
                assert quote.source == "003_a6245cd8f77849b7.txt" and raw[quote.start:quote.end] == quote.text
                new = corpus.ask(NEW_QUESTION)
                new_states.add("abstained" if new.abstained else new.quotes[0].source)
                answered.append(1)
            except Exception as error:  # collected: the test fails on any
                errors.append(repr(error))

    threads = [threading.Thread(target=asker) for _ in range(4)]
    for thread in threads:
        thread.start()
    new_file = config.seeds / "005_new.txt"
    edited = config.seeds / "001_1f07cc221ee6bb27.txt"
    for round_ in range(2):
        new_file.write_text((DATA / "boltwise_new_article.txt").read_text(encoding="utf-8"), encoding="utf-8")
        edited.write_text(edited.read_text(encoding="utf-8") + f"\nNachtrag {round_}.\n", encoding="utf-8")
        corpus.sync(progress=False)
        new_file.unlink()
        other = subprocess.run([sys.executable, "-m", "askcorpus", "index", "--quiet", "--seeds", str(config.seeds),
                                "--index", str(config.index)], capture_output=True, text=True, timeout=600)
        assert other.returncode == 0, other.stderr
    stop.set()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(answered) > 20 and new_states <= {"abstained", "005_new.txt"}
    assert corpus.ask(NEW_QUESTION).abstained  # the last state: the new file is gone again


def test_app_under_load_while_rebuilding(tmp_path):
    import shutil

    from conftest import SEEDS

    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    process, url = start_server(seeds, tmp_path / "index", tmp_path / "server.log")
    try:
        figures = run_load(url, users=4, seconds=20, seeds=seeds, rebuild_every=6,
                           edit=seeds / "000_1670353909dcf48a.txt")
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert figures["errors"] == 0, figures["error_examples"]
    assert figures["answers"] > 20 and len(figures["rebuilds"]) >= 2
    assert all("1 changed" in line for line in figures["rebuilds"]), figures["rebuilds"]
