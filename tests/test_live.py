"""The live source through real HTTP to a server on 127.0.0.1, faults included."""

import datetime as dt
import time
from decimal import Decimal

import pytest

from rates import LiveSource, RateSourceError
from tests.ratesserver import FAULTS, LOADED_SLACK, closed_port_url

D = dt.date


def test_fetch_a_day(rates_server):
    day = LiveSource(url=rates_server.url, timeout=5).fetch_day(D(2026, 11, 3))
    assert day.day == D(2026, 11, 3)
    assert day.per_eur["USD"] == Decimal("1.1201") and day.per_eur["GBP"] == Decimal("0.83455")
    assert day.source == "forex-python live"
    assert rates_server.requests == ["/api/2026-11-03?base=EUR&rtype=fpy"]


def test_fetch_latest(rates_server):
    assert LiveSource(url=rates_server.url).fetch_day(None).day == D(2026, 11, 6)


def test_url_from_the_environment(rates_server, monkeypatch):
    monkeypatch.setenv("SPENDCALC_LIVE_URL", rates_server.url)
    assert LiveSource().url == rates_server.url
    assert LiveSource().fetch_day(D(2026, 11, 2)).per_eur["JPY"] == Decimal("176.02")


EXPECTED = {
    "http-500": r"answered HTTP 500 for 2026-11-03\.",
    "http-429": r"answered HTTP 429 for 2026-11-03; it asks to slow down",
    "hang": r"did not answer for 2026-11-03 within 1 s",
    "half-body": r"2026-11-03",
    "malformed-json": r"sent a body that is not valid JSON for 2026-11-03\.",
    "not-an-object": r"sent JSON that is not an object",
    "wrong-date": r"sent the rates of 2001-01-02 when asked for 2026-11-03\.",
    "wrong-base": r"sent rates against 'USD', not EUR",
    "no-rates": r"sent no rates for 2026-11-03\.",
    "rate-null": r"sent no rate for USD \(null\)",
    "rate-zero": r"sent USD = 0, not a positive rate",
    "rate-negative": r"sent USD = Decimal\('-1.5'\), not a positive rate",
    "rate-text": r"sent USD = '1.1', not a number",
}


@pytest.mark.parametrize("fault", FAULTS)
def test_every_fault_is_one_clear_error_within_the_timeout(rates_server, fault):
    rates_server.faults["2026-11-03"] = fault
    source = LiveSource(url=rates_server.url, timeout=1.0)
    started = time.monotonic()
    with pytest.raises(RateSourceError, match=EXPECTED[fault]) as caught:
        source.fetch_day(D(2026, 11, 3))
    if fault == "hang":  # the time is the behaviour under test only here
        assert time.monotonic() - started < 1.0 + LOADED_SLACK
    message = str(caught.value)
    assert "\n" not in message and message.startswith("The live source 'http://127.0.0.1:")


def test_a_refused_connection():
    url = closed_port_url()
    with pytest.raises(
        RateSourceError,
        match=r"refused the connection \(2026-11-03\); check the URL or work offline",
    ):
        LiveSource(url=url, timeout=2).fetch_day(D(2026, 11, 3))


def test_a_day_the_server_does_not_have(rates_server):
    with pytest.raises(RateSourceError, match="answered HTTP 404 for 2020-01-01"):
        LiveSource(url=rates_server.url).fetch_day(D(2020, 1, 1))


@pytest.mark.parametrize("timeout", [0, -1])
def test_timeout_must_be_positive(timeout):
    with pytest.raises(ValueError, match="timeout must be positive"):
        LiveSource(timeout=timeout)


def test_a_socket_timeout_says_what_the_deadline_says():
    """Whichever limit fires first (a socket operation's or the call's), the message is the same."""
    from rates.http import HttpFailure
    from rates.live import _no_answer, _translate

    url, label = "http://127.0.0.1:1/api/", "2026-11-03"
    deadline = str(_no_answer(url, label, 1.0))
    assert str(_translate(HttpFailure("timeout"), url, label, 1.0)) == deadline
    assert deadline.endswith(
        "did not answer for 2026-11-03 within 1 s; try again later or work offline."
    )


def test_a_call_leaves_no_thread_behind(rates_server):
    import threading

    rates_server.faults["2026-11-03"] = "hang"
    before = {t.ident for t in threading.enumerate()}
    with pytest.raises(RateSourceError, match=r"within 0\.5 s"):
        LiveSource(url=rates_server.url, timeout=0.5).fetch_day(D(2026, 11, 3))
    left = [t for t in threading.enumerate() if t.ident not in before]
    assert all("process_request" in t.name for t in left), left  # the server's handler only


def test_credentials_in_the_url_are_never_shown(rates_server):
    url = rates_server.url.replace("http://", "http://me:hunter2@")
    rates_server.faults["2026-11-03"] = "http-500"
    with pytest.raises(RateSourceError) as caught:
        LiveSource(url=url, timeout=2).fetch_day(D(2026, 11, 3))
    assert "hunter2" not in str(caught.value) and "me:" not in str(caught.value)
    assert "answered HTTP 500" in str(caught.value)


@pytest.mark.parametrize(
    ("location", "followed"),
    [("/api/2026-11-02?base=EUR", True), ("http://198.51.100.7/api/2026-11-03", False)],
)
def test_a_redirect_is_followed_only_on_the_same_host(rates_server, location, followed):
    rates_server.redirects["2026-11-03"] = location
    source = LiveSource(url=rates_server.url, timeout=2)
    if followed:  # the day served is then 2026-11-02's, which the date check refuses
        with pytest.raises(
            RateSourceError, match="sent the rates of 2026-11-02 when asked for 2026-11-03"
        ):
            source.fetch_day(D(2026, 11, 3))
    else:
        with pytest.raises(
            RateSourceError,
            match=r"redirected to 'http://198\.51\.100\.7/api/2026-11-03', another host or scheme, which is refused",
        ):
            source.fetch_day(D(2026, 11, 3))
