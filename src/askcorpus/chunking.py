"""Cut cleaned articles into overlapping, sentence-aligned passages that fit the embedding model."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from askcorpus.cleaning import Article
from askcorpus.sentences import SENTENCE_BOUNDARY

SEPARATORS = [r"\n\s*\n", r"\n", SENTENCE_BOUNDARY, r";\s+", r",\s+", r"\s+", ""]


@dataclass(frozen=True)
class Chunk:
    """A passage of one article; `text == raw[start:end]` of its source file."""

    source: str
    index: int
    text: str
    start: int
    end: int
    title: str


class Chunker:
    """Splits an article's segments into passages of at most `max_tokens` model tokens, `overlap` shared."""

    def __init__(self, count_tokens: Callable[[str], int], max_tokens: int, overlap: int):
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        self.count_tokens = count_tokens
        self.max_tokens = max_tokens
        self.splitter = RecursiveCharacterTextSplitter(
            separators=SEPARATORS,
            is_separator_regex=True,
            keep_separator="end",
            chunk_size=max_tokens,
            chunk_overlap=overlap,
            length_function=count_tokens,
            strip_whitespace=True,
        )

    def split(self, raw: str, article: Article) -> list[Chunk]:
        """Passages of `article`, whose offsets index `raw`, the decoded text of its file."""
        chunks: list[Chunk] = []
        for seg_start, seg_end in article.segments:
            segment = raw[seg_start:seg_end]
            for offset, piece in locate(segment, self._pieces(segment)):
                start = seg_start + offset
                chunks.append(Chunk(article.source, len(chunks), piece, start, start + len(piece), article.title))
        return chunks

    def _pieces(self, text: str) -> list[str]:
        pieces = []
        for piece in self.splitter.split_text(text):
            if self.count_tokens(piece) <= self.max_tokens:
                pieces.append(piece)
            else:  # token counts of parts do not always add up to the count of their join
                pieces.extend(self._halve(piece))
        return pieces

    def _halve(self, text: str) -> list[str]:
        if self.count_tokens(text) <= self.max_tokens:
            return [text]
        middle = len(text) // 2
        cut = text.rfind(" ", 0, middle)
        cut = middle if cut <= 0 else cut
        return self._halve(text[:cut].rstrip()) + self._halve(text[cut:].lstrip())


def locate(text: str, pieces: list[str]) -> list[tuple[int, str]]:
    """Offsets of pieces that appear in order, possibly overlapping, in `text`.

    Searching from just after the previous piece's start finds the right occurrence even when a
    sentence repeats; `add_start_index` in langchain can pick the wrong one in that case.
    """
    located, cursor = [], 0
    for piece in pieces:
        position = text.find(piece, cursor)
        if position < 0:
            raise ValueError(f"chunk not found in its source text: {piece[:60]!r}")
        located.append((position, piece))
        cursor = position + 1
    return located
