"""The live source: forex-python's rates client, bounded in time and checked before use.

forex-python's ``CurrencyRates`` asks a public API (``{url}{YYYY-MM-DD}?base=EUR``) and answers
``{"base": "EUR", "date": "YYYY-MM-DD", "rates": {"USD": 1.0931, ...}}``. On its own it has no
timeout, no cache, and it drops the payload's date. :class:`LiveSource` keeps forex-python's
client (its URL scheme, its request parameters, its Decimal decoding) and adds what it lacks:

- every call is bounded by ``timeout`` seconds of wall-clock time, whatever the server does
  (connect and read timeouts on the socket, and a hard deadline on the whole call);
- every failure becomes :class:`~rates.errors.RateSourceError` with a one-sentence message,
  raised ``from`` the original exception;
- the payload is validated (base, date, every rate a positive number) before anyone uses it.

The base URL comes from the ``url`` argument, else ``$SPENDCALC_LIVE_URL``, else forex-python's
own. forex-python (and requests) are imported only when a call is made.
"""

from __future__ import annotations

import datetime as _dt
import os
import threading
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urljoin

from .errors import RateSourceError
from .rate import is_code
from .urls import redirect_target, shown_url

SOURCE_LIVE = "forex-python live"
MAX_BODY_BYTES = 1 << 20
MAX_REDIRECTS = 5


@dataclass(frozen=True, slots=True)
class LiveDay:
    """One day's fixings as the live source gave them: units of each currency per 1 EUR."""

    day: _dt.date
    per_eur: dict[str, Decimal]
    source: str


class LiveSource:
    """forex-python's live rates, every call bounded by ``timeout`` seconds.

    :param url: base URL of the rates API (ending in '/'); default ``$SPENDCALC_LIVE_URL`` or
        forex-python's own
    :param timeout: seconds a call may take in all, connection included
    """

    def __init__(self, url: str | None = None, timeout: float = 10.0) -> None:
        if not timeout > 0:
            raise ValueError(f"timeout must be positive, not {timeout!r}")
        self._url = url or os.environ.get("SPENDCALC_LIVE_URL") or None
        self.timeout = float(timeout)

    @property
    def url(self) -> str:
        """The base URL calls go to."""
        if self._url is None:
            self._url = _forex_client_class()(None, self.timeout).default_url()
        return self._url if self._url.endswith("/") else self._url + "/"

    def __repr__(self) -> str:
        return f"LiveSource(url={self.url!r}, timeout={self.timeout!r})"

    def fetch_day(self, day: _dt.date | None = None) -> LiveDay:
        """The fixings of ``day`` (None: the latest), validated.

        :raises RateSourceError: on any failure: no connection, no answer in time, an HTTP
            error, a body that is not the expected JSON, a payload for another date or base,
            or a rate that is missing, not a number, zero or negative
        """
        label = "the latest day" if day is None else day.isoformat()
        payload = self._bounded_call(day, label)
        return _validate(payload, day, label, self.url)

    def _bounded_call(self, day: _dt.date | None, label: str) -> object:
        """Run the HTTP call in a daemon thread and give up on it at the deadline."""
        payloads: list[object] = []
        errors: list[BaseException] = []
        client = _forex_client_class()(self.url, self.timeout)

        def work() -> None:
            try:
                payloads.append(client.fetch_payload(day))
            except BaseException as exc:
                errors.append(exc)

        worker = threading.Thread(target=work, name="spendcalc-live", daemon=True)
        worker.start()
        worker.join(self.timeout)
        if worker.is_alive():
            raise _no_answer(self.url, label, self.timeout)
        if errors:
            raise _translate(errors[0], self.url, label, self.timeout) from errors[0]
        return payloads[0]


_CLIENT_CLASS: Any = None


def _forex_client_class() -> Any:  # forex-python has no type hints: its class is Any
    """forex-python's ``CurrencyRates``, taught a base URL, a timeout and to keep the payload."""
    global _CLIENT_CLASS
    if _CLIENT_CLASS is not None:
        return _CLIENT_CLASS
    import requests
    import simplejson
    from forex_python.converter import CurrencyRates

    class BoundedCurrencyRates(CurrencyRates):  # type: ignore[misc] # CurrencyRates is untyped (Any)
        def __init__(self, url: str | None, timeout: float) -> None:
            super().__init__(force_decimal=True)
            self._url = url
            self._timeout = timeout

        def default_url(self) -> str:
            return str(super()._source_url())

        def _source_url(self) -> str:
            return self._url or super()._source_url()

        def fetch_payload(self, day: _dt.date | None) -> object:
            """Like ``CurrencyRates.get_rates('EUR', day)``, with a deadline, keeping the date."""
            deadline = time.monotonic() + self._timeout
            url = self._source_url() + self._get_date_string(day)
            params: dict[str, str] | None = {"base": "EUR", "rtype": "fpy"}
            for _ in range(MAX_REDIRECTS + 1):
                response = requests.get(
                    url,
                    params=params,
                    timeout=(self._timeout, self._timeout),
                    stream=True,
                    allow_redirects=False,
                )
                if not response.is_redirect:
                    break
                response.close()
                location = response.headers.get("Location", "")
                target = redirect_target(response.url, location)
                if target is None:
                    raise _BadPayload(
                        f"redirected to {shown_url(urljoin(response.url, location))!r}, another"
                        " host or scheme, which is refused (give that URL with --url if you"
                        " trust it),"
                    )
                url, params = target, None
            else:
                raise _BadPayload(f"redirected more than {MAX_REDIRECTS} times")
            with response:
                response.raise_for_status()
                body = bytearray()
                for chunk in response.iter_content(chunk_size=16384):
                    body += chunk
                    if len(body) > MAX_BODY_BYTES:
                        raise _BadPayload(f"answered more than {MAX_BODY_BYTES} bytes")
                    if time.monotonic() > deadline:
                        raise TimeoutError("the answer took longer than the timeout")
            return simplejson.loads(
                body.decode("utf-8"), use_decimal=True, object_pairs_hook=_no_duplicate_keys
            )

    _CLIENT_CLASS = BoundedCurrencyRates
    return _CLIENT_CLASS


