"""Every fault of the live source, through ``RateBook.update`` and the real ``spendcalc rates update``.

The faults are the 13 of :data:`tests.ratesserver.FAULTS` (HTTP 500 and 429, a server that
accepts and never answers, half a body, malformed JSON, JSON that is not an object, the wrong
date, the wrong base, no rates, a rate that is null, zero, negative or text) plus a refused
connection. Each hits an update in one of three places:

- ``first``: the first day to fetch. The cache already holds earlier days; afterwards it is the
  same file, byte for byte.
- ``later``: a day after three good ones. The cache holds exactly the days before the fault,
  each whole (every currency), with the values the server sent.
- ``today``: today's fetch, which asks for the latest fixing (``RateBook.update`` takes a latest
  fixing older than today as "not published yet"). The cache holds every day before today.

A refused connection can only be the first fault of a run (nothing listens at all).

Through the library the failure must be one :class:`~rates.UpdateInterruptedError`. Through the
executable (``--timeout 1``) it must be exit 1, nothing on stdout, one ``error:`` line on stderr
after the progress lines, no traceback. Time is asserted only for the hung server, where the
timeout is the behaviour: within the timeout + room for a loaded machine (+ the process start-up,
measured apart as the slowest of three ``spendcalc --help`` runs, for the executable).
Afterwards an update without the fault completes the remaining days.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

import pytest

from rates import LiveSource, RateBook, UpdateInterruptedError
from rates.cache import RateCache
from rates.calendar import is_business_day
from tests.clock import TODAY
from tests.ratesserver import (
    FAULTS,
    LOADED_SLACK,
    RatesServer,
    closed_port_url,
    plausible_days,
    stored_days,
)
from tests.test_cli_executable import needs_spendcalc, run_spendcalc

SNAPSHOT_LAST = dt.date(2026, 10, 30)
TIMEOUT = 1.0
PLACES = ("first", "later", "today")
CASES = [(fault, place) for fault in FAULTS for place in PLACES] + [("refused", "first")]
PROGRESS = re.compile(r"fetching \d+/\d+: \d{4}-\d\d-\d\d")
#: Elapsed seconds of each run, for the figures printed at the end.
ELAPSED: dict[str, dict[tuple[str, str], float]] = {"library": {}, "executable": {}}
STARTUP: list[float] = []
#: What each error must say (after "Update stopped at DAY after adding N days ...: "); {day}
#: is the date asked for, or "the latest day" for today's fetch.
WHY = {
    "http-500": r"answered HTTP 500 for {day}\.",
    "http-429": r"answered HTTP 429 for {day}; it asks to slow down, try again later\.",
    "hang": r"did not answer for {day} within 1 s; try again later or work offline\.",
    "half-body": r"broke off its answer for {day} before the end \(the connection closed",
    "malformed-json": r"sent a body that is not valid JSON for {day}\.",
    "not-an-object": r"sent JSON that is not an object for {day}\.",
    "wrong-date": r"sent the rates of 2001-01-02 when asked for {day}",
    "wrong-base": r"sent rates against 'USD', not EUR, for {day}\.",
    "no-rates": r"sent no rates for {day}\.",
    "rate-null": r"sent no rate for USD \(null\) for {day}\.",
    "rate-zero": r"sent USD = 0, not a positive rate, for {day}\.",
    "rate-negative": r"sent USD = Decimal\('-1\.5'\), not a positive rate, for {day}\.",
    "rate-text": r"sent USD = '1\.1', not a number, for {day}\.",
    "refused": r"refused the connection \({day}\); check the URL or work offline\.",
}


def says_why(message: str, fault: str, day: str, today: dt.date) -> bool:
    """Whether ``message`` names the live source and says what it did wrong, for ``day``."""
    label = "the latest day" if day == today.isoformat() else day
    pattern = r"The live source 'http://127\.0\.0\.1:\d+/api/' " + WHY[fault].format(day=label)
    return re.search(pattern, message) is not None


@pytest.fixture(scope="module", autouse=True)
def figures():  # type: ignore[no-untyped-def]
    """Print what the fault tests measured once they are done (run with -s to see it)."""
    yield
    startup = STARTUP[-1] if STARTUP else 0.0
    for path, runs in ELAPSED.items():
        if runs:
            worst = max(runs, key=runs.__getitem__)
            bound = TIMEOUT + LOADED_SLACK + (startup if path == "executable" else 0.0)
            print(
                f"\nlive faults via {path}: {len(runs)} runs; slowest {worst} "
                f"{runs[worst]:.2f} s, bound {bound:.2f} s (start-up {startup:.2f} s)"
            )


def stored(path: Path) -> dict[str, dict[str, str]]:
    """The cache's rows as {day: {currency: per_eur}}; {} if there is no file."""
    return stored_days(path)


