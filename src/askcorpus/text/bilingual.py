"""German words for the words of an English question, from the English-German dictionary of the Ding project
(Debian's package trans-de-en, `/usr/share/trans/de-en`, GPL-2+; ASKCORPUS_DICTIONARY names another file in its
format, an empty value turns it off). BM25 over the German articles then has something to match in an English
question ("prisoner exchange" -> "Gefangene", "Austausch"). Without the file, English questions go by vectors alone.
The words only one side holds tell an English question from a German one (`Dictionary.language`).

Reading the 25 MB file takes seconds, so its entries (of one or two English words) and the words of its German side
are kept in SQLite tables in the user's cache, one file per version of the dictionary, and looked up there a word at a
time: opening it takes about a millisecond, and nothing of it is held in memory (unless the cache cannot be written:
then it is)."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from askcorpus.text.word_tables import (
    CachedRows,
    WordFile,
    cache_folder,
    file_key,
    open_rows,
    remove_quietly,
    write_rows,
)

DEFAULT_DICTIONARY = Path("/usr/share/trans/de-en")
CACHE_FOLDER = "dictionaries"
FORMAT = 6  # raise when what is kept from an entry changes: cached files of another format are read anew
_NOTES = re.compile(r"\{[^}]*\}|\[[^\]]*\]|\([^)]*\)|<[^>]*>|/[^/]*/")  # {f} [pol.] (von jdm.) <Abk.> /NATO/
# Placeholders for an object ("etw. ankündigen", "to announce sb./sth."), a reflexive pronoun and an article
_PLACEHOLDERS = re.compile(r"(?<!\S)(?:(?:etw|jdn|jdm|jds|jd|sth|sb)\.(?:/(?:etw|jdn|jdm|jds|jd|sth|sb)\.)*|sb's|"
                           r"sich|oneself|one's)(?!\S)")
_ARTICLE = re.compile(r"^(?:der|die|das|the|a|an) ")
MIN_LETTERS = 3  # a shorter word is not told English or German by the dictionary ("s.", "pl", "am")
_GERMAN_WORD = re.compile(rf"[^\W\d_]{{{MIN_LETTERS},}}")
_LABELS = re.compile(r"\{[^}]*\}|\[[^\]]*\]|<[^>]*>")  # {f} [school] <Abk.>: no words of the German side
_KEPT_LANGUAGES = 100_000  # words whose language is remembered, at most
# English inflections tried, in order, when a word is not an entry itself: (ending, replacement)
_INFLECTIONS = (("'s", ""), ("ies", "y"), ("s", ""), ("es", ""), ("ied", "y"), ("ed", "e"), ("ed", ""),
                ("ing", "e"), ("ing", ""))


def parse_entries(lines: Iterable[str]) -> dict[str, list[str]]:
    """English single words and pairs of words ("foreign minister") -> the German single words they translate
    ("Außenminister"), in the dictionary's order. A line is "German :: English"; " | " separates a headword's forms,
    aligned on both sides; "; " separates synonyms. Notes in brackets, placeholders for an object ("etw.", "sth.")
    and a leading article are dropped; an English verb loses its "to "."""
    return parse_dictionary(lines)[0]


def parse_dictionary(lines: Iterable[str]) -> tuple[dict[str, list[str]], set[str]]:
    """The entries (`parse_entries`), and every word of three letters or more on the German side of any line,
    casefolded: inside phrases and notes in parentheses too ("ich/er/sie bot"), not in labels ("[school]"), so that
    an English entry is known to be a German word as well ("bot", "global", "fair")."""
    german_of: dict[str, list[str]] = {}
    german_words: set[str] = set()
    for line in lines:
        if line.startswith("#") or "::" not in line:
            continue
        german, english = line.rstrip("\n").split("::", 1)
        german_words.update(_GERMAN_WORD.findall(_LABELS.sub(" ", german).casefold()))
        german_forms, english_forms = german.split(" | "), english.split(" | ")
        forms = list(zip(german_forms, english_forms))
        if len(german_forms) != len(english_forms):
            forms = forms[:1]  # not aligned: only the headwords are sure to translate each other
        for german_form, english_form in forms:
            germans = [word for word in _words(german_form) if " " not in word]
            if not germans:
                continue
            for word in _words(english_form):
                word = word.casefold().removeprefix("to ")
                if word and word.count(" ") <= 1:  # one word, or two ("foreign minister": "Außenminister")
                    known = german_of.setdefault(word, [])
                    known.extend(g for g in germans if g not in known)
    return german_of, german_words


def _words(form: str) -> list[str]:
    """The synonyms of one form of an entry, without notes (which may hold a ";" themselves: "{began; begun}"),
    placeholders and a leading article."""
    plain = _NOTES.sub(" ", _PLACEHOLDERS.sub(" ", form))  # placeholders first: "sb./sth." is no note "/…/"
    return [_ARTICLE.sub("", " ".join(part.split())) for part in plain.split(";")]


class _Entries(Protocol):
    """English word -> its German words joined by tabs, or None; and whether a word is on the German side."""

    def get(self, word: str) -> str | None: ...

    def is_german(self, word: str) -> bool: ...


class _MemoryEntries:
    """The entries held in memory, when the cache cannot be written (or there is no dictionary)."""

    def __init__(self, entries: dict[str, str], german_words: set[str]):
        self._entries = entries
        self._german_words = german_words

    def get(self, word: str) -> str | None:
        return self._entries.get(word)

    def is_german(self, word: str) -> bool:
        return word in self._german_words


class Dictionary(WordFile[_Entries]):
    """German translations of English words (`translations`), and which language a word is of (`language`), from the
    file at `path` (None: no dictionary), read on first use (`word_tables.WordFile`). `from_env` gives the one
    configured: ASKCORPUS_DICTIONARY (empty: none), else Debian's trans-de-en file. Without a cache, reading the file
    takes about 6–7 s: `make_cache` and `preload` spare the first question that wait."""

    SETTING = "ASKCORPUS_DICTIONARY"
    DEFAULT = DEFAULT_DICTIONARY
    CACHE_FOLDER = CACHE_FOLDER

    def __init__(self, path: Path | None):
        super().__init__(path)
        self._languages: dict[str, str | None] = {}

    def language(self, word: str) -> str | None:
        """"en" for a word of three letters or more that the dictionary has as English only: an entry, or an
        inflection of one, that is no word of its German side ("killed", "victims"); "de" for a German word that is
        no English entry ("passiert"); None for a word of both ("global", "bot"), of neither, or without a
        dictionary."""
        word = word.casefold()
        if len(word) < MIN_LETTERS:
            return None
        known = self._languages.get(word, False)
        if known is False:
            german, english = self._read().is_german(word), bool(self.translations(word))
            known = "de" if german and not english else "en" if english and not german else None
            if len(self._languages) < _KEPT_LANGUAGES:
                self._languages[word] = known
        return known

    def translations(self, word: str, uninflect: bool = True) -> list[str]:
        """German words for an English `word`, else (with `uninflect`) for its uninflected form, the first the
        dictionary has ("exchanges", "mediated"). An inflected form that is an entry of its own only as a verb or
        an adjective (no German noun among its words) also stands for its uninflected form's words: "talks" is
        "redet" and "Gespräch", "negotiating" "verhandelnd" and "verhandeln"; "news" stays "Nachrichten", not
        "neu". [] for a word the dictionary lacks, or without a dictionary."""
        entries = self._read()
        word = word.casefold().replace("’", "'")
        found = entry.split("\t") if (entry := entries.get(word)) else []
        if any(german[:1].isupper() for german in found):
            return found
        for ending, replacement in _INFLECTIONS if uninflect else ():
            if word.endswith(ending) and len(word) > len(ending) + 2 and (
                    base := entries.get(word[:-len(ending)] + replacement)):
                return found + [german for german in base.split("\t") if german not in found]
        return found

    def _load(self, path: Path) -> _Entries:
        return _cached_entries(path)

    def _empty(self) -> _Entries:
        return _MemoryEntries({}, set())


class _CachedEntries:
    """The entries as the cache's SQLite file holds them (`word_tables.CachedRows`)."""

    def __init__(self, rows: CachedRows):
        self._rows = rows

    def get(self, word: str) -> str | None:
        row = self._rows.row("SELECT germans FROM entries WHERE word = ?", word)
        return row[0] if row else None

    def is_german(self, word: str) -> bool:
        return self._rows.row("SELECT 1 FROM germans WHERE word = ?", word) is not None


