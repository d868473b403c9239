"""The exception type whose message is shown to the user as a one-line error, its kinds, and where warnings go."""

from __future__ import annotations

import logging
import sys

LOGGER = logging.getLogger("askcorpus")


class AskcorpusError(Exception):
    """A problem the user can fix; the CLI prints `askcorpus: <message>` and exits non-zero."""

    exit_code = 1


class IndexNotWritable(AskcorpusError):
    """The index folder cannot be written; a current index in it can still answer."""


class IndexBusy(AskcorpusError):
    """Another process (`holder`) is writing the index; its last complete state can still answer."""

    def __init__(self, index, holder: str):
        super().__init__(f"index {index} is being updated by process {holder}; try again when it has finished")
        self.index, self.holder = index, holder


class ArticleUnavailable(AskcorpusError):
    """A cited article that cannot be shown: its file name (`source`) and why (`reason`, an indexer reason or one of
    the article view's own), kept apart so that a page can word the reason in its own language."""

    def __init__(self, source: str, reason: str):
        super().__init__(f"{source} {reason}")
        self.source, self.reason = source, reason


class IndexDamaged(AskcorpusError):
    """SQLite finds the index's Chroma database damaged: `askcorpus index --rebuild` moves it aside and builds the
    index again; its last complete snapshot can still answer."""


class NoIndex(AskcorpusError):
    """There is no usable answering snapshot yet: `askcorpus index` makes one."""


def first_line(error: BaseException) -> str:
    """The first line of an error's message (or its type's name), for one-line reports of library errors."""
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def warn(message: str) -> None:
    """Report something the user should know that does not stop the work (a skipped file, a rebuild)."""
    LOGGER.warning(message)


def note(message: str) -> None:
    """Report what a long-running process did by itself (an automatic sync)."""
    LOGGER.info(message)


_BIDI_CONTROLS = [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_LINE_SEPARATORS = [0x2028, 0x2029]  # lines end there for str.splitlines and many editors
_UNSAFE = ({code: f"\\x{code:02x}" for code in [*range(0x20), 0x7F, *range(0x80, 0xA0)]}
           | {code: f"\\u{code:04x}" for code in [*_BIDI_CONTROLS, *_LINE_SEPARATORS]})


def printable(text: str) -> str:
    """`text` safe to print on a terminal: control characters (escape sequences, line breaks, a bell) as `\\xNN`,
    so that an article or a file name can neither drive the terminal nor break a line of output in two, Unicode's
    line and paragraph separators and bidi controls as `\\uNNNN`, the latter so that none can reorder what follows
    ("rechnung\\u202eftp.exe.txt" would show as "rechnungtxt.exe.ptf")."""
    return text.translate(_UNSAFE)


class _ConsoleFormat(logging.Formatter):
    def formatMessage(self, record: logging.LogRecord) -> str:  # the message only: a traceback keeps its lines
        kind = "warning: " if record.levelno >= logging.WARNING else ""
        return f"askcorpus: {kind}{printable(super().formatMessage(record))}"


def warnings_to_stderr(notes: bool = False) -> None:
    """Print askcorpus warnings as `askcorpus: warning: …` lines on stderr, and with `notes` also what a
    long-running process did by itself (the CLI and the app call this once)."""
    if not any(getattr(handler, "askcorpus_console", False) for handler in LOGGER.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(_ConsoleFormat("%(message)s"))
        handler.askcorpus_console = True
        LOGGER.addHandler(handler)
        LOGGER.propagate = False  # a library that configures the root logger later (MCP's) would print them twice
    if notes:
        LOGGER.setLevel(logging.INFO)
