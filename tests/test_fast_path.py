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


def test_onnx_vectors_equal_sentence_transformers(seed_index, embedder):
    config, _ = seed_index
    assert exported_for(config.index, config.model)
    texts = QUESTIONS + ["", "Ein Satz. " * 300]  # empty and longer than the model reads
    fast = OnnxEncoder(config.index).encode(texts)
    reference = embedder.encode_queries(texts)  # the export reads every text as a question
    cosine = (fast * reference).sum(axis=1)
    assert cosine.min() > 0.99999
    assert np.abs(fast - reference).max() < 1e-4


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
def test_answers_are_identical(seed_index, embedder, question):
    config, _ = seed_index
    fast = Corpus(config).ask(question)
    reference = Corpus(config, embedder=embedder, onnx=False).ask(question)
    assert fast.to_dict()["quotes"] == reference.to_dict()["quotes"]
    assert [p.row for p in fast.passages] == [p.row for p in reference.passages]
    assert fast.abstained == reference.abstained
