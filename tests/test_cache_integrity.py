"""Nothing bad gets into the rate cache, and nothing bad read back from it is used.

Each probe is a real answer from a server on 127.0.0.1 (or a poisoned row in a real cache file)
put through the CLI as a user would run it: the command ends in one error line (exit 1) or a
correct figure, and nothing bad is stored.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import sqlite3
import string
from decimal import Decimal

import pytest

from calc.cli import main
from rates import RateBook
from rates.cache import RateCache
from rates.codes import ISO_4217
from tests.clock import TODAY
from tests.ratesserver import RatesServer, live_update, plausible_days, stored_days

SNAPSHOT_LAST = dt.date(2026, 10, 30)
SERVED = plausible_days(SNAPSHOT_LAST, TODAY)
FIRST = "2026-11-02"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def body(day: str, rates_json: str) -> bytes:
    """A live answer for `day` whose rates object is `rates_json` exactly as written."""
    return f'{{"base": "EUR", "date": "{day}", "rates": {rates_json}}}'.encode()


def whole_day_with(day: str, **changed: str) -> str:
    """The JSON rates of a served day, with some currencies' numbers written as given."""
    rates = {**SERVED[day], **changed}
    return "{" + ", ".join(f'"{code}": {value}' for code, value in rates.items()) + "}"


INVENTED = [
    "".join(t)
    for t in itertools.product(string.ascii_uppercase, repeat=3)
    if "".join(t) not in ISO_4217
]
PROBES = {
    "tiny": (
        whole_day_with(FIRST, USD="1e-10"),
        r"USD = Decimal\('1E-10'\) is not within a factor of 2",
    ),
    "huge": (
        whole_day_with(FIRST, USD="1e308"),
        r"USD = Decimal\('1E\+308'\) is not between 1e-30 and 1e30",
    ),
    "huge-exponent": (whole_day_with(FIRST, USD="1E-999999999"), r"is not between 1e-30 and 1e30"),
    "500k-digits": (
        whole_day_with(FIRST, USD="1." + "1" * 500_000),
        r"has more than 20 significant digits",
    ),
    "duplicate-key": (whole_day_with(FIRST)[:-1] + ', "USD": 0.5}', r"sent the key 'USD' twice"),
    "invented-codes": (
        whole_day_with(FIRST)[:-1] + ", " + ", ".join(f'"{c}": 1.5' for c in INVENTED) + "}",
        r"'AAA' is not an ISO 4217 currency code; .*; and 17\d\d\d more problems\.$",
    ),
    "non-ascii-code": (whole_day_with(FIRST)[:-1] + ', "ÄÖÜ": 1.5}', r"'ÄÖÜ', not a currency code"),
    "only-xau": ('{"XAU": 0.0004}', r"it lacks AUD, BRL, CAD, .* which 2026-10-30 carried"),
}


@pytest.mark.parametrize("probe", PROBES)
def test_a_bad_live_answer_is_one_error_and_nothing_is_stored(capsys, tmp_path, monkeypatch, probe):
    rates_json, says = PROBES[probe]
    cache = tmp_path / "rates.sqlite3"
    with RatesServer(SERVED) as server:
        monkeypatch.setenv("SPENDCALC_LIVE_URL", server.url)
        server.bodies[FIRST] = body(FIRST, rates_json)
        code, out, err = run(
            capsys, "convert", "€1bn", "--to", "USD", "--on", "2026-11-04", "--online",
            "--cache", str(cache),
        )  # fmt: skip
    assert code == 1 and out == "", (out, err)
    (line,) = err.splitlines()
    assert line.startswith("error: ") and len(line) < 2000
    import re

    assert re.search(says, line), line
    assert stored_days(cache) == {}


