"""Texts as the model reads them: a Windows line end (\\r\\n) is read as \\n. A file whose line ends were converted
(an editor, git's autocrlf) then embeds to the same vectors as before, and a sync reuses them."""

from __future__ import annotations

from bisect import bisect_left

CRLF = "\r\n"


def as_read(text: str) -> str:
    """`text` with every \\r\\n written \\n: what the model is given, and the key its vectors are reused by."""
    return text.replace(CRLF, "\n")


def as_read_with_spans(text: str, spans: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    """`as_read(text)` and `spans` (offsets into `text`, none inside a \\r\\n) moved to the same places in it."""
    if CRLF not in text:
        return text, spans
    dropped, at = [], text.find(CRLF)
    while at >= 0:
        dropped.append(at)
        at = text.find(CRLF, at + 2)
    moved = [(start - bisect_left(dropped, start), end - bisect_left(dropped, end)) for start, end in spans]
    return as_read(text), moved
