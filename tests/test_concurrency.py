"""Questions while the index changes: syncs in this process and `askcorpus index` in another never make a
question fail or see a half-written state. The same under load through the app: `bench/load_test.py`."""

import json
import subprocess
import sys
import threading

import pytest

from askcorpus.corpus import Corpus
from support import DATA, QUESTION, REPO

pytestmark = pytest.mark.slow

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


def test_app_under_load_while_it_syncs_by_itself():
    """`bench/load_test.py` in short: 4 users for 60 s while a seed file's body is edited 5 s after each automatic
    sync (a sync that embeds the edited chunks takes 10 to 45 s under that load); nothing is pressed."""
    result = subprocess.run([sys.executable, str(REPO / "bench" / "load_test.py"), "--users", "4", "--seconds", "60",
                             "--edit-every", "5", "--json"], capture_output=True, text=True, timeout=900)
    assert result.returncode in (0, 1), result.stderr
    figures = json.loads(result.stdout.splitlines()[-1])
    assert figures["errors"] == 0, figures["error_examples"]
    assert figures["answers"] > 20 and figures["edits"] >= 1
    syncs = figures["automatic_syncs"]
    assert len(syncs) >= figures["edits"], (syncs, figures["app_log_tail"])
    assert all("1 changed" in line and "0 chunks embedded" not in line for line in syncs), syncs
