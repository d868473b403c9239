"""The thin shells around `askcorpus.corpus.Corpus`: the command line, the Gradio app and the renderers of an
answer (terminal text, escaped HTML). They parse input and render output; the work happens below them.

May import everything below: `evaluation`, `corpus`, `indexing`, `answering`, `snapshot`, `text`, `config`,
`errors`. Gradio is imported only when the app is built.
"""
