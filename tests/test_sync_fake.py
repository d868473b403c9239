"""Sync against a real local Chroma with the fake embedder: what is embedded, kept, replaced and removed, why the
store or the snapshot is rebuilt, and a `Corpus` answering from the result."""

import json
import logging
import os
import re
import shutil
import sqlite3
from dataclasses import replace
from html import unescape

import numpy as np
import pytest

import askcorpus.indexing.fingerprint as fingerprint
import askcorpus.snapshot.lexical as lexical
import askcorpus.text.analysis as analysis
import askcorpus.text.cleaning as cleaning
import askcorpus.text.sentences as sentences
from askcorpus.answering.answer import Passage, Quote
from askcorpus.answering.extraction import EXTRACT_PASSAGES, Extractor
from askcorpus.config import ChunkSettings
from askcorpus.corpus import Corpus, _shown
from askcorpus.errors import AskcorpusError, IndexBusy, IndexDamaged, IndexNotWritable
from askcorpus.indexing.chroma_files import vector_folders
from askcorpus.indexing.damage import is_damaged
from askcorpus.indexing.embedder import Embedder
from askcorpus.indexing.lock import writer_lock
from askcorpus.indexing.sources import Skipped, load_articles
from askcorpus.indexing.store import Store, forget_clients
from askcorpus.indexing.sync import ENCODE_GROUP, encode_step, nothing_to_do, sync
from askcorpus.snapshot import generations
from askcorpus.snapshot.records import Chunk
from support import QUESTION, QUESTION_SOURCE, SEED_NAMES, coverage_scorer, folder_hash, stored_chunks

CHANGED = "001_1f07cc221ee6bb27.txt"
REMOVED = "002_67fb698165dfe57f.txt"


@pytest.fixture
def warnings(caplog):
    """The askcorpus warnings of a test."""
    caplog.set_level(logging.WARNING, logger="askcorpus")
    return caplog


@pytest.fixture
def synced(config, fake_embedder):
    """`config` after a first sync; the embedder's record cleared."""
    report = sync(config, progress=False, embedder=fake_embedder)
    first = list(fake_embedder.texts)
    fake_embedder.texts.clear()
    return config, report, first


def by_source(config) -> dict[str, dict[str, str]]:
    result: dict[str, dict[str, str]] = {}
    for chunk_id, text, meta in stored_chunks(config):
        result.setdefault(meta["source"], {})[chunk_id] = text
    return result


def vectors_by_text(config, source: str) -> dict[str, tuple]:
    """Each stored chunk of `source`: its text -> (its vector, its sentences' packed vectors)."""
    store = Store.connect(config)
    store.open(modify=False)
    records = store.collection.get(where={"source": source}, include=["documents", "metadatas", "embeddings"])
    return {text: (tuple(float(v) for v in vector), meta["sentence_vectors"])
            for text, meta, vector in zip(records["documents"], records["metadatas"], records["embeddings"])}


def same_vectors(found: dict[str, dict[str, tuple]], expected: dict[str, dict[str, tuple]]) -> bool:
    """`vectors_by_text` results equal but for float32 rounding (Chroma may hand back its index's normalised copy)."""
    return {source: set(texts) for source, texts in found.items()} == {
        source: set(texts) for source, texts in expected.items()} and all(
        np.allclose(found[source][text][0], vectors[0], atol=1e-6) and found[source][text][1] == vectors[1]
        for source, texts in expected.items() for text, vectors in texts.items())


def messages(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "askcorpus"]


def test_first_sync_adds_every_seed(synced):
    config, report, first = synced
    assert sorted(report.plan.added) == SEED_NAMES
    assert report.plan.changed == report.plan.removed == report.plan.unchanged == []
    chunks = stored_chunks(config)
    assert report.embedded_chunks == report.chunks_in_store == len(chunks) == len(first) > len(SEED_NAMES)
    assert sorted(text for _, text, _ in chunks) == sorted(first)
    assert report.rebuilt_because is None and report.snapshot_rebuilt_because is None
    assert sorted(generations.read_manifest(config.index).files) == SEED_NAMES


def test_every_stored_chunk_is_verbatim(synced, fake_embedder):
    config, _, _ = synced
    raw = {path.name: path.read_text(encoding="utf-8") for path in config.seeds.glob("*.txt")}
    per_file: dict[str, list[int]] = {}
    for _, text, meta in stored_chunks(config):
        assert raw[meta["source"]][meta["start"]:meta["end"]] == text
        assert fake_embedder.count_tokens(text) <= config.chunking.tokens
        per_file.setdefault(meta["source"], []).append(meta["chunk"])
        assert meta["n_chunks"] == sum(1 for _, _, m in stored_chunks(config) if m["source"] == meta["source"])
    assert all(sorted(numbers) == list(range(len(numbers))) for numbers in per_file.values())


def test_snapshot_matches_the_store(synced):
    config, _, _ = synced
    snapshot = generations.load(config.index)
    stored = {(meta["source"], meta["start"], meta["end"]): text for _, text, meta in stored_chunks(config)}
    assert {(c.source, c.start, c.end): c.text for c in snapshot.chunks} == stored
    assert snapshot.vectors.shape[0] == len(stored)


def test_a_second_sync_does_nothing(synced, fake_embedder):
    config, _, _ = synced
    before = by_source(config)
    generation = generations.current_generation(config.index)
    report = sync(config, progress=False, embedder=fake_embedder)
    assert sorted(report.plan.unchanged) == SEED_NAMES
    assert not report.plan.touched and not report.changed_anything
    assert report.embedded_chunks == 0 and fake_embedder.texts == []
    assert by_source(config) == before
    assert generations.current_generation(config.index) == generation


def test_nothing_to_do_is_told_from_sizes_and_times_alone(synced, monkeypatch, tmp_path):
    """What lets the chat app skip starting a process for a sync (`Corpus(sync_apart=True)`)."""
    config, _, _ = synced
    quick = nothing_to_do(config)
    assert quick is not None and sorted(quick.plan.unchanged) == SEED_NAMES and not quick.changed_anything
    assert nothing_to_do(config, dry_run=True).dry_run
    assert nothing_to_do(replace(config, index=tmp_path / "none")) is None  # no index yet
    assert nothing_to_do(replace(config, chroma_url="http://127.0.0.1:9")) is None  # another machine may write
    assert nothing_to_do(replace(config, chunking=ChunkSettings(120, 10))) is None  # other settings: a rebuild
    monkeypatch.setenv("ASKCORPUS_MAX_FILE_MB", "0.001")
    assert nothing_to_do(config) is None  # indexed files now over the limit
    monkeypatch.delenv("ASKCORPUS_MAX_FILE_MB")
    path = config.seeds / CHANGED
    path.write_bytes(path.read_bytes() + b" ")
    assert nothing_to_do(config) is None


def test_a_touched_but_unchanged_file_embeds_nothing(synced, fake_embedder):
    config, _, _ = synced
    path = config.seeds / CHANGED
    path.write_bytes(path.read_bytes())
    stat = path.stat()
    report = sync(config, progress=False, embedder=fake_embedder)
    assert report.embedded_chunks == 0 and fake_embedder.texts == [] and not report.plan.touched
    stats = generations.read_manifest(config.index).stats
    assert stats[CHANGED] == [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns]


def test_an_edit_that_kept_the_size_and_set_the_time_back_is_synced(synced, fake_embedder):
    """`touch -r` or a restore can set the modification time back; the status change time cannot be."""
    config, _, _ = synced
    path = config.seeds / CHANGED
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Juri Uschakow", "Juri Uschakov"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    assert nothing_to_do(config) is None
    report = sync(config, progress=False, embedder=fake_embedder)
    assert report.plan.changed == [CHANGED] and report.embedded_chunks > 0
    assert any("Uschakov" in text for text in fake_embedder.texts)


def test_a_changed_mode_reads_the_files_once_unless_the_index_is_read_only(synced, fake_embedder, monkeypatch):
    """A chmod changes a file's status change time: a writable index reads the files once and records the new
    times; a read-only one could never record them, so it goes by sizes and modification times alone."""
    config, _, _ = synced
    path = config.seeds / CHANGED
    path.chmod(0o600)
    monkeypatch.setattr(os, "access", lambda *args, **kwargs: False)  # as a read-only index folder answers
    assert nothing_to_do(config) is not None
    monkeypatch.undo()
    assert nothing_to_do(config) is None
    report = sync(config, progress=False, embedder=fake_embedder)
    assert not report.plan.touched and fake_embedder.texts == []
    assert nothing_to_do(config) is not None  # the new times are recorded


