"""German synonyms from OpenThesaurus (Debian's package openthesaurus-de-text,
`/usr/share/openthesaurus-de/openthesaurus.txt`, LGPL-2.1+; ASKCORPUS_THESAURUS names another file in its format, an
empty value turns it off), so that a question's word meets the article's other word for the same thing
("Staatsoberhaupt": Präsident, "Unterredung": Gespräch). Without the file a word meets only its own forms.

Stemming the file's 100,000 words takes 1–2 s, so their synonyms are kept by stem in an SQLite table in the user's
cache (`word_tables`), one file per version of the thesaurus, and looked up a stem at a time."""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

import Stemmer

from askcorpus.text.analysis import GermanAnalyzer, analyzer_signature
from askcorpus.text.word_tables import (
    CachedRows,
    WordFile,
    cache_folder,
    file_key,
    open_rows,
    remove_quietly,
    write_rows,
)

DEFAULT_THESAURUS = Path("/usr/share/openthesaurus-de/openthesaurus.txt")
CACHE_FOLDER = "thesauri"
FORMAT = 1  # raise when what is kept of a line changes
_NOTES = re.compile(r"\([^)]*\)")  # "(ugs.)", "(jemandem etwas)", "(auf)"
_WORD = re.compile(r"[^\W\d_]+")  # no hyphen: a question's "Ukraine-Konflikt" is two words


def parse_synsets(lines: Iterable[str]) -> list[list[str]]:
    """The single words of each line of the thesaurus ("Staatsoberhaupt;Staatschef;Präsident"), without notes in
    parentheses; phrases of several words ("Einstellung der Kampfhandlungen") and hyphenated words are left out, and
    so is a line left with fewer than two words."""
    synsets = []
    for line in lines:
        if line.startswith("#"):
            continue
        words = [word for entry in line.rstrip("\n").split(";")
                 if _WORD.fullmatch(word := _NOTES.sub(" ", entry).strip())]
        if len(words) > 1:
            synsets.append(words)
    return synsets


def synonyms_by_stem(synsets: Iterable[list[str]], stem) -> dict[str, frozenset[str]]:
    """Each stem of a word of `synsets` -> the stems of the other words of every line it is on (`stem` makes a
    stem of a word). A stem of many meanings gets them all ("schon", as "schön": 76): keeping only stems of at
    most 2, 3 or 6 lines chose no better sentences (cross-validated)."""
    by_stem: dict[str, set[str]] = {}
    for synset in synsets:
        stems = {stem(word) for word in synset}
        for one in stems:
            by_stem.setdefault(one, set()).update(stems)
    return {one: frozenset(others - {one}) for one, others in by_stem.items() if len(others) > 1}


class _Synonyms(Protocol):
    def get(self, stem: str) -> frozenset[str]: ...


class _MemorySynonyms:
    """The synonyms held in memory, each stem's joined by tabs, when the cache cannot be written (or there is no
    thesaurus)."""

    def __init__(self, by_stem: dict[str, str]):
        self._by_stem = by_stem

    def get(self, stem: str) -> frozenset[str]:
        joined = self._by_stem.get(stem)
        return frozenset(joined.split("\t")) if joined else frozenset()


class _CachedSynonyms:
    """The synonyms as the cache's SQLite file holds them."""

    def __init__(self, rows: CachedRows):
        self._rows = rows

    def get(self, stem: str) -> frozenset[str]:
        row = self._rows.row("SELECT stems FROM synonyms WHERE word = ?", stem)
        return frozenset(row[0].split("\t")) if row else frozenset()


class Thesaurus(WordFile[_Synonyms]):
    """Synonyms of German words by their stems (`synonyms`), from the file at `path` (None: none), read on first use
    (`word_tables.WordFile`). `from_env` gives the one configured: ASKCORPUS_THESAURUS (empty: none), else Debian's
    openthesaurus-de-text file. Without a cache, reading the file takes 1–2 s."""

    SETTING = "ASKCORPUS_THESAURUS"
    DEFAULT = DEFAULT_THESAURUS
    CACHE_FOLDER = CACHE_FOLDER

    def synonyms(self, stem: str) -> frozenset[str]:
        """The stems (as `GermanAnalyzer.stem` makes them) of the words that share a line of the thesaurus with a
        word of stem `stem`, not `stem` itself; empty without a thesaurus."""
        return self._read().get(stem)

    def _load(self, path: Path) -> _Synonyms:
        return _cached_synonyms(path)

    def _empty(self) -> _Synonyms:
        return _MemorySynonyms({})


def _cached_synonyms(path: Path) -> _Synonyms:
    """The synonyms of `path`, from the cache when it holds them for this very file, else parsed and cached; an
    unreadable thesaurus counts as none."""
    # the stems are the stemmer's and the analyzer's: another version of either, another table
    version = f"{FORMAT}-{Stemmer.version()}-{analyzer_signature()}"
    try:
        folder = cache_folder(CACHE_FOLDER)
        cached = folder / f"{_owner(path)}-{file_key(path, version)}.sqlite" if folder else None
        rows = open_rows(cached, ("synonyms",))
        if rows is not None:
            return _CachedSynonyms(rows)
        with path.open(encoding="utf-8", errors="replace") as lines:
            by_stem = synonyms_by_stem(parse_synsets(lines), GermanAnalyzer().stem)
    except OSError:
        return _MemorySynonyms({})
    joined = {one: "\t".join(sorted(others)) for one, others in sorted(by_stem.items())}
    del by_stem

    def fill(connection: sqlite3.Connection) -> None:
        connection.execute("CREATE TABLE synonyms (word TEXT PRIMARY KEY, stems TEXT NOT NULL) WITHOUT ROWID")
        connection.executemany("INSERT INTO synonyms VALUES (?, ?)", joined.items())

    if cached is not None and write_rows(cached, fill):
        remove_quietly(_other_versions(cached))
    rows = open_rows(cached, ("synonyms",))
    return _CachedSynonyms(rows) if rows is not None else _MemorySynonyms(joined)


def _owner(path: Path) -> str:
    """The file's name and a hash of its full path: caches of files of one name in two folders are two."""
    return f"{path.name}-{hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:8]}"


def _other_versions(cached: Path) -> list[Path]:
    """The caches of other versions of the thesaurus file whose cache is `cached`."""
    owner = cached.name.rsplit("-", 1)[0]
    try:
        return [other for other in cached.parent.iterdir()
                if other != cached and other.suffix == ".sqlite" and other.name.rsplit("-", 1)[0] == owner]
    except OSError:
        return []
