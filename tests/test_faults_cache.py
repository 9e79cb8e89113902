"""The cache under stress: a full disk, 8 processes at once, a process killed mid-update.

Corrupt files, a read-only directory and 4 updating processes are in ``tests/test_cache.py``;
this module adds what needs real processes and a real file system:

- a full disk, two ways: a tiny tmpfs that fills up while ``spendcalc rates update`` runs (needs
  root to mount; skipped with the reason otherwise), and a file-size limit (``RLIMIT_FSIZE``,
  any user on Linux/macOS). Either way the update stops with one error line, exit 1, the cache
  holds whole days only and passes ``PRAGMA integrity_check``, and once there is room again the
  next update completes;
- 8 processes updating and reading at once (4 ``spendcalc rates update`` executables, 4 library
  workers that also read the cache in a loop): every row arrives exactly once, no reader ever
  sees part of a day, and "locked" never reaches anyone's stderr;
- a process killed with SIGKILL in the middle of an update (deterministically, while it waits
  for a day; and at random moments of a writer that stores large days back to back): the next
  run finds a consistent cache, no committed day is lost, and the update completes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from rates import CacheError, LiveSource, RateBook
from rates.cache import RateCache
from tests.clock import TODAY
from tests.conftest import ROOT
from tests.ratesserver import LAST_BUNDLED, RatesServer, live_update, plausible_days, stored_days
from tests.test_cli_executable import SPENDCALC, needs_spendcalc, run_spendcalc, skip_saying_why
from tests.test_faults_live import prefill

SNAPSHOT_LAST = dt.date(2026, 10, 30)
SERVED = plausible_days(SNAPSHOT_LAST, TODAY)
DAYS = sorted(SERVED)
#: Each test leaves this many days to fetch; the cache holds the others (see ``prefilled``).
TO_FETCH = 8
FIRST = len(DAYS) - TO_FETCH
CURRENCIES = len(LAST_BUNDLED)


@pytest.fixture(scope="module")
def prefilled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache holding every day since the snapshot but the last :data:`TO_FETCH`."""
    assert len(DAYS) > TO_FETCH
    path = tmp_path_factory.mktemp("prefilled") / "rates.sqlite3"
    prefill(path, SERVED, DAYS[:FIRST])
    return path


def check_consistent(path: Path) -> list[str]:
    """Assert the cache passes integrity_check and holds whole days, each as served, forming an
    unbroken run from the first day after the snapshot; return those days.
    """
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        connection.close()
    days = stored_days(path)
    stored = sorted(days)
    assert stored == DAYS[: len(stored)], "the days stored are not an unbroken run"
    assert all(days[day] == SERVED[day] for day in stored), "a day is not whole"
    return stored


def update_in_process(path: Path, url: str) -> int:
    """The next update, run as the library (the executable runs the same code)."""
    book = RateBook(cache=path, live=LiveSource(url=url, timeout=10), today=TODAY)
    return book.update()


# -- a full disk ------------------------------------------------------------------------------


@contextlib.contextmanager
def tmpfs(directory: Path, size: str) -> Iterator[None]:
    """Mount a tmpfs of ``size`` on ``directory``, or skip saying why it cannot be done."""
    if sys.platform != "linux" or os.geteuid() != 0 or shutil.which("mount") is None:
        skip_saying_why("a tiny tmpfs needs Linux, root and mount (the RLIMIT_FSIZE test runs)")
    directory.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(directory)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        skip_saying_why(f"mount -t tmpfs failed: {mounted.stderr.strip()}")
    try:
        yield
    finally:
        if subprocess.run(["umount", str(directory)], check=False).returncode != 0:
            subprocess.run(["umount", "-l", str(directory)], check=True)  # busy: detach it


def fill(directory: Path) -> Path:
    """Write a file in ``directory`` until the disk is full; return it."""
    filler = directory / "filler"
    with open(filler, "wb", buffering=0) as file, contextlib.suppress(OSError):
        while True:
            file.write(b"\0" * 4096)
    return filler


class FillingServer(RatesServer):
    """A rates server that fills the disk holding the cache when asked for one day."""

    def __init__(self, days: dict[str, dict[str, str]], fill_on: str, disk: Path) -> None:
        super().__init__(days)
        self.fill_on, self.disk = fill_on, disk
        self.filler: Path | None = None

    def answer(self, handler, day):  # type: ignore[no-untyped-def]
        if day == self.fill_on and self.filler is None:
            self.filler = fill(self.disk)
        super().answer(handler, day)


