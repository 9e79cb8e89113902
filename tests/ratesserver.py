"""A small HTTP server on 127.0.0.1 that speaks the live source's JSON, with faults on request.

``GET /api/YYYY-MM-DD?base=EUR`` answers ``{"base": "EUR", "date": ..., "rates": {...}}`` for the
days it holds; ``/api/latest`` answers the last one. ``server.faults[day] = kind`` makes that day
fail in one of the ways listed in :data:`FAULTS`. Nothing here reaches past the loopback address.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
import time
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

#: Seconds a bounded call may overrun its timeout on a loaded machine (both cores busy). A hung
#: server holds its answer for 60 s, so a bound this wide still tells bounded from unbounded.
LOADED_SLACK = 5.0

FAULTS = (
    "http-500",
    "http-429",
    "hang",
    "half-body",
    "malformed-json",
    "not-an-object",
    "wrong-date",
    "wrong-base",
    "no-rates",
    "rate-null",
    "rate-zero",
    "rate-negative",
    "rate-text",
)


class RatesServer:
    """The server, its URL and the days it serves; use as a context manager."""

    def __init__(self, days: dict[str, dict[str, str]] | None = None) -> None:
        self.days: dict[str, dict[str, str]] = dict(days or {})
        self.faults: dict[str, str] = {}
        #: Raw bodies to send instead, by day (or "latest"); and redirects (Location), by day.
        self.bodies: dict[str, bytes] = {}
        self.redirects: dict[str, str] = {}
        self.requests: list[str] = []
        #: Seconds to wait before answering each request (to make processes overlap).
        self.delay = 0.0
        self._release = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                path = urlparse(self.path).path
                server.requests.append(self.path)
                key = path.rsplit("/", 1)[-1]
                if key in server.redirects:
                    self.send_response(302)
                    self.send_header("Location", server.redirects[key])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if key in server.bodies:
                    server._send(self, 200, server.bodies[key])
                    return
                if key == "latest":
                    key = max(server.days) if server.days else key
                server.answer(self, key)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/api/"

    def __enter__(self) -> RatesServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._release.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def answer(self, handler: BaseHTTPRequestHandler, day: str) -> None:
        if self.delay:
            time.sleep(self.delay)
        fault = self.faults.get(day)
        rates = self.days.get(day)
        if fault == "hang":
            self._release.wait(60)
            return
        if fault in ("http-500", "http-429"):
            self._send(handler, int(fault[-3:]), b'{"error": "no"}')
            return
        if rates is None:
            self._send(handler, 404, b'{"error": "no rates for that date"}')
            return
        body: object = {"base": "EUR", "date": day, "rates": {k: _num(v) for k, v in rates.items()}}
        if fault == "wrong-date":
            body["date"] = "2001-01-02"  # type: ignore[index]
        elif fault == "wrong-base":
            body["base"] = "USD"  # type: ignore[index]
        elif fault == "no-rates":
            body["rates"] = {}  # type: ignore[index]
        elif fault == "not-an-object":
            body = [1, 2, 3]
        elif fault in ("rate-null", "rate-zero", "rate-negative", "rate-text"):
            bad = {"rate-null": None, "rate-zero": 0, "rate-negative": -1.5, "rate-text": "1.1"}[
                fault
            ]
            body["rates"]["USD"] = bad  # type: ignore[index]
        raw = _dumps(body)
        if fault == "malformed-json":
            raw = raw[: len(raw) // 2]
        if fault == "half-body":
            handler.send_response(200)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(raw)))
            handler.end_headers()
            handler.wfile.write(raw[: len(raw) // 2])
            handler.wfile.flush()
            handler.close_connection = True
            return
        self._send(handler, 200, raw)

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, status: int, raw: bytes) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(raw)))
        handler.end_headers()
        handler.wfile.write(raw)


def _num(text: str) -> str:
    """A marker that :func:`_dumps` writes as a bare JSON number with exactly these digits."""
    return f"__num__{text}"


def _dumps(body: object) -> bytes:
    return re.sub(r'"__num__([^"]*)"', r"\1", json.dumps(body)).encode()


def live_update(url: str, cache: str) -> list[str]:
    """The arguments of ``spendcalc rates update`` from the forex-python source at ``url``."""
    return ["rates", "update", "--source", "forex-python", "--url", url, "--cache", cache]


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens (the connection is refused)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/api/"


#: The ECB's fixings of 2026-10-30 (the bundled snapshot's last day): units per 1 EUR.
LAST_BUNDLED = {
    "USD": "1.1172", "JPY": "175.68", "CZK": "24.353", "DKK": "7.4735", "GBP": "0.8338",
    "HUF": "366.33", "PLN": "4.4038", "RON": "5.3447", "SEK": "10.978", "CHF": "0.9194",
    "ISK": "136", "NOK": "10.312", "TRY": "55.8015", "AUD": "1.5904", "BRL": "6.0692",
    "CAD": "1.5606", "CNY": "7.4326", "HKD": "8.7652", "IDR": "20275.17", "ILS": "3.495",
    "INR": "106.084", "KRW": "1491.76", "MXN": "21.1237", "MYR": "4.5325", "NZD": "1.9823",
    "PHP": "71.143", "SGD": "1.4282", "THB": "37.683", "ZAR": "18.6455",
}  # fmt: skip


def plausible_days(after: dt.date, until: dt.date) -> dict[str, dict[str, str]]:
    """Fixings for every TARGET business day after ``after`` up to ``until``, as the ECB might
    publish them: each currency of :data:`LAST_BUNDLED`, moved a little (under 1 %) day by day,
    with the same number of decimals. Deterministic, so a test can recompute what was served.
    """
    from rates.calendar import business_days

    days = {}
    for day in business_days(after, until):
        step = (day.toordinal() * 7919) % 13 - 6  # -6 .. 6, the same for a day on every run
        row = {}
        for code, text in LAST_BUNDLED.items():
            value = Decimal(text) * (1 + Decimal(step) / 1000)
            row[code] = str(value.quantize(Decimal(text)))
        days[day.isoformat()] = row
    return days


def stored_days(path) -> dict[str, dict[str, str]]:  # type: ignore[no-untyped-def]
    """A cache file's rows as {day: {currency: per_eur}}, read-only; {} if there is no file."""
    import sqlite3
    from pathlib import Path

    if not Path(path).exists():
        return {}
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = connection.execute("SELECT day, currency, per_eur FROM fixings").fetchall()
    finally:
        connection.close()
    days: dict[str, dict[str, str]] = {}
    for day, currency, per_eur in rows:
        days.setdefault(day, {})[currency] = per_eur
    return days