def _cached_entries(path: Path) -> _Entries:
    """The entries of `path`, from the cache when it holds them for this very file (its path, size and time), else
    parsed and cached; a cache that cannot be read or written only costs the parse. An unreadable dictionary counts
    as none."""
    try:
        folder = cache_folder(CACHE_FOLDER)
        cached = folder / f"{path.name}-f{FORMAT}-{file_key(path, str(FORMAT))}.sqlite" if folder else None
        stored = _open_cache(cached)
        if stored is not None:
            return stored
        with path.open(encoding="utf-8", errors="replace") as lines:
            german_of, german_words = parse_dictionary(lines)
    except OSError:
        return _MemoryEntries({}, set())
    entries = {word: "\t".join(germans) for word, germans in german_of.items()}

    def fill(connection: sqlite3.Connection) -> None:
        connection.execute("CREATE TABLE germans (word TEXT PRIMARY KEY) WITHOUT ROWID")
        connection.executemany("INSERT INTO germans VALUES (?)", ((word,) for word in sorted(german_words)))
        connection.execute("CREATE TABLE entries (word TEXT PRIMARY KEY, germans TEXT NOT NULL) WITHOUT ROWID")
        connection.executemany("INSERT INTO entries VALUES (?, ?)", entries.items())

    if cached is not None and write_rows(cached, fill):
        remove_quietly(_other_formats(cached))
    return _open_cache(cached) or _MemoryEntries(entries, german_words)


def _open_cache(cached: Path | None) -> _CachedEntries | None:
    rows = open_rows(cached, ("entries", "germans"))
    return _CachedEntries(rows) if rows is not None else None


def _other_formats(cached: Path) -> list[Path]:
    """The caches of the same dictionary file name as `cached` in other formats: format 2's JSON files, formats 3 to
    5 (`<name>-<key>.sqlite`), and later ones (`<name>-f<format>-<key>.sqlite`)."""
    name = cached.name.rsplit("-", 2)[0]
    found = []
    try:
        names = list(cached.parent.iterdir())
    except OSError:
        return []
    for earlier in names:
        base, _, key = earlier.name.removesuffix(".sqlite").rpartition("-")
        owner, _, form = base.rpartition("-")
        unnamed = base == name and len(key) == 16
        other = owner == name and form.startswith("f") and form != f"f{FORMAT}"
        if earlier.suffix == ".json" or earlier.suffix == ".sqlite" and (unnamed or other):
            found.append(earlier)
    return found
