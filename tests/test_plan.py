"""The sync plan by source file, what it embeds and deletes, and the report's shapes."""

import json

import pytest

from askcorpus.indexing.plan import SyncPlan, SyncReport, plan_by_versions, plan_sync, to_delete, to_embed
from askcorpus.indexing.sources import Skipped
from askcorpus.snapshot.manifest import INCOMPLETE
from askcorpus.snapshot.records import Chunk, FileVersion, StoredChunk, stored_files
from askcorpus.text.cleaning import Article, SourceFile, clean_article


def article(source: str, text: str = "Ein Satz über den Austausch.") -> Article:
    result = clean_article(SourceFile(source, text, f"hash-of-{text}"))
    assert result is not None
    return result


def store_of(*entries: tuple[Article, int, int]) -> dict:
    """Stored state of (article, chunks stored, chunks the version has) entries, as Chroma metadata gives it."""
    ids, metadatas = [], []
    for art, stored, total in entries:
        for index in range(stored):
            record = StoredChunk(Chunk(art.source, index, 0, 5, art.title, "text"),
                                 FileVersion(art.file_hash, art.clean_hash, total, art.dateline))
            ids.append(record.chunk_id)
            metadatas.append(record.to_metadata())
    return stored_files(ids, metadatas)


OLD_A = article("a.txt", "Alter Text über Kriegsgefangene.")
NEW_A = article("a.txt", "Neuer Text über Kriegsgefangene.")
B = article("b.txt")
C = article("c.txt", "Der dritte Artikel.")


def test_clean_hash_changes_with_the_text():
    assert OLD_A.clean_hash != NEW_A.clean_hash
    assert article("a.txt", "Alter Text über Kriegsgefangene.").clean_hash == OLD_A.clean_hash


def test_plan_of_an_empty_store_adds_everything():
    plan = plan_sync([B, NEW_A], {})
    assert plan.added == ["b.txt", "a.txt"]
    assert plan.changed == plan.removed == plan.unchanged == []
    assert plan.touched


def test_plan_added_changed_removed_unchanged():
    stored = store_of((OLD_A, 2, 2), (B, 1, 1), (C, 3, 3))
    d = article("d.txt")
    plan = plan_sync([NEW_A, B, d], stored)
    assert plan.added == ["d.txt"]
    assert plan.changed == ["a.txt"]
    assert plan.removed == ["c.txt"]
    assert plan.unchanged == ["b.txt"]


def test_a_plan_from_the_versions_a_snapshot_records_is_the_plan_from_the_store():
    stored = store_of((OLD_A, 1, 2), (B, 1, 1), (C, 3, 3))  # a.txt stored in part
    recorded = {"a.txt": INCOMPLETE, "b.txt": B.clean_hash, "c.txt": C.clean_hash}  # as `snapshot.build` records it
    for articles in ([OLD_A, B, article("d.txt")], [NEW_A, C], [B]):
        assert plan_by_versions(articles, recorded) == plan_sync(articles, stored)
    assert plan_by_versions([OLD_A], recorded).changed == ["a.txt"]


def test_plan_of_an_unchanged_store_touches_nothing():
    plan = plan_sync([OLD_A, B], store_of((OLD_A, 2, 2), (B, 1, 1)))
    assert plan.unchanged == ["a.txt", "b.txt"]
    assert not plan.touched


def test_an_incompletely_stored_file_counts_as_changed():
    stored = store_of((OLD_A, 1, 3))
    plan = plan_sync([OLD_A], stored)
    assert plan.changed == ["a.txt"] and plan.unchanged == []
    assert to_embed(plan, [OLD_A], stored) == [OLD_A]
    assert to_delete(plan, [OLD_A], stored) == []  # its own partial chunks are replaced by `apply`, not here


def test_a_file_stored_in_two_versions_counts_as_changed():
    stored = store_of((OLD_A, 2, 2), (NEW_A, 2, 2))
    plan = plan_sync([NEW_A], stored)
    assert plan.changed == ["a.txt"]
    assert to_embed(plan, [NEW_A], stored) == []  # the new version is already complete
    assert sorted(to_delete(plan, [NEW_A], stored)) == sorted(stored["a.txt"].versions[OLD_A.clean_hash])


