"""Texts as the model reads them: a Windows line end (\\r\\n, also \\r\\r\\n) is read as \\n. A file whose line ends
were converted (an editor, git's autocrlf) then embeds to the same vectors as before, and a sync reuses them."""

from __future__ import annotations

import re
from bisect import bisect_left

_BEFORE_NEWLINE = re.compile(r"\r+(?=\n)")


def as_read(text: str) -> str:
    """`text` with the carriage returns before each line feed left out: what the model is given, and the key its
    vectors are reused by (`as_read(as_read(t)) == as_read(t)`)."""
    return _BEFORE_NEWLINE.sub("", text) if "\r" in text else text


def as_read_with_spans(text: str, spans: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    """`as_read(text)` and `spans` (offsets into `text`) moved to the same places in it."""
    if "\r" not in text:
        return text, spans
    dropped = [at for match in _BEFORE_NEWLINE.finditer(text) for at in range(match.start(), match.end())]
    moved = [(start - bisect_left(dropped, start), end - bisect_left(dropped, end)) for start, end in spans]
    return as_read(text), moved
