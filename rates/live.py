"""The live source: forex-python's rates client, bounded in time and checked before use.

forex-python's ``CurrencyRates`` asks a public API (``{url}{YYYY-MM-DD}?base=EUR``) and answers
``{"base": "EUR", "date": "YYYY-MM-DD", "rates": {"USD": 1.0931, ...}}``. On its own it has no
timeout, no cache, and it drops the payload's date. :class:`LiveSource` keeps forex-python's
client (its URL scheme, its request parameters, its Decimal decoding) and adds what it lacks:

- every call is bounded by ``timeout`` seconds of wall-clock time, whatever the server does:
  one deadline, of which every socket operation gets what is left (:mod:`rates.http`), so no
  thread or socket outlives the call; a redirect is followed only on the same host and scheme;
- every failure becomes :class:`~rates.errors.RateSourceError` with a one-sentence message,
  raised ``from`` the original exception;
- the payload is validated (base, date, every rate a positive number) before anyone uses it.

The base URL comes from the ``url`` argument, else ``$SPENDCALC_LIVE_URL``, else forex-python's
own (forex-python is asked for it only then). The request and the JSON are forex-python's:
``{url}{YYYY-MM-DD}?base=EUR&rtype=fpy``, numbers read as Decimal.
"""

from __future__ import annotations

import datetime as _dt
import os
import time
from dataclasses import dataclass
from decimal import Decimal

from . import http
from .errors import RateSourceError
from .rate import is_code
from .urls import shown_url

SOURCE_LIVE = "forex-python live"
MAX_BODY_BYTES = 1 << 20


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
    :param deadline: a ``time.monotonic()`` value no call may outlast (bounds a whole update)
    """

    def __init__(
        self, url: str | None = None, timeout: float = 10.0, *, deadline: float | None = None
    ) -> None:
        if not timeout > 0:
            raise ValueError(f"timeout must be positive, not {timeout!r}")
        self._url = url or os.environ.get("SPENDCALC_LIVE_URL") or None
        self.timeout = float(timeout)
        #: A ``time.monotonic()`` value every call must end by (a whole update's bound), or None.
        self.deadline = deadline

    @property
    def url(self) -> str:
        """The base URL calls go to."""
        if self._url is None:
            self._url = _default_url()
        return self._url if self._url.endswith("/") else self._url + "/"

    def __repr__(self) -> str:
        return f"LiveSource(url={self.url!r}, timeout={self.timeout!r})"

    def fetch_day(self, day: _dt.date | None = None, *, deadline: float | None = None) -> LiveDay:
        """The fixings of ``day`` (None: the latest), validated.

        :param deadline: a ``time.monotonic()`` value the call must end by, if sooner than
            ``timeout`` from now (an update bounded as a whole passes its own)
        :raises RateSourceError: on any failure: no connection, no answer in time, an HTTP
            error, a body that is not the expected JSON, a payload for another date or base,
            or a rate that is missing, not a number, zero or negative
        """
        label = "the latest day" if day is None else day.isoformat()
        ends = min([time.monotonic() + self.timeout, *(d for d in (deadline, self.deadline) if d)])
        url = self.url + ("latest" if day is None else day.isoformat())
        try:
            body = http.get(
                url, params={"base": "EUR", "rtype": "fpy"}, deadline=ends, max_bytes=MAX_BODY_BYTES
            )
            payload = _decode(body)
        except (http.HttpFailure, _BadPayload, ValueError) as exc:
            raise _translate(exc, self.url, label, self.timeout) from exc
        return _validate(payload, day, label, self.url)


_DEFAULT_URL: str | None = None


def _default_url() -> str:
    """forex-python's own API address, asked of its ``CurrencyRates`` (imported only here)."""
    global _DEFAULT_URL
    if _DEFAULT_URL is None:
        from forex_python.converter import CurrencyRates

        _DEFAULT_URL = str(CurrencyRates(force_decimal=True)._source_url())  # noqa: SLF001 - forex-python has no public name for it
    return _DEFAULT_URL


def _decode(body: bytes) -> object:
    """The JSON of a live answer, numbers as Decimal (as forex-python reads them), keys once."""
    import simplejson

    return simplejson.loads(
        body.decode("utf-8"), use_decimal=True, object_pairs_hook=_no_duplicate_keys
    )


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


#: What each kind of HTTP failure says, after "The live source 'URL' ".
_SAYS = {
    "refused": "refused the connection ({label}); check the URL or work offline.",
    "unreachable": "could not be reached ({label}): {detail}; check the URL or work offline.",
    "broken": "broke off its answer for {label} before the end (the connection closed "
    "part-way); try again later.",
    "too-large": f"answered more than {MAX_BODY_BYTES} bytes for {{label}}.",
    "too-many-redirects": "redirected too many times for {label}.",
    "redirect": "redirected to {target!r}, another host or scheme, which is refused (give that "
    "URL with --url if you trust it), for {label}.",
    "bad-url": "is not an http:// or https:// URL that can be fetched ({label}); give one such "
    "as 'https://host/api/' with --url or SPENDCALC_LIVE_URL.",
}


def _translate(exc: BaseException, url: str, label: str, timeout: float) -> RateSourceError:
    """One clear RateSourceError for whatever went wrong in the call."""
    where = f"The live source {shown_url(url)!r}"
    if isinstance(exc, _BadPayload):
        return RateSourceError(f"{where} {exc} for {label}.")
    if isinstance(exc, http.HttpFailure):
        if exc.kind == "timeout":
            return _no_answer(url, label, timeout)
        if exc.kind == "status":
            hint = "; it asks to slow down, try again later" if exc.status == 429 else ""
            return RateSourceError(f"{where} answered HTTP {exc.status} for {label}{hint}.")
        says = _SAYS[exc.kind].format(label=label, detail=exc.detail, target=shown_url(exc.target))
        return RateSourceError(f"{where} {says}")
    return RateSourceError(f"{where} sent a body that is not valid JSON for {label}.")


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
