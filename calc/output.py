"""Writing an output file so that a failure leaves nothing half-written."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from typing import TextIO, TypeVar

__all__ = ["write_atomic"]

T = TypeVar("T")


def write_atomic(path: str, write: Callable[[TextIO], T]) -> T:
    """Write through ``write(file)`` to a hidden file beside `path`, then rename it into place.

    What ``write`` returns is returned. A `path` that exists but is not a regular file (a pipe,
    a device such as ``/dev/stdout``) is written to as it is, never replaced.

    :raises IsADirectoryError: if `path` is a directory
    :raises OSError: if the file cannot be written (nothing is left beside `path`)
    """
    if os.path.exists(path) and not os.path.isfile(path):
        if os.path.isdir(path):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), path)
        with open(path, "w", encoding="utf-8", newline="") as out:
            return write(out)
    directory, name = os.path.split(os.path.abspath(path))
    temporary = os.path.join(directory, f".{name}.{os.getpid()}.part")
    try:
        with open(temporary, "w", encoding="utf-8", newline="") as out:
            result = write(out)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
    return result
