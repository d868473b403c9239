"""Warnings and notes on the console: one `askcorpus: …` line each, whatever else configures logging later."""

import json
import shlex
import subprocess
import sys

import pytest

from askcorpus.interfaces.cli import build_parser, main

SCRIPT = """
import logging
from askcorpus.errors import note, warn, warnings_to_stderr
warnings_to_stderr(notes=True)
logging.basicConfig(level=logging.INFO)  # as the MCP server does on its first request
warn("a file was skipped")
note("automatic sync: 1 added")
"""


def test_each_warning_and_note_is_printed_once_after_the_root_logger_is_configured():
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == ["askcorpus: warning: a file was skipped",
                                          "askcorpus: automatic sync: 1 added"]


def test_terminal_control_characters_in_a_warning_are_shown_escaped():
    script = ("from askcorpus.errors import warn, warnings_to_stderr\nwarnings_to_stderr()\n"
              "warn('skipping \\x1b[31mred\\n.txt')")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.stderr == "askcorpus: warning: skipping \\x1b[31mred\\x0a.txt\n"


def test_an_argument_error_is_one_line_with_exit_code_2():
    result = subprocess.run([sys.executable, "-m", "askcorpus", "query", "-k", "abc", "Frage?"], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr == "askcorpus: argument -k: invalid int value: 'abc' (see `askcorpus query --help`)\n"


def test_a_question_starting_with_a_dash_is_told_to_go_after_two_dashes(capsys):
    hint = ("askcorpus: {0} reads as an option; a question that starts with '-' goes after '--': askcorpus query -- "
            "{1} (see `askcorpus query --help`)\n")
    for argv, token in ((["query", "-Putin?"], "-Putin?"), (["query", "--jso", "-Putin?"], "-Putin?"),
                        (["query", "-k", "-5", "-x"], "-x")):  # "--jso" is --json, "-5" the value of -k
        with pytest.raises(SystemExit) as stop:
            build_parser().parse_args(argv)
        assert stop.value.code == 2 and capsys.readouterr().err == hint.format(token, shlex.quote(token))
    assert build_parser().parse_args(["query", "--", "-Putin?"]).question == "-Putin?"
    assert build_parser().parse_args(["query", "-5 Grad?"]).question == "-5 Grad?"  # a number, not an option
    for argv in (["query", "--json"], ["query", "-k", "-5"], ["query", "--mod", "e5"]):
        with pytest.raises(SystemExit):
            build_parser().parse_args(argv)
        assert capsys.readouterr().err == ("askcorpus: the following arguments are required: question (see "
                                           "`askcorpus query --help`)\n")
    with pytest.raises(SystemExit):
        build_parser().parse_args(["query", "Frage?", "-x"])
    assert capsys.readouterr().err == "askcorpus: unrecognized arguments: -x (see `askcorpus --help`)\n"


@pytest.mark.parametrize("option", ["--seeds", "--index", "--model", "--chroma-url"])
def test_an_empty_location_is_refused_rather_than_taken_for_the_default(option):
    with pytest.raises(SystemExit) as stop:
        build_parser().parse_args(["index", option, ""])
    assert stop.value.code == 2


def test_a_logged_exception_keeps_its_traceback_readable():
    script = ("from askcorpus.errors import LOGGER, warnings_to_stderr\nwarnings_to_stderr()\n"
              "try:\n    1 / 0\nexcept ZeroDivisionError:\n    LOGGER.exception('askcorpus-watcher failed')")
    stderr = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60).stderr
    assert stderr.splitlines()[:2] == ["askcorpus: warning: askcorpus-watcher failed",
                                       "Traceback (most recent call last):"]


@pytest.mark.parametrize("arguments, code, message", [
    (["query", "--json", "   "], 2, "the question is empty"),
    (["index", "--json", "--seeds", "{tmp}/missing", "--index", "{tmp}/index"], 1, "does not exist"),
])
def test_with_json_an_error_is_a_json_object_on_stdout_too(tmp_path, capsys, arguments, code, message):
    assert main([a.format(tmp=tmp_path) for a in arguments]) == code
    out, err = capsys.readouterr()
    assert err.count("\n") == 1 and message in err
    error = json.loads(out)
    assert message in error["error"] and error["exit_code"] == code
    assert main([a.format(tmp=tmp_path) for a in arguments if a != "--json"]) == code
    assert capsys.readouterr().out == ""  # without --json, stdout stays empty


@pytest.mark.parametrize("command", [["query", "Wer vermittelte?"], ["index"]])
def test_an_index_folder_that_is_a_file_is_one_line_before_the_seeds_are_read(tmp_path, capsys, command):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "binary.txt").write_bytes(b"\x00\x01")  # would be skipped with a warning, were the seeds read
    (tmp_path / "index").write_text("", encoding="utf-8")
    assert main([*command, "--seeds", str(seeds), "--index", str(tmp_path / "index")]) == 1
    assert capsys.readouterr().err == f"askcorpus: index folder {tmp_path / 'index'} is a file, not a folder\n"


def test_a_ctrl_c_while_the_query_encoder_finishes_opening_is_waited_through():
    script = """
import os, signal, threading, time
import askcorpus.answering.encoder as encoder
from askcorpus.interfaces.cli import wait_through_interrupts
encoder.OnnxEncoder = lambda index: time.sleep(1.0)  # a session that takes a second to open
background = encoder.BackgroundEncoder(None)
for delay in (0.1, 0.3):
    threading.Timer(delay, os.kill, (os.getpid(), signal.SIGINT)).start()
started = time.monotonic()
wait_through_interrupts(background)
print(round(time.monotonic() - started, 2))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert float(done.stdout) >= 0.9  # two Ctrl-Cs, and it still waited for the session