def test_to_embed_lists_added_and_changed_articles_not_yet_complete():
    stored = store_of((OLD_A, 2, 2), (NEW_A, 1, 2), (B, 1, 1))
    d = article("d.txt")
    articles = [NEW_A, B, d]
    plan = plan_sync(articles, stored)
    assert [a.source for a in to_embed(plan, articles, stored)] == ["d.txt", "a.txt"]


def test_to_delete_lists_old_versions_and_removed_files():
    stored = store_of((OLD_A, 2, 2), (B, 1, 1), (C, 3, 3))
    articles = [NEW_A, B]
    plan = plan_sync(articles, stored)
    deleted = to_delete(plan, articles, stored)
    assert sorted(deleted) == sorted(stored["a.txt"].ids() + stored["c.txt"].ids())
    assert not set(deleted) & set(stored["b.txt"].ids())


def report(**changes) -> SyncReport:
    plan = SyncPlan(added=["d.txt"], changed=["a.txt"], removed=["c.txt"], unchanged=["b.txt", "e.txt"])
    values = dict(plan=plan, skipped=[Skipped("x.bin.txt", "looks binary")], embedded_chunks=4, chunks_in_store=9,
                  seconds=1.23456)
    return SyncReport(**{**values, **changes})


def test_summary_line():
    assert report().summary() == ("synced: 1 added, 1 changed, 1 removed, 2 unchanged; 1 skipped; "
                                  "4 chunks embedded, 9 in the store, 1.2 s")


def test_summary_line_names_reused_chunks_when_there_are_some():
    assert "; 4 chunks embedded, 3 reused, 9 in the store" in report(reused_chunks=3).summary()


def test_summary_line_counts_one_chunk_in_the_singular():
    assert "; 1 chunk embedded, 9 in the store" in report(embedded_chunks=1).summary()
    assert "; 1 chunk in the store now" in report(dry_run=True, chunks_in_store=1).summary()


def test_summary_of_a_dry_run_without_skips():
    line = report(dry_run=True, skipped=[], embedded_chunks=0).summary()
    assert line == "would sync: 1 added, 1 changed, 1 removed, 2 unchanged; 9 chunks in the store now, 1.2 s"
    assert report(dry_run=True).to_dict()["embedded_chunks"] is None  # not known without chunking


def test_to_dict_shape():
    data = report(rebuilt_because="index was built with different settings").to_dict()
    assert set(data) == {"dry_run", "added", "changed", "removed", "unchanged", "skipped", "embedded_chunks",
                         "reused_chunks", "chunks_in_store", "seconds", "rebuilt_because",
                         "snapshot_rebuilt_because"}
    assert data["skipped"] == [{"source": "x.bin.txt", "reason": "looks binary"}]
    assert data["seconds"] == 1.235
    assert data["added"] == ["d.txt"] and data["unchanged"] == ["b.txt", "e.txt"]
    assert json.loads(json.dumps(data)) == data


@pytest.mark.parametrize("changes", [{}, {"dry_run": True}, {"reused_chunks": 3, "rebuilt_because": "asked"},
                                     {"snapshot_rebuilt_because": "snapshot settings changed", "skipped": []}])
def test_a_report_comes_back_from_its_json_shape(changes):
    """As a sync in a process of its own sends it back (`sync_process`)."""
    data = json.loads(json.dumps(report(**changes).to_dict()))
    again = SyncReport.from_dict(data)
    assert again.to_dict() == data and again.summary() == report(**changes).summary()


@pytest.mark.parametrize(("plan", "rebuilt", "snapshot", "expected"), [
    (SyncPlan(unchanged=["a"]), None, None, False),
    (SyncPlan(added=["a"]), None, None, True),
    (SyncPlan(removed=["a"]), None, None, True),
    (SyncPlan(unchanged=["a"]), "rebuild requested", None, True),
    (SyncPlan(unchanged=["a"]), None, "snapshot settings changed", True),
])
def test_changed_anything(plan, rebuilt, snapshot, expected):
    result = SyncReport(plan, [], 0, 1, 0.0, rebuilt, snapshot_rebuilt_because=snapshot)
    assert result.changed_anything is expected