@pytest.mark.parametrize(
    ("latest", "says"),
    [
        ("9999-12-31", r"it is dated 9999-12-31, after today \(2026-11-24\)"),
        ("2026-11-25", r"it is dated 2026-11-25, after today \(2026-11-24\)"),
        ("2026-11-22", r"sent the rates of 2026-11-22 when asked for the latest day"),
    ],
    ids=["far-future", "tomorrow", "a-sunday"],
)
def test_a_latest_answer_with_a_bad_date_is_refused_and_the_rest_is_kept(
    capsys, tmp_path, latest, says
):
    cache = tmp_path / "rates.sqlite3"
    with RatesServer(SERVED) as server:
        server.bodies["latest"] = body(latest, whole_day_with(TODAY.isoformat()))
        code, _out, err = run(
            capsys,
            *live_update(server.url, str(cache)),
        )
    import re

    assert code == 1 and re.search(says, err.splitlines()[-1]), err
    days = stored_days(cache)
    assert sorted(days) == sorted(d for d in SERVED if d < TODAY.isoformat())
    assert all(days[d] == SERVED[d] for d in days)


def test_an_online_lookup_leaves_no_hole_for_update_to_skip(capsys, tmp_path, monkeypatch):
    cache = tmp_path / "rates.sqlite3"
    with RatesServer(SERVED) as server:
        monkeypatch.setenv("SPENDCALC_LIVE_URL", server.url)
        code, _out, _err = run(
            capsys, "convert", "£1m", "--to", "USD", "--on", "2026-11-20", "--online",
            "--cache", str(cache),
        )  # fmt: skip
        assert code == 0
        assert sorted(stored_days(cache)) == [d for d in sorted(SERVED) if d <= "2026-11-20"]
        code, _out, _err = run(
            capsys,
            *live_update(server.url, str(cache)),
        )
        assert code == 0
    assert sorted(stored_days(cache)) == sorted(SERVED)
    # A day in the middle is its own fixing, not the one before it.
    book = RateBook(cache=cache)
    rate = book.rate("GBP", "USD", dt.date(2026, 11, 10))
    assert rate.fixing_date == dt.date(2026, 11, 10)
    assert rate.value == Decimal(SERVED["2026-11-10"]["USD"]) / Decimal(SERVED["2026-11-10"]["GBP"])


def test_report_figures_do_not_depend_on_the_order_of_rows(capsys, tmp_path, monkeypatch):
    rows = [("A", "GB", "£1bn", "2026-11-20"), ("B", "JP", "¥100bn", "2026-11-05")]
    outputs = []
    for order in (rows, rows[::-1]):
        cache = tmp_path / f"cache-{len(outputs)}.sqlite3"
        path = tmp_path / f"p{len(outputs)}.csv"
        path.write_text(
            "company,country,amount,announced\n" + "".join(",".join(r) + "\n" for r in order),
            encoding="utf-8",
        )
        with RatesServer(SERVED) as server:
            monkeypatch.setenv("SPENDCALC_LIVE_URL", server.url)
            code, out, _err = run(
                capsys, "report", str(path), "--online", "--cache", str(cache), "--format", "json"
            )
        assert code == 0
        report = json.loads(out)
        outputs.append(sorted((c["country"], c["total"]["amount"]) for c in report["countries"]))
    assert outputs[0] == outputs[1]


POISON = {
    "negative": (
        "UPDATE fixings SET per_eur = '-1.1172' WHERE currency = 'USD'",
        r"USD = '-1.1172' is not a decimal number",
    ),
    "zero": (
        "UPDATE fixings SET per_eur = '0' WHERE currency = 'USD'",
        r"USD = '0' is not between",
    ),
    "nan": (
        "UPDATE fixings SET per_eur = 'NaN' WHERE currency = 'USD'",
        r"USD = 'NaN' is not a decimal number",
    ),
    "text": (
        "UPDATE fixings SET per_eur = 'lots' WHERE currency = 'USD'",
        r"USD = 'lots' is not a decimal number",
    ),
    "bad-date": ("UPDATE fixings SET day = '2026-13-45'", r"its date '2026-13-45' is not a date"),
    "lower-case-code": (
        "UPDATE fixings SET currency = 'usd' WHERE currency = 'USD'",
        r"'usd' is not a currency code",
    ),
}


