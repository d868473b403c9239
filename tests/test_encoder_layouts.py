"""The query encoder on both layouts of an export, with tiny hand-made graphs instead of a model: the graph reading
token ids (formats before 6, the table inside it) and the graph reading token vectors from the table beside it."""

from dataclasses import replace

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper
from tokenizers import Tokenizer
from tokenizers.models import WordLevel
from tokenizers.pre_tokenizers import Whitespace

from askcorpus.answering.encoder import EncoderUnusable, OnnxEncoder
from askcorpus.snapshot.encoder_spec import FOLDER, FORMAT, TABLE, TOKEN_VECTORS, EncoderSpec, write_table

WORDS = ["[PAD]", "[UNK]", "wer", "vermittelte", "den", "austausch", "wo", "war", "putin"]
TABLE_ROWS = np.random.default_rng(7).standard_normal((len(WORDS), 8)).astype(np.float32)
SPEC = EncoderSpec("tiny", ["input_ids", "attention_mask"], "mean", True, 16, "", False, FORMAT, "r1")
TEXTS = ["wer vermittelte den austausch", "wo war putin", "putin"]


def export(folder, reads_ids: bool, eight_bit: bool = False) -> None:
    """A graph whose hidden states are the token vectors themselves, and its files."""
    folder.mkdir(parents=True)
    mask = helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "tokens"])
    hidden = helper.make_tensor_value_info("hidden", TensorProto.FLOAT, ["batch", "tokens", 8])
    if reads_ids:
        ids = helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "tokens"])
        node = helper.make_node("Gather", ["table", "input_ids"], ["hidden"])
        graph = helper.make_graph([node], "tiny", [ids, mask], [hidden], [numpy_helper.from_array(TABLE_ROWS, "table")])
    else:
        vectors = helper.make_tensor_value_info(TOKEN_VECTORS, TensorProto.FLOAT, ["batch", "tokens", 8])
        graph = helper.make_graph([helper.make_node("Identity", [TOKEN_VECTORS], ["hidden"])], "tiny",
                                  [vectors, mask], [hidden])
        write_table(folder, TABLE_ROWS, eight_bit, block=4)
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), str(folder / "model.onnx"))
    (folder / "model.data").write_bytes(b"")
    tokenizer = Tokenizer(WordLevel({word: n for n, word in enumerate(WORDS)}, unk_token="[UNK]"))
    tokenizer.pre_tokenizer = Whitespace()
    tokenizer.save(str(folder / "tokenizer.json"))
    replace(SPEC, format=FORMAT if not reads_ids else 5).write(folder)


def expected(texts):
    vectors = np.array([TABLE_ROWS[[WORDS.index(w) for w in text.split()]].mean(axis=0) for text in texts])
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


@pytest.mark.parametrize("reads_ids", [True, False])
def test_both_layouts_give_the_mean_of_the_token_vectors(tmp_path, reads_ids):
    export(tmp_path / FOLDER, reads_ids)
    encoder = OnnxEncoder(tmp_path)
    assert (encoder.table is None) == reads_ids
    assert np.allclose(encoder.encode(TEXTS), expected(TEXTS), atol=1e-6)  # padded in one batch, and alone
    assert np.allclose(encoder.encode(TEXTS[2:]), expected(TEXTS[2:]), atol=1e-6)


def test_an_8_bit_table_gives_nearly_the_same_vectors(tmp_path):
    export(tmp_path / FOLDER, reads_ids=False, eight_bit=True)
    vectors = OnnxEncoder(tmp_path).encode(TEXTS)
    assert (vectors * expected(TEXTS)).sum(axis=1).min() > 0.999


def test_a_damaged_table_makes_the_export_unusable(tmp_path):
    export(tmp_path / FOLDER, reads_ids=False)
    (tmp_path / FOLDER / TABLE).write_bytes(b"not a table")
    with pytest.raises(EncoderUnusable):
        OnnxEncoder(tmp_path)
    np.save(tmp_path / FOLDER / TABLE, TABLE_ROWS[:3])  # too short for the tokenizer's ids
    with pytest.raises(EncoderUnusable):
        OnnxEncoder(tmp_path).encode(TEXTS)
