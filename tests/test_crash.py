"""SIGKILL during `askcorpus index` (full builds and an incremental sync), then recovery by one more run.

The longer run with figures is `python bench/crash_trials.py` (README, "Reliability").
"""

import sys

from conftest import REPO

sys.path.insert(0, str(REPO / "bench"))

from crash_trials import run_trials  # noqa: E402


def test_killed_index_runs_recover_to_exactly_the_seeds(tmp_path):
    lines = []
    trials = run_trials(tmp_path, trials=4, copies=1, seed=3, report=lines.append)
    assert len(trials) == 4 and {t.kind for t in trials} == {"first build", "full rebuild", "incremental"}
    assert sum(1 for t in trials if t.killed_at) >= 3, "\n".join(lines)
    assert all(t.recovery_exit == 0 and not t.problems for t in trials), "\n".join(lines)
