"""A sync in a process of its own, as the chat app runs every sync: the same index and report as in-process, the
same errors, and an asking process that never loads torch, even when the query encoder's export must be made
again."""

import json
import os
import subprocess
import sys
from dataclasses import replace

import pytest

from askcorpus.config import ChunkSettings
from askcorpus.corpus import Corpus
from askcorpus.errors import AskcorpusError, IndexBusy, IndexDamaged
from askcorpus.indexing.lock import writer_lock
from askcorpus.indexing.sync_process import _config, _config_dict, sync_in_child
from askcorpus.interfaces.web import corpus_from_env


def test_the_config_goes_to_the_child_as_it_is(config):
    unusual = replace(config, model="/some/model", chunking=ChunkSettings(120, 10), chroma_url="http://127.0.0.1:9",
                      collection="other")
    assert _config(json.loads(json.dumps(_config_dict(unusual)))) == unusual


ASKING = """
import json, shutil, sys
from pathlib import Path
from askcorpus.config import Config
from askcorpus.snapshot.encoder_spec import FOLDER
from askcorpus.corpus import Corpus
corpus = Corpus(Config(seeds=Path(sys.argv[1]), index=Path(sys.argv[2])), sync_apart=True)
first = corpus.sync(progress=False)
Path(sys.argv[1], "neu.txt").write_text("Die Türkei vermittelte im Mai 2025 einen Austausch in Istanbul.", "utf-8")
second = corpus.sync(progress=False)
shutil.rmtree(Path(sys.argv[2], FOLDER))  # the query encoder's export, lost: it is made again, apart too
answer = corpus.ask("Wo fand der Austausch im Mai 2025 statt?")
print(json.dumps({"first": first.to_dict(), "second": second.to_dict(), "status": corpus.status().chunks,
                  "sources": [q.source for q in answer.quotes], "torch": "torch" in sys.modules,
                  "model": "sentence_transformers" in sys.modules}))
"""


@pytest.mark.slow  # the real model, Chroma, processes
def test_a_corpus_that_syncs_apart_indexes_and_answers_without_ever_loading_the_model(config):
    done = subprocess.run([sys.executable, "-c", ASKING, str(config.seeds), str(config.index)], capture_output=True,
                          text=True, timeout=600, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert len(result["first"]["added"]) == 5 and result["first"]["embedded_chunks"] > 0
    assert result["second"]["added"] == ["neu.txt"] and len(result["second"]["unchanged"]) == 5
    assert result["status"] == result["second"]["chunks_in_store"]
    assert result["sources"][:1] == ["neu.txt"]
    assert not result["torch"] and not result["model"]


@pytest.mark.slow  # the real model, Chroma, processes
def test_a_sync_apart_reports_what_a_sync_in_this_process_reports(config, embedder):
    apart = sync_in_child(config, progress=False)
    again = Corpus(config, embedder=embedder).sync(progress=False)
    assert apart.plan.added == again.plan.unchanged and apart.chunks_in_store == again.chunks_in_store
    assert sync_in_child(config, dry_run=True, progress=False).to_dict()["embedded_chunks"] is None


@pytest.mark.slow  # the real model, Chroma, processes
def test_a_sync_apart_raises_the_errors_of_a_sync_in_this_process(config, tmp_path):
    missing = replace(config, seeds=tmp_path / "gone")
    with pytest.raises(AskcorpusError, match="does not exist") as caught:
        sync_in_child(missing, progress=False)
    assert type(caught.value) is AskcorpusError and "\n" not in str(caught.value)
    with writer_lock(config.index):  # this process updates the index: the child must wait its turn
        with pytest.raises(IndexBusy) as busy:
            sync_in_child(config, progress=False)
    assert busy.value.holder == str(os.getpid()) and str(config.index) in str(busy.value)
    config.index.mkdir(exist_ok=True)
    (config.index / "chroma.sqlite3").write_bytes(b"this is not a database" * 100)
    with pytest.raises(IndexDamaged, match=f"^the index database in {config.index} is damaged"):
        sync_in_child(config, progress=False)


@pytest.mark.slow  # the real model, Chroma, processes
def test_file_names_of_any_characters_come_back_from_the_child(config, embedder):
    """U+2028 and U+0085 end a line for `str.splitlines`; the answer's JSON escapes them."""
    for name in ("Bericht\u2028Mai.txt", "Notiz\x85.txt", "Überblick 🕊.txt"):
        (config.seeds / name).write_text("Die Türkei vermittelte den Austausch.", encoding="utf-8")
    apart = sync_in_child(config, dry_run=True, progress=False)
    assert apart.to_dict() | {"seconds": 0} == Corpus(config, embedder=embedder).sync(
        dry_run=True, progress=False).to_dict() | {"seconds": 0}
    assert "Bericht\u2028Mai.txt" in apart.plan.added


@pytest.mark.slow  # the real model, Chroma, processes
def test_the_chat_app_syncs_apart(config):
    corpus = corpus_from_env(config.seeds, config.index, watch=False)
    assert corpus.sync_apart and corpus.status().chunks > 0


class ChildStarted(Exception):
    pass


@pytest.mark.slow  # the real model, Chroma, processes
def test_a_sync_with_nothing_to_do_starts_no_process(config, embedder, monkeypatch):
    """An app's start on a current index, or the watcher seeing an upload the app synced itself: milliseconds."""
    Corpus(config, embedder=embedder).sync(progress=False)
    started = []

    def child(config, **options):
        started.append(options)
        raise ChildStarted

    monkeypatch.setattr("askcorpus.corpus.sync_in_child", child)
    corpus = Corpus(config, sync_apart=True)
    report = corpus.sync(progress=False)
    assert not report.changed_anything and len(report.plan.unchanged) == 5 and not started
    assert corpus.sync(dry_run=True, progress=False).dry_run and not started
    (config.seeds / "neu.txt").write_text("Die Türkei vermittelte den Austausch.", encoding="utf-8")
    with pytest.raises(ChildStarted):
        corpus.sync(progress=False)
    with pytest.raises(ChildStarted):
        corpus.sync(rebuild=True, progress=False)
    assert started == [{"progress": False}, {"rebuild": True, "progress": False}]
