"""Writing an output file so that a failure leaves nothing half-written, and nothing behind.

Every output file spendcalc writes goes through :func:`replace_atomic`: the new content is
written to a hidden file beside the target (never in /tmp, so the rename cannot cross file
systems), flushed to disk, given the mode of the file it replaces (a new file gets the umask),
and renamed over the target. On any failure, Ctrl-C or SIGTERM, the hidden file is removed.
A symbolic link or a file with other hard links is not replaced unless ``force`` is given,
since replacing it would quietly cut the link.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO, TypeVar

from .errors import CalcError

__all__ = ["OutputRefusedError", "replace_atomic", "write_atomic", "write_file"]

T = TypeVar("T")


class OutputRefusedError(CalcError, OSError):
    """The output path is a link that replacing it would cut; ``--force`` replaces it anyway."""


def write_file(path: str, write: Callable[[Any], T], *, force: bool, binary: bool = False) -> T:
    """:func:`write_atomic` (``binary``: :func:`replace_atomic`, ``write`` given the hidden
    path), its failures as one CalcError naming `path`; what ``write`` returns is returned.

    :raises OutputRefusedError: if `path` is a link, unless ``force``
    :raises CalcError: if `path` is a directory or cannot be written
    """
    try:
        if binary:
            return replace_atomic(path, write, force=force)
        return write_atomic(path, write, force=force)
    except OutputRefusedError:
        raise
    except IsADirectoryError:
        raise CalcError(f"Cannot write {path!r}: it is a directory; give a file name.") from None
    except OSError as exc:
        raise CalcError(f"Cannot write {path!r}: {exc.strerror}.") from exc


def write_atomic(path: str, write: Callable[[TextIO], T], *, force: bool = False) -> T:
    """Write text through ``write(file)`` and put it at `path` in one step (see
    :func:`replace_atomic`); what ``write`` returns is returned.

    A `path` that exists but is not a regular file (a pipe, a device such as ``/dev/stdout``)
    is written to as it is, never replaced.
    """

    def produce(temporary: str) -> T:
        with open(temporary, "w", encoding="utf-8", newline="") as out:
            result = write(out)
            out.flush()
            os.fsync(out.fileno())
        return result

    if _is_special(path):
        with open(path, "w", encoding="utf-8", newline="") as out:
            return write(out)
    return replace_atomic(path, produce, force=force)


def replace_atomic(path: str, produce: Callable[[str], T], *, force: bool = False) -> T:
    """Have ``produce(temporary)`` write the new file at a hidden path beside `path`, then
    rename it into place; return what ``produce`` returns.

    :raises IsADirectoryError: if `path` is a directory
    :raises OutputRefusedError: if `path` is a symbolic link or has other hard links, unless
        ``force``
    :raises OSError: if the file cannot be written (nothing is left beside `path`)
    """
    existing = _existing(path, force)
    directory, name = os.path.split(os.path.abspath(path))
    temporary = os.path.join(directory, f".{name}.{os.getpid()}.part")
    with _removed_on_exit(temporary):
        result = produce(temporary)
        if existing is not None:
            os.chmod(temporary, stat.S_IMODE(existing.st_mode))
        _fsync(temporary)
        os.replace(temporary, path)
        _fsync(directory)
    return result


def _is_special(path: str) -> bool:
    """Whether `path` exists and is neither a regular file, a directory nor a link."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode) or stat.S_ISLNK(mode))


def _existing(path: str, force: bool) -> os.stat_result | None:
    """The status of the file `path` replaces (None if there is none), after the checks."""
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        return None
    if stat.S_ISDIR(status.st_mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), path)
    if not force and stat.S_ISLNK(status.st_mode):
        raise OutputRefusedError(
            f"{path!r} is a symbolic link; writing would replace the link with a file. Give "
            "another path, or --force to replace it."
        )
    if not force and status.st_nlink > 1:
        raise OutputRefusedError(
            f"{path!r} has {status.st_nlink} hard links; writing would cut it off from the "
            "others. Give another path, or --force to replace it."
        )
    if stat.S_ISLNK(status.st_mode):  # forced: the link goes, the new file gets the umask
        return None
    return status


def _fsync(path: str) -> None:
    """Flush `path` (a file or a directory) to disk, where the system allows it."""
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:  # some file systems cannot fsync a directory
        pass
    finally:
        os.close(descriptor)


@contextmanager
def _removed_on_exit(temporary: str) -> Iterator[None]:
    """Remove `temporary` if it is still there when the block ends, however it ends: SIGTERM
    is turned into an exception for the while (in the main thread), as Ctrl-C already is."""
    import signal
    import threading

    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _terminated)
    try:
        yield
    finally:
        try:
            if os.path.lexists(temporary):
                os.remove(temporary)
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)


def _terminated(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)
