"""SIGKILL during `askcorpus index` (full builds and an incremental sync), then recovery by one more run.

The longer run with figures is `python bench/crash_trials.py` (README, "Reliability").
"""

import json
import subprocess
import sys

import pytest

from support import REPO

pytestmark = pytest.mark.slow


def test_killed_index_runs_recover_to_exactly_the_seeds(tmp_path):
    result = subprocess.run([sys.executable, str(REPO / "bench" / "crash_trials.py"), "--trials", "4", "--copies", "1",
                             "--seed", "3", "--work", str(tmp_path), "--json"], capture_output=True, text=True,
                            timeout=1800)
    lines = result.stdout.splitlines()
    assert result.returncode == 0, result.stdout + result.stderr
    trials = json.loads(lines[-1])
    assert len(trials) == 4 and {t["kind"] for t in trials} == {"first build", "full rebuild", "incremental"}
    assert sum(1 for t in trials if t["killed_at"]) >= 3, result.stdout
    assert all(t["recovery_exit"] == 0 and not t["problems"] for t in trials), result.stdout
