"""Uploads into the seeds folder: safe names, the indexer's checks, no overwrite, nothing written outside."""

import unicodedata

import pytest

from askcorpus.indexing.intake import add_upload, safe_name
from support import folder_hash


@pytest.mark.parametrize("original, name", [
    ("artikel.txt", "artikel.txt"),
    ("Bericht über Sotschi.TXT", "Bericht über Sotschi.txt"),
    ("  viele   Leerzeichen .txt", "viele Leerzeichen.txt"),
    ("a<b>:c|d?.txt", "a_b__c_d_.txt"),
    ("Nachricht\u0007\u202e.txt", "Nachricht.txt"),
    ("Mu\u0308nchen.txt", "München.txt"),  # decomposed umlaut becomes one character (NFC)
])
def test_names_are_normalised(original, name):
    assert safe_name(original) == name


@pytest.mark.parametrize("original", ["../../x.txt", "..\\x.txt", "sub/x.txt", "/etc/passwd.txt", ".hidden.txt",
                                      "bild.png", "artikel.txt.exe", "notes", ".txt", "___.txt", "",
                                      "_" * 120 + "x.txt"])
def test_unsafe_or_foreign_names_are_refused(original):
    assert safe_name(original) is None


@pytest.mark.parametrize("original", ["日本" * 70 + ".txt", "ä" * 200 + ".txt", "a" * 300 + ".txt"])
def test_long_names_are_cut_to_what_the_file_system_takes(tmp_path, original):
    name = safe_name(original)
    assert name.endswith(".txt") and len(name.encode()) <= 255 and original.startswith(name[:-4])
    (tmp_path / name).write_text("Ein Satz.", encoding="utf-8")  # the file system takes it


def test_a_name_the_file_system_refuses_is_one_reason_not_an_error(tmp_path, seeds, monkeypatch):
    import askcorpus.indexing.intake as intake

    monkeypatch.setattr(intake, "safe_name", lambda original: "x" * 300 + ".txt")  # as on a file system taking less
    result = add_upload(seeds, "lang.txt", upload(tmp_path, b"Ein Satz."))
    assert not result.added and result.reason.startswith("cannot be saved (File name too long")


def upload(tmp_path, data: bytes, name="upload.bin"):
    path = tmp_path / "uploads" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.fixture
def seeds(tmp_path):
    folder = tmp_path / "seeds"
    folder.mkdir()
    (folder / "000.txt").write_text("Ein vorhandener Artikel.", encoding="utf-8")
    return folder


def test_a_good_article_is_added_under_its_safe_name(tmp_path, seeds):
    result = add_upload(seeds, "Neuer Bericht.txt", upload(tmp_path, "Die Türkei vermittelte.".encode()))
    assert result.added and result.name == "Neuer Bericht.txt"
    assert (seeds / "Neuer Bericht.txt").read_text(encoding="utf-8") == "Die Türkei vermittelte."
    assert sorted(p.name for p in seeds.iterdir()) == ["000.txt", "Neuer Bericht.txt"]  # no temporary left


@pytest.mark.parametrize("data, reason", [
    (b"\x89PNG\r\n\x1a\n\x00\x00binary", "looks binary"),
    ("Übel und Größe".encode("latin-1"), "Latin-1"),
    ("Text".encode("utf-16"), "UTF-16"),
    (b"  \n\t ", "is empty"),
])
def test_files_the_indexer_would_skip_are_refused_with_its_reason(tmp_path, seeds, data, reason):
    before = folder_hash(seeds)
    result = add_upload(seeds, "kaputt.txt", upload(tmp_path, data))
    assert not result.added and reason in result.reason
    assert folder_hash(seeds) == before


def test_a_file_over_the_size_limit_is_refused(tmp_path, seeds, monkeypatch):
    monkeypatch.setenv("ASKCORPUS_MAX_FILE_MB", "0.001")
    result = add_upload(seeds, "gross.txt", upload(tmp_path, b"Satz. " * 500))
    assert not result.added and "over the limit" in result.reason and not (seeds / "gross.txt").exists()


