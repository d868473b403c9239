"""Load a sentence-transformers model offline and turn texts into normalised vectors."""

from __future__ import annotations

import copy
import ctypes
import gc
import json
import os
from functools import cached_property, lru_cache
from pathlib import Path

from askcorpus.errors import AskcorpusError, first_line
from askcorpus.indexing.export import export
from askcorpus.indexing.models import check_findable, model_location, model_revision
from askcorpus.text.line_ends import as_read, as_read_with_spans

BATCH_SIZE = 32  # sentences per forward pass; measured on 2 cores: 16 and 64 are no faster
SENTENCE_VECTORS = "alone+in-context-1"  # how `embed_passages` makes sentence vectors; the index records it


class Embedder:
    """A sentence-transformers model, loaded on first use with every hub download switched off."""

    def __init__(self, model: str):
        self.model_id = model
        self.revision: str | None = None  # the model's revision when its files were read, None before

    @cached_property
    def model(self):
        location = model_location(self.model_id)  # may raise AskcorpusError itself
        self._note_revision()
        check_findable(location)
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        from sentence_transformers import SentenceTransformer  # 5 s with torch and transformers

        try:
            return SentenceTransformer(location, device="cpu")
        except Exception as error:  # sentence-transformers raises OSError, ValueError or hub errors
            raise AskcorpusError(f"cannot load embedding model {self.model_id!r}: {first_line(error)}") from error

    def load(self) -> None:
        """Load the model now rather than at first use; raises AskcorpusError when it cannot be loaded."""
        _ = self.model

    @property
    def loaded(self) -> bool:
        return "model" in self.__dict__

    def unload(self) -> None:
        """Free the loaded model and give its memory back to the system; it loads again at next use."""
        if self.__dict__.pop("model", None) is not None:
            gc.collect()
            _trim_heap()

    def refresh(self) -> bool:
        """Forget everything read of the model when its revision changed since (new weights put into a model
        folder while a server runs), so that it is read anew at next use; True when it did."""
        if self.revision is None or self.revision == model_revision(self.model_id):
            return False
        self.revision = None  # first: what is read from now on records the revision it was read at
        self.unload()
        for name in ("_folder_settings", "_counting_tokenizer"):
            self.__dict__.pop(name, None)
        self.count_tokens.cache_clear()
        return True

    def _note_revision(self) -> None:
        if self.revision is None:
            self.revision = model_revision(self.model_id)

    @property
    def max_tokens(self) -> int:
        """The longest input, in word pieces including special tokens, that the model reads without truncation."""
        if self._folder_settings is not None:
            return self._folder_settings[1]
        return int(self.model.max_seq_length)

    @cached_property
    def _folder_settings(self):
        """(tokenizer, longest input) read from the model's folder (`tokenizer.json`, `sentence_bert_config.json`),
        or None when it has not both (the model's own are used then): a sync that only cuts chunks, its vectors all
        reused, loads no model (about 6 s of torch and the weights, which stalled a serving app's answers on 2
        cores). Both give what the loaded model gives: sentence-transformers reads the same files."""
        folder = Path(model_location(self.model_id))
        self._note_revision()
        try:
            limit = json.loads((folder / "sentence_bert_config.json").read_text(encoding="utf-8"))["max_seq_length"]
            from tokenizers import Tokenizer

            return Tokenizer.from_file(str(folder / "tokenizer.json")), int(limit)
        except Exception:  # no such files, or unreadable: tokenizers raises a bare Exception
            return None

    @cached_property
    def _counting_tokenizer(self):
        if self._folder_settings is not None:
            counter = self._folder_settings[0]  # our own copy: free to change
        else:
            backend = getattr(self.model.tokenizer, "backend_tokenizer", None)
            if backend is None:  # a slow tokenizer: count through transformers
                return None
            counter = copy.deepcopy(backend)  # the model's own tokenizer must keep truncating
        counter.no_truncation()
        counter.no_padding()
        return counter

    @lru_cache(maxsize=65536)  # noqa: B019 - the splitter measures the same pieces again and again
    def count_tokens(self, text: str) -> int:
        """Word pieces the model's tokenizer makes of `text`, special tokens included, never truncated."""
        counter = self._counting_tokenizer
        if counter is not None:
            return len(counter.encode(text, add_special_tokens=True).ids)
        return len(self.model.tokenizer(text, add_special_tokens=True, truncation=False)["input_ids"])

    def prompt(self, role: str) -> str:
        """The text the model expects before a `query` or a `passage` ("query: " for e5; "" for MiniLM)."""
        return _prompt(self.model, role)

    def export_query_encoder(self, index: Path, again: bool = False) -> bool:
        """Give `index` the model's ONNX export for the query encoder (made once per model, or `again` when found
        damaged); False when the model cannot be exported. Raises OSError when a folder cannot be written."""
        model = self.model  # once: a concurrent `unload` must not make this load a second copy
        return export(model, index, self.model_id, _prompt(model, "query"), again)

    def encode(self, texts: list[str], batch_size: int = BATCH_SIZE, role: str = "passage"):
        """Unit-length float32 vectors, one row per text, each read as a `passage` or a `query`."""
        prompt = self.prompt(role)
        return self.model.encode(
            [as_read(text) for text in texts], prompt=prompt or None, batch_size=batch_size, normalize_embeddings=True,
            convert_to_numpy=True, show_progress_bar=False,
        )

    def embed_passages(self, texts: list[str], spans: list[list[tuple[int, int]]], batch_size: int = BATCH_SIZE,
                       alone: dict | None = None):
        """(passage vectors, sentence vectors): one unit row per text as `encode` gives it, and for each text one
        unit row per (start, end) span. A sentence's vector is the sum of two views, normalised: the sentence
        embedded alone, and the mean of the passage's contextual token vectors inside it (which knows what "dieses
        Gespräch" refers to). On XQuAD-de the sum picks the answering sentence of a paragraph more often (0.787)
        than either view alone (0.771, 0.706) or a sentence embedded with its neighbours (0.439). `alone` maps
        sentences to their vectors embedded alone, shared between calls: a sentence in it is not embedded again
        (overlapping chunks repeat sentences), and the sentences embedded here are added to it. Texts are read
        `line_ends.as_read`."""
        import numpy as np

        texts, spans = map(list, zip(*map(as_read_with_spans, texts, spans))) if texts else ([], [])
        prompt = self.prompt("passage")
        outputs = self.model.encode(texts, prompt=prompt or None, batch_size=batch_size, output_value=None,
                                    show_progress_bar=False)
        alone = {} if alone is None else alone
        distinct = dict.fromkeys(text[s:e] for text, text_spans in zip(texts, spans) for s, e in text_spans)
        new = [sentence for sentence in distinct if sentence not in alone]
        if new:
            alone.update(zip(new, self.encode(new, batch_size)))
        passages, sentences = [], []
        for text, text_spans, output in zip(texts, spans, outputs):
            passage = _unit(output["sentence_embedding"].float().numpy())
            in_context = self._span_means(prompt, text, text_spans, output, passage)
            rows = np.array([_unit(alone[text[s:e]] + row) for (s, e), row in zip(text_spans, in_context)],
                            dtype=np.float32).reshape(len(text_spans), len(passage))
            passages.append(passage.astype(np.float32))
            sentences.append(rows)
        return np.array(passages, dtype=np.float32).reshape(len(texts), -1), sentences

    def _span_means(self, prompt: str, text: str, text_spans: list[tuple[int, int]], output, passage):
        """Per span, the unit mean of the passage's token vectors inside it (the passage's vector where the model
        read none of it: past its longest input, or a tokenizer whose offsets do not match)."""
        import numpy as np

        mask = output["attention_mask"].numpy().astype(bool)
        tokens = output["token_embeddings"].float().numpy()[mask]
        encoding = self.model.tokenizer(prompt + text, return_offsets_mapping=True, return_special_tokens_mask=True,
                                        truncation=True, max_length=self.max_tokens)
        offsets = np.array(encoding["offset_mapping"], dtype=np.int64).reshape(-1, 2) - len(prompt)
        ordinary = ~np.array(encoding["special_tokens_mask"], dtype=bool)
        if len(offsets) != len(tokens):
            return [passage for _ in text_spans]
        insides = [ordinary & (offsets[:, 1] > start) & (offsets[:, 0] < end) for start, end in text_spans]
        read = [inside for inside in insides if inside.any()]
        projected = iter(self._after_pooling(np.array([tokens[inside].mean(axis=0) for inside in read])) if read
                         else ())
        means = [_unit(next(projected)) if inside.any() else passage for inside in insides]
        return means if all(len(mean) == len(passage) for mean in means) else [passage for _ in text_spans]

    def _after_pooling(self, pooled):
        """Pooled token vectors carried through the modules the model applies after its pooling (a Dense
        projection, a normalisation), so that they live where its sentence embeddings do."""
        import torch
        from sentence_transformers.models import Pooling

        modules = list(self.model)
        last_pooling = max((n for n, module in enumerate(modules) if isinstance(module, Pooling)), default=None)
        if last_pooling is None or last_pooling == len(modules) - 1:
            return pooled
        features = {"sentence_embedding": torch.from_numpy(pooled.astype("float32"))}
        try:
            with torch.inference_mode():
                for module in modules[last_pooling + 1:]:
                    features = module(features)
            return features["sentence_embedding"].float().numpy()
        except Exception:  # a module that needs more than the pooled vector: the caller keeps the passage's
            return pooled[:, :0]

    def encode_queries(self, texts: list[str]):
        """Questions as unit vectors, with the model's query prompt."""
        return self.encode(texts, role="query")


def _prompt(model, role: str) -> str:
    prompts = model.prompts or {}
    names = ("query",) if role == "query" else ("passage", "document")
    return next((prompts[name] for name in names if prompts.get(name)), "")


def _trim_heap() -> None:
    """Return the C heap's free pages to the system (glibc only): freed tensors otherwise stay in the process."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _unit(vector):
    import numpy as np

    return vector / max(float(np.linalg.norm(vector)), 1e-12)
