"""One piece of a big report made in a second process while this one makes the rest.

A report on many commitments spends most of its rendering on two long tables. On Linux,
:func:`started` forks a child that makes one of them while the parent goes on with the other
sections; the child hands back its result (pickled, in a file in memory) and exits. The fork shares
the report the parent built (nothing is copied or sent to the child), and what comes back is the
same value the parent would have made, so the output is the same bytes either way.

The child is used only where forking is safe and pays: on Linux, with a single thread in the
process, for work of at least :data:`FROM_ITEMS` items, unless ``SPENDCALC_PROCESSES=1``. If the
child cannot be started, fails or dies, the parent makes the piece itself (and so raises any
error the work raises, as it would have without a child).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

__all__ = ["FROM_ITEMS", "Later", "started", "streamed", "streamed_halves"]

T = TypeVar("T")

#: The fewest items (table rows) a piece must have to be made in a second process: below it the
#: fork costs more than it saves.
FROM_ITEMS = 20_000


class Later(Generic[T]):
    """A piece of work being made by a child process, or not (then :meth:`result` makes it)."""

    def __init__(
        self, pid: int | None = None, file: int | None = None, done: int | None = None
    ) -> None:
        self._pid, self._file, self._done = pid, file, done

    def result(self, otherwise: Callable[[], T]) -> T:
        """The child's piece, or `otherwise`'s (made here) if there was no child or it did
        not finish."""
        payload = self._collect() if self._file is not None else None
        if payload is not None:
            import pickle

            return pickle.loads(payload)  # type: ignore[no-any-return]
        self.close()
        return otherwise()

    def close(self) -> None:
        """Stop (if its result was never asked for: an error came first) and reap the child."""
        self._collect()
        if self._pid is not None:
            import signal
            from contextlib import suppress

            pid, self._pid = self._pid, None
            with suppress(ProcessLookupError):  # (it had exited)
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)

    def _collect(self) -> bytes | None:
        """The child's pickled result once it says it is written, or None if it failed; its
        files closed. (The child is reaped by :meth:`close`: it may still be leaving.)"""
        file, done = self._file, self._done
        if file is None or done is None:
            return None
        self._file = self._done = None
        try:
            said = os.read(done, 1)  # b"" if it ended without writing it
            data = os.pread(file, os.fstat(file).st_size, 0) if said == b"\x01" else b""
        finally:
            os.close(file)
            os.close(done)
        if data[:1] != b"\x01":
            return None  # it failed or was killed: the parent makes the piece
        return data[1:]


def started(make: Callable[[], T], items: int) -> Later[T]:
    """`make` started in a child process when that is safe and pays (see the module); its
    warnings are the parent's to give, not the child's (they are left out).

    The child writes its result to a file in memory (``memfd_create``), not a pipe, so that it
    need not wait for the parent to read it, then says so through a pipe: the parent reads it
    at once, without waiting for the child to leave."""
    if not _may_fork(items):
        return Later()

    def write(file: int) -> None:
        import pickle
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            made = make()
        _written(file, b"\x01" + pickle.dumps(made, protocol=pickle.HIGHEST_PROTOCOL))

    child = _forked(write)
    return Later() if child is None else Later(*child)


def _forked(write: Callable[[int], None]) -> tuple[int, int, int] | None:
    """A child process that calls ``write(file)``, a file in memory, then says it is done
    through a pipe and leaves at once (running nothing else; if `write` fails, it says nothing):
    (its pid, the file, the pipe's end to read); None if it cannot be started."""
    try:
        file = os.memfd_create("spendcalc-piece", os.MFD_CLOEXEC)
    except (AttributeError, OSError):  # pragma: no cover - a kernel without it
        return None
    done, said = os.pipe()
    try:
        pid = os.fork()
    except OSError:  # pragma: no cover - no process to be had
        for fd in (file, done, said):
            os.close(fd)
        return None
    if pid == 0:
        os.close(done)
        try:
            write(file)
            os.write(said, b"\x01")
        finally:
            os._exit(0)
    os.close(said)
    return pid, file, done


def _written(fd: int, data: bytes) -> None:
    """All of `data` written to `fd`."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


#: How many items a stream's child sends at a time.
BATCH = 2_000
_ITEMS, _END, _ERROR = b"i", b"e", b"x"  # what a stream's message holds (then its length)


def streamed(make: Callable[[], Iterator[T]], items: int) -> Iterator[T]:
    """The items of ``make()``, made by a child process while this one uses them, when that is
    safe and pays (see the module): `items` is about how many there will be.

    The child sends them in batches through a pipe; they are the same items, in the same order,
    and an exception `make`'s iterator raises is raised here after the items before it, as it
    would be without a child. If the child cannot be started or dies, the rest is made here
    (``make()`` again, from where the child stopped). Work that warns is not for a stream: the
    child's warnings are not given. A stream not read to its end is closed by its reader (or
    collected): the child is then stopped and reaped.
    """
    if not _may_fork(items):
        yield from make()
        return
    reader, writer = os.pipe()
    try:
        pid = os.fork()
    except OSError:  # pragma: no cover - no process to be had: made here instead
        os.close(reader)
        os.close(writer)
        yield from make()
        return
    if pid == 0:  # the child: make the items, send them, and leave without running anything else
        os.close(reader)
        try:
            _send_stream(make, writer)
        finally:
            os._exit(0)
    os.close(writer)
    had = 0
    try:
        with os.fdopen(reader, "rb") as pipe:
            import pickle

            while len(head := pipe.read(9)) == 9:
                body = pipe.read(int.from_bytes(head[1:], "little"))
                kind = head[:1]
                if kind == _END:
                    return
                if kind == _ERROR:
                    raise pickle.loads(body)
                batch = pickle.loads(body)
                had += len(batch)
                yield from batch
        # The child died before the end: the rest made here.
        rest = make()
        for _ in range(had):
            next(rest)
        yield from rest
    finally:
        import signal
        from contextlib import suppress

        with suppress(ProcessLookupError):  # (it had exited)
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def streamed_halves(
    first: Callable[[], Iterator[T]],
    second: Callable[[], Iterator[T]],
    whole: Callable[[], Iterator[T]],
    items: int,
    follows: Callable[[T, T], bool],
    split: type[Exception],
) -> Iterator[T]:
    """The items of ``whole()``, made by two child processes, one half each, while this one
    uses them, when that is safe and pays (:func:`streamed`; `items` is about how many).

    ``first()`` and ``second()`` make the two halves: the first is streamed (:func:`streamed`),
    the second made meanwhile, in batches written to a file in memory, which are read one at a
    time when the first is used up. They are the items of ``whole()`` where the halves say so:
    where a half raises `split` (it cannot be made apart), where the second fails in any way,
    or where its first item does not follow the first's last (``follows(last, first)``), the
    rest is made by ``whole()`` (streamed), from where the items given stopped, so its items
    and its errors are whole()'s, in their places.
    """
    if not _may_fork(items):
        yield from whole()
        return
    stored = _stored(second)
    had, last = 0, None
    try:
        try:
            for item in streamed(first, items):
                yield item
                had, last = had + 1, item
        except split:
            _stopped(stored)
            stored = None
        if stored is not None and os.read(stored[2], 1) == b"\x01":  # (the second is written)
            import pickle

            joined = last is None
            os.lseek(stored[1], 0, os.SEEK_SET)
            with os.fdopen(os.dup(stored[1]), "rb") as data:
                while len(head := data.read(9)) == 9:
                    body = data.read(int.from_bytes(head[1:], "little"))
                    if head[:1] != _ITEMS:
                        if head[:1] == _END:
                            return
                        break  # its error: met again below, in its place
                    batch = pickle.loads(body)
                    if not joined and batch:
                        if not follows(last, batch[0]):  # type: ignore[arg-type]
                            break
                        joined = True
                    for item in batch:
                        yield item
                        had += 1
        # A half could not be made apart: the rest made by whole(), after the items already
        # given (streamed by a child, where that pays).
        _stopped(stored)
        stored = None
        again = streamed(whole, items)
        for _ in range(had):
            next(again)
        yield from again
    finally:
        _stopped(stored)


def _stored(make: Callable[[], Iterator[object]]) -> tuple[int, int, int] | None:
    """A child process writing ``make()``'s items to a file in memory (as :func:`streamed`
    sends them), then a byte to a pipe (:func:`_forked`); None if it cannot start."""
    return _forked(lambda file: _send_stream(make, file))


def _stopped(stored: tuple[int, int, int] | None) -> None:
    """The child of :func:`_stored` stopped (if it still runs) and reaped, its files closed."""
    if stored is not None:
        import signal
        from contextlib import suppress

        pid, file, done = stored
        with suppress(ProcessLookupError):  # (it had exited)
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(file)
        os.close(done)


def _send_stream(make: Callable[[], Iterator[object]], writer: int) -> None:
    """A stream's child: ``make()``'s items sent through `writer`, then its end or its error."""
    import pickle
    import warnings

    def send(kind: bytes, body: bytes) -> None:
        _written(writer, kind + len(body).to_bytes(8, "little") + body)

    batch: list[object] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            for item in make():
                batch.append(item)
                if len(batch) == BATCH:
                    send(_ITEMS, pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL))
                    batch.clear()
        except Exception as exc:
            if batch:
                send(_ITEMS, pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL))
            try:
                error = pickle.dumps(exc, protocol=pickle.HIGHEST_PROTOCOL)
                pickle.loads(error)
            except Exception:
                return  # an error that cannot be sent: the parent makes the rest and meets it
            send(_ERROR, error)
            return
    if batch:
        send(_ITEMS, pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL))
    send(_END, b"")


def _may_fork(items: int) -> bool:
    if items < FROM_ITEMS or not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    if os.environ.get("SPENDCALC_PROCESSES", "").strip() == "1":
        return False
    import threading

    return threading.active_count() == 1  # forking a process with threads can deadlock
