"""What the stored vectors depend on: a difference from the collection's record means the store must be rebuilt."""

from __future__ import annotations

from askcorpus.config import Config
from askcorpus.indexing.chunking import separators_signature
from askcorpus.indexing.embedder import SENTENCE_VECTORS
from askcorpus.indexing.models import model_revision
from askcorpus.text.cleaning import CLEANER_VERSION
from askcorpus.text.sentences import splitter_signature

SCHEMA_VERSION = 2  # raise when the chunk metadata changes shape (2: sentence vectors)


def store_fingerprint(config: Config) -> dict[str, str | int]:
    """The model and its revision, the chunk settings, the separators, the sentence splitter and the cleaner of
    `config`'s store."""
    return {
        "schema_version": SCHEMA_VERSION,
        "model": config.model,
        "model_revision": model_revision(config.model),
        "chunk_tokens": config.chunking.tokens,
        "chunk_overlap": config.chunking.overlap,
        "chunk_separators": separators_signature(),
        "sentence_splitter": splitter_signature(),
        "sentence_vectors": SENTENCE_VECTORS,
        "cleaner_version": CLEANER_VERSION,
    }