def prefill(path: Path, served: dict[str, dict[str, str]], days: list[str]) -> None:
    """Store ``days`` of ``served`` in the cache at ``path``, one transaction each."""
    cache = RateCache(path)
    for day in days:
        per_eur = {code: Decimal(value) for code, value in served[day].items()}
        assert cache.store_day(dt.date.fromisoformat(day), per_eur, "forex-python live")


def fault_day(days: list[str], first: int, place: str) -> str:
    """The day the fault hits: the first to fetch, three later, or the last (today)."""
    return {"first": days[first], "later": days[first + 3], "today": days[-1]}[place]


def assert_holds_exactly(path: Path, served: dict[str, dict[str, str]], days: list[str]) -> None:
    """The cache holds ``days``, each whole and as served, and nothing else."""
    assert stored(path) == {day: served[day] for day in days}


# -- through the library, with a fixed today --------------------------------------------------

LIB_TODAY = dt.date(2026, 11, 13)  # a Friday: 10 business days after the snapshot
LIB_SERVED = plausible_days(SNAPSHOT_LAST, LIB_TODAY)
LIB_DAYS = sorted(LIB_SERVED)
LIB_FIRST = 3  # the cache holds the first three days before each run


@pytest.mark.parametrize(
    ("fault", "place"),
    CASES,
)
def test_library_update_fault(tmp_path, fault, place):
    cache = tmp_path / "rates.sqlite3"
    prefill(cache, LIB_SERVED, LIB_DAYS[:LIB_FIRST])
    before = cache.read_bytes()
    day = fault_day(LIB_DAYS, LIB_FIRST, place)
    with RatesServer(LIB_SERVED) as server:
        url = closed_port_url() if fault == "refused" else server.url
        server.faults[day] = fault
        book = RateBook(cache=cache, live=LiveSource(url=url, timeout=TIMEOUT), today=LIB_TODAY)
        started = time.monotonic()
        with pytest.raises(UpdateInterruptedError) as caught:
            book.update()
        elapsed = time.monotonic() - started
        ELAPSED["library"][fault, place] = elapsed
        if fault == "hang":  # the one case where the time is the behaviour under test
            assert elapsed < TIMEOUT + LOADED_SLACK
        message = str(caught.value)
        assert "\n" not in message and message.startswith(f"Update stopped at {day} after adding")
        assert message.endswith("Run the update again to go on.")
        assert says_why(message, fault, day, LIB_TODAY), message
        done = LIB_DAYS[: LIB_DAYS.index(day)]
        assert caught.value.added == len(done) - LIB_FIRST
        assert caught.value.last_stored == dt.date.fromisoformat(done[-1])
        if place == "first":
            assert cache.read_bytes() == before
        assert_holds_exactly(cache, LIB_SERVED, done)
        # Nothing is lost and nothing is fetched twice: the next run does the rest.
        del server.faults[day]
        again = RateBook(cache=cache, live=LiveSource(url=server.url, timeout=5), today=LIB_TODAY)
        assert again.update() == len(LIB_DAYS) - len(done)
        assert_holds_exactly(cache, LIB_SERVED, LIB_DAYS)


# -- through the spendcalc executable, today set by the clock seam ---------------------------------

