"""What answering returns: retrieved passages, verbatim quotes, and the answer that holds them."""

from __future__ import annotations

from dataclasses import dataclass, field

from askcorpus.snapshot.records import Chunk


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk and its fused score; `row` is its position in the snapshot it came from."""

    chunk: Chunk
    score: float
    row: int

    @property
    def text(self) -> str:
        return self.chunk.text

    @property
    def source(self) -> str:
        return self.chunk.source

    @property
    def title(self) -> str:
        return self.chunk.title

    @property
    def start(self) -> int:
        return self.chunk.start

    @property
    def end(self) -> int:
        return self.chunk.end

    def to_dict(self) -> dict:
        return {"text": self.text, "source": self.source, "title": self.title, "start": self.start,
                "end": self.end, "score": round(self.score, 4)}


@dataclass(frozen=True)
class Quote:
    """A verbatim span: `text == raw[start:end]` of file `source`."""

    text: str
    source: str
    start: int
    end: int
    score: float

    def to_dict(self) -> dict:
        return {"text": self.text, "source": self.source, "start": self.start, "end": self.end,
                "score": round(self.score, 4)}


@dataclass(frozen=True)
class Answer:
    """What `Corpus.ask` returns: quotes best first, the passages they came from, whether it abstained, and the
    files whose passages were left out because they changed since the index was made (`left_out`)."""

    question: str
    abstained: bool
    quotes: list[Quote] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # files changed since the index was made, not quoted

    @property
    def answer(self) -> str:
        """The quotes joined by blank lines; empty when abstained."""
        return "" if self.abstained else "\n\n".join(quote.text for quote in self.quotes)

    def to_dict(self) -> dict:
        """The JSON shape of `askcorpus query --json`."""
        return {
            "question": self.question,
            "abstained": self.abstained,
            "answer": self.answer,
            "quotes": [quote.to_dict() for quote in self.quotes],
            "passages": [passage.to_dict() for passage in self.passages],
            "left_out": self.left_out,
        }
