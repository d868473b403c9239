"""Files -> chunks -> vectors -> Chroma: reading the seeds folder, chunking, the embedding model, the Chroma store,
the writer lock, the sync plan and its stages, the ONNX export of the model, and the refresher that follows a
Chroma server.

May import `snapshot`, `text`, `config` and `errors`, never `answering`. Heavy libraries (sentence-transformers,
torch, chromadb, langchain, tqdm) are imported inside the functions that use them, so importing this package
stays cheap for a process that only answers.
"""
