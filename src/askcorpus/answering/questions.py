"""What counts as a question: checked before anything heavy is imported."""

from __future__ import annotations

import re
import unicodedata

from askcorpus.errors import AskcorpusError

MAX_QUESTION_CHARS = 2000
EMPTY_MESSAGE = "the question is empty"
# The HTML elements a pasted question may carry; a word in angle brackets that names none ("<Waffenruhe>") is asked.
HTML_ELEMENTS = frozenset("""
    a abbr address area article aside audio b base bdi bdo big blockquote body br button canvas caption center cite
    code col colgroup data datalist dd del details dfn dialog div dl dt em embed fieldset figcaption figure font
    footer form frame frameset h1 h2 h3 h4 h5 h6 head header hr html i iframe img input ins kbd label legend li link
    main map mark marquee math menu meta meter nav noscript object ol optgroup option output p param picture pre
    progress q rp rt ruby s samp script section select slot small source span strike strong style sub summary sup
    svg table tbody td template textarea tfoot th thead time title tr track tt u ul var video wbr
""".split())
CUSTOM_ELEMENT = re.compile(r"[a-z][a-z0-9.]*-[\w.-]*")
# Attributes written without "=": "<input disabled>", "<details open>", "<td nowrap>".
BOOLEAN_ATTRIBUTES = frozenset("""
    allowfullscreen async autofocus autoplay checked controls default defer disabled formnovalidate hidden inert
    ismap itemscope loop multiple muted nomodule noshade novalidate nowrap open playsinline readonly required
    reversed selected
""".split())


def _is_tag(name: str, rest: str | None) -> bool:
    """Whether `<name rest>` (no "=" in `rest`) is a tag: a custom element's or a namespaced one's ("<o:p/>", as
    Word pastes), or an HTML element's with nothing after its name but attributes written without "=" and a "/"."""
    if CUSTOM_ELEMENT.fullmatch(name) or ":" in name:
        return True
    attributes = (rest or "").replace("/", " ").split()
    return name.lower() in HTML_ELEMENTS and all(a.lower() in BOOLEAN_ATTRIBUTES for a in attributes)


# Pasted markup is not part of what is asked: script and style bodies, tags (closing ones, comments and
# declarations, those with an attribute's "=", those naming an HTML element and a custom element's lower-case
# hyphenated ones), link targets and bare URLs go; link and image texts stay, and so do words in angle brackets
# ("<Austausch von Kriegsgefangenen>", "<Kriegsgefangenen-Austausch>").
MARKUP = [
    (re.compile(r"<(script|style)\b.*?</\1\s*>", re.I | re.S), " "),
    (re.compile(r"<(?:[/!?][^<>]{0,500}|[A-Za-z][\w:.-]{0,60}\s[^<>=]{0,500}=[^<>]{0,500})>"), " "),
    (re.compile(r"<([A-Za-z][\w:.-]{0,60})(\s[^<>]{0,500}|/)?>"),
     lambda match: " " if _is_tag(*match.groups()) else match[0]),
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
    category = unicodedata.category(character)
    if category == "Cs":  # half of a surrogate pair alone (a byte of a non-UTF-8 argument): no text, not printable
        return "\ufffd"
    return " " if category in ("Cc", "Cf") else character


class QuestionError(AskcorpusError):
    """An empty or over-long question, or a bad passage count."""

    exit_code = 2


def check_question(question: str) -> str:
    """The question with control and formatting characters (NUL, escape sequences, bidi overrides) turned into
    spaces, those invisible inside words (soft hyphens, zero-width spaces: IN_WORD) removed, lone surrogates
    replaced by U+FFFD, letters composed
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
