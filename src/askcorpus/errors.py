"""The exception type whose message is shown to the user as a one-line error, and its kinds."""


class AskcorpusError(Exception):
    """A problem the user can fix; the CLI prints `askcorpus: <message>` and exits non-zero."""

    exit_code = 1


class IndexNotWritable(AskcorpusError):
    """The index folder cannot be written; a current index in it can still answer."""


def first_line(error: BaseException) -> str:
    """The first line of an error's message (or its type's name), for one-line reports of library errors."""
    return (str(error).strip().splitlines() or [type(error).__name__])[0]
