"""Add uploaded article files to the seeds folder: the indexer's checks, safe names, no silent overwrites."""

from __future__ import annotations

import os
import re
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path

from askcorpus.errors import AskcorpusError
from askcorpus.indexing.sources import Skipped, decode_article, list_article_paths, size_problem

MAX_NAME_CHARS = 120
MAX_NAME_BYTES = 255  # what Linux and macOS file systems take for one name, in UTF-8
_UNSAFE = re.compile(r"[^\w .,()+\-]")  # \w keeps umlauts and ß


@dataclass(frozen=True)
class Intake:
    """What became of one uploaded file: `added` under `name`, or not, and why."""

    original: str
    name: str | None
    added: bool
    reason: str


def safe_name(original: str) -> str | None:
    """The seeds-folder name for an upload called `original`: NFC, no control characters, characters outside
    letters, digits and ` .,()+-_` replaced by `_`, spaces collapsed, `.txt` in lower case. None when it is not a
    plain `.txt` file name (a folder part, a hidden file, another extension, nothing left)."""
    name = unicodedata.normalize("NFC", original)
    if "/" in name or "\\" in name or name.startswith("."):
        return None
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    name = " ".join(_UNSAFE.sub("_", name).split()).strip(" .")
    stem, dot, extension = name.rpartition(".")
    stem = stem.strip(" .")
    if not dot or extension.lower() != "txt" or not stem.strip("_"):
        return None
    stem = stem[:MAX_NAME_CHARS]
    while len(f"{stem}.txt".encode()) > MAX_NAME_BYTES:  # 120 characters of CJK are 360 bytes
        stem = stem[:-1]
    stem = stem.rstrip(" .")
    return f"{stem}.txt" if stem.strip("_") else None


def add_upload(seeds: Path, original: str, upload: Path) -> Intake:
    """Copy the uploaded file at `upload` into `seeds` as `safe_name(original)` if it is a readable article and no
    different file has that name; never writes outside `seeds` and never replaces a file."""
    name = safe_name(original)
    if name is None and not original.strip().lower().endswith(".txt"):
        return Intake(original, None, False, "is not a .txt file; only .txt articles are added")
    if name is None:
        return Intake(original, None, False, "only plain .txt file names are accepted (no folders, no hidden files)")
    try:
        too_big = size_problem(upload.stat().st_size)
        if too_big:
            return Intake(original, name, False, too_big)
        data = upload.read_bytes()
    except OSError as error:
        return Intake(original, name, False, f"cannot be read ({error.strerror or error})")
    text = decode_article(data)
    if isinstance(text, Skipped):
        return Intake(original, name, False, text.reason)
    try:
        target = _spelt_alike(seeds, name) or seeds / name  # "Über" composed or not looks the same in every list
        if target.is_symlink():  # a link has the name, whether or not what it leads to is there (never read it)
            return Intake(original, name, False,
                          f"a different file named {name} is already in the seeds folder; rename the upload to add it")
        if target.resolve().parent != seeds.resolve():
            return Intake(original, name, False,
                          "only plain .txt file names are accepted (no folders, no hidden files)")
        if target.exists():
            same = target.is_file() and target.read_bytes() == data
            return Intake(original, name, False, "is already in the seeds folder" if same else
                          f"a different file named {name} is already in the seeds folder; rename the upload to add it")
        twin = _holding(seeds, data)
        if twin is not None:
            return Intake(original, name, False, f"has the same content as {twin}, already in the seeds folder")
    except OSError as error:  # the seeds folder went away, or the file system refuses the name
        return Intake(original, name, False, f"cannot be saved ({error.strerror or error})")
    except AskcorpusError as error:  # the seeds folder is gone or no folder
        return Intake(original, name, False, f"cannot be saved ({error})")
    return _write_new(seeds, target, data, original, name)


def _spelt_alike(seeds: Path, name: str) -> Path | None:
    """A file or link in `seeds` whose name is `name` once both are composed (NFC), if there is one."""
    wanted = unicodedata.normalize("NFC", name)
    paths = seeds.iterdir() if seeds.is_dir() else ()  # a missing folder is the next check's to name
    return next((path for path in paths if unicodedata.normalize("NFC", path.name) == wanted), None)


def _holding(seeds: Path, data: bytes) -> str | None:
    """The name of an article file in `seeds` whose bytes are `data`, if there is one (sizes compared first)."""
    for path in list_article_paths(seeds):
        try:
            if path.stat().st_size == len(data) and path.read_bytes() == data:
                return path.relative_to(seeds).as_posix()
        except OSError:  # gone or unreadable meanwhile: not the same file
            continue
    return None


def _write_new(seeds: Path, target: Path, data: bytes, original: str, name: str) -> Intake:
    """Write to a hidden temporary file (the indexer ignores it), then link it to `target`, which fails if another
    writer created `target` meanwhile: a file is never half-written under its name and never replaced."""
    temporary = seeds / f".upload-{uuid.uuid4().hex}.tmp"
    try:
        temporary.write_bytes(data)
        os.link(temporary, target)
    except FileExistsError:
        return Intake(original, name, False, f"a file named {name} appeared in the seeds folder meanwhile")
    except OSError as error:
        return Intake(original, name, False, f"cannot be saved ({error.strerror or error})")
    finally:
        temporary.unlink(missing_ok=True)
    return Intake(original, name, True, "added")
