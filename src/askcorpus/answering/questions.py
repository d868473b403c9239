"""What counts as a question: checked before anything heavy is imported."""

from __future__ import annotations

import re
import unicodedata

from askcorpus.errors import AskcorpusError

MAX_QUESTION_CHARS = 2000
EMPTY_MESSAGE = "the question is empty"
# Pasted markup is not part of what is asked: script and style bodies, tags, link targets and bare URLs go,
# link and image texts stay.
MARKUP = [
    (re.compile(r"<(script|style)\b.*?</\1\s*>", re.I | re.S), " "),
    (re.compile(r"<[^<>]{0,500}>"), " "),
    (re.compile(r"!?\[([^\[\]]*)\]\((?:[^()\s]|\([^()\s]*\))*\)"), r"\1"),
    (re.compile(r"\b(?:https?|javascript|data|file):\S+", re.I), " "),
]


# Terminal escape sequences go whole (colours, cursor moves, window titles), not only their ESC: CSI and its C1
# form, a terminated OSC (up to BEL or ST), and the other escapes (ESC c, ESC ( B, …); an unterminated OSC loses only
# its ESC ], not the rest of the question.
TERMINAL_ESCAPE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)|\x1b[!-/]*[0-~]")


# Invisible inside a word (soft hyphen, zero-width space, non-joiner, joiner, word joiner, BOM, the left-to-right,
# right-to-left and Arabic letter marks): text copied from a web page has them in the middle of words and numbers.
# Other formatting characters (bidi overrides and isolates) stand between words.
IN_WORD = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u061c")


def _without_format(character: str) -> str:
    if character in IN_WORD:
        return ""
    return " " if unicodedata.category(character) in ("Cc", "Cf") else character


class QuestionError(AskcorpusError):
    """An empty or over-long question, or a bad passage count."""

    exit_code = 2


def check_question(question: str) -> str:
    """The question with control and formatting characters (NUL, escape sequences, bidi overrides) turned into
    spaces, those invisible inside words (soft hyphens, zero-width spaces: IN_WORD) removed, letters composed
    (NFC) and HTML/Markdown markup removed, stripped; raises `QuestionError` if it is not text, is empty, is
    longer than MAX_QUESTION_CHARS or has no word."""
    if question is not None and not isinstance(question, str):
        raise QuestionError(f"the question must be text, not {type(question).__name__}")
    cleaned = TERMINAL_ESCAPE.sub(" ", question or "")
    cleaned = unicodedata.normalize("NFC", "".join(_without_format(c) for c in cleaned)).strip()
    if not cleaned:
        raise QuestionError(EMPTY_MESSAGE)
    if len(cleaned) > MAX_QUESTION_CHARS:
        raise QuestionError(f"the question has {len(cleaned)} characters; the limit is {MAX_QUESTION_CHARS}")
    for pattern, replacement in MARKUP:
        cleaned = pattern.sub(replacement, cleaned)
    cleaned = " ".join(cleaned.split())
    if not any(c.isalnum() for c in cleaned):
        raise QuestionError("the question has no words to search for")
    return cleaned
