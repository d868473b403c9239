"""Reading article files: what is read, what is skipped, and why."""

import os
import threading

import pytest

from askcorpus.errors import AskcorpusError
from askcorpus.indexing.sources import (
    IN_AN_INDEX,
    Skipped,
    list_article_paths,
    load_articles,
    max_file_mb,
    may_pass_unchanged,
    read_article,
)
from askcorpus.text.cleaning import SourceFile


def test_reads_seed_folder(seeds_copy):
    files, skipped = load_articles(seeds_copy)
    assert [f.source for f in files] == sorted(p.name for p in seeds_copy.glob("*.txt"))
    assert skipped == []
    assert all(len(f.file_hash) == 64 for f in files)


@pytest.mark.parametrize("name, data, reason", [
    ("latin1.txt", "Größe und Übermaß".encode("latin-1"), "not valid UTF-8 (byte 2) (it looks like Latin-1"),
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"  \n\r\n\t ", "empty"),
    ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ("late_nul.txt", "Ein Satz über Moskau. ".encode() * 500 + b"\x00 Ende.", "binary"),  # past the first 8 KB
    ("utf16.txt", "Hallo Welt".encode("utf-16"), "is UTF-16 text; re-save it as UTF-8"),
    ("utf16be.txt", "Größe\r\nÜbermaß".encode("utf-16-be").join([b"\xfe\xff", b""]), "is UTF-16 text"),
    ("junk.txt", b"\xff\xfe" + bytes(range(1, 256)) * 4, "not valid UTF-8 (byte 0)"),
    ("odd.txt", "Größe und Übermaß".encode("utf-16") + b"!", "is UTF-16 text"),
    ("mark.txt", b"\xff\xfe", "is empty"),
    ("utf32.txt", "Hallo Welt".encode("utf-32"), "is UTF-32 text; re-save it as UTF-8"),
])
def test_bad_files_are_skipped_with_reason(tmp_path, name, data, reason):
    (tmp_path / name).write_bytes(data)
    (tmp_path / "good.txt").write_text("Ein Satz.", encoding="utf-8")
    files, skipped = load_articles(tmp_path)
    assert [f.source for f in files] == ["good.txt"]
    assert len(skipped) == 1 and skipped[0].source == name and reason in skipped[0].reason


def test_vanished_file_is_skipped(tmp_path):
    result = read_article(tmp_path, tmp_path / "gone.txt")
    assert isinstance(result, Skipped) and result.reason.startswith("is gone")


def test_bom_and_crlf_are_kept_in_the_decoded_text(tmp_path):
    (tmp_path / "a.txt").write_bytes("\ufeffZeile eins.\r\nZeile zwei.".encode("utf-8"))
    (file,), _ = load_articles(tmp_path)
    assert isinstance(file, SourceFile)
    assert file.text == "\ufeffZeile eins.\r\nZeile zwei."


def test_subfolders_hidden_files_and_outside_links(tmp_path):
    seeds = tmp_path / "seeds"
    (seeds / "sub").mkdir(parents=True)
    (seeds / "sub" / "inner.txt").write_text("Text.", encoding="utf-8")
    (seeds / ".hidden.txt").write_text("Text.", encoding="utf-8")
    (tmp_path / "outside.txt").write_text("Geheim.", encoding="utf-8")
    (seeds / "link.txt").symlink_to(tmp_path / "outside.txt")
    files, skipped = load_articles(seeds)
    assert [f.source for f in files] == ["sub/inner.txt"]
    assert skipped == [Skipped("link.txt", "is a link to outside the seeds folder; not followed")]


def test_links_in_a_loop_or_to_nothing_are_skipped_with_their_reason(tmp_path):
    (tmp_path / "good.txt").write_text("Ein Satz.", encoding="utf-8")
    (tmp_path / "loop.txt").symlink_to("loop.txt")
    (tmp_path / "a.txt").symlink_to("b.txt")
    (tmp_path / "b.txt").symlink_to("a.txt")
    (tmp_path / "dangling.txt").symlink_to("gone.txt")
    (tmp_path / "through.txt").symlink_to("good.txt/x")  # through a file, as if it were a folder
    files, skipped = load_articles(tmp_path)
    assert [f.source for f in files] == ["good.txt"]
    loop = "is a link that leads in a loop; not followed"
    assert skipped == [Skipped("a.txt", loop), Skipped("b.txt", loop),
                       Skipped("dangling.txt", "is a link to a file that does not exist"), Skipped("loop.txt", loop),
                       Skipped("through.txt", "cannot be read (Not a directory)")]


def test_missing_folder_is_an_error(tmp_path):
    with pytest.raises(AskcorpusError, match="does not exist"):
        load_articles(tmp_path / "nope")


