"""A daemon thread that repeats one check at a fixed interval until stopped, and survives the check's bugs."""

from __future__ import annotations

import threading

from askcorpus.errors import LOGGER


class Repeating:
    """Calls `check()` every `interval` seconds in a daemon thread named `name` once `start`ed. An exception from
    `check` is logged with its traceback, passed to `failed`, and the loop goes on: a bug must not silently stop
    the work for the life of the app."""

    name = "askcorpus-background"

    def __init__(self, interval: float):
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def check(self) -> object:
        raise NotImplementedError

    def failed(self, error: Exception) -> None:
        """Called after `check` raised `error` (already logged)."""

    def start(self):
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.check()
            except Exception as error:  # see the class docstring
                LOGGER.exception(f"{self.name} failed")
                self.failed(error)
