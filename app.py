"""The askcorpus chat app over ./seeds (or ASKCORPUS_SEEDS): `python app.py` or `gradio app.py`, on 127.0.0.1."""

import os

from askcorpus.interfaces.web import build_app, corpus_from_env, launch

demo = build_app(corpus_from_env())

if __name__ == "__main__":
    launch(demo, port=int(os.environ.get("ASKCORPUS_PORT", "7860")))
