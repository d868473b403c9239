"""Export the index's sentence-transformers model to ONNX in the index folder, for the query encoder.

Models other than transformer + pooling (+ normalize) are not exported; questions then use sentence-transformers.
"""

from __future__ import annotations

import os
import shutil
import warnings
from pathlib import Path

from askcorpus.config import MULTILINGUAL_E5
from askcorpus.snapshot.encoder_spec import FOLDER, POOLINGS, EncoderSpec, write_unigram


def export(model, index: Path, model_id: str, query_prompt: str = "") -> bool:
    """Write `model` (a loaded SentenceTransformer) as ONNX into the index folder, with the text it puts before a
    question; False if it cannot be."""
    import torch  # 1.1 s: only an export needs it

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
    unigram = model_id == MULTILINGUAL_E5
    if unigram:
        _write_e5_unigram(temporary)
    spec = EncoderSpec(model_id, names, pooling, "Normalize" in modules, int(model.max_seq_length), query_prompt,
                       unigram)
    spec.write(temporary)
    if folder.exists():
        shutil.rmtree(folder)
    os.replace(temporary, folder)
    return True


def _write_e5_unigram(folder: Path) -> None:
    """The packed file's vocabulary and normalisation, for the plain-Python question tokenizer."""
    from askcorpus.indexing.e5.packed import read_e5_file
    from askcorpus.indexing.models import packed_e5

    packed = read_e5_file(packed_e5())
    write_unigram(folder, packed.pieces, packed.scores, packed.norm_map,
                  {"bos": packed.bos_id, "eos": packed.eos_id, "unk": packed.unk_id, "pad": packed.pad_id})


def _remove_abandoned(index: Path) -> None:
    """Delete half-written exports (about 90 MB each) left by processes that were killed."""
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
    import onnxruntime  # only an export needs it here

    options = onnxruntime.SessionOptions()
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
    options.optimized_model_filepath = str(path.with_suffix(".opt.onnx"))
    options.log_severity_level = 3
    onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    os.replace(path.with_suffix(".opt.onnx"), path)


def _weights_apart(path: Path) -> None:
    """Move the weights into model.data, which onnxruntime maps instead of parsing (session start 0.16 s -> 0.07 s)."""
    import onnx  # only an export needs it

    model = onnx.load(str(path))
    onnx.save_model(model, str(path), save_as_external_data=True, all_tensors_to_one_file=True,
                    location="model.data", size_threshold=1024)
