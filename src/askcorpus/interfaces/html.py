"""HTML for the chat app: an answer with citation links, the nearest passages of an abstention, and an article with
its quoted spans marked. Every piece of article text is escaped so it can open no tag, link or image."""

from __future__ import annotations

import hashlib
from urllib.parse import quote

from askcorpus.answering.answer import Answer, Passage
from askcorpus.answering.article import ArticleView
from askcorpus.errors import printable

NO_ANSWER_HTML = "Die Artikel enthalten keine Antwort auf diese Frage. (The articles contain no answer to this.)"
MOVED_HTML = ("Der Artikel wurde seit dieser Antwort geändert: die zitierte Stelle steht nicht mehr dort. Bitte die "
              "Frage erneut stellen. (The article changed since this answer; ask again.)")
NO_ANSWER_ELSEWHERE_HTML = ("Die übrigen Artikel enthalten keine Antwort auf diese Frage. (The other articles contain "
                            "no answer to this.)")
LEFT_OUT_HTML = ("Ausgelassen, weil seit dem letzten Index geändert oder gelöscht: {files}. Nach dem nächsten Abgleich "
                 "(Index abgleichen) erneut fragen. (Left out: changed or deleted since the index was made; ask again "
                 "after the next sync.)")
NEAREST = ("Nächste Passagen ({count}) – sie liegen unter der Relevanzschwelle und sind keine Antwort "
           "(nearest passages, below the relevance floor: not an answer)")
# Every character that HTML or Markdown could read as markup becomes a numeric entity, so article text can
# open no tag, link, image or autolink: it renders as the characters it is.
_MARKUP = frozenset("<>&\"'\\`*_{}[]()#+-.!|~:/=$%@^;?")


def escape(text: str) -> str:
    """`text` as inert HTML-and-Markdown: markup characters as entities, line breaks as <br>."""
    escaped = "".join(f"&#{ord(c)};" if c in _MARKUP else c for c in text)
    return escaped.replace("\r\n", "\n").replace("\n", "<br>")


def escape_label(text: str) -> str:
    """A file name, title or message as inert HTML on one line, its control and bidi characters shown as the
    terminal shows them (`errors.printable`): a right-to-left override can neither disguise a name nor reverse
    what follows it."""
    return escape(printable(text))