@pytest.mark.parametrize("poison", POISON)
def test_a_poisoned_cached_row_is_never_used(capsys, tmp_path, poison):
    statement, says = POISON[poison]
    cache = tmp_path / "rates.sqlite3"
    store = RateCache(cache)
    store.store_day(dt.date(2026, 11, 2), {c: Decimal(v) for c, v in SERVED[FIRST].items()}, "test")
    with sqlite3.connect(cache) as connection:
        connection.execute(statement)
    import re

    code, out, err = run(
        capsys, "convert", "€1bn", "--to", "USD", "--on", "2026-11-02", "--cache", str(cache)
    )
    # The bundled 2026-10-30 fixing is used instead, and said to be stale or not the day asked.
    expected = Decimal("1000000000") * Decimal("1.1172")
    assert code == 0 and f"${expected:,.2f}" in out and "-$" not in out, (out, err)
    warning = [line for line in err.splitlines() if "are not used" in line]
    assert len(warning) == 1 and re.search(says, warning[0]), err


def test_another_programs_sqlite_file_is_never_renamed_or_changed(capsys, tmp_path):
    other = tmp_path / "other_app.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
        connection.execute("INSERT INTO notes (text) VALUES ('keep me')")
    before = other.read_bytes()
    code, out, err = run(
        capsys, "convert", "€1bn", "--to", "USD", "--on", "2026-11-02", "--cache", str(other)
    )
    assert code == 0 and "$1,117,200,000.00" in out  # read-only: the bundled rates serve it
    assert "not a spendcalc-rate-cache file" in err and str(other) in err and err.count("\n") == 1
    code, out, err = run(
        capsys,
        "rates",
        "update",
        "--source",
        "forex-python",
        "--cache",
        str(other),
        "--url",
        "http://127.0.0.1:9/",
    )
    *warnings, error = err.splitlines()
    assert code == 1 and len(warnings) <= 1 and error.startswith("error: ")
    assert "spendcalc leaves it as it is" in error and str(other) in error
    assert other.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other_app.db"]


