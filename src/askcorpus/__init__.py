"""askcorpus: offline, extractive question answering over a folder of German news articles."""

import os as _os

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
