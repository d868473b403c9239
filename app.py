"""The askcorpus chat app over ./seeds (or ASKCORPUS_SEEDS): `python app.py` or `gradio app.py`, on 127.0.0.1 and
ASKCORPUS_PORT (default 7860). A problem the user can fix ends in one line on stderr and exit code 1."""

import os
import sys

from askcorpus.errors import AskcorpusError
from askcorpus.interfaces.web import build_app, check_address, corpus_from_env, launch


def port_from_env() -> int:
    """ASKCORPUS_PORT, or 7860."""
    value = os.environ.get("ASKCORPUS_PORT", "7860").strip()
    try:
        return int(value)
    except ValueError:
        raise AskcorpusError(f"ASKCORPUS_PORT must be a port number, not {value!r}") from None


try:
    if __name__ == "__main__":
        port = port_from_env()
        check_address("127.0.0.1", port, "ASKCORPUS_PORT")  # before the startup sync, which may take long
    demo = build_app(corpus_from_env())
    if __name__ == "__main__":
        launch(demo, port=port, port_setting="ASKCORPUS_PORT")
except AskcorpusError as error:
    sys.exit(f"askcorpus: {error}")
