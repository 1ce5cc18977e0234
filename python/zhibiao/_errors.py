"""The exception every zhibiao call raises for a problem in its input."""

from __future__ import annotations


class ZhibiaoError(Exception):
    """A zhibiao diagnostic raised as an exception.

    Carries the diagnostic's ``code`` (``ZB0701``), ``message``, ``help``
    and primary ``span`` (a dict with file, start, end, line, column and
    label; None when the problem has no place), and the whole
    ``diagnostic`` (a :class:`zhibiao.Diagnostic`). ``str()`` is the
    message; ``diagnostic`` renders as the command line shows it.
    """

    def __init__(self, diagnostic):
        self.diagnostic = diagnostic
        self.code = diagnostic.code
        self.message = diagnostic.message
        self.help = diagnostic.help
        self.span = diagnostic.span
        super().__init__(f"{diagnostic.code}: {diagnostic.message}")


class ZhibiaoWarning(UserWarning):
    """A report that could not be read, or a note from walking a folder:
    the batch went on without it (``zhibiao run`` says the same on stderr)."""
