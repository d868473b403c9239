"""A sync run in a process of its own (`python -m askcorpus.indexing.sync_process`), so that the process asking
for it never loads torch and the model: a serving app that synced in-process held about 1 GB from then on, against
about 300 MB for answering alone. Progress and warnings go to the shared stderr; the report, or the error, comes
back as one JSON object."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

from askcorpus.config import ChunkSettings, Config
from askcorpus.errors import AskcorpusError, IndexBusy, IndexNotWritable, NoIndex, warnings_to_stderr
from askcorpus.indexing.plan import SyncReport

_ERRORS = {kind.__name__: kind for kind in (AskcorpusError, IndexNotWritable, NoIndex)}


def sync_in_process(config: Config, *, rebuild: bool = False, dry_run: bool = False,
                    progress: bool = True) -> SyncReport:
    """`sync.sync(config, …)` in a child process; raises what it raised (an `AskcorpusError` of the same kind,
    `IndexBusy` with its holder), a failure of the child itself as an `AskcorpusError`."""
    request = {"config": _config_dict(config), "rebuild": rebuild, "dry_run": dry_run, "progress": progress}
    try:
        child = subprocess.run([sys.executable, "-m", __name__], input=json.dumps(request), stdout=subprocess.PIPE,
                               text=True, encoding="utf-8", check=False)
    except OSError as error:
        raise AskcorpusError(f"cannot start the sync process: {error.strerror or error}") from None
    try:
        answer = json.loads(child.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        raise AskcorpusError(f"the sync process ended without a report (exit code {child.returncode})") from None
    if "report" in answer:
        return SyncReport.from_dict(answer["report"])
    error = answer["error"]
    if error["kind"] == IndexBusy.__name__:
        raise IndexBusy(error["index"], error["holder"])
    raise _ERRORS.get(error["kind"], AskcorpusError)(error["message"])


def _config_dict(config: Config) -> dict:
    return {**dataclasses.asdict(config), "seeds": str(config.seeds), "index": str(config.index)}


def _config(values: dict) -> Config:
    return Config(**{**values, "seeds": Path(values["seeds"]), "index": Path(values["index"]),
                     "chunking": ChunkSettings(**values["chunking"])})


def _error(error: BaseException) -> dict:
    if isinstance(error, IndexBusy):
        return {"kind": IndexBusy.__name__, "message": str(error), "index": str(error.index), "holder": error.holder}
    if isinstance(error, AskcorpusError):
        return {"kind": type(error).__name__, "message": str(error)}
    if isinstance(error, OSError):  # a full disk, a folder taken away
        return {"kind": AskcorpusError.__name__, "message": f"the sync failed: {error.strerror or error}"}
    return {"kind": AskcorpusError.__name__, "message": f"the sync failed: {type(error).__name__}: {error}"}


def main() -> int:
    """The child: reads the request on stdin, syncs, writes {"report": …} or {"error": …} as the last line of
    stdout (anything a library prints goes to stderr instead)."""
    answer_to = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    warnings_to_stderr(notes=True)
    try:
        from askcorpus.indexing.sync import sync  # the indexing stack, Chroma and the model: only here

        request = json.loads(sys.stdin.read())
        report = sync(_config(request["config"]), rebuild=request["rebuild"], dry_run=request["dry_run"],
                      progress=request["progress"])
        answer, code = {"report": report.to_dict()}, 0
    except Exception as error:  # every failure goes back to the parent as one line, never as a traceback
        answer, code = {"error": _error(error)}, 1
    except KeyboardInterrupt:  # Ctrl-C reaches the whole process group; the parent reports it
        answer, code = {"error": {"kind": AskcorpusError.__name__, "message": "the sync was interrupted"}}, 130
    answer_to.write(json.dumps(answer, ensure_ascii=False) + "\n")
    answer_to.close()
    return code


if __name__ == "__main__":
    sys.exit(main())
