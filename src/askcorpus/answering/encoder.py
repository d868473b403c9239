"""Query-time encoder: the index's model exported to ONNX (`indexing.export`), run by onnxruntime and tokenizers.

It gives the vectors sentence-transformers gives, to cosine 0.99 or closer when the export's weights are 8-bit
(checked by a test), without importing torch or transformers.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np

from askcorpus.answering.unigram import UnigramTokenizer
from askcorpus.snapshot.encoder_spec import (
    FOLDER,
    SCALES,
    TABLE,
    TOKEN_VECTORS,
    EncoderSpec,
    exported_for,
    token_vectors,
)


class EncoderUnusable(Exception):
    """The export in the index folder cannot be opened or run: missing, damaged or from another model."""


def _onnx_failures() -> tuple[type[BaseException], ...]:
    """What onnxruntime and tokenizers raise for files they cannot use (onnxruntime's own types derive from
    Exception only; tokenizers raises Exception itself for a damaged tokenizer.json, which stays uncaught)."""
    from onnxruntime.capi import onnxruntime_pybind11_state as state  # loaded by the time anything fails

    return (OSError, ValueError, IndexError, state.Fail, state.InvalidProtobuf, state.NoSuchFile, state.InvalidArgument,
            state.InvalidGraph, state.RuntimeException)


class OnnxEncoder:
    """Encodes questions with an exported model: `encode(texts)` returns float32 rows, unit length if the model's are,
    each text read with the model's query prompt. Raises `EncoderUnusable` when the export cannot be opened or run."""

    def __init__(self, index: Path, threads: int | None = None):
        spec = EncoderSpec.read(index)
        if spec is None:
            raise EncoderUnusable(f"no model export in {index / FOLDER}")
        self.spec = spec
        try:
            self._open(index / FOLDER, threads)
        except _onnx_failures() as error:
            raise EncoderUnusable(str(error)) from error

    def _open(self, folder: Path, threads: int | None) -> None:
        import onnxruntime  # 0.15 s with tokenizers; only answering a question needs them
        from tokenizers import Tokenizer
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads or min(4, os.cpu_count() or 1)
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_BASIC
        options.log_severity_level = 3
        self.session = onnxruntime.InferenceSession(str(folder / "model.onnx"), options,
                                                    providers=["CPUExecutionProvider"])
        self.table = None  # exports before format 6 hold the table in the graph, which reads token ids
        if TOKEN_VECTORS in {graph_input.name for graph_input in self.session.get_inputs()}:
            # mapped: a question reads its tokens' rows (a few kB) of the 96 MB multilingual-e5-small has
            self.table = (np.load(folder / TABLE, mmap_mode="r"), np.load(folder / SCALES, mmap_mode="r"))
        if self.spec.unigram:
            self.unigram = UnigramTokenizer(folder, self.spec.max_tokens)
            return
        self.unigram = None
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(self.spec.max_tokens)
        self.tokenizer.enable_padding()

    def encode(self, texts: list[str]):
        """Float32 rows, one per text."""
        try:
            return self._encode(texts)
        except _onnx_failures() as error:
            raise EncoderUnusable(str(error)) from error

    def _token_ids(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Padded ids and attention mask of the prompted texts."""
        prompted = [self.spec.query_prompt + text for text in texts]
        if self.unigram is None:
            encodings = self.tokenizer.encode_batch(prompted)
            return (np.array([e.ids for e in encodings], dtype=np.int64),
                    np.array([e.attention_mask for e in encodings], dtype=np.int64))
        rows = [self.unigram.ids(text) for text in prompted]
        width = max(len(row) for row in rows)
        ids = np.full((len(rows), width), self.unigram.pad, dtype=np.int64)
        mask = np.zeros((len(rows), width), dtype=np.int64)
        for n, row in enumerate(rows):
            ids[n, :len(row)], mask[n, :len(row)] = row, 1
        return ids, mask

    def _encode(self, texts: list[str]):
        ids, mask = self._token_ids(texts)
        columns = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        feed = {name: np.asarray(columns[name], dtype=np.int64) for name in self.spec.inputs}
        if self.table is not None:
            feed[TOKEN_VECTORS] = token_vectors(*self.table, feed.pop("input_ids"))
        return self.spec.pool(self.session.run(None, feed)[0], mask)


class BackgroundEncoder:
    """Opens an `OnnxEncoder` in a thread at once; `encode` waits for it. The CLI starts one before its
    other imports, so the session (about 0.15 s of C++) loads while Python imports and checks the seeds."""

    def __init__(self, index: Path):
        self._encoder: OnnxEncoder | None = None
        self._error: BaseException | None = None
        # an event, not Thread.join: a join that a Ctrl-C interrupts marks the thread as ended, and the next join
        # returns at once (Python 3.11)
        self._opened = threading.Event()
        threading.Thread(target=self._open, args=(index,), daemon=True).start()

    def _open(self, index: Path) -> None:
        try:
            self._encoder = OnnxEncoder(index)
        except BaseException as error:  # handed to the caller of encode
            self._error = error
        finally:
            self._opened.set()

    def wait(self) -> None:
        """Wait until the session is open (or failed): a process must not exit while onnxruntime starts up. A
        Ctrl-C interrupts the wait; waiting again waits for the rest."""
        self._opened.wait()

    def encode(self, texts: list[str]):
        self._opened.wait()
        if self._error is not None:
            raise self._error
        return self._encoder.encode(texts)


def open_in_background(index: Path, model_id: str, revision: str | None = None) -> BackgroundEncoder | None:
    """A `BackgroundEncoder` when the index holds an export of `model_id` (at `revision`, if given), else None."""
    if not exported_for(index, model_id, revision):
        return None
    import onnxruntime  # noqa: F401 - imported here, once: two threads must not import it at the same time

    return BackgroundEncoder(index)