def test_a_cache_locked_for_a_minute_is_waited_for_a_few_seconds_then_named(
    capsys, tmp_path, monkeypatch
):
    import threading
    import time

    import rates.cache

    # The bound is 8 s; the test holds the lock for 60 s but makes the bound 1 s, to stay quick.
    monkeypatch.setattr(rates.cache, "LOCK_WAIT_S", 1.0)
    monkeypatch.setattr(rates.cache, "BUSY_TIMEOUT_S", 0.5)

    cache = tmp_path / "rates.sqlite3"
    RateCache(cache).store_day(
        dt.date(2026, 11, 2), {c: Decimal(v) for c, v in SERVED[FIRST].items()}, "test"
    )
    holder = sqlite3.connect(cache, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # held for 60 s unless the test ends first
    release = threading.Timer(60, holder.rollback)
    release.start()
    try:
        started = time.monotonic()
        with RatesServer(SERVED) as server:
            code, out, err = run(
                capsys,
                "rates",
                "update",
                "--source",
                "forex-python",
                "--cache",
                str(cache),
                "--url",
                server.url,
            )
        waited = time.monotonic() - started
    finally:
        release.cancel()
        holder.rollback()
        holder.close()
    assert code == 1 and out == ""
    line = err.splitlines()[-1]
    assert line.startswith("error: ") and "is locked by another process (waited 1 s)" in line, err
    assert str(cache) in line
    assert waited < 1 + 0.5 + 5  # the bound, the busy wait it may end inside, a loaded machine


# -- the ECB's own file ---------------------------------------------------------------------

SHARED_ZIP = (
    __import__("tests.conftest", fromlist=["ROOT"]).ROOT.parent
    / "shared"
    / "data"
    / "ecb"
    / "eurofxref-hist.zip"
)


def ecb_zip(after: dict[str, dict[str, str]]) -> bytes:
    """The shared ECB file with `after`'s days added on top, newest first, as the ECB writes it."""
    import io
    import zipfile

    from rates.ecbfile import read_zip

    text = read_zip(SHARED_ZIP.read_bytes())
    header, *rows = text.splitlines()
    codes = header.rstrip(",").split(",")[1:]
    added = [
        ",".join([day] + [after[day].get(code, "N/A") for code in codes]) + ","
        for day in sorted(after, reverse=True)
    ]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("eurofxref-hist.csv", "\n".join([header, *added, *rows]) + "\n")
    return out.getvalue()


@pytest.fixture
def ecb_server():
    from tests.test_ecbfile import FileServer

    server = FileServer()
    yield server
    server.close()


def test_rates_update_takes_the_days_after_the_snapshot_from_the_ecb_file(ecb_server, tmp_path):
    from rates import update_from_ecb

    later = {d: v for d, v in SERVED.items() if d <= "2026-11-20"}
    ecb_server.routes["/stats/eurofxref-hist.zip"] = (200, {}, ecb_zip(later))
    cache = tmp_path / "rates.sqlite3"
    book = RateBook(cache=cache)
    assert update_from_ecb(book, url=ecb_server.url, timeout=10) == len(later)
    days = stored_days(cache)
    assert days == later
    rate = RateBook(cache=cache).rate("GBP", "USD", dt.date(2026, 11, 20))
    assert rate.source == f"ECB reference rates (ECB file, fetched {TODAY})"
    assert update_from_ecb(RateBook(cache=cache), url=ecb_server.url, timeout=10) == 0


def test_an_ecb_file_with_one_bad_row_adds_nothing_and_names_the_row(ecb_server, tmp_path):
    from rates import update_from_ecb
    from rates.errors import RateSourceError

    later = {d: dict(v) for d, v in SERVED.items() if d <= "2026-11-20"}
    later["2026-11-12"]["USD"] = "0.0001"
    ecb_server.routes["/stats/eurofxref-hist.zip"] = (200, {}, ecb_zip(later))
    cache = tmp_path / "rates.sqlite3"
    with pytest.raises(
        RateSourceError,
        match=r"has a bad row '2026-11-12', so nothing was stored: .*USD = Decimal\('0.0001'\) is not within a factor of 2",
    ):
        update_from_ecb(RateBook(cache=cache), url=ecb_server.url, timeout=10)
    assert stored_days(cache) == {}


def test_rates_check_lists_the_poisoned_days_and_repair_removes_only_those(tmp_path):
    from rates import check_cache

    cache = tmp_path / "rates.sqlite3"
    store = RateCache(cache)
    for day in ("2026-11-02", "2026-11-03", "2026-11-04"):
        store.store_day(
            dt.date.fromisoformat(day), {c: Decimal(v) for c, v in SERVED[day].items()}, "test"
        )
    with sqlite3.connect(cache) as connection:
        connection.execute(
            "UPDATE fixings SET per_eur = '-1' WHERE day = '2026-11-03' AND currency = 'JPY'"
        )
    with pytest.warns(match="2026-11-03 are not used"):
        found = check_cache(RateBook(cache=cache))
    assert [day for day, _why in found] == ["2026-11-03"]
    assert "JPY = '-1' is not a decimal number" in found[0][1]
    with pytest.warns(match="are not used"):
        check_cache(RateBook(cache=cache), repair=True)
    assert sorted(stored_days(cache)) == ["2026-11-02", "2026-11-04"]
    assert check_cache(RateBook(cache=cache)) == []


def test_the_cli_updates_from_the_ecb_file_by_default(capsys, ecb_server, tmp_path):
    later = {d: v for d, v in SERVED.items() if d <= "2026-11-20"}
    ecb_server.routes["/stats/eurofxref-hist.zip"] = (200, {}, ecb_zip(later))
    cache = tmp_path / "rates.sqlite3"
    code, out, err = run(capsys, "rates", "update", "--url", ecb_server.url, "--cache", str(cache))
    assert code == 0, err
    assert (
        out
        == f"added {len(later)} days of rates to {cache}; rates now run from 1999-01-04 to 2026-11-20\n"
    )
    assert stored_days(cache) == later
    code, out, err = run(capsys, "rates", "update", "--url", ecb_server.url, "--cache", str(cache))
    assert code == 0 and out.startswith("added 0 days") and "already up to date" in out
    code, out, _err = run(
        capsys, "convert", "£1m", "--to", "USD", "--on", "2026-11-20", "--cache", str(cache)
    )
    assert code == 0 and f"ECB reference rates (ECB file, fetched {TODAY})" in out


def test_the_cli_refuses_an_ecb_file_with_a_bad_row_in_one_line(capsys, ecb_server, tmp_path):
    later = {d: dict(v) for d, v in SERVED.items() if d <= "2026-11-20"}
    later["2026-11-12"]["USD"] = "0.0001"
    ecb_server.routes["/stats/eurofxref-hist.zip"] = (200, {}, ecb_zip(later))
    cache = tmp_path / "rates.sqlite3"
    code, out, err = run(capsys, "rates", "update", "--url", ecb_server.url, "--cache", str(cache))
    assert code == 1 and out == ""
    (line,) = err.splitlines()
    assert (
        line.startswith("error: The ECB file at ")
        and "bad row '2026-11-12', so nothing was stored" in line
    )
    assert stored_days(cache) == {}


def test_rates_check_on_the_cli_lists_then_repairs(capsys, tmp_path):
    cache = tmp_path / "rates.sqlite3"
    store = RateCache(cache)
    for day in ("2026-11-02", "2026-11-03"):
        store.store_day(
            dt.date.fromisoformat(day), {c: Decimal(v) for c, v in SERVED[day].items()}, "test"
        )
    with sqlite3.connect(cache) as connection:
        connection.execute(
            "UPDATE fixings SET per_eur = 'NaN' WHERE day = '2026-11-03' AND currency = 'USD'"
        )
    code, out, err = run(capsys, "rates", "check", "--cache", str(cache))
    assert code == 1 and err == ""
    assert out.splitlines() == [
        "2026-11-03: USD = 'NaN' is not a decimal number",
        f"found 1 bad day in {cache}; `spendcalc rates check --repair` removes them",
    ]
    code, out, _err = run(capsys, "rates", "check", "--repair", "--cache", str(cache))
    assert code == 0 and out.splitlines()[-1] == f"removed 1 bad day in {cache}"
    code, out, _err = run(capsys, "rates", "check", "--cache", str(cache))
    assert code == 0 and out == f"every cached day in {cache} passes the checks\n"
    assert sorted(stored_days(cache)) == ["2026-11-02"]


def test_a_latest_answer_dated_a_sunday_after_the_last_day_is_refused(
    capsys, tmp_path, monkeypatch
):
    from tests.clock import set_today

    set_today(monkeypatch, dt.date(2026, 11, 23))  # a Monday: the latest is asked for today
    cache = tmp_path / "rates.sqlite3"
    with RatesServer(SERVED) as server:
        server.bodies["latest"] = body("2026-11-22", whole_day_with("2026-11-23"))
        code, _out, err = run(
            capsys, *live_update(server.url, str(cache)),
        )  # fmt: skip
    assert code == 1
    assert "it is dated 2026-11-22 (Sunday), which is not a TARGET business day" in err
    assert max(stored_days(cache)) == "2026-11-20"  # the week's days stay fetchable


def test_timeout_bounds_the_whole_update_not_each_request(capsys, tmp_path):
    import time

    cache = tmp_path / "rates.sqlite3"
    with RatesServer(SERVED) as server:
        server.delay = 0.3  # each answer is quick, but 17 of them take 5 s
        started = time.monotonic()
        code, out, err = run(
            capsys, "rates", "update", "--source", "forex-python", "--url", server.url,
            "--timeout", "1", "--cache", str(cache),
        )  # fmt: skip
        waited = time.monotonic() - started
    assert code == 1 and out == ""
    assert "did not answer for" in err.splitlines()[-1] and "within 1 s" in err, err
    assert waited < 1 + 5  # the bound, and room for a loaded machine
    assert 0 < len(stored_days(cache)) < len(SERVED)  # the days it finished stay stored
