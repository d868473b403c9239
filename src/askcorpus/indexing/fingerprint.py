"""What an index depends on: the vectors (a difference from the collection's record means the store must be rebuilt),
the cleaner (a difference from the snapshot's record means every file is cleaned again) and the collection the
snapshot was taken from (another one is filled, from the snapshot's vectors where they fit)."""

from __future__ import annotations

from askcorpus.config import Config
from askcorpus.indexing.chunking import separators_signature
from askcorpus.indexing.embedder import SENTENCE_VECTORS
from askcorpus.indexing.models import model_revision
from askcorpus.snapshot.manifest import COLLECTION
from askcorpus.text.cleaning import CLEANER_VERSION
from askcorpus.text.sentences import splitter_signature

SCHEMA_VERSION = 2  # raise when the chunk metadata changes shape (2: sentence vectors)
CLEANER = "cleaner_version"  # the key of the cleaner's version in `store_fingerprint`


def vector_fingerprint(config: Config) -> dict[str, str | int]:
    """The model and its revision, the chunk settings, the separators and the sentence splitter of `config`'s store:
    what its Chroma collection records."""
    return {
        "schema_version": SCHEMA_VERSION,
        "model": config.model,
        "model_revision": model_revision(config.model),
        "chunk_tokens": config.chunking.tokens,
        "chunk_overlap": config.chunking.overlap,
        "chunk_separators": separators_signature(),
        "sentence_splitter": splitter_signature(),
        "sentence_vectors": SENTENCE_VECTORS,
    }


def vector_part(fingerprint: dict) -> dict:
    """What of a `store_fingerprint` the vectors depend on (all but the cleaner and the collection)."""
    return {key: value for key, value in fingerprint.items() if key not in (CLEANER, COLLECTION)}


def store_fingerprint(config: Config) -> dict[str, str | int]:
    """`vector_fingerprint`, the cleaner and the collection: what a snapshot records. A new cleaner has every file
    cleaned again, and only the articles whose cleaned text changed are embedded again (the collection's vectors
    stay); another collection (ASKCORPUS_COLLECTION) is filled with the snapshot's vectors."""
    return {**vector_fingerprint(config), CLEANER: CLEANER_VERSION, COLLECTION: config.collection}