EXE_TODAY = TODAY  # a business day, so that today's fetch is always among the cases
EXE_SERVED = plausible_days(SNAPSHOT_LAST, EXE_TODAY)
EXE_DAYS = sorted(EXE_SERVED)
#: How many days each run has left to fetch: the cache holds the rest, so that a run takes the
#: same time however long after the snapshot the suite runs.
EXE_TO_FETCH = 6
EXE_FIRST = len(EXE_DAYS) - EXE_TO_FETCH


@pytest.fixture(scope="module")
def startup() -> float:
    """Seconds the executable takes to start and exit: the slowest of three ``--help`` runs."""
    runs = [run_spendcalc("--help") for _ in range(3)]
    assert all(r.code == 0 and "usage: spendcalc" in r.out for r in runs)
    STARTUP.append(max(r.elapsed for r in runs))
    return STARTUP[-1]


@pytest.fixture(scope="module")
def prefilled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache holding every day to fetch but the last :data:`EXE_TO_FETCH`."""
    path = tmp_path_factory.mktemp("prefilled") / "rates.sqlite3"
    prefill(path, EXE_SERVED, EXE_DAYS[:EXE_FIRST])
    return path


EXE_CASES = CASES


@pytest.fixture(scope="module")
def exe_runs(tmp_path_factory, prefilled, startup):  # type: ignore[no-untyped-def]
    """Every fault through ``spendcalc rates update`` (each with its own server and its own copy
    of the prefilled cache): {(fault, place): (run, cache, day, before)}.
    """
    directories = {case: tmp_path_factory.mktemp("-".join(case)) for case in EXE_CASES}

    def one(case: tuple[str, str]) -> tuple[object, Path, str, bytes]:
        fault, place = case
        cache = directories[case] / "rates.sqlite3"
        shutil.copyfile(prefilled, cache)
        before = cache.read_bytes()
        day = fault_day(EXE_DAYS, EXE_FIRST, place)
        with RatesServer(EXE_SERVED) as server:
            url = closed_port_url() if fault == "refused" else server.url
            server.faults[day] = fault
            run = run_spendcalc(
                "rates",
                "update",
                "--source",
                "forex-python",
                "--url",
                url,
                "--timeout",
                str(TIMEOUT),
                "--cache",
                str(cache),
            )
        return run, cache, day, before

    # Two at a time, but the hangs alone: their time is measured against the tightest bound.
    quick = [case for case in EXE_CASES if case[0] != "hang"]
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {case: pool.submit(one, case) for case in quick}
        runs = {case: future.result() for case, future in futures.items()}
    runs.update((case, one(case)) for case in EXE_CASES if case[0] == "hang")
    return runs


@needs_spendcalc
@pytest.mark.parametrize(
    ("fault", "place"),
    CASES,
)
def test_spendcalc_rates_update_fault(exe_runs, startup, fault, place):
    assert is_business_day(EXE_TODAY) and len(EXE_DAYS) >= EXE_TO_FETCH
    run, cache, day, before = exe_runs[fault, place]
    ELAPSED["executable"][fault, place] = run.elapsed
    assert run.code == 1 and run.out == "", run
    assert "Traceback" not in run.err and "internal error" not in run.err, run.err
    *progress, error = run.lines
    assert all(PROGRESS.fullmatch(line) for line in progress), run.lines
    assert error.startswith(f"error: Update stopped at {day} after adding "), error
    assert says_why(error, fault, day, EXE_TODAY), error
    if fault == "hang":
        assert run.elapsed < TIMEOUT + LOADED_SLACK + startup, (run.elapsed, startup)
    done = EXE_DAYS[: EXE_DAYS.index(day)]
    assert len(progress) == len(done) - EXE_FIRST
    if place == "first":
        assert cache.read_bytes() == before
        assert sorted(p.name for p in cache.parent.iterdir()) == ["rates.sqlite3"]
    assert_holds_exactly(cache, EXE_SERVED, done)
    # The next update (the same code, in this process) completes the remaining days.
    with RatesServer(EXE_SERVED) as server:
        book = RateBook(cache=cache, live=LiveSource(url=server.url, timeout=5), today=EXE_TODAY)
        assert book.update() == len(EXE_DAYS) - len(done)
    assert_holds_exactly(cache, EXE_SERVED, EXE_DAYS)