@pytest.mark.parametrize(("upgrade", "said"), [
    (lambda patch: patch.setattr(analysis, "ANALYSIS_VERSION", analysis.ANALYSIS_VERSION + 1), "made anew in memory"),
    (lambda patch: patch.setattr(fingerprint, "CLEANER_VERSION", cleaning.CLEANER_VERSION + 1),
     "made by an earlier version"),  # its articles as they were cleaned
])
def test_a_read_only_index_after_an_upgrade_answers_without_writing(synced, fake_embedder, monkeypatch, warnings,
                                                                    upgrade, said):
    config, _, _ = synced
    before = generations.read_manifest(config.index)
    upgrade(monkeypatch)
    monkeypatch.setattr(os, "access", lambda *args, **kwargs: False)  # as a read-only index folder answers
    corpus = Corpus(config, embedder=fake_embedder, scorer=coverage_scorer(0.3))
    assert corpus.sync_or_keep(progress=False) is None
    assert corpus.ask(QUESTION).quotes[0].source == QUESTION_SOURCE
    assert any(said in m for m in messages(warnings))
    assert generations.read_manifest(config.index) == before  # nothing was written


def test_an_empty_index_folder_that_cannot_be_written_says_who_must_build_it(config, fake_embedder, monkeypatch):
    config.index.mkdir(parents=True)
    corpus = Corpus(config, embedder=fake_embedder, scorer=coverage_scorer(0.3))
    with pytest.raises(AskcorpusError, match=r"no usable index in .*: run `askcorpus index` first$"):
        corpus.ask(QUESTION)
    monkeypatch.setattr(os, "access", lambda *args, **kwargs: False)  # as a read-only index folder answers
    with pytest.raises(AskcorpusError, match="cannot be written here: `askcorpus index` must be run by someone who"):
        Corpus(config, embedder=fake_embedder, scorer=coverage_scorer(0.3)).ask(QUESTION)


def test_editing_one_file_re_embeds_only_its_changed_passages(synced, fake_embedder):
    config, _, _ = synced
    before = by_source(config)
    old_vectors = vectors_by_text(config, CHANGED)
    path = config.seeds / CHANGED
    path.write_text(path.read_text(encoding="utf-8").replace(
        "Juri Uschakow", "Juri Uschakow und der Diplomat Kirill Dmitrijew"), encoding="utf-8")
    report = sync(config, progress=False, embedder=fake_embedder)
    assert report.plan.changed == [CHANGED] and report.plan.added == report.plan.removed == []
    after = by_source(config)
    new_texts = set(after[CHANGED].values()) - set(before[CHANGED].values())
    assert any("Dmitrijew" in text for text in new_texts)
    assert set(fake_embedder.texts) == new_texts
    assert report.embedded_chunks == len(fake_embedder.texts) == len(new_texts)
    assert report.reused_chunks == len(after[CHANGED]) - len(new_texts) > 0
    kept = vectors_by_text(config, CHANGED)
    for text in set(after[CHANGED].values()) - new_texts:
        assert kept[text] == old_vectors[text]
    assert not set(after[CHANGED]) & set(before[CHANGED])  # the old version's ids are gone
    for source in SEED_NAMES:
        if source != CHANGED:
            assert after[source] == before[source]
    assert f"{report.reused_chunks} reused" in report.summary()


def test_removing_files_beside_an_unrelated_addition_reads_none_of_their_vectors(synced, fake_embedder,
                                                                                 monkeypatch):
    config, _, _ = synced
    fetched = []
    real_records = Store.records

    def counting_records(store, ids, include=("documents", "metadatas", "embeddings")):
        fetched.append((len(ids), tuple(include)))
        return real_records(store, ids, include)

    monkeypatch.setattr(Store, "records", counting_records)
    (config.seeds / REMOVED).unlink()
    (config.seeds / CHANGED).unlink()
    (config.seeds / "new.txt").write_text("Ein Artikel über das Wetter in Hamburg: es regnet seit Tagen.\n",
                                          encoding="utf-8")
    report = sync(config, progress=False, embedder=fake_embedder)
    assert report.plan.added == ["new.txt"] and report.reused_chunks == 0 and report.embedded_chunks == 1
    assert sum(count for count, include in fetched if "embeddings" in include) == 0
    assert sum(count for count, include in fetched if include == ("documents",)) > 0


class NoModel:
    """An embedder that fails the test when anything uses it."""

    def __getattr__(self, name):
        raise AssertionError(f"the model was used ({name})")

    def refresh(self) -> bool:
        return False  # asks whether the model's files changed: reads no model


def test_moving_a_file_embeds_nothing_and_loads_no_model(synced):
    config, _, _ = synced
    before = by_source(config)
    old_vectors = vectors_by_text(config, CHANGED)
    (config.seeds / "moved").mkdir()
    (config.seeds / CHANGED).rename(config.seeds / "moved" / CHANGED)
    report = sync(config, progress=False, embedder=NoModel())
    moved = f"moved/{CHANGED}"
    assert report.plan.added == [moved] and report.plan.removed == [CHANGED]
    assert report.embedded_chunks == 0 and report.reused_chunks == len(before[CHANGED])
    after = by_source(config)
    assert CHANGED not in after
    assert sorted(after[moved].values()) == sorted(before[CHANGED].values())
    assert vectors_by_text(config, moved) == old_vectors
    raw = (config.seeds / moved).read_text(encoding="utf-8")
    for _, text, meta in stored_chunks(config):
        if meta["source"] == moved:
            assert raw[meta["start"]:meta["end"]] == text
    snapshot = generations.load(config.index)
    assert {c.source for c in snapshot.chunks} == set(SEED_NAMES) - {CHANGED} | {moved}


def test_copying_a_file_embeds_nothing_and_keeps_the_original(synced):
    config, _, _ = synced
    before = by_source(config)
    (config.seeds / "copy.txt").write_bytes((config.seeds / CHANGED).read_bytes())
    report = sync(config, progress=False, embedder=NoModel())
    assert report.plan.added == ["copy.txt"] and report.plan.removed == []
    assert report.embedded_chunks == 0 and report.reused_chunks == len(before[CHANGED])
    after = by_source(config)
    assert after[CHANGED] == before[CHANGED]
    assert sorted(after["copy.txt"].values()) == sorted(before[CHANGED].values())
    assert vectors_by_text(config, "copy.txt") == vectors_by_text(config, CHANGED)


def test_deleting_a_file_removes_its_chunks(synced, fake_embedder):
    config, _, _ = synced
    before = by_source(config)
    (config.seeds / REMOVED).unlink()
    report = sync(config, progress=False, embedder=fake_embedder)
    assert report.plan.removed == [REMOVED] and report.embedded_chunks == 0
    after = by_source(config)
    assert REMOVED not in after
    assert after == {source: ids for source, ids in before.items() if source != REMOVED}
    assert report.chunks_in_store == sum(len(ids) for ids in after.values())
    assert REMOVED not in generations.load(config.index).manifest.files
    assert all(c.source != REMOVED for c in generations.load(config.index).chunks)


def test_dry_run_changes_nothing(synced, fake_embedder):
    config, _, _ = synced
    (config.seeds / REMOVED).unlink()
    path = config.seeds / CHANGED
    path.write_text(path.read_text(encoding="utf-8") + "\nEin neuer Absatz über Verhandlungen.", encoding="utf-8")
    before = by_source(config)
    forget_clients()  # as a new process finds the index: Chroma not open yet
    index_before = folder_hash(config.index)
    report = sync(config, dry_run=True, progress=False, embedder=fake_embedder)
    assert report.dry_run and report.summary().startswith("would sync:")
    assert report.plan.changed == [CHANGED] and report.plan.removed == [REMOVED]
    assert report.embedded_chunks == 0 and fake_embedder.texts == []
    assert folder_hash(config.index) == index_before  # not even Chroma's bookkeeping is written
    assert by_source(config) == before


def one_line_reason(reason: str | None, caplog, needle: str) -> str:
    assert reason is not None and needle in reason and "\n" not in reason
    assert any(reason in message for message in messages(caplog)), messages(caplog)
    return reason


