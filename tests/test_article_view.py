"""The article view: the indexed body as verbatim blocks of the file, its dateline, and quotes marked at their
exact offsets; boilerplate is not shown and article text stays inert."""

import re

import pytest

from askcorpus.answering.article import article_view
from askcorpus.errors import AskcorpusError
from askcorpus.interfaces.html import article_link, citation_span, render_article, span_fingerprint
from askcorpus.snapshot.records import Chunk

RAW = ("BERLIN (dpa) – Die Türkei vermittelte den Austausch. Danach sprach Putin.\n\n"
       "Ein zweiter Absatz <img src=x> mit ![Bild](http://x).\n\n"
       "Stellenangebote\nKommentar schreiben\n")
BODY_START = RAW.index("Die Türkei")
SECOND = RAW.index("Ein zweiter")


def chunk(index, start, end):
    return Chunk("a.txt", index, start, end, "Der Titel", RAW[start:end])


CHUNKS = [chunk(0, BODY_START, RAW.index("Danach") + 20), chunk(1, RAW.index("Danach"), RAW.index("(http://x).") + 11)]


def test_blocks_are_the_merged_chunk_spans_and_the_dateline_comes_from_the_raw_line():
    view = article_view(list(reversed(CHUNKS)), RAW)
    assert view.blocks == ((BODY_START, CHUNKS[1].end),)
    assert view.dateline == "BERLIN (dpa) –" and view.title == "Der Titel"
    assert "Stellenangebote" not in "".join(view.text(b) for b in view.blocks)


def test_separate_chunks_stay_separate_blocks():
    first = chunk(0, BODY_START, RAW.index("Danach") - 1)
    second = chunk(1, SECOND, SECOND + 18)
    assert article_view([first, second], RAW).blocks == ((first.start, first.end), (second.start, second.end))


def test_a_file_that_changed_since_indexing_is_refused():
    with pytest.raises(AskcorpusError, match="changed since it was indexed"):
        article_view(CHUNKS, RAW.replace("Türkei", "Tuerkei"))


def test_marks_sit_at_exact_offsets_with_their_ids_and_the_text_is_escaped():
    view = article_view(CHUNKS, RAW)
    start = RAW.index("Die Türkei")
    end = RAW.index("Austausch.") + len("Austausch.")
    html = render_article(view, [(start, end)])
    marked = re.findall(r'<mark id="q-(\d+)-(\d+)">(.*?)</mark>', html)
    assert marked == [(str(start), str(end), "Die Türkei vermittelte den Austausch&#46;")]
    assert "<img" not in html and "](" not in html and "Stellenangebote" not in html
    assert "BERLIN &#40;dpa&#41; –" in html and "Der Titel" in html


def test_a_quote_over_two_blocks_is_marked_in_both_and_its_id_given_once():
    first = chunk(0, BODY_START, RAW.index("Danach") - 1)
    second = chunk(1, RAW.index("Danach"), SECOND - 2)
    span = (RAW.index("Austausch"), RAW.index("sprach"))
    html = render_article(article_view([first, second], RAW), [span])
    assert html.count("<mark") == 2 and re.findall(r'<mark id="(q-\d+-\d+)">', html) == [f"q-{span[0]}-{span[1]}"]


def test_article_links_carry_the_file_offsets_and_a_fingerprint_of_the_cited_text():
    link = article_link("Bericht über Sotschi.txt", 10, 20, "Die Türkei")
    assert link == f"?source=Bericht%20%C3%BCber%20Sotschi.txt#q-10-20-{span_fingerprint('Die Türkei')}"
    assert re.fullmatch(r"[0-9a-f]{8}", span_fingerprint("Die Türkei"))
    assert span_fingerprint("Die Türkei") != span_fingerprint("Die Türkei ")


@pytest.mark.parametrize(("fragment", "span"), [
    ("#q-10-20-0a1b2c3d", ("10", "20", "0a1b2c3d")), ("q-10-20", ("10", "20", None)), ("", ("", "", None)),
    ("#q-10", ("10", "", None)), ("#nonsense", ("nonsense", "", None)), (5, ("", "", None)),
    (["q-1-2"], ("", "", None)), (None, ("", "", None)),
])
def test_a_citation_fragment_gives_offsets_and_fingerprint(fragment, span):
    assert citation_span(fragment) == span


def test_a_file_name_and_title_show_bidi_controls_and_line_breaks_as_escapes():
    spoofing = [Chunk("neu\nbericht\u202egpj.txt", c.index, c.start, c.end, "Ti\u202etel", c.text) for c in CHUNKS]
    html = render_article(article_view(spoofing, RAW), [])
    assert "\u202e" not in html and "<br>bericht" not in html
    assert 'data-source="neu&#92;x0abericht&#92;u202egpj&#46;txt"' in html
    assert '<h3 class="ac-article-title">Ti&#92;u202etel</h3>' in html
