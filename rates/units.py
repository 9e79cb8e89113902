"""The bundled fixings as integers: each published value as its digits and its decimal places.

An ECB value is a short decimal (at most 7 digits), so ``1.0931`` is kept as the integer
``10931`` and the scale ``4``: value = mantissa / 10**scale, exactly as published (trailing
zeros included). A cross rate on a fixing is then an exact fraction of integers, which the batch
path (:mod:`rates.ratios`) divides and rounds without Decimal.

The package data ``rates/data/ecb-eurofxref.units`` holds those integers for the bundled snapshot,
made by ``tools/make_snapshot.py`` beside the CSV (a test checks that the two agree), so a cold
run reads them in one go instead of parsing the CSV text. Its layout, little-endian::

    b"spendcalc-units 1\\n"
    one line of JSON: description, first, last, count, currencies
    count x int32        the fixing dates as proleptic ordinals (datetime.date.toordinal)
    per currency: count x int32 mantissas (0: not quoted that day), then count x uint8 scales

:func:`units_for` gives the arrays for any :class:`~rates.ecb.History`: the package data when
the history is the bundled snapshot, else computed from its text (the same integers).
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import sys
from array import array
from collections.abc import Mapping

from .ecb import History

UNITS_NAME = "ecb-eurofxref.units"
_MAGIC = b"spendcalc-units 1\n"


class FixingUnits:
    """The fixings of a history as integer columns (``array`` objects; numpy can view them).

    >>> from rates.ecb import parse_history
    >>> units = FixingUnits.from_history(parse_history("Date,USD,GBP\\n2023-11-30,1.0931,0.8600\\n"))
    >>> list(units.mantissas["USD"]), list(units.scales["GBP"]), list(units.mantissas["GBP"])
    ([10931], [4], [8600])
    """

    __slots__ = ("count", "currencies", "description", "first", "last", "mantissas", "memo",
                 "ordinals", "scales")  # fmt: skip

    def __init__(
        self,
        header: Mapping[str, object],
        ordinals: array[int],
        mantissas: dict[str, array[int]],
        scales: dict[str, array[int]],
    ) -> None:
        self.description = str(header["description"])
        self.first, self.last = str(header["first"]), str(header["last"])
        self.count = len(ordinals)
        self.currencies: tuple[str, ...] = tuple(mantissas)
        #: The fixing dates as ordinals, ascending.
        self.ordinals = ordinals
        #: Per currency, the published digits on each fixing (0 where it was not quoted).
        self.mantissas = mantissas
        #: Per currency, the decimal places of each published value.
        self.scales = scales
        #: What the batch path derives from these integers (its tables, per quote currency and
        #: calendar), made once per process: the integers never change.
        self.memo: dict[object, object] = {}

    def matches(self, history: History) -> bool:
        """Whether these are the integers of ``history`` (same description, dates, currencies)."""
        return (
            self.description == history.description
            and self.currencies == history.currencies
            and self.count == len(history)
            and (self.first, self.last) == (history.first_date, history.last_date)
        )

    @classmethod
    def from_history(cls, history: History) -> FixingUnits:
        """The integers of ``history``, from its text.

        :raises ValueError: for a value that is not a plain positive decimal
        """
        ordinals = array("i", (_dt.date.fromisoformat(d).toordinal() for d in history.dates))
        mantissas: dict[str, array[int]] = {}
        scales: dict[str, array[int]] = {}
        for code, texts in history.columns(history.currencies).items():
            digits, places = array("i"), array("B")
            for text in texts:
                mantissa, scale = _split(text, code) if text else (0, 0)
                digits.append(mantissa)
                places.append(scale)
            mantissas[code], scales[code] = digits, places
        header = {"description": history.description, "first": history.first_date,
                  "last": history.last_date}  # fmt: skip
        return cls(header, ordinals, mantissas, scales)

    def encode(self) -> bytes:
        """The package-data form (see the module's docstring)."""
        header = {"description": self.description, "first": self.first, "last": self.last,
                  "count": self.count, "currencies": list(self.currencies)}  # fmt: skip
        parts = [_MAGIC, json.dumps(header, sort_keys=True).encode("ascii") + b"\n"]
        parts.append(_little(self.ordinals))
        for code in self.currencies:
            parts += [_little(self.mantissas[code]), self.scales[code].tobytes()]
        return b"".join(parts)

    @classmethod
    def decode(cls, data: bytes) -> FixingUnits:
        """Read the package-data form.

        :raises ValueError: if ``data`` is not in that form
        """
        if not data.startswith(_MAGIC):
            raise ValueError("not a spendcalc-units file")
        end = data.index(b"\n", len(_MAGIC))
        header = json.loads(data[len(_MAGIC) : end])
        count, at = int(header["count"]), end + 1
        ordinals = _read(data, "i", at, count)
        at += 4 * count
        mantissas: dict[str, array[int]] = {}
        scales: dict[str, array[int]] = {}
        for code in header["currencies"]:
            mantissas[code] = _read(data, "i", at, count)
            at += 4 * count
            scales[code] = _read(data, "B", at, count)
            at += count
        if at != len(data):
            raise ValueError("a spendcalc-units file of the wrong length")
        return cls(header, ordinals, mantissas, scales)


def _split(text: str, code: str) -> tuple[int, int]:
    whole, _, fraction = text.partition(".")
    if not (whole + fraction).isdigit() or not whole.isascii() or not fraction.isascii():
        raise ValueError(f"The {code} value {text!r} is not a plain positive decimal.")
    mantissa = int(whole + fraction)
    if mantissa <= 0 or mantissa >= 2**31:
        raise ValueError(f"The {code} value {text!r} is out of the range of the batch path.")
    return mantissa, len(fraction)


def _little(values: array[int]) -> bytes:
    if sys.byteorder == "little":
        return values.tobytes()
    swapped = array(values.typecode, values)
    swapped.byteswap()
    return swapped.tobytes()


def _read(data: bytes, typecode: str, at: int, count: int) -> array[int]:
    values = array(typecode)
    values.frombytes(data[at : at + values.itemsize * count])
    if sys.byteorder != "little":
        values.byteswap()
    return values


def units_path() -> str:
    """The bundled integers' package-data file."""
    return os.path.join(os.path.dirname(__file__), "data", UNITS_NAME)


_bundled: FixingUnits | None = None


def bundled_units() -> FixingUnits:
    """The package data, read once per process."""
    global _bundled
    if _bundled is None:
        with open(units_path(), "rb") as file:
            _bundled = FixingUnits.decode(file.read())
    return _bundled


def units_for(history: History) -> FixingUnits:
    """The integers of ``history``: the package data if it is the bundled snapshot's, else
    computed from the history's text."""
    try:
        bundled = bundled_units()
    except (OSError, ValueError):  # pragma: no cover - a source tree without the data file
        bundled = None
    if bundled is not None and bundled.matches(history):
        return bundled
    return FixingUnits.from_history(history)
