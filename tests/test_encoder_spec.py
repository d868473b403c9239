"""The query encoder's description: which exports count as current, and pooling."""

import json
from dataclasses import asdict, replace

import numpy as np

from askcorpus.snapshot.encoder_spec import FOLDER, FORMAT, EncoderSpec, export_current, exported_for

SPEC = EncoderSpec("some-model", ["input_ids", "attention_mask"], "mean", True, 512, "query: ", False, FORMAT)


def write(index, spec: dict) -> None:
    (index / FOLDER).mkdir(parents=True, exist_ok=True)
    (index / FOLDER / "encoder.json").write_text(json.dumps(spec))


def test_an_export_counts_for_its_model_and_is_current_in_the_current_format(tmp_path):
    write(tmp_path, asdict(SPEC))
    assert exported_for(tmp_path, "some-model") and not exported_for(tmp_path, "another-model")
    assert export_current(tmp_path, "some-model") and not export_current(tmp_path, "another-model")
    older = asdict(SPEC)
    del older["format"]  # written before exports recorded their format: usable, made again by a sync
    write(tmp_path, older)
    assert EncoderSpec.read(tmp_path).format == 0
    assert exported_for(tmp_path, "some-model") and not export_current(tmp_path, "some-model")


def test_pooling_uses_only_the_real_tokens():
    hidden = np.array([[[1.0, 0.0], [0.0, 1.0], [9.0, 9.0]]], dtype=np.float32)
    mask = np.array([[1, 1, 0]])
    assert np.allclose(SPEC.pool(hidden, mask), [[2 ** -0.5, 2 ** -0.5]])
    assert np.allclose(replace(SPEC, pooling="cls", normalize=False).pool(hidden, mask), [[1.0, 0.0]])
    assert np.allclose(replace(SPEC, pooling="max", normalize=False).pool(hidden, mask), [[1.0, 1.0]])