def test_a_file_name_that_is_not_utf8_is_skipped_and_named_readably(tmp_path):
    (tmp_path / "good.txt").write_text("Ein Satz.", encoding="utf-8")
    with open(bytes(tmp_path) + b"/\xffbad.txt", "wb") as handle:
        handle.write(b"Ein Satz.")
    files, skipped = load_articles(tmp_path)
    assert [f.source for f in files] == ["good.txt"]
    assert skipped == [Skipped("\\xffbad.txt", "has a file name that is not valid UTF-8; rename it")]
    skipped[0].source.encode("utf-8")  # printable and storable


def test_a_named_pipe_is_skipped_without_waiting_for_a_writer(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    results = []
    reader = threading.Thread(target=lambda: results.append(read_article(tmp_path, tmp_path / "pipe.txt")),
                              daemon=True)
    reader.start()
    reader.join(timeout=10)
    assert results == [Skipped("pipe.txt", "is not a regular file")]


@pytest.mark.parametrize("value", ["abc", "0", "-1", "inf", "nan"])
def test_a_size_limit_that_is_no_positive_number_is_an_error(monkeypatch, value):
    monkeypatch.setenv("ASKCORPUS_MAX_FILE_MB", value)
    with pytest.raises(AskcorpusError, match="positive number"):
        max_file_mb()


def test_the_index_folder_inside_the_seeds_folder_is_not_read_as_articles(tmp_path):
    (tmp_path / "index" / "encoder").mkdir(parents=True)
    (tmp_path / "index" / "encoder" / "pieces.txt").write_text("▁der 1", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Ein Satz.", encoding="utf-8")
    assert list_article_paths(tmp_path, tmp_path / "index") == [tmp_path / "a.txt"]
    assert len(list_article_paths(tmp_path)) == 2


def test_a_folder_of_articles_inside_the_seeds_folder_is_refused_as_a_new_index_folder(tmp_path):
    """Its articles would be left out without a word; once an index is built there, its files are the index's."""
    (tmp_path / "a.txt").write_text("Ein Satz.", encoding="utf-8")
    (tmp_path / "2024").mkdir()
    (tmp_path / "2024" / "b.txt").write_text("Noch ein Satz.", encoding="utf-8")
    with pytest.raises(AskcorpusError, match=r"index folder .*2024 holds articles \(b.txt\) of the seeds folder"):
        list_article_paths(tmp_path, tmp_path / "2024")
    (tmp_path / "neu").mkdir()
    (tmp_path / "neu" / ".notiz.txt").write_text("versteckt", encoding="utf-8")  # hidden: never an article
    assert list_article_paths(tmp_path, tmp_path / "neu") == [tmp_path / "2024" / "b.txt", tmp_path / "a.txt"]
    (tmp_path / "2024" / "askcorpus.lock").write_bytes(b"")
    assert list_article_paths(tmp_path, tmp_path / "2024") == [tmp_path / "a.txt"]


def test_another_index_folder_inside_the_seeds_folder_is_skipped_with_its_reason(tmp_path):
    old = tmp_path / "archiv" / "altes-index"
    (old / "encoder").mkdir(parents=True)
    (old / "chroma.sqlite3").write_bytes(b"")
    (old / "encoder" / "unigram-pieces.txt").write_text("▁der 1", encoding="utf-8")
    (tmp_path / "archiv" / "b.txt").write_text("Ein Satz.", encoding="utf-8")
    files, skipped = load_articles(tmp_path, list_article_paths(tmp_path, tmp_path / "index"))
    assert [file.source for file in files] == ["archiv/b.txt"]
    assert skipped == [Skipped("archiv/altes-index/encoder/unigram-pieces.txt", IN_AN_INDEX)]
    assert may_pass_unchanged(IN_AN_INDEX)  # the database deleted, the files are read at the next sync


def test_an_article_file_name_may_end_in_txt_in_any_case(tmp_path):
    for name in ("ARTIKEL.TXT", "b.Txt", "c.txt", "d.md", "e.txt.bak"):
        (tmp_path / name).write_text("Ein Satz.", encoding="utf-8")
    assert [path.name for path in list_article_paths(tmp_path)] == ["ARTIKEL.TXT", "b.Txt", "c.txt"]


def test_an_index_folder_given_as_the_seeds_folder_is_refused(tmp_path):
    (tmp_path / "index" / "encoder").mkdir(parents=True)
    (tmp_path / "index" / "chroma.sqlite3").write_bytes(b"")
    (tmp_path / "index" / "encoder" / "unigram-pieces.txt").write_text("▁der 1", encoding="utf-8")
    with pytest.raises(AskcorpusError, match=r"seeds folder .*index is an index folder \(it holds chroma.sqlite3\); "
                                             r"pass the folder of articles with --seeds$"):
        list_article_paths(tmp_path / "index", tmp_path / "seeds")


def test_a_seeds_folder_inside_the_index_folder_is_read_and_the_same_folder_for_both_is_refused(tmp_path):
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "a.txt").write_text("Ein Satz.", encoding="utf-8")
    assert list_article_paths(tmp_path / "news", tmp_path) == [tmp_path / "news" / "a.txt"]
    with pytest.raises(AskcorpusError, match="cannot be the seeds folder"):
        list_article_paths(tmp_path / "news", tmp_path / "news")
