"""Question -> passages -> quotes: question checks, the ONNX query encoder, the snapshot's chunk table, coverage
scoring, hybrid retrieval, sentence extraction, and the records an answer is made of.

May import `snapshot`, `text`, `config` and `errors`, never `indexing`, and never torch, transformers,
sentence-transformers, chromadb or gradio (an import-linter contract checks both), so that `askcorpus query`
answers in a fraction of a second.
"""
