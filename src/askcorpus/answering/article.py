"""An article as the index sees it: its title, dateline and the indexed body, as verbatim spans of the file."""

from __future__ import annotations

from dataclasses import dataclass

from askcorpus.errors import ArticleUnavailable, AskcorpusError
from askcorpus.snapshot.records import Chunk

MAX_DATELINE_CHARS = 120
CHANGED = "changed since it was indexed; the index is updated at the next sync"


@dataclass(frozen=True)
class ArticleView:
    """`blocks` are (start, end) offsets of the indexed body in the file's text `raw`, in order and disjoint: what
    lies between them (boilerplate, line breaks between paragraphs) was not indexed."""

    source: str
    title: str
    dateline: str
    raw: str
    blocks: tuple[tuple[int, int], ...]

    def text(self, block: tuple[int, int]) -> str:
        return self.raw[block[0]:block[1]]


def article_view(chunks: list[Chunk], raw: str) -> ArticleView:
    """The view of one file from its chunks (any order, overlapping) and its decoded text; raises `AskcorpusError`
    when the file no longer holds the chunks' text (it changed since it was indexed)."""
    if not chunks:
        raise AskcorpusError("the article is not in the index")
    chunks = sorted(chunks, key=lambda chunk: chunk.start)
    source = chunks[0].source
    if any(raw[chunk.start:chunk.end] != chunk.text for chunk in chunks):
        raise ArticleUnavailable(source, CHANGED)
    blocks: list[tuple[int, int]] = []
    for chunk in chunks:
        if blocks and chunk.start <= blocks[-1][1]:
            blocks[-1] = (blocks[-1][0], max(blocks[-1][1], chunk.end))
        else:
            blocks.append((chunk.start, chunk.end))
    line_start = raw.rfind("\n", 0, blocks[0][0]) + 1
    dateline = raw[line_start:blocks[0][0]].strip()  # the cleaner moves a leading dateline out of the body
    return ArticleView(source, chunks[0].title, dateline if len(dateline) <= MAX_DATELINE_CHARS else "", raw,
                       tuple(blocks))
