"""The query encoder's description: which exports count as current, and pooling."""

import json
from dataclasses import asdict, replace

import numpy as np

from askcorpus.snapshot.encoder_spec import (
    FOLDER,
    FORMAT,
    SCALES,
    TABLE,
    EncoderSpec,
    export_current,
    exported_for,
    token_vectors,
    write_table,
)

SPEC = EncoderSpec("some-model", ["input_ids", "attention_mask"], "mean", True, 512, "query: ", False, FORMAT, "r1")


def write(index, spec: dict) -> None:
    (index / FOLDER).mkdir(parents=True, exist_ok=True)
    (index / FOLDER / "encoder.json").write_text(json.dumps(spec))


def test_an_export_counts_for_its_model_and_is_current_in_the_current_format(tmp_path):
    write(tmp_path, asdict(SPEC))
    assert exported_for(tmp_path, "some-model") and not exported_for(tmp_path, "another-model")
    assert export_current(tmp_path, "some-model", "r1") and not export_current(tmp_path, "another-model", "r1")
    older = asdict(SPEC)
    del older["format"]  # written before exports recorded their format: usable, made again by a sync
    write(tmp_path, older)
    assert EncoderSpec.read(tmp_path).format == 0
    assert exported_for(tmp_path, "some-model") and not export_current(tmp_path, "some-model", "r1")


def test_an_export_of_another_revision_of_the_model_is_neither_used_nor_current(tmp_path):
    write(tmp_path, asdict(SPEC))  # made from revision r1
    assert exported_for(tmp_path, "some-model", "r1") and not exported_for(tmp_path, "some-model", "r2")
    assert not export_current(tmp_path, "some-model", "r2")
    write(tmp_path, {**asdict(SPEC), "revision": ""})  # made before exports recorded the revision: taken as it
    assert exported_for(tmp_path, "some-model", "r2") and export_current(tmp_path, "some-model", "r2")


def test_pooling_uses_only_the_real_tokens():
    hidden = np.array([[[1.0, 0.0], [0.0, 1.0], [9.0, 9.0]]], dtype=np.float32)
    mask = np.array([[1, 1, 0]])
    assert np.allclose(SPEC.pool(hidden, mask), [[2 ** -0.5, 2 ** -0.5]])
    assert np.allclose(replace(SPEC, pooling="cls", normalize=False).pool(hidden, mask), [[1.0, 0.0]])
    assert np.allclose(replace(SPEC, pooling="max", normalize=False).pool(hidden, mask), [[1.0, 1.0]])


def test_an_export_lists_the_token_table_from_format_6_on():
    assert {"token-vectors.npy", "token-scales.npy"} <= set(SPEC.files())
    assert not {"token-vectors.npy", "token-scales.npy"} & set(replace(SPEC, format=5).files())


def test_the_token_table_in_8_bits_is_within_half_a_step_of_each_row(tmp_path):
    table = np.random.default_rng(3).standard_normal((100, 12)).astype(np.float32)
    table[5] = 0.0
    write_table(tmp_path, table, eight_bit=True, block=16)  # blocks that do not divide the rows
    rows, scales = np.load(tmp_path / TABLE), np.load(tmp_path / SCALES)
    assert rows.dtype == np.int8 and scales.shape == (100,)
    ids = np.array([[0, 5, 99], [42, 42, 16]])
    error = np.abs(token_vectors(rows, scales, ids) - table[ids])
    assert (error <= scales[ids][..., None] / 2 + 1e-7).all() and not token_vectors(rows, scales, ids)[0, 1].any()
    write_table(tmp_path, table, eight_bit=False)
    assert np.array_equal(token_vectors(np.load(tmp_path / TABLE), np.load(tmp_path / SCALES), ids), table[ids])