def test_a_model_that_cannot_load_leaves_the_index_as_it_was(synced, fake_embedder):
    config, _, _ = synced
    before, generation = by_source(config), generations.current_generation(config.index)
    missing = replace(config, model=str(config.index.parent / "no-such-model"))
    for rebuild, embedder in ((False, None), (True, None), (False, Embedder(missing.model))):
        with pytest.raises(AskcorpusError, match="model folder .*no-such-model does not exist"):
            sync(missing, rebuild=rebuild, progress=False, embedder=embedder)
        assert by_source(config) == before and generations.current_generation(config.index) == generation
    report = sync(config, progress=False, embedder=fake_embedder)
    assert report.embedded_chunks == 0 and sorted(report.plan.unchanged) == SEED_NAMES


def test_bm25_change_rebuilds_only_the_snapshot(synced, fake_embedder, monkeypatch, warnings):
    config, _, _ = synced
    old = generations.load(config.index)
    monkeypatch.setattr(lexical, "K1", 1.2)
    report = sync(config, progress=False, embedder=fake_embedder)
    assert report.rebuilt_because is None
    reason = one_line_reason(report.snapshot_rebuilt_because, warnings, "bm25_k1")
    assert "0.9 -> 1.2" in reason
    assert report.embedded_chunks == 0 and fake_embedder.texts == [] and not report.plan.touched
    new = generations.load(config.index)
    assert new.manifest.settings["bm25_k1"] == 1.2
    assert new.generation != old.generation and new.chunks == old.chunks
    assert not (new.lexical.weights == old.lexical.weights).all()
    again = sync(config, progress=False, embedder=fake_embedder)
    assert again.snapshot_rebuilt_because is None and not again.changed_anything


def test_a_dry_run_after_a_bm25_change_says_the_snapshot_would_be_rebuilt(synced, fake_embedder, monkeypatch,
                                                                           warnings):
    config, _, _ = synced
    generation = generations.load(config.index).generation
    monkeypatch.setattr(lexical, "K1", 1.2)
    report = sync(config, dry_run=True, progress=False, embedder=fake_embedder)
    assert report.rebuilt_because is None and "0.9 -> 1.2" in report.snapshot_rebuilt_because
    assert messages(warnings) == [f"{report.snapshot_rebuilt_because}: would rebuild the answering snapshot"]
    assert generations.load(config.index).generation == generation


def test_a_dry_run_without_the_database_still_says_the_snapshot_would_be_rebuilt(synced, fake_embedder,
                                                                                monkeypatch, warnings):
    config, _, _ = synced
    (config.index / "chroma.sqlite3").unlink()
    monkeypatch.setattr(lexical, "K1", 1.2)
    report = sync(config, dry_run=True, progress=False, embedder=fake_embedder)
    assert sorted(report.plan.added) == SEED_NAMES and "0.9 -> 1.2" in report.snapshot_rebuilt_because
    assert messages(warnings) == [f"{report.snapshot_rebuilt_because}: would rebuild the answering snapshot"]


def test_stopword_change_rebuilds_the_snapshot(synced, fake_embedder, monkeypatch, warnings):
    config, _, _ = synced
    old = generations.load(config.index)
    monkeypatch.setattr(analysis, "STOPWORDS", analysis.STOPWORDS | {"putin"})
    report = sync(config, progress=False, embedder=fake_embedder)
    one_line_reason(report.snapshot_rebuilt_because, warnings, "analyzer")
    assert report.rebuilt_because is None and report.embedded_chunks == 0
    new = generations.load(config.index)
    # "putin" itself is now a stopword; "Putins" still stems to putin, so fewer chunks hold the term, not none.
    assert 0 < new.lexical.document_frequency("putin") < old.lexical.document_frequency("putin")
    assert new.manifest.settings["analyzer"] == analysis.analyzer_signature() != old.manifest.settings["analyzer"]


def test_chunk_size_change_rebuilds_the_store(synced, fake_embedder, warnings):
    config, _, _ = synced
    smaller = replace(config, chunking=ChunkSettings(tokens=120))
    report = sync(smaller, progress=False, embedder=fake_embedder)
    reason = one_line_reason(report.rebuilt_because, warnings, "chunk_tokens")
    assert "200 -> 120" in reason
    assert report.snapshot_rebuilt_because is None
    assert sorted(report.plan.added) == SEED_NAMES
    chunks = stored_chunks(smaller)
    assert report.embedded_chunks == len(fake_embedder.texts) == len(chunks) == report.chunks_in_store
    assert sorted(fake_embedder.texts) == sorted(text for _, text, _ in chunks)
    assert all(fake_embedder.count_tokens(text) <= 120 for _, text, _ in chunks)
    assert generations.load(config.index).manifest.store["chunk_tokens"] == 120


def test_sentence_splitter_change_rebuilds_the_store(synced, fake_embedder, monkeypatch, warnings):
    config, _, _ = synced
    monkeypatch.setattr(sentences, "ABBREVIATIONS", (*sentences.ABBREVIATIONS, "Pkt"))
    report = sync(config, progress=False, embedder=fake_embedder)
    one_line_reason(report.rebuilt_because, warnings, "sentence_splitter")
    assert sorted(report.plan.added) == SEED_NAMES
    assert report.embedded_chunks == report.chunks_in_store > 0
    assert generations.load(config.index).manifest.store["sentence_splitter"] == sentences.splitter_signature()


def test_another_collection_is_filled_from_the_snapshot_though_no_file_changed(synced, fake_embedder, warnings):
    """ASKCORPUS_COLLECTION names another collection of the same database: the sync fills it, from the snapshot's
    vectors, instead of calling the index unchanged (as it did while snapshots did not record their collection)."""
    config, _, _ = synced
    other = replace(config, collection="other")
    assert nothing_to_do(other) is None
    planned = sync(other, dry_run=True, progress=False, embedder=fake_embedder)
    assert sorted(planned.plan.added) == SEED_NAMES  # the dry run reads the named collection, not the snapshot
    report = sync(other, progress=False, embedder=fake_embedder)
    assert sorted(report.plan.added) == SEED_NAMES and report.embedded_chunks == 0 and fake_embedder.texts == []
    one_line_reason(report.snapshot_rebuilt_because, warnings, "collection 'askcorpus' -> 'other'")
    assert by_source(other) == by_source(config)
    assert same_vectors({source: vectors_by_text(other, source) for source in SEED_NAMES},
                        {source: vectors_by_text(config, source) for source in SEED_NAMES})
    assert generations.read_manifest(config.index).store["collection"] == "other"
    assert nothing_to_do(other) is not None
    back = sync(config, progress=False, embedder=fake_embedder)  # the first collection kept its chunks
    assert sorted(back.plan.unchanged) == SEED_NAMES and back.embedded_chunks == 0
    assert generations.read_manifest(config.index).store["collection"] == "askcorpus"


def test_a_snapshot_written_before_collections_were_recorded_is_taken_for_todays(synced, fake_embedder, monkeypatch,
                                                                                  warnings):
    """Upgrading does not make an index stale: a manifest without the collection holds the one named today."""
    config, _, _ = synced
    path = config.index / generations.FOLDER / generations.current_generation(config.index) / "manifest.json"
    recorded = json.loads(path.read_text(encoding="utf-8"))
    del recorded["store"]["collection"]
    path.write_text(json.dumps(recorded), encoding="utf-8")
    assert nothing_to_do(config) is not None
    assert sync(config, dry_run=True, progress=False, embedder=fake_embedder).snapshot_rebuilt_because is None
    monkeypatch.setattr(os, "access", lambda *args, **kwargs: False)  # as a read-only index folder answers
    assert Corpus(config, embedder=fake_embedder, scorer=coverage_scorer(0.3)).ask(QUESTION).quotes
    assert messages(warnings) == []
    assert "collection" not in json.loads(path.read_text(encoding="utf-8"))["store"]  # nothing written