@needs_spendcalc
def test_a_disk_that_fills_up_during_an_update(tmp_path, prefilled):
    disk = tmp_path / "disk"
    with tmpfs(disk, "4m"):
        cache = disk / "rates.sqlite3"
        shutil.copyfile(prefilled, cache)
        full_on = DAYS[FIRST + 3]
        with FillingServer(SERVED, full_on, disk) as server:
            run = run_spendcalc(
                *live_update(server.url, str(cache)),
            )
            assert server.filler is not None and os.statvfs(disk).f_bavail == 0
            assert run.code == 1 and run.out == "", run
            assert "Traceback" not in run.err and "internal error" not in run.err
            *progress, error = run.lines
            assert len(progress) == 3 and all(line.startswith("fetching ") for line in progress)
            # SQLite says 'database or disk is full', or 'disk I/O error' when it cannot even
            # open its shared-memory file; either way the message says to make room.
            assert error.startswith(
                (
                    f"error: Cannot write {full_on} to the cache {str(cache)!r}: ",
                    f"error: The cache {str(cache)!r} cannot be used: ",
                )
            ) and error.endswith(
                "; free some space, or set SPENDCALC_CACHE or --cache to a file on another disk."
            ), error
            # While the disk is full SQLite cannot even open the cache (its shared-memory file
            # needs room): a lookup says so in one warning and answers from the bundled rates
            # alone, here with one clear error, since the date is past them.
            on = DAYS[FIRST + 2]
            lookup = run_spendcalc(
                "convert", "€1", "--to", "USD", "--on", on, "--cache", str(cache)
            )
            assert lookup.code == 1 and lookup.out == "" and len(lookup.lines) == 2, lookup
            assert lookup.lines[0].startswith(
                f"warning: The rate cache {str(cache)!r} cannot be read"
            )
            assert lookup.lines[1].startswith(f"error: No EUR->USD rate on {on}: ")
            print(f"\ntmpfs full on {full_on}: {error}\n  then: {lookup.lines}")
            server.filler.unlink()
            assert check_consistent(cache) == DAYS[: FIRST + 3]
            # With room again, the days stored before the disk filled are there, and an update
            # fetches the rest.
            lookup = run_spendcalc(
                "convert", "€1", "--to", "USD", "--on", on, "--cache", str(cache)
            )
            assert lookup.code == 0 and lookup.err == "", lookup
            assert f" at 1 EUR = {SERVED[on]['USD']} USD (fixing {on}, forex-python live)" in (
                lookup.out
            ), lookup.out
            assert update_in_process(cache, server.url) == TO_FETCH - 3
        assert check_consistent(cache) == DAYS


WRITE_LIMITED = textwrap.dedent(
    """
    import resource, sys
    limit = int(sys.argv[1])
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
    sys.argv = ["spendcalc", *sys.argv[2:]]
    from calc.cli import main
    sys.exit(main())
    """
)


def test_a_size_limited_cache_file(tmp_path, prefilled):
    try:
        import resource
    except ImportError:
        skip_saying_why("no resource module (Windows?): cannot limit a file's size")
    if not hasattr(resource, "RLIMIT_FSIZE"):
        skip_saying_why("this platform has no RLIMIT_FSIZE to limit a file's size")
    cache = tmp_path / "rates.sqlite3"
    shutil.copyfile(prefilled, cache)
    limit = cache.stat().st_size + 2 * 4096  # room for a few days, not for all eight
    with RatesServer(SERVED) as server:
        # The executable's own code (calc.cli.main) in a process whose files cannot grow past
        # the limit: writing past it fails with EFBIG (Python ignores SIGXFSZ).
        done = subprocess.run(
            [sys.executable, "-c", WRITE_LIMITED, str(limit), "rates", "update", "--source", "forex-python", "--url",
             server.url, "--cache", str(cache)],
            capture_output=True, text=True, timeout=120, check=False,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )  # fmt: skip
        lines = done.stderr.splitlines()
        assert done.returncode == 1 and done.stdout == "", done.stderr
        assert "Traceback" not in done.stderr and "internal error" not in done.stderr
        *progress, error = lines
        assert all(line.startswith("fetching ") for line in progress), lines
        assert error.startswith(
            (f"error: Cannot write {DAYS[FIRST + len(progress)]} to the cache", "error: The cache")
        ), error
        assert "set SPENDCALC_CACHE or --cache" in error
        stored = check_consistent(cache)
        assert stored == DAYS[: FIRST + len(progress)] and len(stored) < len(DAYS)
        print(
            f"\nRLIMIT_FSIZE={limit}: update stopped after {len(progress)} of {TO_FETCH} days: "
            f"{error}"
        )
        assert update_in_process(cache, server.url) == len(DAYS) - len(stored)
    assert check_consistent(cache) == DAYS