def test_a_hostile_name_writes_nothing_anywhere(tmp_path, seeds):
    hostile = upload(tmp_path, b"Ein Artikel.")
    before_seeds, before_parent = folder_hash(seeds), sorted(p.name for p in tmp_path.iterdir())
    result = add_upload(seeds, "../../x.txt", hostile)
    assert not result.added and "plain .txt file names" in result.reason
    assert folder_hash(seeds) == before_seeds and sorted(p.name for p in tmp_path.iterdir()) == before_parent


@pytest.mark.parametrize(("original", "reason"), [
    ("notiz.md", "is not a .txt file"), ("artikel.txt.bak", "is not a .txt file"),
    ("../artikel.txt", "plain .txt file names"), (".artikel.txt", "plain .txt file names"),
    (".txt", "plain .txt file names")])
def test_a_refused_name_says_what_is_wrong_with_it(tmp_path, seeds, original, reason):
    upload = tmp_path / "upload"
    upload.write_text("Ein Satz über Sotschi.", encoding="utf-8")
    result = add_upload(seeds, original, upload)
    assert not result.added and reason in result.reason


def test_an_existing_name_is_never_overwritten(tmp_path, seeds):
    same = add_upload(seeds, "000.txt", upload(tmp_path, b"Ein vorhandener Artikel."))
    assert not same.added and same.reason == "is already in the seeds folder"
    other = add_upload(seeds, "000.txt", upload(tmp_path, b"Ein anderer Text."))
    assert not other.added and "a different file named 000.txt" in other.reason
    assert (seeds / "000.txt").read_text(encoding="utf-8") == "Ein vorhandener Artikel."


def test_a_name_taken_in_the_other_unicode_spelling_is_refused_as_taken(tmp_path, seeds):
    decomposed = unicodedata.normalize("NFD", "Über die Oper.txt")
    (seeds / decomposed).write_text("Ein Artikel über die Oper.", encoding="utf-8")
    result = add_upload(seeds, "Über die Oper.txt", upload(tmp_path, b"Ein anderer Artikel."))
    assert not result.added and "a different file named Über die Oper.txt is already" in result.reason
    assert sorted(p.name for p in seeds.iterdir()) == ["000.txt", decomposed]


def test_a_name_taken_by_a_link_is_refused_as_taken_and_nothing_is_written_through_it(tmp_path, seeds):
    outside = tmp_path / "draussen.txt"
    (seeds / "verweis.txt").symlink_to(outside)  # dangling
    (seeds / "kopie.txt").symlink_to(tmp_path / "seeds" / "000.txt")
    before = folder_hash(seeds)
    for name, data in (("verweis.txt", b"Ein neuer Artikel."), ("kopie.txt", b"Ein vorhandener Artikel.")):
        result = add_upload(seeds, name, upload(tmp_path, data))
        assert not result.added and result.reason.startswith(f"a different file named {name} is already")
    assert folder_hash(seeds) == before and not outside.exists()


def test_the_same_content_under_another_name_is_not_added_twice(tmp_path, seeds):
    (seeds / "sub").mkdir()
    (seeds / "sub" / "001.txt").write_text("Ein Artikel im Unterordner.", encoding="utf-8")
    before = folder_hash(seeds)
    for name, data, twin in (("kopie.txt", b"Ein vorhandener Artikel.", "000.txt"),
                             ("noch eine.txt", b"Ein Artikel im Unterordner.", "sub/001.txt")):
        result = add_upload(seeds, name, upload(tmp_path, data))
        assert not result.added and result.reason == f"has the same content as {twin}, already in the seeds folder"
    assert folder_hash(seeds) == before
    assert add_upload(seeds, "neu.txt", upload(tmp_path, b"Ein vorhandener Artikel!")).added  # one byte differs


def test_a_seeds_folder_gone_meanwhile_is_that_file_s_reason(tmp_path):
    result = add_upload(tmp_path / "gone", "neu.txt", upload(tmp_path, b"Ein Satz."))
    assert not result.added and result.reason.startswith("cannot be saved (")
