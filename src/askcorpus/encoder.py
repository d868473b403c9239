"""Query-time encoder: the index's sentence-transformers model exported to ONNX, run by onnxruntime and tokenizers.

It gives the same vectors as sentence-transformers (checked by a test) without importing torch or
transformers. Models other than transformer + pooling (+ normalize) are not exported; they keep the
sentence-transformers path.
"""

from __future__ import annotations

import json
import os
import threading
import warnings
from pathlib import Path

FOLDER = "encoder"
POOLINGS = ("mean", "cls", "max")


def export(model, index: Path, model_id: str) -> bool:
    """Write `model` (a loaded SentenceTransformer) as ONNX into the index folder; False if it cannot be."""
    import torch

    modules = [type(m).__name__ for m in model]
    pooling = model[1].get_config_dict().get("pooling_mode") if len(modules) > 1 else None
    if modules not in (["Transformer", "Pooling"], ["Transformer", "Pooling", "Normalize"]) or pooling not in POOLINGS:
        return False
    transformer = model[0].auto_model.eval()
    names = list(model.tokenizer("x", return_tensors="pt").keys())

    class HiddenStates(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.transformer = transformer

        def forward(self, *inputs):
            return self.transformer(**dict(zip(names, inputs))).last_hidden_state

    folder = index / FOLDER
    _remove_abandoned(index)
    temporary = index / f"{FOLDER}.tmp-{os.getpid()}"
    temporary.mkdir(parents=True, exist_ok=True)
    sample = model.tokenizer(["ein Beispiel", "noch ein längeres Beispiel"], padding=True, return_tensors="pt")
    axes = {name: {0: "batch", 1: "tokens"} for name in [*names, "hidden"]}
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the tracer's notes about shapes it treats as constants
        torch.onnx.export(HiddenStates(), tuple(sample[n] for n in names), str(temporary / "model.onnx"),
                          input_names=names, output_names=["hidden"], dynamic_axes=axes, opset_version=17, dynamo=False)
    _optimize(temporary / "model.onnx")
    _weights_apart(temporary / "model.onnx")
    model.tokenizer.backend_tokenizer.save(str(temporary / "tokenizer.json"))
    (temporary / "encoder.json").write_text(json.dumps({
        "model": model_id, "inputs": names, "pooling": pooling, "normalize": "Normalize" in modules,
        "max_tokens": int(model.max_seq_length),
    }))
    if folder.exists():
        import shutil

        shutil.rmtree(folder)
    os.replace(temporary, folder)
    return True


def _remove_abandoned(index: Path) -> None:
    """Delete half-written exports (about 90 MB each) left by processes that were killed."""
    import shutil

    for temporary in index.glob(f"{FOLDER}.tmp-*"):
        pid = temporary.name.rpartition("-")[2]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(temporary, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _optimize(path: Path) -> None:
    """Fuse the graph once here, so that opening it for each query skips that work (0.19 s -> 0.14 s)."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
    options.optimized_model_filepath = str(path.with_suffix(".opt.onnx"))
    options.log_severity_level = 3
    onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    os.replace(path.with_suffix(".opt.onnx"), path)


def _weights_apart(path: Path) -> None:
    """Move the weights into model.data, which onnxruntime maps instead of parsing (session start 0.16 s -> 0.07 s)."""
    import onnx

    model = onnx.load(str(path))
    onnx.save_model(model, str(path), save_as_external_data=True, all_tensors_to_one_file=True,
                    location="model.data", size_threshold=1024)


def exported_for(index: Path, model_id: str) -> bool:
    """True when the index folder holds an export of `model_id`."""
    try:
        return json.loads((index / FOLDER / "encoder.json").read_text())["model"] == model_id
    except (OSError, ValueError, KeyError):
        return False


class OnnxEncoder:
    """Encodes texts with an exported model: `encode(texts)` returns float32 rows, unit length if the model's are."""

    def __init__(self, index: Path, threads: int | None = None):
        import onnxruntime
        from tokenizers import Tokenizer

        folder = index / FOLDER
        self.config = json.loads((folder / "encoder.json").read_text())
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads or min(4, os.cpu_count() or 1)
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_BASIC
        options.log_severity_level = 3
        self.session = onnxruntime.InferenceSession(str(folder / "model.onnx"), options,
                                                    providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(self.config["max_tokens"])
        self.tokenizer.enable_padding()

    def encode(self, texts: list[str]):
        """Float32 rows, one per text."""
        import numpy as np

        encodings = self.tokenizer.encode_batch(texts)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        columns = {"input_ids": [e.ids for e in encodings], "attention_mask": mask,
                   "token_type_ids": [e.type_ids for e in encodings]}
        feed = {name: np.asarray(columns[name], dtype=np.int64) for name in self.config["inputs"]}
        hidden = self.session.run(None, feed)[0]
        pooling = self.config["pooling"]
        if pooling == "cls":
            vectors = hidden[:, 0]
        elif pooling == "max":
            vectors = np.where(mask[..., None] > 0, hidden, -np.inf).max(axis=1)
        else:
            vectors = (hidden * mask[..., None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1)
        if self.config["normalize"]:
            vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        return vectors.astype(np.float32)


class BackgroundEncoder:
    """Opens an `OnnxEncoder` in a thread at once; `encode` waits for it. The CLI starts one before its
    other imports, so the session (about 0.15 s of C++) loads while Python imports and checks the seeds."""

    def __init__(self, index: Path):
        self._encoder: OnnxEncoder | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._open, args=(index,), daemon=True)
        self._thread.start()

    def _open(self, index: Path) -> None:
        try:
            self._encoder = OnnxEncoder(index)
        except BaseException as error:  # handed to the caller of encode
            self._error = error

    def wait(self) -> None:
        """Wait until the session is open (or failed): a process must not exit while onnxruntime starts up."""
        self._thread.join()

    def encode(self, texts: list[str]):
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._encoder.encode(texts)


def open_in_background(index: Path, model_id: str) -> BackgroundEncoder | None:
    """A `BackgroundEncoder` when the index holds an export of `model_id`, else None."""
    if not exported_for(index, model_id):
        return None
    import numpy  # noqa: F401 - numpy must not be imported by two threads at once
    import onnxruntime  # noqa: F401 - nor the modules that import it

    return BackgroundEncoder(index)
