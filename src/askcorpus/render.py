"""Plain-text rendering of an `Answer` for the terminal."""

from __future__ import annotations

import textwrap

from askcorpus.answer import Answer

NO_ANSWER = "Die Artikel enthalten keine Antwort auf diese Frage. (No answer in these articles.)"


def render_text(answer: Answer) -> str:
    """The quotes, each with a numbered citation, then the numbered sources with title and offsets."""
    if answer.abstained:
        return NO_ANSWER
    titles = {p.source: p.title for p in answer.passages}
    lines = ["Answer:"]
    for number, quote in enumerate(answer.quotes, 1):
        wrapped = textwrap.fill(f"„{quote.text}“ [{number}]", width=100, initial_indent="  ", subsequent_indent="   ")
        lines += [wrapped, ""]
    lines.append("Sources:")
    for number, quote in enumerate(answer.quotes, 1):
        lines.append(f"  [{number}] {quote.source}: {titles.get(quote.source, '')} (characters {quote.start}–{quote.end})")
    return "\n".join(lines)
