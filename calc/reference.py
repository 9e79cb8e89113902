"""Reference data of every economy, by year: population, PPP factors, GDP and CPI inflation.

Bundled: ``calc/data/reference.csv``, made by ``tools/make_reference.py`` from the World Bank's
World Development Indicators (licence CC BY 4.0): ``population`` (SP.POP.TOTL), ``ppp``
(PA.NUS.PPP, local currency units per international dollar), ``gdp_usd`` (NY.GDP.MKTP.CD, current
US$) and ``cpi_inflation`` (FP.CPI.TOTL.ZG, annual % change), for every country from 1999 on
(``EMU``, the euro area, for inflation only). Its first line names each series' vintage.

**The year rule.** A figure wanted for year Y uses the latest year with data on or before Y
(:meth:`ReferenceData.latest`); the year used is always shown beside it. Nothing later than Y is
ever used, and a country without data on or before Y has no data: the report says so, it never
guesses.

A user's file (``--reference``) adds or replaces values, each for one country, series and year,
in either of two forms:

- the bundled form, ``country,series,year,value[,source]``;
- the older form, ``country,population,population_year,ppp_lcu_per_intl_dollar,ppp_year[,name,
  source]``: a population for its year and a PPP factor for its (an empty cell gives nothing).

A PPP factor is in local currency units. The World Bank writes a country's whole history in the
currency it used in the latest year it publishes (Croatia's 2022 factor is in euros, Bulgaria's
2024 one in leva), so a bundled factor is in the currency of the bundled series' last year; a
user's factor is in the currency of its own year (:attr:`Observation.currency_year`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from .errors import CommitmentFileError, Problem
from .records import record

__all__ = [
    "BUNDLED",
    "COLUMNS",
    "SERIES",
    "CountryData",
    "Observation",
    "ReferenceData",
    "load_reference",
]

BUNDLED = os.path.join(os.path.dirname(__file__), "data", "reference.csv")
#: The series of the reference data, as the bundled file names them.
SERIES = ("population", "ppp", "gdp_usd", "cpi_inflation")
#: The columns of the older form of a user's file (one row per country).
COLUMNS = ("country", "population", "population_year", "ppp_lcu_per_intl_dollar", "ppp_year")
LONG_COLUMNS = ("country", "series", "year", "value")
#: The one code that is not a country: the euro area, for inflation only.
EURO_AREA = "EMU"
_PUBLISHER = "World Bank, World Development Indicators"


@record
class CountryData:
    """One country's population and PPP factor, with the years and source they come from;
    ``ppp_currency_year``: the year whose legal tender the factor is in."""

    country: str
    population: int | None
    population_year: int | None
    ppp: Decimal | None  # local currency units per international dollar
    ppp_year: int | None
    source: str
    ppp_currency_year: int | None = None


@record
class Observation:
    """One value of one series for one country and year, and where it comes from.

    :ivar currency_year: for a PPP factor, the year whose legal tender it is in (None: its own)
    """

    country: str
    series: str
    year: int
    value: Decimal
    source: str
    currency_year: int | None = None

    @property
    def entry(self) -> tuple[Decimal, str, int | None]:
        return self.value, self.source, self.currency_year


#: A series' values by year: value, source and the year of the currency it is in.
Entry = tuple[Decimal, str, int | None]


class ReferenceData(Mapping[str, CountryData]):
    """Series by country and year. As a mapping, each country's latest population and PPP
    factor (:meth:`country_data`); :meth:`latest` gives any series as of a year."""

    def __init__(
        self,
        values: Mapping[tuple[str, str], Mapping[int, Entry]],
        vintages: Mapping[str, str] | None = None,
    ) -> None:
        self._values = {key: dict(years) for key, years in values.items() if years}
        self.vintages: dict[str, str] = dict(vintages or {})

    def latest(self, country: str, series: str, year: int | None = None) -> Observation | None:
        """The value of ``series`` for ``country`` in the latest year on or before ``year``
        (None: any year); None when there is none.

        >>> load_reference().latest("JP", "gdp_usd", 2024).year
        2023
        """
        years = self._values.get((country.upper(), series))
        if not years:
            return None
        found = [y for y in years if year is None or y <= year]
        if not found:
            return None
        best = max(found)
        return Observation(country.upper(), series, best, *years[best])

    def value(self, country: str, series: str, year: int) -> Decimal | None:
        """The value of ``series`` in exactly ``year`` (None: not in the data)."""
        found = self._values.get((country.upper(), series), {}).get(year)
        return None if found is None else found[0]

    def series(self, country: str, series: str) -> dict[int, Decimal]:
        """Every year of ``series`` for ``country``: ``{year: value}`` (empty: no data)."""
        years = self._values.get((country.upper(), series), {})
        return {year: entry[0] for year, entry in sorted(years.items())}

    def last_year(self, country: str, series: str) -> int | None:
        """The latest year of ``series`` for ``country`` (None: no data)."""
        years = self._values.get((country.upper(), series))
        return max(years) if years else None

    def source(self, series: str) -> str:
        """How the bundled ``series`` is cited: publisher, indicator and vintage."""
        return self.vintages.get(series, f"{_PUBLISHER} ({series})")

    def country_data(self, code: str, year: int | None = None) -> CountryData | None:
        """Population and PPP factor of ``code`` as of ``year`` (the year rule); None if it has
        neither."""
        population = self.latest(code, "population", year)
        ppp = self.latest(code, "ppp", year)
        if population is None and ppp is None:
            return None
        sources = dict.fromkeys(o.source for o in (population, ppp) if o is not None)
        return CountryData(
            code.upper(),
            int(population.value) if population else None,
            population.year if population else None,
            ppp.value if ppp else None,
            ppp.year if ppp else None,
            "; ".join(sources),
            (ppp.currency_year or ppp.year) if ppp else None,
        )

    def updated(self, rows: Iterable[Observation]) -> ReferenceData:
        """A copy with ``rows`` added, each replacing any value of its country, series and
        year."""
        values = {key: dict(years) for key, years in self._values.items()}
        for row in rows:
            values.setdefault((row.country, row.series), {})[row.year] = row.entry
        return ReferenceData(values, self.vintages)

    @classmethod
    def from_countries(cls, data: Mapping[str, CountryData]) -> ReferenceData:
        """The bundled data with per-country records (the older API's mapping) added."""
        if isinstance(data, ReferenceData):
            return data
        return load_reference().updated(_observations(data.values()))

    def __getitem__(self, code: str) -> CountryData:
        found = self.country_data(code)
        if found is None:
            raise KeyError(code)
        return found

    def __iter__(self) -> Iterator[str]:
        codes = {c for c, series in self._values if series in ("population", "ppp")}
        return iter(sorted(codes))

    def __len__(self) -> int:
        return sum(1 for _ in self)


def load_reference(path: str | None = None) -> ReferenceData:
    """The bundled reference data, with the rows of ``path`` (if given) taking precedence.

    >>> data = load_reference()
    >>> data["US"].population_year, data.latest("GB", "gdp_usd", 2023).year
    (2024, 2023)

    :raises CommitmentFileError: for a file that cannot be read, naming file:line and field
    """
    data = _bundled()
    return data if path is None else data.updated(_read(path))


@lru_cache(maxsize=1)
def _bundled() -> ReferenceData:
    """The bundled snapshot, read once per process (only reports that need it read it)."""
    import csv  # only reports with reference figures read it (start-up time)

    with open(BUNDLED, encoding="utf-8", newline="") as file:
        comment = file.readline()
        values: dict[tuple[str, str], dict[int, Entry]] = {}
        vintages = _vintages(comment)
        reader = csv.reader(file)
        next(reader)
        for country, series, year, value in reader:
            source = vintages.get(series, _PUBLISHER)
            values.setdefault((country, series), {})[int(year)] = (Decimal(value), source, None)
    for (country, series), years in values.items():
        if series == "ppp":  # in the currency of the series' last year (see the docstring)
            last = max(years)
            values[country, series] = {y: (v, s, last) for y, (v, s, _) in years.items()}
    return ReferenceData(values, vintages)


_VINTAGE = (  # compiled when the bundled file is read (start-up time)
    r"(\w+) = ([A-Z][A-Z.]*[A-Z]) [^;]*?\((datasets/\S+) ([0-9a-f]{12}) ([0-9]{4}-[0-9]{2}-[0-9]{2})\)"
)


def _vintages(comment: str) -> dict[str, str]:
    """Each series' citation from the bundled file's first line: publisher, indicator, vintage."""
    return {
        series: f"{_PUBLISHER}, {indicator} ({package} {commit}, {day})"
        for series, indicator, package, commit, day in re.findall(_VINTAGE, comment)
    }


def _read(path: str) -> list[Observation]:
    """The observations of a user's file (a PPP factor in the currency of its year)."""
    import csv  # only --reference reads it (start-up time)

    name = os.path.basename(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as file:
            rows = list(csv.DictReader(file))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else str(exc)
        raise CommitmentFileError(
            name, [Problem(name, None, None, f"cannot be read: {reason}")]
        ) from exc
    long = bool(rows) and "series" in rows[0]
    columns = LONG_COLUMNS if long else COLUMNS
    if rows and not set(columns) <= set(rows[0]):
        missing = ", ".join(c for c in columns if c not in rows[0])
        raise CommitmentFileError(name, [Problem(name, 1, None, f"has no {missing} column")])
    problems: list[Problem] = []
    found: list[Observation] = []
    for line, row in enumerate(rows, start=2):
        source = (row.get("source") or "").strip() or name
        code = _country(row, long)
        if code is None:
            message = f"country {row.get('country')!r} is not an ISO alpha-2 code"
            problems.append(Problem(name, line, "country", message))
            continue
        try:
            if long:
                found.append(_long_row(row, code, source))
                continue
            data = CountryData(
                code, _whole(row, "population"), _whole(row, "population_year"),
                _positive(row, "ppp_lcu_per_intl_dollar"), _whole(row, "ppp_year"), source,
            )  # fmt: skip
            found += _observations([data])
        except ValueError as exc:
            problems.append(Problem(name, line, None, str(exc)))
    if problems:
        raise CommitmentFileError(name, problems)
    return found


def _country(row: Mapping[str, str | None], long: bool) -> str | None:
    """The row's country code (``EMU`` for euro-area inflation); None if it is not one."""
    code = (row.get("country") or "").strip().upper()
    if long and code == EURO_AREA and (row.get("series") or "").strip() == "cpi_inflation":
        return code
    return code if len(code) == 2 and code.isalpha() else None


def _long_row(row: Mapping[str, str | None], code: str, source: str) -> Observation:
    series = (row.get("series") or "").strip()
    if series not in SERIES:
        raise ValueError(f"series {series!r} is not one of {', '.join(SERIES)}")
    year = _whole(row, "year")
    text = (row.get("value") or "").strip()
    if year is None or not text:
        raise ValueError("a row needs a year and a value")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"value {text!r} is not a number") from None
    if not value.is_finite() or (series != "cpi_inflation" and value <= 0):
        raise ValueError(f"value {text!r} must be a positive number")
    if series == "population" and value != value.to_integral_value():
        raise ValueError(f"population {text!r} must be a whole number")
    return Observation(code, series, year, value, source)


def _observations(countries: Iterable[CountryData]) -> Iterator[Observation]:
    for c in countries:
        if c.population is not None and c.population_year is not None:
            yield Observation(
                c.country, "population", c.population_year, Decimal(c.population), c.source
            )
        if c.ppp is not None and c.ppp_year is not None:
            yield Observation(c.country, "ppp", c.ppp_year, c.ppp, c.source)


def _whole(row: Mapping[str, str | None], key: str) -> int | None:
    text = (row.get(key) or "").strip()
    if not text:
        return None
    if not text.isdigit() or int(text) <= 0:
        raise ValueError(f"{key} {text!r} must be a positive whole number")
    return int(text)


def _positive(row: Mapping[str, str | None], key: str) -> Decimal | None:
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
