"""Syncs and query-encoder exports run in a process of their own (`python -m askcorpus.indexing.sync_process`), so
that the process asking for them never loads torch and the model: a serving app that synced in-process held about
1 GB from then on, against about 300 MB for answering alone. Progress and warnings go to the shared stderr; the
result, or the error, comes back as one JSON line."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import traceback
from pathlib import Path

from askcorpus.config import ChunkSettings, Config
from askcorpus.errors import (
    AskcorpusError,
    IndexBusy,
    IndexDamaged,
    IndexNotWritable,
    NoIndex,
    first_line,
    warnings_to_stderr,
)
from askcorpus.indexing.plan import SyncReport

_ERRORS = {kind.__name__: kind for kind in (AskcorpusError, IndexDamaged, IndexNotWritable, NoIndex, OSError)}


def sync_in_child(config: Config, *, rebuild: bool = False, dry_run: bool = False, progress: bool = True,
                  brief: bool = False) -> SyncReport:
    """`sync.sync(config, …)` in a child process; raises what it raised (an `AskcorpusError` of the same kind,
    `IndexBusy` with its holder), a failure of the child itself as an `AskcorpusError`."""
    options = {"rebuild": rebuild, "dry_run": dry_run, "progress": progress, "brief": brief}
    return SyncReport.from_dict(_run({"task": "sync", "config": _config_dict(config), "options": options}))


def export_in_child(config: Config, again: bool = False) -> bool:
    """`Embedder.export_query_encoder` for the index and model of `config`, in a child process: False when the model
    cannot be exported; raises OSError when the folder cannot be written."""
    return _run({"task": "export", "config": _config_dict(config), "again": again})


def _run(request: dict):
    try:
        # -P: the current folder stays off the child's import path (a json.py there would shadow the library)
        child = subprocess.run([sys.executable, "-P", "-m", __name__], input=json.dumps(request),
                               stdout=subprocess.PIPE, text=True, encoding="utf-8", check=False)
    except OSError as error:
        raise AskcorpusError(f"cannot start a process for the sync: {error.strerror or error}") from None
    try:  # the answer is ASCII JSON: no character of a file name can split its line
        answer = json.loads(child.stdout.rstrip("\n").rsplit("\n", 1)[-1])
    except ValueError:
        raise AskcorpusError(f"the sync's process ended without an answer (exit code {child.returncode})") from None
    if "result" in answer:
        return answer["result"]
    error = answer["error"]
    if error["kind"] == IndexBusy.__name__:
        raise IndexBusy(error["index"], error["holder"])
    raise _ERRORS.get(error["kind"], AskcorpusError)(error["message"])


def _config_dict(config: Config) -> dict:
    return {**dataclasses.asdict(config), "seeds": str(config.seeds), "index": str(config.index)}


def _config(values: dict) -> Config:
    return Config(**{**values, "seeds": Path(values["seeds"]), "index": Path(values["index"]),
                     "chunking": ChunkSettings(**values["chunking"])})


def _work(request: dict):
    """The task of `request`, with the indexing stack (Chroma, torch and the model) imported here only."""
    config = _config(request["config"])
    if request["task"] == "export":
        from askcorpus.indexing.embedder import Embedder

        return Embedder(config.model).export_query_encoder(config.index, again=request["again"])
    from askcorpus.indexing.sync import sync

    return sync(config, **request["options"]).to_dict()


def _error(error: BaseException) -> dict:
    if isinstance(error, IndexBusy):
        return {"kind": IndexBusy.__name__, "message": str(error), "index": str(error.index), "holder": error.holder}
    if isinstance(error, (AskcorpusError, OSError)):
        return {"kind": type(error).__name__ if isinstance(error, AskcorpusError) else OSError.__name__,
                "message": first_line(error)}
    traceback.print_exc()  # a bug: its traceback on the console, one line for the caller
    return {"kind": AskcorpusError.__name__, "message": f"the sync failed: {type(error).__name__}: {first_line(error)}"}


def main() -> int:
    """The child: reads the request on stdin, does it, writes {"result": …} or {"error": …} as the last line of
    stdout (anything a library prints goes to stderr instead)."""
    answer_to = os.dup(sys.stdout.fileno())
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    warnings_to_stderr(notes=True)
    try:
        answer, code = {"result": _work(json.loads(sys.stdin.read()))}, 0
    except Exception as error:  # every failure goes back to the caller
        answer, code = {"error": _error(error)}, 1
    except KeyboardInterrupt:  # Ctrl-C reaches the whole process group; the caller reports it
        answer, code = {"error": {"kind": AskcorpusError.__name__, "message": "the sync was interrupted"}}, 130
    line = (json.dumps(answer) + "\n").encode("ascii")
    try:
        while line:
            line = line[os.write(answer_to, line):]
    except OSError:  # the caller has gone (the app was stopped): nobody to tell
        return code or 1
    return code


if __name__ == "__main__":
    sys.exit(main())
