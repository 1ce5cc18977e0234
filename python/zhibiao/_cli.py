"""The ``zhibiao`` console script: the Rust command line, run in-process."""

from __future__ import annotations

import signal
import sys


def main() -> None:
    """Runs ``zhibiao`` with this process's arguments and exits with its code."""
    from ._native import main as native_main

    # Python turns Ctrl-C into an exception it raises only between bytecodes,
    # never inside the run; the command line expects the default (Ctrl-C
    # stops it; its own handler removes a half-written -o file). A closed
    # pipe stays ignored, as in the Rust binary, which handles EPIPE itself.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    sys.stdout.flush()
    # Arguments go over as the OS gave them (pyo3 re-encodes surrogate
    # escapes, so a non-UTF-8 file name survives).
    sys.exit(native_main(["zhibiao", *sys.argv[1:]]))


if __name__ == "__main__":
    main()
