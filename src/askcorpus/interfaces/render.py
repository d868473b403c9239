"""Plain-text rendering of an `Answer` for the terminal."""

from __future__ import annotations

import textwrap

from askcorpus.answering.answer import Answer

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
        title = titles.get(quote.source, "")
        lines.append(f"  [{number}] {quote.source}: {title} (characters {quote.start}–{quote.end})")
    return "\n".join(lines)


NO_ANSWER_HTML = "Die Artikel enthalten keine Antwort auf diese Frage. (The articles contain no answer to this.)"
# Every character that HTML or Markdown could read as markup becomes a numeric entity, so article text can
# open no tag, link, image or autolink: it renders as the characters it is.
_MARKUP = frozenset("<>&\"'\\`*_{}[]()#+-.!|~:/=$%@^;?")


def escape(text: str) -> str:
    """`text` as inert HTML-and-Markdown: markup characters as entities, line breaks as <br>."""
    escaped = "".join(f"&#{ord(c)};" if c in _MARKUP else c for c in text)
    return escaped.replace("\r\n", "\n").replace("\n", "<br>")


def render_html(answer: Answer) -> str:
    """The chat message: quotes with citation markers, then the passages, quotes highlighted, in a <details>."""
    if answer.abstained:
        return f'<p class="ac-abstain">{NO_ANSWER_HTML}</p>'
    titles = {p.source: p.title for p in answer.passages}
    parts = ['<div class="ac-answer">']
    for number, quote in enumerate(answer.quotes, 1):
        parts.append(
            f'<blockquote class="ac-quote">{escape(quote.text)}'
            f'<br><cite class="ac-cite">[{number}] {escape(quote.source)} – {escape(titles.get(quote.source, ""))}'
            f"</cite></blockquote>"
        )
    parts.append(f'<details class="ac-passages"><summary>Passages ({len(answer.passages)})</summary>')
    for number, passage in enumerate(answer.passages, 1):
        parts.append(
            f'<div class="ac-passage"><p class="ac-passage-head">{number}. {escape(passage.source)} – '
            f"{escape(passage.title)} (characters {passage.start}–{passage.end})</p>"
            f"<p>{_highlighted(passage, answer)}</p></div>"
        )
    parts.append("</details></div>")
    return "".join(parts)


def _highlighted(passage, answer: Answer) -> str:
    """The passage text with the parts that are quoted in the answer inside <mark>."""
    spans = sorted(
        (max(q.start, passage.start) - passage.start, min(q.end, passage.end) - passage.start)
        for q in answer.quotes if q.source == passage.source and q.start < passage.end and q.end > passage.start
    )
    out, cursor = [], 0
    for start, end in spans:
        start = max(start, cursor)
        if start >= end:
            continue
        out += [escape(passage.text[cursor:start]), f"<mark>{escape(passage.text[start:end])}</mark>"]
        cursor = end
    out.append(escape(passage.text[cursor:]))
    return "".join(out)