class _BadPayload(Exception):
    """A payload that does not hold up; the text completes 'The live source ... '."""


def _no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """A JSON object as a dict, refusing a key given twice (which one would win is a guess)."""
    result = dict(pairs)
    if len(result) != len(pairs):
        keys = [key for key, _value in pairs]
        twice = next(key for i, key in enumerate(keys) if key in keys[:i])
        raise _BadPayload(f"sent the key {twice!r} twice in one object")
    return result


def _no_answer(url: str, label: str, timeout: float) -> RateSourceError:
    """The one message for a call that ran out of time, whichever limit fired first."""
    return RateSourceError(
        f"The live source {shown_url(url)!r} did not answer for {label} within {timeout:g} s; "
        "try again later or work offline."
    )


def _translate(exc: BaseException, url: str, label: str, timeout: float) -> RateSourceError:
    """One clear RateSourceError for whatever went wrong inside the HTTP call."""
    import requests

    where = f"The live source {shown_url(url)!r}"
    if isinstance(exc, _BadPayload):
        return RateSourceError(f"{where} {exc} for {label}.")
    # Before ValueError: requests' URL errors are ValueErrors too, and no JSON was ever read.
    bad_url = (
        requests.exceptions.InvalidURL,
        requests.exceptions.InvalidSchema,
        requests.exceptions.MissingSchema,
    )
    if isinstance(exc, bad_url):
        return RateSourceError(
            f"{where} is not an http:// or https:// URL that can be fetched ({label}); "
            "give one such as 'https://host/api/' with --url or SPENDCALC_LIVE_URL."
        )
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return RateSourceError(
            f"{where} broke off its answer for {label} before the end (the connection "
            "closed part-way); try again later."
        )
    if isinstance(exc, requests.HTTPError) and exc.response is not None:
        status = exc.response.status_code
        hint = "; it asks to slow down, try again later" if status == 429 else ""
        return RateSourceError(f"{where} answered HTTP {status} for {label}{hint}.")
    if isinstance(exc, (requests.Timeout, TimeoutError)):
        return _no_answer(url, label, timeout)
    if isinstance(exc, requests.ConnectionError):
        reason = (
            "refused the connection" if "refused" in str(exc).lower() else "could not be reached"
        )
        return RateSourceError(f"{where} {reason} ({label}); check the URL or work offline.")
    if isinstance(exc, (ValueError, UnicodeDecodeError)):
        return RateSourceError(f"{where} sent a body that is not valid JSON for {label}.")
    if isinstance(exc, requests.RequestException):
        return RateSourceError(f"{where} failed for {label}: {type(exc).__name__}.")
    return RateSourceError(f"{where} failed for {label}: {exc!r}.")


def _validate(payload: object, day: _dt.date | None, label: str, url: str) -> LiveDay:
    """Check a payload in full before anything uses it."""
    where = f"The live source {shown_url(url)!r}"
    if not isinstance(payload, dict):
        raise RateSourceError(f"{where} sent JSON that is not an object for {label}.")
    base = payload.get("base")
    if base != "EUR":
        raise RateSourceError(f"{where} sent rates against {base!r}, not EUR, for {label}.")
    try:
        answered = _dt.date.fromisoformat(str(payload.get("date")))
    except ValueError:
        raise RateSourceError(
            f"{where} sent no valid date ({payload.get('date')!r}) for {label}."
        ) from None
    if day is not None and answered != day:
        raise RateSourceError(
            f"{where} sent the rates of {answered.isoformat()} when asked for {label}."
        )
    rates = payload.get("rates")
    if not isinstance(rates, dict) or not rates:
        raise RateSourceError(f"{where} sent no rates for {label}.")
    per_eur: dict[str, Decimal] = {}
    for code, raw in rates.items():
        if not is_code(code):
            raise RateSourceError(
                f"{where} sent a rate for {code!r}, not a currency code, for {label}."
            )
        if code == "EUR":
            continue
        if raw is None:
            raise RateSourceError(f"{where} sent no rate for {code} (null) for {label}.")
        if isinstance(raw, bool) or not isinstance(raw, (int, Decimal)):
            raise RateSourceError(f"{where} sent {code} = {raw!r}, not a number, for {label}.")
        value = Decimal(raw)
        if not value.is_finite() or value <= 0:
            raise RateSourceError(
                f"{where} sent {code} = {raw!r}, not a positive rate, for {label}."
            )
        per_eur[code] = value
    if not per_eur:
        raise RateSourceError(f"{where} sent no rates for {label}.")
    return LiveDay(answered, per_eur, SOURCE_LIVE)
