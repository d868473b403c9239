"""Find and read the article files of a seeds folder: decoded text, content hash, and why a file was skipped."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from askcorpus.errors import AskcorpusError

MAX_FILE_BYTES = 50_000_000


@dataclass(frozen=True)
class SourceFile:
    """One readable article file: `source` is its path relative to the seeds folder, `text` its decoded content."""

    source: str
    text: str
    file_hash: str


@dataclass(frozen=True)
class Skipped:
    """A file that was not indexed, and the one-line reason."""

    source: str
    reason: str


def list_article_paths(seeds: Path) -> list[Path]:
    """All `*.txt` files under `seeds`, sorted; hidden files and links leading outside the folder are left out."""
    if not seeds.exists():
        raise AskcorpusError(f"seeds folder {seeds} does not exist")
    if not seeds.is_dir():
        raise AskcorpusError(f"seeds folder {seeds} is not a folder")
    root = seeds.resolve()
    paths = []
    for path in sorted(seeds.rglob("*.txt")):
        relative = path.relative_to(seeds)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if not path.resolve().is_relative_to(root):
            continue
        paths.append(path)
    return paths


def read_article(seeds: Path, path: Path) -> SourceFile | Skipped:
    """Read one file; anything that is not non-empty UTF-8 text comes back as `Skipped`."""
    source = path.relative_to(seeds).as_posix()
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return Skipped(source, f"larger than {MAX_FILE_BYTES // 1_000_000} MB")
        data = path.read_bytes()
    except FileNotFoundError:
        return Skipped(source, "vanished while indexing")
    except OSError as error:
        return Skipped(source, f"cannot be read ({error.strerror or error})")
    if b"\x00" in data[:8192]:
        return Skipped(source, "looks binary (contains NUL bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return Skipped(source, f"is not valid UTF-8 (byte {error.start}); re-save it as UTF-8")
    if not text.strip(" \t\r\n\ufeff"):
        return Skipped(source, "is empty")
    return SourceFile(source, text, hashlib.sha256(data).hexdigest())


def load_articles(seeds: Path, paths: list[Path] | None = None) -> tuple[list[SourceFile], list[Skipped]]:
    """Read every article file under `seeds` (or these `paths` of it); raises `AskcorpusError` when the folder is
    missing."""
    files, skipped = [], []
    for path in list_article_paths(seeds) if paths is None else paths:
        result = read_article(seeds, path)
        (files if isinstance(result, SourceFile) else skipped).append(result)
    return files, skipped
