"""Texts as the model reads them: Windows line ends read as \n, with sentence spans carried over."""

from askcorpus.text.line_ends import as_read, as_read_with_spans
from askcorpus.text.sentences import sentence_spans
from support import SEEDS


def test_converted_line_ends_give_the_same_sentences_at_the_same_places():
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        converted = text.replace("\n", "\r\n")
        read, spans = as_read_with_spans(converted, sentence_spans(converted))
        assert read == text and spans == sentence_spans(text)
        assert [read[s:e] for s, e in spans] == [as_read(converted[s:e]) for s, e in sentence_spans(converted)]


def test_a_text_without_windows_line_ends_is_read_as_it_is():
    text = "Ein Satz.\nNoch einer.\rUnd ein dritter."
    assert as_read(text) == text and as_read_with_spans(text, [(0, 9)]) == (text, [(0, 9)])
    assert as_read_with_spans("a\r\nb\r\n\r\nc", [(0, 1), (3, 4), (8, 9)]) == ("a\nb\n\nc", [(0, 1), (2, 3), (5, 6)])


def test_reading_twice_reads_the_same_and_every_carriage_return_before_a_line_feed_goes():
    text = "a\r\r\nb\r\nc\rd"
    assert as_read(text) == as_read(as_read(text)) == "a\nb\nc\rd"
    read, spans = as_read_with_spans(text, [(0, 1), (4, 5), (7, 10)])
    assert [read[s:e] for s, e in spans] == ["a", "b", "c\rd"]
