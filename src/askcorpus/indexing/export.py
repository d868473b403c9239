"""Export a sentence-transformers model to ONNX for the query encoder, into the index folder.

The export depends on the model alone, so it is made once per model (name and revision) in the model cache and
hard-linked into each index: many indexes of one model cost its disk space once (140 MB for multilingual-e5-small).
The graph starts from the token vectors, which a table beside it holds (`encoder_spec.write_table`). Its weights and
the table are 8-bit when the vectors that gives agree with the full graph's (multilingual-e5-small: a question in
about 0.8 of the time; MiniLM does not agree closely enough and keeps float32). Models other than transformer + pooling
(+ normalize) are not exported; questions then use sentence-transformers.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import threading
import time
import uuid
import warnings
from pathlib import Path

from askcorpus.config import MULTILINGUAL_E5
from askcorpus.errors import first_line, warn
from askcorpus.indexing.models import model_cache, model_revision
from askcorpus.snapshot.encoder_spec import (
    FOLDER,
    FORMAT,
    POOLINGS,
    TOKEN_VECTORS,
    EncoderSpec,
    quantized_rows,
    token_vectors,
    write_table,
    write_unigram,
)

AGREEMENT = 0.995  # the 8-bit graph replaces the full one when its vectors are at least this close (lowest cosine):
# multilingual-e5-small 0.998 on SAMPLES; MiniLM 0.992, but only 0.983 over the repository's 283 questions
# Questions of the kinds askcorpus is asked, for checking the 8-bit graph against the full one
SAMPLES = ("Wer vermittelte den Austausch von Kriegsgefangenen?", "Wo hielt sich Putin während des Telefonats auf?",
           "Wie viele Todesopfer gab es nach den Luftangriffen auf Kiew?", "Wann endete der Krieg?",
           "Welche Bedingungen stellte der Kreml für eine Waffenruhe?", "Warum stieg der Ölpreis?",
           "Who mediated the prisoner exchange?", "How long did the talks in Sochi last?",
           "Wie hoch ist der Eiffelturm?", "Was sagte Selenskyj über Sicherheitsgarantien für die Ukraine?",
           "Straße, Größe, Übergänge: 3,5 % mehr – „Zitat“ – 1.000 Menschen", "Gespräch")
_EXPORTING = threading.Lock()
UNUSED_AGE = 3600.0  # seconds before an export that no index links to may be deleted


def export_folder(model_id: str) -> Path:
    """Where the export of `model_id` (at its current revision) lives: a folder of the model cache."""
    state = f"{model_id}\0{model_revision(model_id)}\0{FORMAT}\0"  # as before the revision took in a folder's files
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(model_id).name).strip("-.") or "model"
    return model_cache() / "onnx" / f"{name}-{hashlib.sha256(state.encode()).hexdigest()[:16]}"


def export(model, index: Path, model_id: str, query_prompt: str = "", again: bool = False) -> bool:
    """Give the index folder the ONNX export of `model` (a loaded SentenceTransformer) with the text it puts before
    a question; False if the model cannot be exported (a warning says why when tracing it failed). The export is
    made once per model in the model cache (or `again`, when it was found damaged) and hard-linked into the index;
    without a writable cache on the same disk, the index gets a copy of its own. Raises OSError when the index
    folder cannot be written."""
    modules = [type(m).__name__ for m in model]
    pooling = model[1].get_config_dict().get("pooling_mode") if len(modules) > 1 else None
    if modules not in (["Transformer", "Pooling"], ["Transformer", "Pooling", "Normalize"]) or pooling not in POOLINGS:
        return False
    spec = EncoderSpec(model_id, _input_names(model), pooling, "Normalize" in modules, int(model.max_seq_length),
                       query_prompt, model_id == MULTILINGUAL_E5, FORMAT, model_revision(model_id))
    try:
        with _EXPORTING:  # a question's repair and a sync in the same process may both get here
            shared = _shared_export(model, spec, again)
            if shared is None:
                _replace_folder(index / FOLDER, lambda temporary: _write_export(model, spec, temporary))
            else:
                _replace_folder(index / FOLDER, lambda temporary: _link_files(shared, temporary))
                prune_unused(shared.parent, keep=shared)
    except OSError:
        raise
    except Exception as error:  # a model that torch cannot trace from token vectors (its own code, say)
        warn(f"the model cannot be exported for questions ({first_line(error)}); they will load the full model "
             f"(slower)")
        return False
    return True


def prune_unused(cache: Path, keep: Path, age: float = UNUSED_AGE) -> list[Path]:
    """Delete the exports in `cache` that no index links to any more (an older revision, a deleted index), except
    `keep` and those written in the last `age` seconds (another process may be about to link one). Returns them."""
    pruned = []
    for folder in cache.iterdir():
        if folder == keep or not folder.is_dir() or ".tmp-" in folder.name:
            continue
        try:
            data = (folder / "model.data").stat()
        except OSError:
            continue
        if data.st_nlink == 1 and time.time() - data.st_mtime > age:
            shutil.rmtree(folder, ignore_errors=True)
            pruned.append(folder)
    return pruned


def _shared_export(model, spec: EncoderSpec, again: bool) -> Path | None:
    """The model cache's export of the model, written first if missing, damaged or `again`; None when the cache
    cannot be written."""
    folder = export_folder(spec.model)
    if not again and EncoderSpec.read_from(folder) == spec and all((folder / n).is_file() for n in spec.files()):
        return folder
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        _replace_folder(folder, lambda temporary: _write_export(model, spec, temporary))
    except OSError:
        return None
    return folder


def _link_files(source: Path, target: Path) -> None:
    """Hard-link every file of `source` into `target`, or copy it where links cannot be made (another disk)."""
    for path in source.iterdir():
        try:
            os.link(path, target / path.name)
        except OSError:
            shutil.copy2(path, target / path.name)


def _input_names(model) -> list[str]:
    return list(model.tokenizer("x", return_tensors="pt").keys())


def _write_export(model, spec: EncoderSpec, folder: Path) -> None:
    """The graph, its weights, the table of token vectors, the tokenizer (and the unigram tables) and the
    description, into an empty folder. The graph starts from the token vectors: the table (96 MB of 8-bit rows for
    multilingual-e5-small) stays out of it, so tracing and quantizing handle the layers alone, and a question reads
    only its tokens' rows of the mapped table."""
    import torch  # 1.1 s: only an export needs it

    transformer = model[0].auto_model.eval()
    names = [name for name in spec.inputs if name != "input_ids"]

    class HiddenStates(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.transformer = transformer

        def forward(self, token_vectors, *inputs):
            return self.transformer(inputs_embeds=token_vectors, **dict(zip(names, inputs))).last_hidden_state

    table = transformer.get_input_embeddings().weight.detach().numpy()  # shares torch's memory
    sample = model.tokenizer(["ein Beispiel", "noch ein längeres Beispiel"], padding=True, return_tensors="pt")
    axes = {name: {0: "batch", 1: "tokens"} for name in [TOKEN_VECTORS, *names, "hidden"]}
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the tracer's notes about shapes it treats as constants
        torch.onnx.export(HiddenStates(), (torch.from_numpy(table[sample["input_ids"].numpy()]),
                                           *(sample[n] for n in names)),
                          str(folder / "model.onnx"), input_names=[TOKEN_VECTORS, *names], output_names=["hidden"],
                          dynamic_axes=axes, opset_version=17, dynamo=False)
    _optimize(folder / "model.onnx")
    eight_bit = _quantize(folder / "model.onnx", table, spec, model.tokenizer)
    write_table(folder, table, eight_bit)
    _weights_apart(folder / "model.onnx")
    shutil.copymode(folder / "model.onnx", folder / "model.data")  # onnx writes it 0600: others could not read it
    model.tokenizer.backend_tokenizer.save(str(folder / "tokenizer.json"))
    if spec.unigram:
        _write_e5_unigram(folder)
    spec.write(folder)


def _replace_folder(folder: Path, write) -> None:
    """Fill a temporary sibling of `folder` with `write(temporary)`, then put it in place of `folder`."""
    _remove_abandoned(folder)
    temporary = folder.with_name(f"{folder.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    shutil.rmtree(temporary, ignore_errors=True)
    temporary.mkdir(parents=True)
    try:
        write(temporary)
        shutil.rmtree(folder, ignore_errors=True)
        try:
            os.replace(temporary, folder)
        except OSError:  # another process put its copy in place between the two calls
            if not folder.is_dir():
                raise
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def _write_e5_unigram(folder: Path) -> None:
    """The packed file's vocabulary and normalisation, for the plain-Python question tokenizer."""
    from askcorpus.indexing.e5.packed import read_e5_file
    from askcorpus.indexing.models import packed_e5

    packed = read_e5_file(packed_e5())
    write_unigram(folder, packed.pieces, packed.scores, packed.norm_map,
                  {"bos": packed.bos_id, "eos": packed.eos_id, "unk": packed.unk_id, "pad": packed.pad_id})


def _remove_abandoned(folder: Path) -> None:
    """Delete half-written copies of `folder` (an export is 90 to 500 MB) left by processes that were killed."""
    for temporary in folder.parent.glob(f"{folder.name}.tmp-*"):
        pid = temporary.name.rpartition(".tmp-")[2].partition("-")[0]
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
    _session(path, optimized=path.with_suffix(".opt.onnx"))
    os.replace(path.with_suffix(".opt.onnx"), path)


def _quantize(path: Path, table, spec: EncoderSpec, tokenizer) -> bool:
    """Replace the graph by one with 8-bit weights (one scale per output channel), which encodes a question in
    about 0.7 of the time, when its vectors of `SAMPLES`, read from the table's rows in 8 bits too, agree with the
    full graph's to `AGREEMENT` (lowest cosine); otherwise, or when quantizing fails, keep the full graph. True
    when the 8-bit graph replaced it: its table is then stored in 8 bits."""
    quantized = path.with_suffix(".int8.onnx")
    try:
        agreement = _quantized_agreement(path, quantized, table, spec, tokenizer)
    except Exception as error:  # onnx and onnxruntime raise many kinds; the full graph serves as well
        warn(f"the model export keeps float32 weights: 8-bit quantization failed ({first_line(error)})")
        agreement = 0.0
    if agreement >= AGREEMENT:
        os.replace(quantized, path)
        return True
    quantized.unlink(missing_ok=True)
    return False


def _quantized_agreement(path: Path, quantized: Path, table, spec: EncoderSpec, tokenizer) -> float:
    """Write the 8-bit graph of `path` to `quantized`; the lowest cosine between the vectors of `SAMPLES` that the
    full graph gives from the table's rows and the 8-bit graph from the rows in 8 bits."""
    import numpy as np  # only an export needs these
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quiet = logging.getLogger()
    advice = lambda record: "onnxruntime" not in record.pathname  # noqa: E731 - its advice to pre-process the graph
    quiet.addFilter(advice)
    try:
        # the fused graph has operators whose output types shape inference does not know: they are float
        quantize_dynamic(str(path), str(quantized), per_channel=True, reduce_range=True, weight_type=QuantType.QInt8,
                         nodes_to_exclude=_feed_forward_outputs(path),
                         extra_options={"MatMulConstBOnly": True, "DefaultTensorType": onnx.TensorProto.FLOAT})
    finally:
        quiet.removeFilter(advice)
    inputs = tokenizer([spec.query_prompt + text for text in SAMPLES], padding=True, return_tensors="np")
    ids = inputs["input_ids"].astype("int64")
    feed = {name: inputs[name].astype("int64") for name in spec.inputs if name != "input_ids"}
    rows, scales = quantized_rows(table[ids.ravel()])  # the rows these texts read, as the 8-bit table holds them
    eight_bit_vectors = token_vectors(rows, scales, np.arange(ids.size).reshape(ids.shape))
    full, eight = (spec.pool(_session(graph).run(None, feed | {TOKEN_VECTORS: vectors})[0], inputs["attention_mask"])
                   for graph, vectors in ((path, table[ids]), (quantized, eight_bit_vectors)))
    return _lowest_cosine(full, eight)


def _feed_forward_outputs(path: Path) -> list[str]:
    """The MatMuls that project each layer's feed-forward activations back (`…/output/dense` of a BERT-style
    encoder, not the attention's): they read GELU's widest values, which 8 bits lose most. Kept float32, with 7-bit
    weights elsewhere (`reduce_range`), the lowest cosine to the full graph over the seed test questions rose from
    0.992 to 0.998 for multilingual-e5-small, for 20 MB more on disk."""
    import onnx

    graph = onnx.load(str(path), load_external_data=False).graph
    return [node.name for node in graph.node
            if node.op_type == "MatMul" and "/output/dense/" in node.name and "/attention/" not in node.name]


def _session(path: Path, optimized: Path | None = None):
    """An onnxruntime session of the graph at `path`, quiet; with `optimized`, fused further and saved there."""
    import onnxruntime  # only an export needs it here

    options = onnxruntime.SessionOptions()
    if optimized is not None:
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
        options.optimized_model_filepath = str(optimized)
    options.log_severity_level = 3
    return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def _lowest_cosine(a, b) -> float:
    import numpy as np

    norms = np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1)
    return float(((a * b).sum(axis=1) / np.maximum(norms, 1e-12)).min())


def _weights_apart(path: Path) -> None:
    """Move the weights into model.data, which onnxruntime maps instead of parsing (session start 0.16 s -> 0.07 s)."""
    import onnx  # only an export needs it

    model = onnx.load(str(path))
    onnx.save_model(model, str(path), save_as_external_data=True, all_tensors_to_one_file=True,
                    location="model.data", size_threshold=1024)