def span_fingerprint(text: str) -> str:
    """Eight hex digits naming a cited text, so that a link made before its article changed is recognised."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=4).hexdigest()


def article_link(source: str, start: int, end: int, text: str) -> str:
    """The page address that opens `source` with the span start:end, which held `text`, marked:
    `?source=FILE#q-START-END-FINGERPRINT` (`span_fingerprint`)."""
    return f"?source={quote(source)}#q-{start}-{end}-{span_fingerprint(text)}"


def citation_span(fragment: object) -> tuple[str, str, str | None]:
    """(start, end, fingerprint or None) from a citation's address fragment `q-START-END[-FINGERPRINT]`; a
    fragment that is not text (a forged event's) is no span."""
    fragment = fragment if isinstance(fragment, str) else ""
    start, end, fingerprint = (fragment.removeprefix("#").removeprefix("q-").split("-") + ["", "", ""])[:3]
    return start, end, fingerprint or None


def _cite(label: str, source: str, start: int, end: int, text: str) -> str:
    return f'<a class="ac-cite-link" href="{escape(article_link(source, start, end, text))}">{label}</a>'


def render_html(answer: Answer) -> str:
    """The chat message: quotes with citation links, then the passages, quotes highlighted, in a <details>; for an
    abstention the nearest passages, collapsed, marked as below the relevance floor."""
    if answer.abstained:
        # with files left out, "no answer" would contradict the line that names them
        parts = ['<div class="ac-answer">', _left_out(answer),
                 f'<p class="ac-abstain">{NO_ANSWER_ELSEWHERE_HTML if answer.left_out else NO_ANSWER_HTML}</p>']
        if answer.passages:
            parts.append(f'<details class="ac-nearest"><summary>{escape(NEAREST.format(count=len(answer.passages)))}'
                         f"</summary>{_passages(answer)}</details>")
        return "".join(parts) + "</div>"
    titles = {p.source: p.title for p in answer.passages}
    parts = ['<div class="ac-answer">', _left_out(answer)]
    for number, q in enumerate(answer.quotes, 1):
        label = f"[{number}] {escape_label(q.source)} – {escape_label(titles.get(q.source, ''))}"
        parts.append(f'<blockquote class="ac-quote"><bdi>{escape(q.text)}</bdi><br><cite class="ac-cite">'
                     f"{_cite(label, q.source, q.start, q.end, q.text)}</cite></blockquote>")
    parts.append(f'<details class="ac-passages"><summary>Passagen ({len(answer.passages)})</summary>'
                 f"{_passages(answer)}</details></div>")
    return "".join(parts)


def _left_out(answer: Answer) -> str:
    """A line naming the files left out of the answer because they changed since the index was made, if any."""
    if not answer.left_out:
        return ""
    return f'<p class="ac-left-out">{LEFT_OUT_HTML.format(files=", ".join(map(escape_label, answer.left_out)))}</p>'


def _passages(answer: Answer) -> str:
    parts = []
    for number, passage in enumerate(answer.passages, 1):
        head = (f"{number}. {escape_label(passage.source)} – {escape_label(passage.title)} "
                f"(Zeichen {passage.start}–{passage.end})")
        parts.append(f'<div class="ac-passage"><p class="ac-passage-head">'
                     f"{_cite(head, passage.source, passage.start, passage.end, passage.text)}</p>"
                     f"<p>{_highlighted(passage, answer)}</p></div>")
    return "".join(parts)


def _highlighted(passage: Passage, answer: Answer) -> str:
    """The passage text with the parts that are quoted in the answer inside <mark>."""
    spans = [(q.start - passage.start, q.end - passage.start) for q in answer.quotes if q.source == passage.source]
    return _marked(passage.text, spans)


def _marked(text: str, spans: list[tuple[int, int]], ids: set[str] | None = None, offset: int = 0) -> str:
    """`text` escaped, with each of `spans` (offsets into `text`, clipped to it) inside <mark>; with `ids` (the ids
    given so far), the first mark of a span gets the id `q-START-END` of the whole span in file offsets (`offset`
    is where `text` starts)."""
    out, cursor = [], 0
    for start, end in sorted(spans):
        clipped_start, clipped_end = max(start, cursor, 0), min(end, len(text))
        if clipped_start >= clipped_end:
            continue
        anchor = ""
        if ids is not None and (name := f"q-{start + offset}-{end + offset}") not in ids:
            ids.add(name)
            anchor = f' id="{name}"'
        out += [escape(text[cursor:clipped_start]),
                f"<mark{anchor}>{escape(text[clipped_start:clipped_end])}</mark>"]
        cursor = clipped_end
    out.append(escape(text[cursor:]))
    return "".join(out)


def render_article(view: ArticleView, marks: list[tuple[int, int]]) -> str:
    """The whole indexed article: title, dateline, then its body blocks, with `marks` (file offsets) inside
    <mark id="q-START-END">; what the cleaner removed is not shown."""
    parts = [f'<article class="ac-article" data-source="{escape_label(view.source)}">',
             f'<h3 class="ac-article-title">{escape_label(view.title)}</h3>',
             f'<p class="ac-article-source">{escape_label(view.source)}</p>']
    if view.dateline:
        parts.append(f'<p class="ac-dateline">{escape_label(view.dateline)}</p>')
    ids: set[str] = set()
    for start, end in view.blocks:
        inside = [(s - start, e - start) for s, e in marks if s < end and e > start]
        parts.append(f'<p class="ac-block">{_marked(view.raw[start:end], inside, ids, offset=start)}</p>')
    parts.append("</article>")
    return "".join(parts)
