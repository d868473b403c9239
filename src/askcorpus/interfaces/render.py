"""Plain-text rendering of an `Answer` for the terminal."""

from __future__ import annotations

import textwrap

from askcorpus.answering.answer import Answer
from askcorpus.errors import printable

NO_ANSWER = "Die Artikel enthalten keine Antwort auf diese Frage. (No answer in these articles.)"
NO_ANSWER_ELSEWHERE = ("Die übrigen Artikel enthalten keine Antwort auf diese Frage; ausgelassen, weil seit dem "
                       "letzten Index geändert oder gelöscht: {files}. (No answer in the other articles; those left "
                       "out changed or were deleted since the index was made.)")
NEAREST = "Nearest passages (below the relevance floor, not an answer):"
# Line breaks inside a quote become spaces, as textwrap would space them, before anything else is escaped: the ASCII
# ones and the rest of what str.splitlines breaks at.
_LINE_SPACE = {ord(c): " " for c in "\t\n\x0b\x0c\r\x1c\x1d\x1e\x85\u2028\u2029"}


def render_text(answer: Answer, passages: bool = False) -> str:
    """The quotes, each with a numbered citation, then the numbered sources with title and offsets; with `passages`
    also the retrieved passages (for an abstention: the nearest ones, marked as not an answer)."""
    if answer.abstained:
        said = NO_ANSWER_ELSEWHERE.format(files=", ".join(map(printable, answer.left_out))) if answer.left_out \
            else NO_ANSWER
        return said + (f"\n\n{NEAREST}\n{_passages(answer)}" if passages and answer.passages else "")
    titles = {p.source: p.title for p in answer.passages}
    lines = ["Answer:"]
    for number, quote in enumerate(answer.quotes, 1):
        text = printable(quote.text.translate(_LINE_SPACE))
        wrapped = textwrap.fill(f"„{text}“ [{number}]", width=100, initial_indent="  ", subsequent_indent="   ")
        lines += [wrapped, ""]
    lines.append("Sources:")
    for number, quote in enumerate(answer.quotes, 1):
        title = titles.get(quote.source, "")
        lines.append(f"  [{number}] {printable(quote.source)}: {printable(title)} "
                     f"(characters {quote.start}–{quote.end})")
    if passages:
        lines += ["", "Passages:", _passages(answer)]
    return "\n".join(lines)


def _passages(answer: Answer) -> str:
    lines = []
    for number, passage in enumerate(answer.passages, 1):
        lines.append(f"  {number}. {printable(passage.source)}: {printable(passage.title)} "
                     f"(characters {passage.start}–{passage.end}, score {passage.score:.3f})")
        lines.append(textwrap.fill(printable(" ".join(passage.text.split())), width=100, initial_indent="     ",
                                   subsequent_indent="     "))
    return "\n".join(lines)
