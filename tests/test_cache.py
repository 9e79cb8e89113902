"""The SQLite cache and the online paths: round trip, update, faults, corruption, concurrency."""

import contextlib
import datetime as dt
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

from rates import (
    CacheError,
    LiveSource,
    RateBook,
    RateCacheWarning,
    RateSourceError,
    UpdateInterruptedError,
)
from rates.cache import RateCache
from tests.conftest import LIVE_DAYS, LIVE_TODAY, ROOT

D = dt.date


def online_book(cache_path, server, today=LIVE_TODAY):
    return RateBook(
        cache=cache_path, online=True, live=LiveSource(url=server.url, timeout=2), today=today
    )


#: Every currency a served day carries (EUR aside).
CURRENCIES_A_DAY = len(next(iter(LIVE_DAYS.values())))


def cached_rows(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as connection:
        return connection.execute(
            "SELECT day, currency, per_eur FROM fixings ORDER BY 1, 2"
        ).fetchall()


def test_round_trip(cache_path):
    cache = RateCache(cache_path)
    assert cache.days() == {} and not cache_path.exists()
    assert cache.store_day(D(2026, 11, 2), {"USD": Decimal("1.1190")}, "test")
    assert not cache.store_day(D(2026, 11, 2), {"USD": Decimal("1.1190")}, "test")  # stored once
    assert cache.days() == {"2026-11-02": ({"USD": "1.1190"}, "test")}
    assert cache.last_day() == D(2026, 11, 2)


def test_online_lookup_fetches_caches_and_is_used_offline_later(cache_path, rates_server):
    rate = online_book(cache_path, rates_server).rate("GBP", "USD", D(2026, 11, 4))
    assert rate.value == Decimal("1.1187") / Decimal("0.8339")
    assert (rate.fixing_date, rate.source, rate.stale) == (
        D(2026, 11, 4),
        "forex-python live",
        False,
    )
    # Every business day from the last fixing to the one asked for: no hole is left behind.
    assert rates_server.requests == [f"/api/2026-11-0{day}?base=EUR&rtype=fpy" for day in (2, 3, 4)]
    offline = RateBook(cache=cache_path, today=LIVE_TODAY)
    again = offline.rate("GBP", "USD", D(2026, 11, 4))
    assert again.value == rate.value and again.source == "forex-python live"
    assert offline.rate("GBP", "USD", D(2026, 11, 3)).fixing_date == D(2026, 11, 3)
    assert len(rates_server.requests) == 3
    assert offline.rate("GBP", "USD", D(2023, 11, 30)).source == "ECB reference rates (bundled)"


def test_online_weekend_asks_for_the_friday(cache_path, rates_server):
    book = online_book(cache_path, rates_server, today=D(2026, 11, 9))
    rate = book.rate("EUR", "JPY", D(2026, 11, 8))
    assert rate.fixing_date == D(2026, 11, 6) and rate.value == Decimal("175.11")
    assert rates_server.requests[-1] == "/api/2026-11-06?base=EUR&rtype=fpy"
    assert len(rates_server.requests) == 5  # and the days before it, so that none is missing


def test_update_fetches_each_business_day_once(cache_path, rates_server):
    seen = []
    book = online_book(cache_path, rates_server)
    assert book.update(progress=lambda day, done, total: seen.append((day, done, total))) == 5
    assert [s[0] for s in seen] == [D.fromisoformat(d) for d in LIVE_DAYS]
    assert seen[-1][1:] == (5, 5)
    assert len(cached_rows(cache_path)) == 5 * CURRENCIES_A_DAY
    assert book.last_fixing == D(2026, 11, 6)
    assert online_book(cache_path, rates_server).update() == 0
    assert len(rates_server.requests) == 5


def test_update_interrupted_keeps_the_days_stored_and_says_how_far(cache_path, rates_server):
    rates_server.faults["2026-11-04"] = "http-500"
    with pytest.raises(
        UpdateInterruptedError,
        match=r"stopped at 2026-11-04 after adding 2 days \(rates now end on 2026-11-03\): .*HTTP 500",
    ) as caught:
        online_book(cache_path, rates_server).update()
    assert caught.value.added == 2 and caught.value.last_stored == D(2026, 11, 3)
    assert sorted({row[0] for row in cached_rows(cache_path)}) == ["2026-11-02", "2026-11-03"]
    del rates_server.faults["2026-11-04"]
    assert online_book(cache_path, rates_server).update() == 3


@pytest.mark.parametrize(
    "fault", ["hang", "malformed-json", "wrong-date", "rate-zero", "half-body"]
)
def test_a_failed_online_lookup_leaves_the_cache_byte_for_byte(cache_path, rates_server, fault):
    online_book(cache_path, rates_server).update(until=D(2026, 11, 3))
    before = cache_path.read_bytes()
    rates_server.faults["2026-11-04"] = fault
    with pytest.raises(RateSourceError):
        RateBook(
            cache=cache_path,
            online=True,
            live=LiveSource(url=rates_server.url, timeout=1),
            today=LIVE_TODAY,
        ).rate("GBP", "USD", D(2026, 11, 4))
    assert cache_path.read_bytes() == before


@pytest.mark.parametrize(
    "garbage",
    [os.urandom(4096), b"SQLite format 3\x00" + b"\x00" * 50],
    ids=["random-bytes", "truncated"],
)
def test_a_corrupt_cache_is_set_aside_and_rebuilt(cache_path, rates_server, garbage):
    cache_path.parent.mkdir(parents=True)
    cache_path.write_bytes(garbage)
    book = online_book(cache_path, rates_server)
    with pytest.warns(RateCacheWarning, match="moved to"):
        assert book.update() == 5
    asides = [p for p in cache_path.parent.iterdir() if ".corrupt-" in p.name]
    assert len(asides) == 1 and asides[0].read_bytes() == garbage
    assert len(cached_rows(cache_path)) == 5 * CURRENCIES_A_DAY


def test_an_empty_file_is_an_empty_cache(cache_path, rates_server, recwarn):
    cache_path.parent.mkdir(parents=True)
    cache_path.write_bytes(b"")
    assert online_book(cache_path, rates_server).update() == 5
    assert len(cached_rows(cache_path)) == 5 * CURRENCIES_A_DAY
    assert not [w for w in recwarn if issubclass(w.category, RateCacheWarning)]


def test_a_sqlite_file_of_another_schema_is_never_renamed_or_written(cache_path, rates_server):
    cache_path.parent.mkdir(parents=True)
    with sqlite3.connect(cache_path) as connection:
        connection.execute("CREATE TABLE notes (text TEXT)")
        connection.execute("INSERT INTO notes VALUES ('mine')")
    connection.close()
    original = cache_path.read_bytes()
    with pytest.raises(CacheError, match="is an SQLite database but not a spendcalc cache"):
        online_book(cache_path, rates_server).update()
    assert cache_path.read_bytes() == original
    assert [p.name for p in cache_path.parent.iterdir()] == [cache_path.name]


@contextlib.contextmanager
def read_only(directory: Path):
    """Make ``directory`` unwritable, for root too (the immutable flag), or skip saying why."""
    if os.geteuid() != 0:
        directory.chmod(0o555)
        try:
            yield
        finally:
            directory.chmod(0o755)
        return
    if shutil.which("chattr") is None:
        pytest.skip("running as root without chattr: cannot make a directory read-only")
    made = subprocess.run(["chattr", "+i", str(directory)], capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"running as root and chattr +i failed: {made.stderr.strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(directory)], check=True)


@pytest.mark.parametrize("with_existing_cache", [False, True])
def test_a_read_only_directory_still_serves_offline_lookups(
    tmp_path, rates_server, with_existing_cache, recwarn
):
    directory = tmp_path / "ro"
    directory.mkdir()
    path = directory / "rates.sqlite3"
    if with_existing_cache:
        online_book(path, rates_server).update(until=D(2026, 11, 3))
    with read_only(directory):
        with pytest.raises(OSError):
            (directory / "probe").write_text("x")
        book = RateBook(cache=path, today=LIVE_TODAY)
        assert book.rate("GBP", "USD", D(2023, 11, 30)).fixing_date == D(2023, 11, 30)
        assert book.last_fixing == (D(2026, 11, 3) if with_existing_cache else D(2026, 10, 30))
        with pytest.raises(
            CacheError, match=r"Cannot write 2026-11-04 to the cache|cannot be used"
        ):
            book.cache.store_day(D(2026, 11, 4), {"USD": Decimal(1)}, "t")
    assert not [w for w in recwarn if issubclass(w.category, RateCacheWarning)]


def test_an_unwritable_cache_path_still_serves_offline_lookups(tmp_path, rates_server):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    path = blocker / "rates.sqlite3"  # its parent is a file: nothing can be created there
    book = RateBook(cache=path, today=LIVE_TODAY)
    assert book.rate("GBP", "USD", D(2023, 11, 30)).value == Decimal("1.0931") / Decimal("0.86368")
    with pytest.raises(CacheError, match="Cannot create the cache directory"):
        book.cache.store_day(D(2026, 11, 2), {"USD": Decimal(1)}, "t")
    online = RateBook(
        cache=path, online=True, live=LiveSource(url=rates_server.url), today=LIVE_TODAY
    )
    with pytest.warns(UserWarning, match="used for this run only"):
        rate = online.rate("EUR", "USD", D(2026, 11, 2))
    assert rate.value == Decimal("1.1190")


def test_update_without_a_cache_is_refused():
    with pytest.raises(CacheError, match="no cache to update"):
        RateBook(cache=None).update()


WORKER = textwrap.dedent(
    """
    import datetime, sys
    from rates import RateBook, LiveSource
    path, url, mode = sys.argv[1:4]
    book = RateBook(cache=path, online=True, live=LiveSource(url=url, timeout=10),
                    today=datetime.date(2026, 11, 6))
    if mode == "update":
        book.update()
    for day in range(2, 7):
        RateBook(cache=path, today=datetime.date(2026, 11, 6)).rate("GBP", "USD", datetime.date(2026, 11, day))
    print("ok")
    """
)


def test_processes_updating_and_reading_at_once_lose_nothing(cache_path, rates_server):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(cache_path), rates_server.url, "update"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(4)
    ]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, [r[1] for r in results]
    assert all(out.strip() == "ok" and "locked" not in err for out, err in results)
    rows = cached_rows(cache_path)
    assert len(rows) == len(set(rows)) == 5 * CURRENCIES_A_DAY


def test_online_today_before_publication_uses_the_latest_fixing(cache_path, rates_server):
    """On a day whose fixing is not out yet, an online lookup asks for the latest day."""
    book = online_book(cache_path, rates_server, today=D(2026, 11, 9))  # a Monday, not served
    rate = book.rate("GBP", "USD", D(2026, 11, 9))
    assert rates_server.requests == ["/api/latest?base=EUR&rtype=fpy"]
    assert rate.fixing_date == D(2026, 11, 6) and rate.source == "forex-python live"
