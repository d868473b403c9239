"""Warnings and notes on the console: one `askcorpus: …` line each, whatever else configures logging later."""

import subprocess
import sys

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