def test_a_new_cleaner_cleans_every_file_again_and_embeds_only_the_articles_it_changes(synced, fake_embedder,
                                                                                        monkeypatch, warnings):
    """The cleaner is no setting of the vectors: a new version re-reads every file (their sizes and times have not
    changed), and only an article whose cleaned text differs is embedded again."""
    config, _, _ = synced
    old = generations.load(config.index)
    file = next(f for f in load_articles(config.seeds)[0] if f.source == CHANGED)
    last_line = file.text.split("\n- Die besten Bücher")[0].strip().splitlines()[-1]
    monkeypatch.setattr(cleaning, "MARKER", re.compile(f"{cleaning.MARKER.pattern}|^{re.escape(last_line)}$"))
    monkeypatch.setattr(fingerprint, "CLEANER_VERSION", cleaning.CLEANER_VERSION + 1)
    report = sync(config, progress=False, embedder=fake_embedder)
    assert report.rebuilt_because is None
    one_line_reason(report.snapshot_rebuilt_because, warnings, "cleaner_version")
    assert report.plan.changed == [CHANGED] and not report.plan.added and not report.plan.removed
    assert 0 < report.embedded_chunks == len(fake_embedder.texts) < len(old.chunks)
    assert all(last_line not in text for text in fake_embedder.texts)
    new = generations.load(config.index)
    assert new.manifest.store["cleaner_version"] == cleaning.CLEANER_VERSION + 1
    assert {c.text for c in new.chunks if c.source != CHANGED} == {c.text for c in old.chunks if c.source != CHANGED}
    again = sync(config, progress=False, embedder=fake_embedder)
    assert again.snapshot_rebuilt_because is None and not again.changed_anything


def test_a_new_version_saved_beside_the_old_one_embeds_only_what_it_does_not_share(synced, fake_embedder):
    """Vectors are lent by the current snapshot to any chunk whose text a stored file holds, not only the files a
    sync replaces: a site's updated article saved under a new name, the old one kept (embedded whole before)."""
    config, _, _ = synced
    text = (config.seeds / CHANGED).read_text(encoding="utf-8")
    title = text.split("\n", 1)[0]
    new = "zz_updated.txt"
    (config.seeds / new).write_text(text.replace(title, f"{title} (aktualisiert)", 1), encoding="utf-8")
    report = sync(config, progress=False, embedder=fake_embedder)
    assert report.plan.added == [new] and not report.plan.changed
    updated, old = vectors_by_text(config, new), vectors_by_text(config, CHANGED)
    shared = updated.keys() & old.keys()
    assert shared and report.reused_chunks == len(shared) and report.embedded_chunks == len(updated) - len(shared)
    assert not shared & set(fake_embedder.texts)
    assert same_vectors({new: {text: updated[text] for text in shared}}, {new: {text: old[text] for text in shared}})


def test_rebuild_requested(synced, fake_embedder):
    config, first_report, _ = synced
    report = sync(config, rebuild=True, progress=False, embedder=fake_embedder)
    assert report.rebuilt_because == "rebuild requested"
    assert report.embedded_chunks == first_report.embedded_chunks == len(fake_embedder.texts)


def test_rebuilds_leave_no_vector_folder_of_the_dropped_collections_behind(synced, fake_embedder):
    config, first_report, _ = synced
    [first] = vector_folders(config.index)
    smaller = replace(config, chunking=ChunkSettings(tokens=120))
    for settings, rebuild in ((config, True), (smaller, False), (config, False), (config, True)):  # reset, open
        report = sync(settings, rebuild=rebuild, progress=False, embedder=fake_embedder)
        assert len(vector_folders(config.index)) == 1
    assert vector_folders(config.index) != [first] and report.chunks_in_store == first_report.chunks_in_store
    assert finds_itself(config)


def test_a_rebuild_keeps_its_old_vector_folder_when_it_holds_more_than_chroma_put_there(synced, fake_embedder):
    config, _, _ = synced
    [first] = vector_folders(config.index)
    (first / "notes.txt").write_text("mine", encoding="utf-8")
    sync(config, rebuild=True, progress=False, embedder=fake_embedder)
    assert first in vector_folders(config.index) and (first / "notes.txt").read_text(encoding="utf-8") == "mine"


def finds_itself(config) -> bool:
    """True when, opened afresh, the collection's vector index finds a stored chunk by its own vector."""
    forget_clients()  # as a new process would open it
    store = Store.connect(config)
    store.open(modify=False)
    stored = store.collection.get(limit=1, include=["embeddings"])
    found = store.collection.query(query_embeddings=[stored["embeddings"][0]], n_results=1)
    return found["ids"][0] == stored["ids"]


def test_a_rebuild_removes_no_folder_but_its_own_collections(synced, fake_embedder):
    """Another tool's collections, in the same Chroma database or another one, keep their vector folders, and so
    does a folder that only looks like one (here: articles in a folder named like a segment id)."""
    import chromadb
    from chromadb.config import Settings

    config, _, _ = synced
    settings = Settings(is_persistent=True, persist_directory=str(config.index), anonymized_telemetry=False)
    chromadb.AdminClient(settings).create_database("another-tool")
    vectors = [[float(i), 1.0, 0.5] for i in range(1500)]  # enough for Chroma to write them to a vector folder
    for database in ("default_database", "another-tool"):
        client = chromadb.PersistentClient(path=str(config.index), database=database, settings=settings)
        client.create_collection("theirs").add(ids=[f"i{i}" for i in range(1500)], embeddings=vectors)
    lookalike = config.index / "3f2a9c1e-0d1b-4c5e-9a7f-2b6d8e0c4a11"
    lookalike.mkdir()
    (lookalike / "article.txt").write_text("Ein Artikel.", encoding="utf-8")
    before = set(vector_folders(config.index))
    sync(config, rebuild=True, progress=False, embedder=fake_embedder)
    after = set(vector_folders(config.index))
    assert len(before) == 4 and len(before - after) == 1 and len(after - before) == 1 and lookalike in after
    assert (lookalike / "article.txt").read_text(encoding="utf-8") == "Ein Artikel."
    forget_clients()
    for database in ("default_database", "another-tool"):
        theirs = chromadb.PersistentClient(path=str(config.index), database=database,
                                           settings=settings).get_collection("theirs")
        assert theirs.query(query_embeddings=[[5.0, 1.0, 0.5]], n_results=3)["ids"] == [["i5", "i4", "i6"]]


def test_rebuild_sets_a_damaged_database_aside_and_builds_anew(synced, fake_embedder, warnings):
    config, first_report, _ = synced
    before = {source: vectors_by_text(config, source) for source in SEED_NAMES}
    database = config.index / "chroma.sqlite3"
    damaged = bytearray(database.read_bytes())
    damaged[100:4000] = bytes(3900)  # SQLite's header and first pages: "database disk image is malformed"
    database.write_bytes(bytes(damaged))
    dry = sync(config, rebuild=True, dry_run=True, progress=False, embedder=fake_embedder)
    assert sorted(dry.plan.added) == SEED_NAMES and dry.rebuilt_because == "rebuild requested"
    assert messages(warnings) == ["the index database is damaged: would move it aside and build the index again"]
    assert database.read_bytes() == damaged and not list(config.index.glob("damaged-*"))
    report = sync(config, rebuild=True, progress=False, embedder=fake_embedder)
    [aside] = config.index.glob("damaged-*")
    assert (aside / "chroma.sqlite3").read_bytes() == damaged and any(aside.glob("*-*-*-*-*"))
    assert any(f"moved it to {aside}" in m for m in messages(warnings))
    assert report.chunks_in_store == first_report.chunks_in_store and not is_damaged(database)
    # the snapshot's vectors are taken, not embedded again
    assert fake_embedder.texts == [] and report.reused_chunks == report.chunks_in_store
    assert same_vectors({source: vectors_by_text(config, source) for source in SEED_NAMES}, before)


def test_a_rebuild_after_damage_embeds_only_what_the_last_snapshot_lacks(synced, fake_embedder):
    config, _, _ = synced
    kept = {source: vectors_by_text(config, source) for source in SEED_NAMES if source != CHANGED}
    (config.seeds / CHANGED).write_text("Ein ganz neuer Satz. Noch einer dazu.\n", encoding="utf-8")
    (config.index / "chroma.sqlite3").write_bytes(b"this is not a database" * 100)
    report = sync(config, rebuild=True, progress=False, embedder=fake_embedder)
    assert fake_embedder.texts == ["Ein ganz neuer Satz. Noch einer dazu."]
    assert report.embedded_chunks == 1 and report.reused_chunks == report.chunks_in_store - 1
    assert same_vectors({source: vectors_by_text(config, source) for source in SEED_NAMES if source != CHANGED}, kept)


