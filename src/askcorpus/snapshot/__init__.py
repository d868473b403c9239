"""The answering copy of the index, derived from Chroma after each sync: the chunk records both sides share, the
manifest of what a snapshot was made with, BM25 postings, building a snapshot, its generations on disk, and the
description of the exported query encoder.

May import `text`, `config`, `errors`, numpy and the standard library: a snapshot loads without Chroma, torch
or Gradio.
"""