# -- 8 processes at once ----------------------------------------------------------------------

#: A library process: reads the cache in a loop (counting any day it sees only part of) while
#: it updates, then looks up every fetched day offline; prints what it did as JSON.
UPDATE_AND_READ = textwrap.dedent(
    """
    import datetime, json, sys, threading
    from rates import LiveSource, RateBook
    from rates.cache import RateCache
    path, url, currencies = sys.argv[1], sys.argv[2], int(sys.argv[3])
    days = [datetime.date.fromisoformat(d) for d in sys.argv[4:]]
    seen = {"reads": 0, "partial": 0}
    done = threading.Event()

    def read():
        cache = RateCache(path)
        while not done.is_set():
            stored = cache.days()
            seen["reads"] += 1
            seen["partial"] += sum(len(rates) != currencies for rates, _source in stored.values())

    reader = threading.Thread(target=read)
    reader.start()
    try:
        book = RateBook(cache=path, live=LiveSource(url=url, timeout=30), today=days[-1])
        added = book.update()
    finally:
        done.set()
        reader.join()
    offline = RateBook(cache=path, today=days[-1])
    usd = {d.isoformat(): str(offline.rate("EUR", "USD", d).value) for d in days}
    print(json.dumps({"added": added, "usd": usd, **seen}))
    """
)


@needs_spendcalc
def test_eight_processes_updating_and_reading_at_once(tmp_path, prefilled):
    cache = tmp_path / "rates.sqlite3"
    shutil.copyfile(prefilled, cache)
    to_fetch = DAYS[FIRST:]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with RatesServer(SERVED) as server:
        server.delay = 0.01  # so that the processes overlap on every day
        executables = [
            [
                str(SPENDCALC),
                *live_update(server.url, str(cache)),
            ]
            for _ in range(4)
        ]
        workers = [
            [sys.executable, "-c", UPDATE_AND_READ, str(cache), server.url, str(CURRENCIES),
             *to_fetch]
            for _ in range(4)
        ]  # fmt: skip
        processes = [
            subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=env, stdin=subprocess.DEVNULL)
            for argv in executables + workers
        ]  # fmt: skip
        outputs = [p.communicate(timeout=300) for p in processes]
        requests = len(server.requests)
    codes = [p.returncode for p in processes]
    errs = [err for _out, err in outputs]
    assert codes == [0] * 8, errs
    assert not any("locked" in err or "Traceback" in err or "error" in err for err in errs), errs
    added_by_executables = [
        int(re.match(r"added (\d+) days?", out).group(1)) for out, _err in outputs[:4]
    ]
    reports = [json.loads(out) for out, _err in outputs[4:]]
    # Each day is added by exactly one process; none is lost, none stored twice.
    assert sum(added_by_executables) + sum(r["added"] for r in reports) == TO_FETCH
    assert check_consistent(cache) == DAYS
    connection = sqlite3.connect(cache)
    try:
        (rows,) = connection.execute("SELECT count(*) FROM fixings").fetchone()
    finally:
        connection.close()
    assert rows == len(DAYS) * CURRENCIES
    # No reader ever saw part of a day; every process finds every day.
    assert all(r["partial"] == 0 and r["reads"] > 0 for r in reports), reports
    assert all(r["usd"] == {d: SERVED[d]["USD"] for d in to_fetch} for r in reports)
    print(
        f"\n8 processes: {requests} requests, {sum(r['reads'] for r in reports)} concurrent reads "
        f"of the whole cache, {TO_FETCH} days ({TO_FETCH * CURRENCIES} rows) added exactly once, "
        f"{rows} rows in all, 0 partial days seen"
    )