def test_a_database_damaged_past_its_first_pages_is_named_and_questions_answer_from_the_snapshot(
        synced, fake_embedder, warnings):
    config, _, _ = synced
    database = config.index / "chroma.sqlite3"
    damaged = bytearray(database.read_bytes())
    damaged[len(damaged) // 4:] = b"\xff" * (len(damaged) - len(damaged) // 4)  # Chroma opens it; reading fails
    database.write_bytes(bytes(damaged))
    forget_clients()
    (config.seeds / CHANGED).write_text("Neuer Text über etwas anderes.\n", encoding="utf-8")
    with pytest.raises(IndexDamaged, match=rf"^the index database in {config.index} is damaged \(.+\): "
                                           r"`askcorpus index --rebuild` moves it aside"):
        sync(config, progress=False, embedder=fake_embedder)
    with pytest.raises(IndexDamaged, match="`askcorpus index --rebuild` moves it aside"):  # as the sync would
        sync(config, dry_run=True, progress=False, embedder=fake_embedder)
    corpus = Corpus(config, embedder=fake_embedder, scorer=coverage_scorer(0.3))
    assert corpus.sync_or_keep(progress=False) is None
    answer = corpus.ask(QUESTION)
    assert answer.quotes[0].source == QUESTION_SOURCE
    assert any("is damaged" in m and "answering from its last complete state" in m for m in messages(warnings))
    assert database.read_bytes() == damaged


def test_a_dry_run_without_an_index_creates_nothing(config, fake_embedder):
    report = sync(config, dry_run=True, progress=False, embedder=fake_embedder)
    assert sorted(report.plan.added) == SEED_NAMES and report.dry_run and not config.index.exists()


def test_a_dry_run_refuses_an_index_folder_that_the_sync_could_not_create(config, fake_embedder, tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    cases = {tmp_path / "a-file": "is a file, not a folder", tmp_path / "dangling": "is a file, not a folder",
             tmp_path / "a-file" / "index": "cannot create", tmp_path / "a-file" / "deeper" / "index": "cannot create",
             tmp_path / "dangling" / "index": ""}
    for index, says in cases.items():
        for dry_run in (True, False):
            with pytest.raises(AskcorpusError, match=f"index folder {index}") as error:
                sync(replace(config, index=index), dry_run=dry_run, progress=False, embedder=fake_embedder)
            assert says in str(error.value)
    server = replace(config, index=tmp_path / "a-file" / "index", chroma_url="http://127.0.0.1:9")
    with pytest.raises(AskcorpusError, match="cannot create index folder"):  # before the server is asked
        sync(server, dry_run=True, progress=False, embedder=fake_embedder)
    assert not (tmp_path / "nowhere").exists()


def test_a_dry_run_refuses_a_read_only_index_folder_when_the_sync_would_write(synced, fake_embedder, monkeypatch):
    config, _, _ = synced
    monkeypatch.setattr(os, "access", lambda *args, **kwargs: False)  # as a read-only index folder answers
    assert sync(config, dry_run=True, progress=False, embedder=fake_embedder).plan.unchanged == SEED_NAMES
    path = config.seeds / CHANGED
    path.write_text(path.read_text(encoding="utf-8") + "\nEin neuer Absatz.", encoding="utf-8")
    for rebuild in (False, True):
        with pytest.raises(IndexNotWritable, match="is not writable"):
            sync(config, rebuild=rebuild, dry_run=True, progress=False, embedder=fake_embedder)
        with pytest.raises(IndexNotWritable, match="is not writable"):
            sync(config, rebuild=rebuild, progress=False, embedder=fake_embedder)
    (config.index / "chroma.sqlite3").unlink()  # the folder alone, as a first sync would fill it
    with pytest.raises(IndexNotWritable, match="is not writable"):
        sync(config, dry_run=True, progress=False, embedder=fake_embedder)


def test_a_dry_run_says_what_a_sync_would_rebuild_and_counts_what_the_store_holds(synced, fake_embedder, warnings):
    config, first_report, _ = synced
    held = first_report.chunks_in_store
    smaller = replace(config, chunking=ChunkSettings(tokens=120))
    report = sync(smaller, dry_run=True, progress=False, embedder=fake_embedder)
    assert "chunk_tokens" in report.rebuilt_because and report.chunks_in_store == held
    assert sorted(report.plan.added) == SEED_NAMES
    assert messages(warnings) == [f"{report.rebuilt_because}: would rebuild the whole index"]
    warnings.clear()
    report = sync(config, rebuild=True, dry_run=True, progress=False, embedder=fake_embedder)
    assert report.to_dict()["rebuilt_because"] == "rebuild requested" and report.chunks_in_store == held
    assert messages(warnings) == ["rebuild requested: would rebuild the whole index"]
    assert sync(config, progress=False, embedder=fake_embedder).plan.unchanged == SEED_NAMES  # nothing was changed


def test_rebuild_sets_aside_a_database_that_sqlite_reads_but_chroma_refuses(synced, fake_embedder, warnings):
    config, first_report, _ = synced
    with sqlite3.connect(config.index / "chroma.sqlite3") as database:  # as another Chroma version's might be
        database.execute("UPDATE migrations SET hash = 'changed' WHERE version = 1")
    forget_clients()  # as a new process would open it
    with pytest.raises(AskcorpusError, match="index --rebuild"):
        Store.connect(config)
    dry = sync(config, rebuild=True, dry_run=True, progress=False, embedder=fake_embedder)  # Chroma left closed
    assert dry.rebuilt_because == "rebuild requested" and not list(config.index.glob("damaged-*"))
    report = sync(config, rebuild=True, progress=False, embedder=fake_embedder)
    [aside] = config.index.glob("damaged-*")
    assert (aside / "chroma.sqlite3").is_file() and any(f"moved it to {aside}" in m for m in messages(warnings))
    assert report.chunks_in_store == first_report.chunks_in_store


def test_an_interrupted_sync_keeps_what_it_embedded_and_the_next_one_takes_it_back(config, fake_embedder,
                                                                                   monkeypatch, tmp_path):
    calls = []
    embed = fake_embedder.embed_passages

    def interrupted_at_the_third_call(texts, spans, **options):
        if len(calls) == 2:
            raise KeyboardInterrupt
        calls.append(len(texts))
        return embed(texts, spans, **options)

    monkeypatch.setattr(fake_embedder, "embed_passages", interrupted_at_the_third_call)
    with pytest.raises(KeyboardInterrupt):
        sync(config, progress=False, embedder=fake_embedder)
    assert len(stored_chunks(config)) == sum(calls) > 0  # each call's chunks were stored as it ended
    monkeypatch.undo()
    dry = sync(config, dry_run=True, progress=False, embedder=fake_embedder)
    assert dry.plan.changed and sorted(dry.plan.added + dry.plan.changed) == SEED_NAMES  # stored in part: not done
    report = sync(config, progress=False, embedder=fake_embedder)
    assert report.reused_chunks == sum(calls)
    assert report.embedded_chunks + report.reused_chunks == report.chunks_in_store == len(stored_chunks(config))
    assert sync(config, progress=False, embedder=fake_embedder).plan.unchanged == SEED_NAMES
    clean = replace(config, index=tmp_path / "clean")
    sync(clean, progress=False, embedder=fake_embedder)
    assert sorted(stored_chunks(config)) == sorted(stored_chunks(clean))  # ids, texts, metadata (sentence vectors)


def test_a_sync_refused_the_lock_creates_no_database(config, fake_embedder):
    with writer_lock(config.index):  # as another `askcorpus index` holds it, creating the database
        with pytest.raises(IndexBusy):
            sync(config, progress=False, embedder=fake_embedder)
        assert not (config.index / "chroma.sqlite3").exists()  # two processes creating it at once: "table exists"
    assert sync(config, progress=False, embedder=fake_embedder).plan.added == SEED_NAMES


def test_a_rebuild_cut_short_after_setting_a_damaged_database_aside_is_planned_from_the_store(synced, fake_embedder,
                                                                                               monkeypatch):
    config, _, _ = synced
    (config.index / "chroma.sqlite3").write_bytes(b"this is not a database" * 100)
    forget_clients()

    def cut_short():
        raise KeyboardInterrupt

    monkeypatch.setattr(fake_embedder, "load", cut_short)
    with pytest.raises(KeyboardInterrupt):  # after the database was moved aside and an empty one opened
        sync(config, rebuild=True, progress=False, embedder=fake_embedder)
    monkeypatch.undo()
    path = config.seeds / CHANGED
    path.write_text(path.read_text(encoding="utf-8") + "\nEin neuer Absatz.", encoding="utf-8")
    dry = sync(config, dry_run=True, progress=False, embedder=fake_embedder)
    assert sorted(dry.plan.added) == SEED_NAMES  # the store is empty now, not the snapshot's
    report = sync(config, progress=False, embedder=fake_embedder)
    assert report.plan.added == dry.plan.added and report.chunks_in_store > 0


def test_rebuild_leaves_a_sound_database_where_it_is(synced, fake_embedder):
    config, _, _ = synced
    assert not is_damaged(config.index / "chroma.sqlite3")
    sync(config, rebuild=True, progress=False, embedder=fake_embedder)
    assert not list(config.index.glob("damaged-*"))


@pytest.mark.parametrize(("question", "source", "words"), [
    (QUESTION, QUESTION_SOURCE, ["Kriegsgefangenen", "Türkei"]),
    ("Wo befand sich Putin während des Telefonats?", "003_a6245cd8f77849b7.txt", ["Sotschi"]),
    ("Was bedürfen Teile des Abkommens laut Lawrow?", "004_7e4980c0d24f6968.txt", ["Feinjustierung"]),
])
def test_corpus_answers_with_verbatim_quotes_from_the_right_file(synced, fake_embedder, question, source, words):
    config, _, _ = synced
    corpus = Corpus(config, embedder=fake_embedder, scorer=coverage_scorer(0.3))
    answer = corpus.ask(question)
    assert not answer.abstained
    assert answer.quotes[0].source == source
    assert all(word in answer.quotes[0].text for word in words)
    raw = {path.name: path.read_text(encoding="utf-8") for path in config.seeds.glob("*.txt")}
    for quote in answer.quotes:
        assert raw[quote.source][quote.start:quote.end] == quote.text
    for passage in answer.passages:
        assert raw[passage.source][passage.start:passage.end] == passage.text
    assert not (config.index / "encoder").exists()  # the fake embedder exports nothing; questions used it


@pytest.mark.parametrize("question", [QUESTION, "Wie backt man ein Sauerteigbrot?"])
def test_the_number_of_passages_shown_does_not_change_the_quotes(synced, fake_embedder, monkeypatch, question):
    """Quotes come from the five best passages, as the scorer was fitted, whether one passage is shown or ten
    (from one passage, the chosen sentence's larger share of the choice answered where five abstain)."""
    config, _, _ = synced
    corpus = Corpus(config, embedder=fake_embedder, scorer=coverage_scorer(0.3))
    given = []
    extract = Extractor.extract
    monkeypatch.setattr(Extractor, "extract", lambda self, q, v, passages, *rest: given.append(
        [p.source + str(p.start) for p in passages[:EXTRACT_PASSAGES]]) or extract(self, q, v, passages, *rest))
    answers = {k: corpus.ask(question, k=k) for k in (1, 3, 5, 10)}
    assert len(given) == 4 and all(passages == given[0] for passages in given) and len(given[0]) == EXTRACT_PASSAGES
    assert len({(a.abstained, tuple(a.quotes)) for a in answers.values()}) == 1
    assert len(answers[5].passages) == 5 and len(answers[10].passages) > 5
    for k, answer in answers.items():  # each quote is shown with a passage it came from, past the k best if need be
        assert answer.passages[:k] == answers[10].passages[:k]
        for quote in answer.quotes:
            assert any(p.source == quote.source and p.start < quote.end and quote.start < p.end
                       for p in answer.passages)


def test_a_quote_from_past_the_k_best_passages_brings_its_passage_along():
    found = [Passage(Chunk(f"{n}.txt", 0, 0, 100, f"Titel {n}", "x" * 100), 1.0 - n / 10, n) for n in range(8)]
    quotes = [Quote("x" * 10, "3.txt", 20, 30, 0.9), Quote("x" * 10, "6.txt", 20, 30, 0.5)]
    assert [p.source for p in _shown(found, 1, quotes)] == ["0.txt", "3.txt"]  # 6.txt lies past the five read
    assert [p.source for p in _shown(found, 5, quotes)] == ["0.txt", "1.txt", "2.txt", "3.txt", "4.txt"]


def test_corpus_abstains_off_topic_and_reports_status(synced, fake_embedder):
    config, report, _ = synced
    corpus = Corpus(config, embedder=fake_embedder, scorer=coverage_scorer(0.3))
    assert corpus.ask("Wie backt man ein Sauerteigbrot?").abstained
    status = corpus.status()
    assert (status.articles, status.chunks) == (len(SEED_NAMES), report.chunks_in_store)


def test_the_article_of_a_file_deleted_since_indexing_says_so(synced, fake_embedder):
    config, _, _ = synced
    corpus = Corpus(config, embedder=fake_embedder, scorer=coverage_scorer(0.3))
    assert corpus.article(QUESTION_SOURCE).raw
    (config.seeds / QUESTION_SOURCE).unlink()
    with pytest.raises(AskcorpusError, match=r"is no longer in the seeds folder \(deleted or moved since it was"):
        corpus.article(QUESTION_SOURCE)


def test_corpus_sees_a_new_sync(synced, fake_embedder):
    config, _, _ = synced
    corpus = Corpus(config, embedder=fake_embedder, scorer=coverage_scorer(0.3))
    assert corpus.ask(QUESTION).quotes[0].source == QUESTION_SOURCE
    (config.seeds / QUESTION_SOURCE).unlink()
    report = corpus.sync(progress=False)
    assert report.plan.removed == [QUESTION_SOURCE]
    answer = corpus.ask(QUESTION)
    assert all(quote.source != QUESTION_SOURCE for quote in answer.quotes)
    assert corpus.status().articles == len(SEED_NAMES) - 1


def test_a_snapshot_of_another_askcorpus_version_leaves_a_running_corpus_answering(synced, fake_embedder,
                                                                                    monkeypatch, warnings):
    """An upgrade while the app serves: a sync by the new version writes a snapshot the running one calls stale. It
    went on answering every question with "does not fit … run `askcorpus index`" (found by a helper)."""
    config, _, _ = synced
    corpus = Corpus(config, embedder=fake_embedder, scorer=coverage_scorer(0.3))
    assert corpus.ask(QUESTION).quotes[0].source == QUESTION_SOURCE
    with monkeypatch.context() as upgraded:
        upgraded.setattr(fingerprint, "CLEANER_VERSION", cleaning.CLEANER_VERSION + 1)
        sync(config, progress=False, embedder=fake_embedder)
    for _ in range(3):
        assert corpus.ask(QUESTION).quotes[0].source == QUESTION_SOURCE
        assert corpus.status().articles == len(SEED_NAMES)
    assert [m for m in messages(warnings) if "restart it" in m] == [
        f"the index in {config.index} does not fit: index settings changed (cleaner_version "
        f"{cleaning.CLEANER_VERSION + 1} -> {cleaning.CLEANER_VERSION}); run `askcorpus index`; answering from the "
        f"index this process loaded before (restart it if askcorpus was upgraded meanwhile)"]
    with pytest.raises(AskcorpusError, match="does not fit"):
        Corpus(config, embedder=fake_embedder, scorer=coverage_scorer(0.3)).ask(QUESTION)  # nothing to answer from


def test_a_corpus_gives_every_sync_the_same_embedder(config, monkeypatch):
    """Its tokenizer (and model, once loaded) is read once per process, not at every automatic sync: reading them
    again stalled a serving app's answers for seconds on 2 cores."""
    given = []

    def recording_sync(config, *, embedder=None, **options):
        given.append(embedder)
        return type("Report", (), {"dry_run": True})()

    monkeypatch.setattr("askcorpus.corpus.sync", recording_sync)
    corpus = Corpus(config)
    corpus.sync(progress=False)
    corpus.sync(progress=False)
    assert isinstance(given[0], Embedder) and given[0] is given[1] is corpus.embedder


def test_an_automatic_sync_that_finds_nothing_new_keeps_the_last_ones_record(synced, fake_embedder):
    config, _, _ = synced
    corpus = Corpus(config, embedder=fake_embedder, scorer=coverage_scorer(0.3))
    (config.seeds / QUESTION_SOURCE).unlink()
    assert corpus._sync_for_watcher()
    removed = corpus.status().auto_sync
    assert "1 removed" in removed.report.summary()
    assert corpus._sync_for_watcher()  # nothing new: the status still says what the last change was
    assert corpus.status().auto_sync == removed
    (config.seeds / "leer.txt").write_text(" ", encoding="utf-8")  # left out: a change to show, too
    assert corpus._sync_for_watcher() and "1 skipped" in corpus.status().auto_sync.report.summary()


def test_after_a_restart_an_automatic_sync_that_leaves_out_the_same_files_shows_nothing(synced, fake_embedder):
    """The status names the skipped files already; "0 hinzugefügt … 1 übersprungen" claimed a sync with news."""
    config, _, _ = synced
    (config.seeds / "leer.txt").write_text(" ", encoding="utf-8")
    sync(config, progress=False, embedder=fake_embedder)
    corpus = Corpus(config, embedder=fake_embedder, scorer=coverage_scorer(0.3))  # the app started again
    assert corpus._sync_for_watcher() and corpus.status().auto_sync is None
    (config.seeds / "leer2.txt").write_text(" ", encoding="utf-8")
    assert corpus._sync_for_watcher() and corpus.status().auto_sync.skipped == {"leer.txt", "leer2.txt"}


def test_an_automatic_sync_that_works_again_clears_the_failure_without_claiming_a_change(synced, fake_embedder):
    config, _, _ = synced
    corpus = Corpus(config, embedder=fake_embedder, scorer=coverage_scorer(0.3))
    (config.seeds / "leer.txt").write_text(" ", encoding="utf-8")
    assert corpus._sync_for_watcher() and corpus.status().auto_sync.skipped == {"leer.txt"}
    away = config.seeds.with_name("weg")
    config.seeds.rename(away)
    assert not corpus._sync_for_watcher() and "does not exist" in corpus.status().auto_sync.error
    away.rename(config.seeds)
    assert corpus._sync_for_watcher()
    assert corpus.status().auto_sync.error is None and corpus.status().auto_sync.report is None


def test_the_status_names_the_files_left_out_of_the_index_and_why(synced, fake_embedder):
    from askcorpus.interfaces.web import NOT_INDEXED_SHOWN, status_markdown

    config, _, _ = synced
    corpus = Corpus(config, embedder=fake_embedder, scorer=coverage_scorer(0.3))
    assert "Nicht im Index" not in status_markdown(corpus)
    for n in range(NOT_INDEXED_SHOWN + 2):
        (config.seeds / f"leer{n}<b>.txt").write_text(" ", encoding="utf-8")
    sync(config, progress=False, embedder=fake_embedder)  # another process's, as `askcorpus index` is
    line = status_markdown(corpus).splitlines()[-1]
    assert line.startswith("- Nicht im Index: leer0&#60;b&#62;&#46;txt (ist leer); ")
    assert line.endswith("; und 2 weitere")


def test_the_sync_button_says_at_once_that_it_syncs_then_what_it_did(synced, fake_embedder):
    from askcorpus.interfaces.web import SYNCING, sync_steps

    config, _, _ = synced
    (config.seeds / "leer.txt").write_text(" ", encoding="utf-8")
    steps = sync_steps(Corpus(config, embedder=fake_embedder, scorer=coverage_scorer(0.3)))
    assert next(steps) == (SYNCING, None)  # before the sync has begun
    summary, status = (unescape(text) for text in next(steps))
    assert summary.startswith("Abgeglichen: 0 hinzugefügt, 0 geändert, 0 entfernt, 5 unverändert; 1 übersprungen")
    assert "übersprungen: leer.txt: ist leer" in summary
    assert "Nicht im Index: leer.txt (ist leer)" in status


def test_a_file_skipped_for_its_size_is_indexed_once_the_limit_allows_it(synced, fake_embedder, monkeypatch):
    config, _, _ = synced
    monkeypatch.setenv("ASKCORPUS_MAX_FILE_MB", "0.01")  # the seeds are under 6 KB
    (config.seeds / "neu.txt").write_text("Die Bergbahn in Innsbruck fährt wieder. " * 500, encoding="utf-8")
    report = sync(config, progress=False, embedder=fake_embedder)
    assert [s.source for s in report.skipped] == ["neu.txt"] and report.plan.added == []
    monkeypatch.delenv("ASKCORPUS_MAX_FILE_MB")  # the file's size and time are as they were
    report = sync(config, progress=False, embedder=fake_embedder)
    assert report.skipped == [] and report.plan.added == ["neu.txt"]
    assert not sync(config, progress=False, embedder=fake_embedder).changed_anything


def test_a_lowered_size_limit_takes_an_indexed_file_out_at_the_next_sync(synced, fake_embedder, monkeypatch):
    config, _, _ = synced
    sizes = {name: (config.seeds / name).stat().st_size for name in SEED_NAMES}
    largest = max(sizes, key=sizes.get)
    monkeypatch.setenv("ASKCORPUS_MAX_FILE_MB", str((sorted(sizes.values())[-2] + 1) / 1_000_000))
    report = sync(config, progress=False, embedder=fake_embedder)  # no file changed its size or time
    assert report.plan.removed == [largest] and [s.source for s in report.skipped] == [largest]
    assert largest not in generations.load(config.index).manifest.files


def test_a_brief_no_change_sync_names_the_skipped_files_in_one_line(synced, fake_embedder, warnings):
    config, _, _ = synced
    for n in range(5):
        (config.seeds / f"leer{n}.txt").write_text(" ", encoding="utf-8")
    sync(config, progress=False, embedder=fake_embedder)
    warnings.clear()
    sync(config, progress=False, embedder=fake_embedder)
    assert sum("skipping leer" in m for m in messages(warnings)) == 5
    warnings.clear()
    sync(config, progress=False, embedder=fake_embedder, brief=True)
    brief = "not indexed: leer0.txt, leer1.txt, leer2.txt and 2 more (`askcorpus index` says why)"
    assert messages(warnings) == [brief]


def test_a_file_still_skipped_keeps_the_no_change_sync_cheap(synced, fake_embedder, monkeypatch):
    config, _, _ = synced
    (config.seeds / "leer.txt").write_text(" ", encoding="utf-8")
    assert "empty" in sync(config, progress=False, embedder=fake_embedder).skipped[0].reason

    def no_scan(*args):
        raise AssertionError("a no-change sync read the folder")

    monkeypatch.setattr("askcorpus.indexing.sync.scan", no_scan)
    again = sync(config, progress=False, embedder=fake_embedder)
    assert again.skipped == [Skipped("leer.txt", "is empty")] and not again.changed_anything


def test_an_answer_leaves_out_a_file_that_changed_since_the_index_was_made(synced, fake_embedder, warnings):
    config, _, _ = synced
    corpus = Corpus(config, embedder=fake_embedder, scorer=coverage_scorer(0.3))
    before = corpus.ask(QUESTION)
    assert before.quotes[0].source == QUESTION_SOURCE
    path = config.seeds / QUESTION_SOURCE
    raw = path.read_text(encoding="utf-8")
    path.write_text(raw + "\nNachtrag.\n", encoding="utf-8")  # after every quote: the offsets still hold
    assert corpus.ask(QUESTION).quotes == before.quotes and messages(warnings) == []
    path.write_text("Vorspann.\n" + raw, encoding="utf-8")  # no sync: the index's offsets are off by ten
    after = corpus.ask(QUESTION)
    assert all(item.source != QUESTION_SOURCE for item in after.quotes + after.passages)
    assert after.abstained or after.quotes[0].source != QUESTION_SOURCE
    assert after.left_out == [QUESTION_SOURCE] and after.to_dict()["left_out"] == [QUESTION_SOURCE]
    assert any(f"{QUESTION_SOURCE} changed (or cannot be read) since the index was made" in m
               for m in messages(warnings))


def test_a_file_left_out_gives_way_to_the_next_passages_of_the_other_files(synced, fake_embedder, warnings):
    config, _, _ = synced
    (config.seeds / "006_meldung.txt").write_text(
        "Agenturmeldung\n\nDer Austausch von Kriegsgefangenen wurde von der Türkei vermittelt, meldete die "
        "Agentur am Abend.\n", encoding="utf-8")
    sync(config, progress=False, embedder=fake_embedder)
    corpus = Corpus(config, embedder=fake_embedder, scorer=coverage_scorer(0.3))
    path = config.seeds / QUESTION_SOURCE
    path.write_text("Vorspann.\n" + path.read_text(encoding="utf-8"), encoding="utf-8")  # not synced
    answer = corpus.ask(QUESTION, k=5)
    assert answer.left_out == [QUESTION_SOURCE] and not answer.abstained
    assert answer.quotes[0].source == "006_meldung.txt" and "Türkei" in answer.quotes[0].text
    assert len(answer.passages) == 5 and QUESTION_SOURCE not in {p.source for p in answer.passages}


def test_a_changed_file_gives_way_in_a_few_searches_when_the_search_has_no_more_to_give(config):
    from types import SimpleNamespace

    config.seeds.mkdir(exist_ok=True)
    (config.seeds / "same.txt").write_text("Eins. Zwei. Drei.", encoding="utf-8")
    (config.seeds / "changed.txt").write_text("Ganz anders.", encoding="utf-8")
    same = [SimpleNamespace(source="same.txt", start=n * 6, end=n * 6 + 5, text=t)
            for n, t in enumerate(("Eins.", "Zwei.", "Drei."))]
    changed = [SimpleNamespace(source="changed.txt", start=0, end=5, text="Alt. ")] * 57

    class Searcher:  # the hybrid search gives at most its 60 candidates, however many are asked for
        table, calls = range(10_000), []

        def search(self, question, vector, k, leave_out=frozenset()):
            self.calls.append(k)
            return [p for p in (changed[:2] + same + changed[2:])[:60] if p.source not in leave_out][:k]

    engine = SimpleNamespace(searcher=Searcher())
    kept, left_out = Corpus(config)._in_files_now(engine, "Frage?", None, engine.searcher.search("Frage?", None, 5))
    assert kept == same and left_out == {"changed.txt"}
    assert engine.searcher.calls == [5, 10]  # the second leaves the changed file out: nothing more to search


def test_a_question_while_another_process_syncs_answers_from_the_last_complete_state(synced, fake_embedder,
                                                                                     warnings):
    config, _, _ = synced
    (config.seeds / CHANGED).write_text("Neuer Text über etwas anderes.\n", encoding="utf-8")
    corpus = Corpus(config, embedder=fake_embedder, scorer=coverage_scorer(0.3))
    with writer_lock(config.index):  # as another process's sync holds it
        generations.mark_dirty(config.index)
        assert corpus.sync_or_keep(progress=False) is None
        answer = corpus.ask(QUESTION)
    assert answer.quotes[0].source == QUESTION_SOURCE
    assert any("is being updated by process" in m and "last complete state" in m for m in messages(warnings))


def test_a_dry_run_while_another_process_rebuilds_says_so_as_the_sync_would(synced, fake_embedder):
    config, _, _ = synced
    with writer_lock(config.index):  # as another process's rebuild holds it, its store half empty
        generations.mark_dirty(config.index)
        with pytest.raises(IndexBusy, match="being updated by process"):
            sync(config, dry_run=True, progress=False, embedder=fake_embedder)


def test_a_question_while_the_first_sync_runs_says_the_index_is_being_made(config, fake_embedder):
    config.index.mkdir()
    with writer_lock(config.index), pytest.raises(IndexBusy, match="being updated by process"):
        Corpus(config, embedder=fake_embedder).sync_or_keep(progress=False)


def test_the_progress_bar_says_when_it_loads_the_model_then_counts_chunks(config, fake_embedder, capsys):
    fake_embedder.loaded = False  # as a real one before its first use
    report = sync(config, progress=True, embedder=fake_embedder)
    bar = capsys.readouterr().err
    assert "loading the model" in bar and "embedding: 100%" in bar and f"{report.embedded_chunks}/" in bar


def test_an_upload_while_another_process_syncs_is_kept_and_the_failure_named_beside_it(synced, fake_embedder,
                                                                                       tmp_path):
    from askcorpus.interfaces.web import upload_markdown

    config, _, _ = synced
    upload = tmp_path / "upload"
    upload.write_text("Die Türkei vermittelte den Austausch der Gefangenen in Istanbul.\n", encoding="utf-8")
    corpus = Corpus(config, embedder=fake_embedder)
    with writer_lock(config.index):  # as another process's sync holds it
        generations.mark_dirty(config.index)
        results, report, failure = corpus.add_articles([("neu.txt", upload)])
    assert [(r.name, r.added) for r in results] == [("neu.txt", True)] and report is None
    assert isinstance(failure, IndexBusy) and (config.seeds / "neu.txt").is_file()
    shown = upload_markdown(results, report, failure)
    assert shown.startswith("- hinzugefügt: neu&#46;txt\n") and "Abgleich fehlgeschlagen" in shown
    assert corpus.sync(progress=False).plan.added == ["neu.txt"]  # the next sync takes it in


def test_a_sync_after_an_interrupted_rebuild_takes_the_last_snapshots_vectors(synced, fake_embedder):
    """An emptied store (a rebuild stopped after it dropped the vectors; a lost database) holds nothing the
    snapshot lacks: nothing is embedded again but the one changed file."""
    config, first_report, _ = synced
    kept = {source: vectors_by_text(config, source) for source in SEED_NAMES if source != CHANGED}
    store = Store.connect(config)
    store.open()
    store.reset()  # what `--rebuild` does first
    (config.seeds / CHANGED).write_text("Ein ganz neuer Satz. Noch einer dazu.\n", encoding="utf-8")
    report = sync(config, progress=False, embedder=fake_embedder)
    assert fake_embedder.texts == ["Ein ganz neuer Satz. Noch einer dazu."]
    assert report.embedded_chunks == 1 and report.reused_chunks == report.chunks_in_store - 1
    assert same_vectors({source: vectors_by_text(config, source) for source in SEED_NAMES if source != CHANGED}, kept)
    fake_embedder.texts.clear()
    (config.seeds / "new.txt").write_text("Ein neuer Artikel über den Bodensee.\n", encoding="utf-8")
    assert sync(config, progress=False, embedder=fake_embedder).reused_chunks == 0  # the usual sync: nothing lost


def test_a_deleted_database_is_noticed_and_built_again_from_the_snapshots_vectors(synced, fake_embedder):
    config, first_report, _ = synced
    (config.index / "chroma.sqlite3").unlink()
    for folder in vector_folders(config.index):
        shutil.rmtree(folder)
    assert nothing_to_do(config) is None  # the files alone would say "unchanged"
    report = sync(config, progress=False, embedder=fake_embedder)
    assert sorted(report.plan.added) == SEED_NAMES and fake_embedder.texts == []
    assert report.reused_chunks == report.chunks_in_store == first_report.chunks_in_store
    assert len(stored_chunks(config)) == first_report.chunks_in_store


def test_eval_refuses_a_work_folder_whose_index_holds_other_articles(synced, tmp_path):
    from askcorpus.evaluation.evaluate import _work_config

    config, _, _ = synced  # an index of the seeds, with no seeds folder beside it in the work folder
    work = tmp_path / "work"
    work.mkdir()
    shutil.copytree(config.index, work / "index")
    with pytest.raises(AskcorpusError, match=r"holds articles that eval did not write \(0"):
        _work_config(config, work)


def test_a_small_folder_is_embedded_in_calls_small_enough_for_the_bar_to_move(config, fake_embedder, monkeypatch):
    assert encode_step(1) == 4 and encode_step(1000) == 50
    assert encode_step(100_000) == ENCODE_GROUP  # a large folder: calls as large as ever
    groups = []
    embed = fake_embedder.embed_passages
    monkeypatch.setattr(fake_embedder, "embed_passages", lambda texts, spans, **options: (
        groups.append(len(texts)), embed(texts, spans, **options))[1])
    report = sync(config, progress=False, embedder=fake_embedder)
    embedded = report.embedded_chunks
    assert sum(groups) == embedded == len(stored_chunks(config)) > 8
    assert max(groups) == encode_step(embedded) < embedded  # the bar moves after each call
