"""Find and read the article files of a seeds folder: decoded text, content hash, and why a file was skipped."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from askcorpus.errors import AskcorpusError
from askcorpus.indexing.lock import DATABASE, LOCK_NAME
from askcorpus.snapshot import encoder_spec, generations
from askcorpus.text.cleaning import SourceFile

DEFAULT_MAX_MB = 5  # a long news article is 50 KB; a 5 MB one takes about 5 minutes to embed on 2 cores
UNREADABLE = "cannot be read"
GONE = "is gone (deleted or moved while it was being read)"
LOOP = "is a link that leads in a loop; not followed"
LIMIT_SETTING = "(ASKCORPUS_MAX_FILE_MB)"
IN_AN_INDEX = f"lies in an index folder (it holds {DATABASE}); not read as an article"
UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")
UTF32_MARKS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")


@dataclass(frozen=True)
class Skipped:
    """A file that was not indexed, and the one-line reason."""

    source: str
    reason: str


def list_article_paths(seeds: Path, index: Path | None = None) -> list[Path]:
    """All `*.txt` files under `seeds` (`.TXT` and any other case too), sorted; hidden ones are left out, and so is
    the `index` folder when it lies inside `seeds` (its files are not articles; other index folders are skipped by
    `read_article`, with a reason)."""
    if not seeds.exists():
        raise AskcorpusError(f"seeds folder {seeds} does not exist")
    if not seeds.is_dir():
        raise AskcorpusError(f"seeds folder {seeds} is not a folder")
    inside = _index_inside(seeds, index)
    if (seeds / DATABASE).is_file():  # --seeds and --index swapped: the model's vocabulary would be read as an article
        raise AskcorpusError(f"seeds folder {seeds} is an index folder (it holds {DATABASE}); pass the folder of "
                             f"articles with --seeds")
    paths = []
    for path in sorted(seeds.rglob("*.[tT][xX][tT]")):  # the watcher lists them every second: no rglob("*")
        parts = path.relative_to(seeds).parts
        if any(part.startswith(".") for part in parts) or (inside and parts[:len(inside)] == inside):
            continue
        paths.append(path)
    return paths


def _in_an_index(seeds: Path, path: Path) -> bool:
    """True when a folder between `seeds` and `path` holds a Chroma database: another index (an old one, another
    tool's), whose files are not articles."""
    parts = path.relative_to(seeds).parts
    return any((seeds.joinpath(*parts[:n]) / DATABASE).is_file() for n in range(1, len(parts)))


INDEX_MARKS = (DATABASE, LOCK_NAME, generations.FOLDER, encoder_spec.FOLDER)  # what a sync writes first or last


def _index_inside(seeds: Path, index: Path | None) -> tuple[str, ...]:
    """The parts of the index folder's path under `seeds` when it lies inside it, else (). Raises AskcorpusError when
    it is `seeds` itself, or a folder of articles that no index has been built in yet."""
    if index is None:
        return ()
    seeds, index = seeds.resolve(), index.resolve()
    if index == seeds:
        raise AskcorpusError(f"the index folder cannot be the seeds folder {seeds} itself; use another folder")
    if not index.is_relative_to(seeds):
        return ()
    if index.is_dir() and not any((index / name).exists() for name in INDEX_MARKS):
        article = next((path for path in index.rglob("*.[tT][xX][tT]")  # in no index yet: the user's own files
                        if not any(part.startswith(".") for part in path.relative_to(index).parts)), None)
        if article is not None:
            raise AskcorpusError(f"the index folder {index} holds articles ({article.relative_to(index)}) of the seeds "
                                 f"folder, which the index would leave out; pass a new or empty folder with --index")
    return index.relative_to(seeds).parts


def source_name(seeds: Path, path: Path) -> str:
    """The name a file is cited by: its path under `seeds`; bytes of a file name that are not UTF-8 show as `\\xff`."""
    relative = path.relative_to(seeds).as_posix()
    return relative.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def read_article(seeds: Path, path: Path) -> SourceFile | Skipped:
    """Read one file; anything that is not non-empty UTF-8 text comes back as `Skipped`."""
    source = source_name(seeds, path)
    data = _article_bytes(seeds, path, source)
    if isinstance(data, Skipped):
        return data
    text = decode_article(data)
    if isinstance(text, Skipped):
        return Skipped(source, text.reason)
    return SourceFile(source, text, hashlib.sha256(data).hexdigest())


def article_text(seeds: Path, path: Path) -> str | None:
    """The decoded text of an article file as `read_article` reads it, without hashing it; None when skipped."""
    data = _article_bytes(seeds, path, source_name(seeds, path))
    text = data if isinstance(data, Skipped) else decode_article(data)
    return None if isinstance(text, Skipped) else text


def may_pass_unchanged(reason: str) -> bool:
    """True when a file skipped for `reason` can be indexed without itself changing: once it may be read, once
    the size limit is raised, or once its folder no longer holds an index. (Every other reason is in the file's
    bytes, which change its size or time.)"""
    return reason.startswith(UNREADABLE) or reason.endswith(LIMIT_SETTING) or reason == IN_AN_INDEX


def _article_bytes(seeds: Path, path: Path, source: str) -> bytes | Skipped:
    if source != path.relative_to(seeds).as_posix():
        return Skipped(source, "has a file name that is not valid UTF-8; rename it")
    try:
        target = path.resolve(strict=True)
    except FileNotFoundError:
        return Skipped(source, "is a link to a file that does not exist" if path.is_symlink() else GONE)
    except RuntimeError:  # a loop of links, before Python 3.13
        return Skipped(source, LOOP)
    except OSError as error:
        if error.errno == errno.ELOOP:
            return Skipped(source, LOOP)
        return Skipped(source, f"{UNREADABLE} ({error.strerror or error})")
    if not target.is_relative_to(seeds.resolve()):
        return Skipped(source, "is a link to outside the seeds folder; not followed")
    if _in_an_index(seeds, path):
        return Skipped(source, IN_AN_INDEX)
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            return Skipped(source, "is not a regular file")
        too_big = size_problem(status.st_size)
        if too_big:
            return Skipped(source, too_big)
        return path.read_bytes()
    except FileNotFoundError:
        return Skipped(source, GONE)
    except OSError as error:
        return Skipped(source, f"{UNREADABLE} ({error.strerror or error})")


def size_problem(size: int) -> str | None:
    """Why a file of `size` bytes is not indexed, or None when it is within ASKCORPUS_MAX_FILE_MB."""
    if size > max_file_bytes():
        megabytes = size / 1_000_000
        shown = f"{megabytes:.3g}" if megabytes < 1000 else f"{megabytes:.0f}"  # no "1.23e+03"
        return f"is {shown} MB, over the limit of {max_file_mb():g} MB per article {LIMIT_SETTING}"
    return None


def decode_article(data: bytes) -> str | Skipped:
    """The text of an article file's bytes, or `Skipped` (with an empty source) saying why they are not one."""
    if data in UTF16_MARKS:
        return Skipped("", "is empty")
    if data.startswith(UTF32_MARKS):
        return Skipped("", "is UTF-32 text; re-save it as UTF-8")
    if data.startswith(UTF16_MARKS) and _is_utf16_text(data):
        return Skipped("", "is UTF-16 text; re-save it as UTF-8")
    if b"\x00" in data:  # anywhere: a NUL after the first pages would be quoted
        return Skipped("", "looks binary (contains NUL bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        hint = " (it looks like Latin-1/Windows-1252)" if _looks_latin1(data) else ""
        return Skipped("", f"is not valid UTF-8 (byte {error.start}){hint}; re-save it as UTF-8")
    if not text.strip(" \t\r\n\ufeff"):
        return Skipped("", "is empty")
    return text


def max_file_bytes() -> float:
    """`max_file_mb` in bytes."""
    return max_file_mb() * 1_000_000


def max_file_mb() -> float:
    """The size limit per article in MB: ASKCORPUS_MAX_FILE_MB, or DEFAULT_MAX_MB."""
    try:
        limit = float(os.environ.get("ASKCORPUS_MAX_FILE_MB") or DEFAULT_MAX_MB)
    except ValueError:
        limit = 0.0
    if not 0 < limit < float("inf"):
        raise AskcorpusError("ASKCORPUS_MAX_FILE_MB must be a positive number of megabytes")
    return limit


def _is_utf16_text(data: bytes) -> bool:
    """True when bytes that start with a UTF-16 byte order mark decode as UTF-16 to text: mostly printable
    characters, few controls (random bytes after FF FE decode too, but to unassigned and control characters)."""
    text = data[:len(data) // 2 * 2].decode("utf-16", errors="replace")  # a cut-off last byte does not count
    printable = sum((char.isprintable() and char != "\ufffd") or char in "\t\r\n" for char in text)
    return bool(text) and printable >= 0.95 * len(text)


def _looks_latin1(data: bytes) -> bool:
    """True when the bytes over 0x7F are mostly German letters in Latin-1 (ä ö ü ß Ä Ö Ü)."""
    high = [b for b in data if b > 0x7F]
    return bool(high) and sum(b in b"\xe4\xf6\xfc\xdf\xc4\xd6\xdc" for b in high) >= 0.5 * len(high)


def load_articles(seeds: Path, paths: list[Path] | None = None) -> tuple[list[SourceFile], list[Skipped]]:
    """Read every article file under `seeds` (or these `paths` of it); raises `AskcorpusError` when the folder is
    missing."""
    files, skipped = [], []
    for path in list_article_paths(seeds) if paths is None else paths:
        result = read_article(seeds, path)
        (files if isinstance(result, SourceFile) else skipped).append(result)
    return files, skipped
