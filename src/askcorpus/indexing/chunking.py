"""Cut cleaned articles into overlapping, sentence-aligned passages that fit the embedding model."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from askcorpus.snapshot.records import Chunk
from askcorpus.text.cleaning import Article
from askcorpus.text.sentences import sentence_boundary

# Where a passage may end, best first; the sentence boundary goes between lines and clauses.
SEPARATORS_AROUND_SENTENCES = ([r"\n\s*\n", r"\n"], [r";\s+", r",\s+", r"\s+", ""])


def separators() -> list[str]:
    """The splitter's separators (regular expressions), with today's sentence boundary."""
    before, after = SEPARATORS_AROUND_SENTENCES
    return [*before, sentence_boundary(), *after]


def separators_signature() -> str:
    """Changes when the separators other than the sentence boundary change (that one has its own signature)."""
    return hashlib.sha256("|".join(sum(SEPARATORS_AROUND_SENTENCES, [])).encode()).hexdigest()[:16]


class Chunker:
    """Splits an article's segments into passages of at most `max_tokens` model tokens, `overlap` shared."""

    def __init__(self, count_tokens: Callable[[str], int], max_tokens: int, overlap: int):
        from langchain_text_splitters import RecursiveCharacterTextSplitter  # 0.3 s; only chunking needs it

        self.count_tokens = count_tokens
        self.max_tokens = max_tokens
        self.splitter = RecursiveCharacterTextSplitter(
            separators=separators(),
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
                chunks.append(Chunk(article.source, len(chunks), start, start + len(piece), article.title, piece))
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
