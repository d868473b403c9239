"""The query encoder's files in the index folder: an ONNX export of the index's model and how to pool its output.

`indexing.export` writes them (hard links to one copy per model in the model cache, where it can), `answering.encoder`
reads them; `encoder.json` is the one description both use.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

FOLDER = "encoder"  # under the index folder: model.onnx, model.data, tokenizer.json, encoder.json, the token table
POOLINGS = ("mean", "cls", "max")
FORMAT = 6  # raise when the exported files change (3: model.data readable like model.onnx; 4: 8-bit weights;
# 5: feed-forward outputs kept float32, 7-bit weights elsewhere; 6: the graph reads token vectors from the table)
TABLE_FORMAT = 6  # exports from this format on keep the table of token vectors out of the graph
TOKEN_VECTORS = "token_vectors"  # the graph's input in place of the token ids
# The table: one row per token id, 8-bit or float32, and one scale per row (1.0 for float32 rows)
TABLE, SCALES = "token-vectors.npy", "token-scales.npy"
# A unigram tokenizer in three plain files, for `answering.unigram` (the multilingual model only)
PIECES, SCORES, NORMALIZATION = "unigram-pieces.txt", "unigram-scores.npy", "unigram-normalization.json"


@dataclass(frozen=True)
class EncoderSpec:
    """What the export holds: the model it was made from, the graph's inputs, pooling, normalisation and the prompt
    put before each question."""

    model: str
    inputs: list[str]
    pooling: str
    normalize: bool
    max_tokens: int
    query_prompt: str
    unigram: bool  # the three unigram files are there: questions are tokenized by `answering.unigram`
    format: int = 0  # FORMAT when written; 0 for exports older than the field
    revision: str = ""  # the model's revision (`indexing.models.model_revision`); "" for exports older than the field

    def pool(self, hidden, mask):
        """The graph's output for a batch (texts x tokens x dimensions) pooled to one float32 row per text, unit
        length when the model normalises; `mask` marks the real tokens."""
        import numpy as np  # only encoding needs it

        if self.pooling == "cls":
            vectors = hidden[:, 0]
        elif self.pooling == "max":
            vectors = np.where(mask[..., None] > 0, hidden, -np.inf).max(axis=1)
        else:
            vectors = (hidden * mask[..., None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1)
        if self.normalize:
            vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        return vectors.astype(np.float32)

    def write(self, folder: Path) -> None:
        (folder / "encoder.json").write_text(json.dumps(asdict(self)))

    def files(self) -> tuple[str, ...]:
        """The names of the files an export of this description consists of."""
        unigram = (PIECES, SCORES, NORMALIZATION) if self.unigram else ()
        table = (TABLE, SCALES) if self.format >= TABLE_FORMAT else ()
        return ("model.onnx", "model.data", "tokenizer.json", "encoder.json", *table, *unigram)

    @classmethod
    def read(cls, index: Path) -> "EncoderSpec | None":
        """The index's export description, or None when there is none or it cannot be read."""
        return cls.read_from(index / FOLDER)

    @classmethod
    def read_from(cls, folder: Path) -> "EncoderSpec | None":
        """The description of the export in `folder`, or None when there is none or it cannot be read."""
        try:
            return cls(**json.loads((folder / "encoder.json").read_text()))
        except (OSError, ValueError, TypeError):
            return None


def exported_for(index: Path, model_id: str, revision: str | None = None) -> bool:
    """True when the index folder holds an export of `model_id` that questions can use (of any format); with
    `revision`, made from that revision of the model (an export older than the record is taken as it)."""
    spec = EncoderSpec.read(index)
    return spec is not None and spec.model == model_id and (revision is None or spec.revision in ("", revision))


def export_current(index: Path, model_id: str, revision: str) -> bool:
    """True when the index folder holds an export of `model_id` at `revision` in the current format (a sync makes
    others again)."""
    spec = EncoderSpec.read(index)
    return (spec is not None and spec.model == model_id and spec.format == FORMAT
            and spec.revision in ("", revision))


def quantized_rows(rows):
    """8-bit rows and one float32 scale per row, symmetric (a row of zeros keeps scale 1)."""
    import numpy as np  # only an export writes these

    rows = np.asarray(rows, dtype=np.float32)
    scales = np.abs(rows).max(axis=1) / 127.0
    scales[scales == 0] = 1.0
    return np.rint(rows / scales[:, None]).astype(np.int8), scales.astype(np.float32)


def token_vectors(rows, scales, ids):
    """The float32 vectors of token `ids` (any shape) from a table's `rows` and their `scales`."""
    import numpy as np  # only encoding needs it

    return rows[ids].astype(np.float32) * scales[ids][..., None]


def write_table(folder: Path, table, eight_bit: bool, block: int = 16384) -> None:
    """Store the model's token vectors (one float32 row per token id) as `TABLE` and `SCALES`: in 8 bits with a
    scale per row, or as they are with scales of 1. Quantized in blocks of rows, to hold no full-size copy."""
    import numpy as np  # only an export writes these

    if not eight_bit:
        np.save(folder / TABLE, np.asarray(table, dtype=np.float32))
        np.save(folder / SCALES, np.ones(len(table), dtype=np.float32))
        return
    rows = np.lib.format.open_memmap(folder / TABLE, mode="w+", dtype=np.int8, shape=table.shape)
    scales = np.empty(len(table), dtype=np.float32)
    for start in range(0, len(table), block):
        rows[start:start + block], scales[start:start + block] = quantized_rows(table[start:start + block])
    rows.flush()
    del rows
    np.save(folder / SCALES, scales)


def write_unigram(folder: Path, pieces: list[str], scores, normalization: dict[int, str],
                  specials: dict[str, int]) -> None:
    """Store a unigram tokenizer (pieces, their scores, the per-code-point normalisation, the special ids)."""
    import numpy as np  # only an export writes these

    if any("\n" in piece for piece in pieces):
        raise ValueError("a piece contains a line break")
    (folder / PIECES).write_text("\n".join(pieces), encoding="utf-8")
    np.save(folder / SCORES, np.asarray(scores, dtype=np.float32))
    table = {"normalization": {str(cp): out for cp, out in normalization.items()}, "specials": specials}
    (folder / NORMALIZATION).write_text(json.dumps(table, ensure_ascii=False), encoding="utf-8")
