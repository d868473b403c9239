"""The one exception type whose message is shown to the user as a one-line error."""


class AskcorpusError(Exception):
    """A problem the user can fix; the CLI prints `askcorpus: <message>` and exits non-zero."""

    exit_code = 1
