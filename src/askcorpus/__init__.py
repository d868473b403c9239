"""askcorpus: offline, extractive question answering over a folder of German news articles.

The public API, imported on first use so that `import askcorpus` stays cheap: `Corpus`, `Config`, `Answer`,
`Quote`, `Passage`, `AskcorpusError`.
"""

import os as _os
from importlib import import_module as _import_module

__version__ = "0.1.0"

# Libraries askcorpus loads would otherwise phone home: onnxruntime queues a "ProcessInfo" event for
# mobile.events.data.microsoft.com on every start, Chroma sends product telemetry, Gradio analytics, the
# Hugging Face hub looks for model updates. Set before any of them is imported.
OFFLINE_ENVIRONMENT = {
    "ORT_DISABLE_TELEMETRY": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "HF_HUB_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "DO_NOT_TRACK": "1",
}
for _name, _value in OFFLINE_ENVIRONMENT.items():
    _os.environ.setdefault(_name, _value)

_PUBLIC = {
    "Corpus": "askcorpus.corpus",
    "Config": "askcorpus.config",
    "Answer": "askcorpus.answering.answer",
    "Quote": "askcorpus.answering.answer",
    "Passage": "askcorpus.answering.answer",
    "AskcorpusError": "askcorpus.errors",
}
__all__ = [*_PUBLIC, "__version__"]


def __getattr__(name: str):
    if name in _PUBLIC:
        return getattr(_import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'askcorpus' has no attribute {name!r}")