# -- a process killed mid-update --------------------------------------------------------------


@needs_spendcalc
def test_an_update_killed_while_it_waits_for_a_day(tmp_path, prefilled):
    cache = tmp_path / "rates.sqlite3"
    shutil.copyfile(prefilled, cache)
    hangs_on = DAYS[FIRST + 3]
    with RatesServer(SERVED) as server:
        server.faults[hangs_on] = "hang"
        process = subprocess.Popen(
            [str(SPENDCALC), "rates", "update", "--source", "forex-python", "--url", server.url, "--timeout", "60",
             "--cache", str(cache)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while not any(hangs_on in r for r in server.requests) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert any(hangs_on in r for r in server.requests), "the update never reached the day"
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=60)
        assert process.returncode == -signal.SIGKILL
        # The next run finds a consistent cache holding the days before the kill...
        assert check_consistent(cache) == DAYS[: FIRST + 3]
        del server.faults[hangs_on]
        rerun = run_spendcalc(
            *live_update(server.url, str(cache)),
        )
        # ... and completes the others.
        assert rerun.code == 0 and rerun.out.startswith(f"added {TO_FETCH - 3} days"), rerun
    assert check_consistent(cache) == DAYS


#: Stores big days (300 currencies each) back to back, printing each day once stored.
WRITER = textwrap.dedent(
    """
    import datetime, sys
    from decimal import Decimal
    from rates.cache import RateCache
    cache = RateCache(sys.argv[1])
    codes = [a + b + c for a in "ABCDEFGHIJ" for b in "KLMNOPQRST" for c in "UVW"]
    day = datetime.date.fromisoformat(sys.argv[2])
    while True:
        per_eur = {code: Decimal(day.toordinal() % 1000 + i) / 1000 for i, code in enumerate(codes)}
        cache.store_day(day, per_eur, "writer")
        print(day.isoformat(), flush=True)
        day += datetime.timedelta(days=1)
    """
)


def test_a_writer_killed_at_random_moments_loses_no_committed_day(tmp_path):
    cache = tmp_path / "rates.sqlite3"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    rng = random.Random(20261123)
    committed: list[str] = []
    kills, caught_between_commit_and_print = 8, 0
    for _ in range(kills):
        start = (dt.date(2030, 1, 1) + dt.timedelta(days=len(committed))).isoformat()
        process = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(cache), start],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )  # fmt: skip
        first = process.stdout.readline()  # it is writing: kill it at a random moment
        time.sleep(rng.uniform(0.0, 0.25))
        process.send_signal(signal.SIGKILL)
        out, err = process.communicate(timeout=60)
        assert process.returncode == -signal.SIGKILL and "Traceback" not in err, err
        printed = [first.strip(), *out.split()]
        connection = sqlite3.connect(f"file:{cache}?mode=ro", uri=True)
        try:
            assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            sizes = dict(
                connection.execute("SELECT day, count(*) FROM fixings GROUP BY day").fetchall()
            )
        finally:
            connection.close()
        # Whole days only; every day reported stored is there; at most the one being written
        # when the kill came is there without having been reported.
        assert set(sizes.values()) == {300}
        assert set(committed + printed) <= set(sizes)
        assert len(sizes) - len(committed) - len(printed) in (0, 1)
        caught_between_commit_and_print += len(sizes) - len(committed) - len(printed)
        committed = sorted(sizes)
    assert RateCache(cache).last_day() == dt.date.fromisoformat(committed[-1])
    print(
        f"\nwriter killed {kills} times at random: {len(committed)} whole days, none lost "
        f"({caught_between_commit_and_print} kills fell between a commit and its report)"
    )


def test_a_special_file_is_never_set_aside(tmp_path):
    """Only a regular file is renamed aside as corrupt: a pipe (or, for root, a device such as
    /dev/zero given as --cache) stays where it is, and the error says to give a file.
    """
    pipe = tmp_path / "rates.sqlite3"
    os.mkfifo(pipe)
    cache = RateCache(pipe)
    with pytest.raises(CacheError, match=r"is not a regular file \(file is not a database\)"):
        cache._rebuild(sqlite3.DatabaseError("file is not a database"), write=True)
    assert [p.name for p in tmp_path.iterdir()] == ["rates.sqlite3"]
