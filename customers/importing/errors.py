"""The one error the reader raises: the file as a whole cannot be imported."""


class FileRejected(ValueError):
    """The file as a whole cannot be imported; the message says why and, if known, where."""
