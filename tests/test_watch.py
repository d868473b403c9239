"""The seeds watcher: a burst of changes is reported once it settles; a failed sync is tried again."""

import os

from askcorpus.indexing.watch import SeedWatcher


def make(tmp_path, results):
    seeds = tmp_path / "seeds"
    seeds.mkdir(exist_ok=True)
    (seeds / "a.txt").write_text("Erster Artikel.", encoding="utf-8")
    calls = []

    def on_change():
        calls.append(1)
        return results.pop(0) if results else True

    return seeds, calls, SeedWatcher(seeds, on_change, poll=1, settle=2, retry=5)


def test_nothing_happens_without_a_change(tmp_path):
    _, calls, watcher = make(tmp_path, [])
    assert not watcher.check(now=100) and not watcher.check(now=200) and calls == []


def test_a_change_is_reported_once_it_has_settled(tmp_path):
    seeds, calls, watcher = make(tmp_path, [])
    (seeds / "b.txt").write_text("Neu.", encoding="utf-8")
    assert not watcher.check(now=10)  # seen
    assert not watcher.check(now=11)  # not settled yet
    assert watcher.check(now=12.5) and calls == [1]
    assert not watcher.check(now=20) and calls == [1]  # reported once


def test_a_burst_restarts_the_settling_time(tmp_path):
    seeds, calls, watcher = make(tmp_path, [])
    (seeds / "b.txt").write_text("Neu.", encoding="utf-8")
    watcher.check(now=10)
    (seeds / "c.txt").write_text("Noch neuer.", encoding="utf-8")
    assert not watcher.check(now=11.5)
    assert not watcher.check(now=12.5)  # 1 s after the second file only
    assert watcher.check(now=14) and calls == [1]


def test_edits_and_deletions_count_and_hidden_or_other_files_do_not(tmp_path):
    seeds, calls, watcher = make(tmp_path, [])
    (seeds / ".upload-x.tmp").write_bytes(b"x")
    (seeds / "bild.png").write_bytes(b"x")
    watcher.check(now=10)
    assert not watcher.check(now=20) and calls == []
    path = seeds / "a.txt"
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    watcher.check(now=30)
    assert watcher.check(now=33) and calls == [1]
    path.unlink()
    watcher.check(now=40)
    assert watcher.check(now=43) and calls == [1, 1]


def test_a_failed_sync_is_tried_again_after_the_retry_time(tmp_path):
    seeds, calls, watcher = make(tmp_path, [False, True])
    (seeds / "b.txt").write_text("Neu.", encoding="utf-8")
    watcher.check(now=10)
    assert watcher.check(now=12) and calls == [1]  # failed
    assert not watcher.check(now=14)
    assert watcher.check(now=17) and calls == [1, 1]  # retried 5 s later, succeeded
    assert not watcher.check(now=30)


def test_a_failed_sync_is_tried_again_when_the_files_are_back_as_they_were(tmp_path):
    seeds, calls, watcher = make(tmp_path, [False, True])
    seeds.rename(tmp_path / "away")  # the folder moved away: the sync fails
    watcher.check(now=10)
    assert watcher.check(now=12) and calls == [1]
    (tmp_path / "away").rename(seeds)  # and back, as it was
    watcher.check(now=13)
    assert watcher.check(now=17) and calls == [1, 1]  # tried again, so that the failure is cleared
    assert not watcher.check(now=30) and calls == [1, 1]


def test_a_background_loop_survives_a_failing_check_and_reports_it(caplog):
    import threading

    from askcorpus.indexing.background import Repeating

    class Flaky(Repeating):
        name = "askcorpus-test-loop"

        def __init__(self):
            super().__init__(interval=0.01)
            self.calls, self.errors, self.done = 0, [], threading.Event()

        def check(self):
            self.calls += 1
            if self.calls == 1:
                raise RuntimeError("a bug")
            if self.calls == 3:
                self.done.set()

        def failed(self, error):
            self.errors.append(str(error))

    loop = Flaky().start()
    assert loop.done.wait(5)
    loop.stop()
    assert loop.errors == ["a bug"] and loop.calls >= 3
    assert "askcorpus-test-loop failed" in caplog.text
