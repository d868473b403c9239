"""The fast answering path (ONNX encoder, snapshot) gives what the reference path (sentence-transformers) gives."""

import json
from dataclasses import replace

import numpy as np
import pytest

from askcorpus.answering.encoder import OnnxEncoder, exported_for
from askcorpus.corpus import Corpus
from support import DATA

pytestmark = pytest.mark.slow  # the real model, Chroma, processes or chromium

QUESTIONS = [json.loads(line)["question"]
             for line in (DATA / "questions.jsonl").read_text(encoding="utf-8").splitlines()]
QUESTIONS += (DATA / "offtopic.txt").read_text(encoding="utf-8").splitlines()


def test_onnx_vectors_agree_with_sentence_transformers(seed_index, embedder):
    config, _ = seed_index
    assert exported_for(config.index, config.model)
    fast = OnnxEncoder(config.index).encode(QUESTIONS)
    reference = embedder.encode_queries(QUESTIONS)  # the export reads every text as a question
    assert ((fast * reference).sum(axis=1)).min() > 0.99
    folder = config.index / "encoder"
    assert (folder / "model.data").stat().st_size < 60e6  # 8-bit weights: they agreed closely; the table apart,
    assert np.load(folder / "token-vectors.npy", mmap_mode="r").dtype == np.int8  # in 8 bits too
    edges = ["", "Ein Satz. " * 300]  # empty and longer than the model reads
    assert ((OnnxEncoder(config.index).encode(edges) * embedder.encode_queries(edges)).sum(axis=1)).min() > 0.97


def test_an_export_whose_8_bit_graph_disagrees_keeps_the_full_one(embedder, tmp_path, monkeypatch):
    from askcorpus.indexing import export

    monkeypatch.setattr(export, "AGREEMENT", 1.01)  # no 8-bit graph agrees this well
    monkeypatch.setattr(export, "model_cache", lambda: tmp_path / "cache")
    assert export.export(embedder.model, tmp_path / "index", embedder.model_id, embedder.prompt("query"))
    fast = OnnxEncoder(tmp_path / "index").encode(QUESTIONS)
    reference = embedder.encode_queries(QUESTIONS)
    assert ((fast * reference).sum(axis=1)).min() > 0.99999
    assert np.abs(fast - reference).max() < 1e-4
    table = np.load(tmp_path / "index" / "encoder" / "token-vectors.npy", mmap_mode="r")
    assert table.dtype == np.float32 and table.nbytes > 380e6  # 384 MB of token vectors, kept float32 too


def test_a_model_that_cannot_be_traced_is_not_exported_and_says_why(embedder, tmp_path, monkeypatch, caplog):
    import torch

    from askcorpus.indexing import export

    def refuse(*args, **kwargs):
        raise RuntimeError("this model's code cannot be traced")

    monkeypatch.setattr(torch.onnx, "export", refuse)
    monkeypatch.setattr(export, "model_cache", lambda: tmp_path / "cache")
    assert not export.export(embedder.model, tmp_path / "index", embedder.model_id, embedder.prompt("query"))
    assert not exported_for(tmp_path / "index", embedder.model_id)
    assert not list((tmp_path / "cache" / "onnx").iterdir())  # no half-written folder left
    assert "cannot be exported for questions (this model's code cannot be traced)" in caplog.text


def test_indexes_of_one_model_share_its_export(seed_index, embedder, tmp_path):
    from askcorpus.indexing.sync import sync

    config, _ = seed_index
    other = replace(config, index=tmp_path / "index")
    sync(other, progress=False, embedder=embedder)
    for name in ("model.onnx", "model.data"):
        assert (other.index / "encoder" / name).samefile(config.index / "encoder" / name)
    modes = {(other.index / "encoder" / name).stat().st_mode for name in ("model.onnx", "model.data")}
    assert len(modes) == 1  # readable by whoever may read the graph
    assert OnnxEncoder(other.index).encode(["Wer vermittelte?"]).shape[0] == 1


@pytest.mark.parametrize("question", QUESTIONS)
def test_answers_agree_with_the_reference_path(seed_index, embedder, question):
    config, _ = seed_index
    fast = Corpus(config).ask(question)
    reference = Corpus(config, embedder=embedder, onnx=False).ask(question)
    assert fast.abstained == reference.abstained
    spans = lambda answer: [(q.source, q.start, q.end) for q in answer.quotes]  # noqa: E731
    assert spans(fast) == spans(reference)
    assert all(abs(a.score - b.score) < 0.03 for a, b in zip(fast.quotes, reference.quotes))
    assert fast.passages[0].row == reference.passages[0].row
