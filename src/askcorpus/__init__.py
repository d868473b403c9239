"""askcorpus: offline, extractive question answering over a folder of German news articles."""

__version__ = "0.1.0"
