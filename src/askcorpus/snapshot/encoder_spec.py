"""The query encoder's files in the index folder: an ONNX export of the index's model and how to pool its output.

`indexing.export` writes them, `answering.encoder` reads them; `encoder.json` is the one description both use.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

FOLDER = "encoder"  # under the index folder: model.onnx, model.data, tokenizer.json, encoder.json
POOLINGS = ("mean", "cls", "max")


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

    def write(self, folder: Path) -> None:
        (folder / "encoder.json").write_text(json.dumps(asdict(self)))

    @classmethod
    def read(cls, index: Path) -> "EncoderSpec | None":
        """The index's export description, or None when there is none or it cannot be read."""
        try:
            return cls(**json.loads((index / FOLDER / "encoder.json").read_text()))
        except (OSError, ValueError, TypeError):
            return None


def exported_for(index: Path, model_id: str) -> bool:
    """True when the index folder holds an export of `model_id`."""
    spec = EncoderSpec.read(index)
    return spec is not None and spec.model == model_id
