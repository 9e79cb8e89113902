"""Reference data for per-capita and PPP views: population and PPP conversion factors.

Bundled: World Bank World Development Indicators for 2024 — population (SP.POP.TOTL) and the
PPP conversion factor, GDP (PA.NUS.PPP, local currency units per international dollar) — for 23
countries (``calc/data/worldbank-2024.csv``). Users may give their own file with the same
columns (``country,name,population,population_year,ppp_lcu_per_intl_dollar,ppp_year,source``)
for other countries or years; its rows replace the bundled ones country by country. A country
with no row has no data: the report says so, it never guesses.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .errors import CommitmentFileError, Problem

BUNDLED = os.path.join(os.path.dirname(__file__), "data", "worldbank-2024.csv")
BUNDLED_SOURCE = "World Bank WDI 2024 (SP.POP.TOTL, PA.NUS.PPP)"
COLUMNS = ("country", "population", "population_year", "ppp_lcu_per_intl_dollar", "ppp_year")


@dataclass(frozen=True, slots=True)
class CountryData:
    """One country's population and PPP factor, with the years and source they come from."""

    country: str
    population: int | None
    population_year: int | None
    ppp: Decimal | None  # local currency units per international dollar
    ppp_year: int | None
    source: str


def load_reference(path: str | None = None) -> dict[str, CountryData]:
    """The bundled reference data, with the rows of ``path`` (if given) taking precedence.

    :raises CommitmentFileError: for a file that cannot be read, naming file:line and field
    """
    data = _read(BUNDLED, default_source=BUNDLED_SOURCE)
    if path is not None:
        data.update(_read(path, default_source=os.path.basename(path)))
    return data


def _read(path: str, *, default_source: str) -> dict[str, CountryData]:
    import csv  # only --per-capita and --ppp read it (start-up time of a report)

    name = os.path.basename(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as file:
            rows = list(csv.DictReader(file))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else str(exc)
        raise CommitmentFileError(
            name, [Problem(name, None, None, f"cannot be read: {reason}")]
        ) from exc
    if rows and not set(COLUMNS) <= set(rows[0]):
        missing = ", ".join(c for c in COLUMNS if c not in rows[0])
        raise CommitmentFileError(name, [Problem(name, 1, None, f"has no {missing} column")])
    problems: list[Problem] = []
    data: dict[str, CountryData] = {}
    for line, row in enumerate(rows, start=2):
        code = (row.get("country") or "").strip().upper()
        if len(code) != 2 or not code.isalpha():
            problems.append(
                Problem(
                    name,
                    line,
                    "country",
                    f"country {row.get('country')!r} is not an ISO alpha-2 code",
                )
            )
            continue
        try:
            data[code] = CountryData(
                code,
                _whole(row, "population"),
                _whole(row, "population_year"),
                _positive(row, "ppp_lcu_per_intl_dollar"),
                _whole(row, "ppp_year"),
                default_source
                if path == BUNDLED
                else (row.get("source") or "").strip() or default_source,
            )
        except ValueError as exc:
            problems.append(Problem(name, line, None, str(exc)))
    if problems:
        raise CommitmentFileError(name, problems)
    return data


def _whole(row: dict[str, str], key: str) -> int | None:
    text = (row.get(key) or "").strip()
    if not text:
        return None
    if not text.isdigit() or int(text) <= 0:
        raise ValueError(f"{key} {text!r} must be a positive whole number")
    return int(text)


def _positive(row: dict[str, str], key: str) -> Decimal | None:
    text = (row.get(key) or "").strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{key} {text!r} is not a number") from None
    if not value.is_finite() or value <= 0:
        raise ValueError(f"{key} {text!r} must be a positive number")
    return value
