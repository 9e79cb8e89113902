"""calc.cldr: the bundled CLDR tables are babel's own, babel writes the same with them, and a
command that prints one amount no longer reads babel's whole files."""

from __future__ import annotations

import pickle
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from babel import Locale
from babel.core import get_global
from babel.localedata import get_locale_data

from calc import cldr
from rates.codes import ISO_3166, ISO_4217

ROOT = Path(__file__).resolve().parent.parent


def comparable(value: Any) -> Any:
    """`value` as plain data: mappings as dicts, any other object as its type and the state
    pickle would store (a NumberPattern's fields, a PluralRule's rules)."""
    if isinstance(value, Mapping):
        return {key: comparable(value[key]) for key in value}
    if isinstance(value, list | tuple):
        return type(value)(map(comparable, value))
    if isinstance(value, str | int | float | bool | type(None)):
        return value
    reduced = value.__reduce_ex__(4)
    return type(value).__qualname__, comparable(reduced[1][1:]), comparable(reduced[2])


@pytest.fixture(scope="module")
def subset() -> dict[str, Any]:
    with open(cldr.SUBSET_PATH, "rb") as file:
        loaded: dict[str, Any] = pickle.load(file)
    return loaded


def test_the_subset_was_made_from_the_babel_installed(subset):
    import babel

    made_from = subset["made_from"]
    assert made_from["babel"] == babel.__version__, "run python tools/make_codes.py"
    assert made_from["files"] == cldr.source_files(), "run python tools/make_codes.py"


@pytest.mark.parametrize("locale", cldr.LOCALES)
@pytest.mark.parametrize("key", cldr.LOCALE_KEYS)
def test_each_bundled_table_is_babels(subset, locale, key):
    ours = pickle.loads(subset["locales"][locale][key])
    assert comparable(ours) == comparable(get_locale_data(locale)[key])


@pytest.mark.parametrize("key", cldr.GLOBAL_KEYS)
def test_each_bundled_global_table_is_babels(subset, key):
    assert comparable(pickle.loads(subset["global"][key])) == comparable(get_global(key))


def test_the_bundled_countries_are_cldrs_two_letter_territories():
    territories = {c for c in Locale("en").territories if len(c) == 2 and c.isalpha()}
    assert territories == ISO_3166
    assert {"GB", "JP", "US", "DE"} <= ISO_3166 and "UK" not in ISO_3166


def test_the_bundled_currencies_are_cldrs():
    assert set(get_global("all_currencies")) == ISO_4217


# What babel writes, with and without the subset, in new processes (babel's caches are per process).
WRITE = """
import json, sys
from decimal import Decimal
if sys.argv[1] == "subset":
    from calc.cldr import install
    install()
from babel import Locale
from babel.numbers import (format_compact_currency, format_currency, format_decimal,
    format_percent, get_currency_name, get_currency_precision, get_territory_currencies)
import datetime
out = []
for loc in ("en_US", "en"):
    for code in ("USD", "GBP", "JPY", "KWD", "CHF", "EUR", "INR", "XAU", "DEM"):
        for amount in ("2500000000", "-0.125", "1234.5", "0"):
            out.append(format_currency(Decimal(amount), code, locale=loc))
            out.append(format_compact_currency(Decimal(amount), code, locale=loc, fraction_digits=2))
        out.append(get_currency_name(code, 2, locale=loc))
        out.append(get_currency_precision(code))
    out.append(format_percent(Decimal("0.4167"), "#,##0.0%", locale=loc))
    out.append(format_decimal(Decimal("3000000"), locale=loc))
    out.append(Locale.parse(loc).territories["JP"])
    # tables the subset does not hold come from babel's files
    out.append(Locale.parse(loc).languages["ja"])
    out.append(str(Locale.parse(loc).date_formats["long"]))
    out.append(len(Locale.parse(loc)._data))
out.append(get_territory_currencies("DE", datetime.date(2000, 1, 1)))
from babel.core import get_global
out.append(sorted(get_global("likely_subtags"))[:3])  # a global table the subset does not hold
out.append(str(Locale.parse("de_CH").number_symbols["latn"]["group"]))
print(json.dumps(out))
"""


def written(mode: str) -> list[Any]:
    run = subprocess.run(
        [sys.executable, "-c", WRITE, mode], capture_output=True, text=True, cwd=ROOT, check=True
    )
    import json

    found: list[Any] = json.loads(run.stdout)
    return found


def test_babel_writes_the_same_with_the_subset():
    ours, babels = written("subset"), written("babel")
    assert ours == babels
    assert len(ours) > 100 and "$2,500,000,000.00" in ours  # it wrote something (en_US dollars)


NUMBERS = [
    0,
    1,
    2,
    5,
    11,
    21,
    100,
    1000000,
    1.5,
    0.0,
    1.0,
    -1,
    "1",
    "1.0",
    "1.50",
    "0.5",
    "2E+6",
    "1000000.00",
    "-0",
    "3.1415",
]


@pytest.mark.parametrize("locale", cldr.LOCALES)
def test_each_bundled_plural_function_is_what_babel_compiles(locale):
    from decimal import Decimal

    from babel.plural import to_python

    from calc.cldr_plurals import PLURALS

    rule = get_locale_data(locale)["plural_form"]
    ours = PLURALS[repr(rule.abstract)]
    babels = to_python(rule)
    for n in NUMBERS:
        number = Decimal(n) if isinstance(n, str) else n
        assert ours(number) == babels(number), n
    assert {ours(Decimal(n)) for n in ("1", "2")} == {"one", "other"}  # both branches taken


def test_a_subset_made_from_another_babel_is_not_used(tmp_path, monkeypatch):
    with open(cldr.SUBSET_PATH, "rb") as file:
        other = pickle.load(file)
    other["made_from"]["files"] = {
        name: size + 1 for name, size in other["made_from"]["files"].items()
    }
    path = tmp_path / "subset.pickle"
    path.write_bytes(pickle.dumps(other))
    code = (
        "import calc.cldr as c, babel.core as b, babel.localedata as d, sys\n"
        f"c.SUBSET_PATH = {str(path)!r}\n"
        "c.install()\n"
        "print(b._global_data is None, 'en_US' in d._dict_cache)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert run.stdout.split() == ["True", "False"]


def test_convert_reads_none_of_babels_whole_files():
    """A conversion formats with the subset: babel's global data, its merged locale files and
    babel.dates (which unpickling them imports) stay unread."""
    code = (
        "import sys, io, contextlib\nfrom calc.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        "    main(['convert', '£2.5bn', '--to', 'USD', '--on', '2023-11-30'])\n"
        "import babel.core, babel.localedata\n"
        "print(type(babel.core._global_data).__name__, sorted(babel.localedata._cache),\n"
        "      'babel.dates' in sys.modules, '$3,164,076,972.95' in out.getvalue())\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert run.stdout.split() == ["_GlobalData", "[]", "False", "True"]


@pytest.mark.parametrize(
    "command",
    [
        ["convert", "£2.5bn", "--to", "USD", "--on", "2023-11-30"],
        ["convert", "¥2.26tn", "--to", "EUR", "--on", "2020-01-02"],
        ["report", "--compact", "--by-year"],
        ["report"],
        ["report", "--format", "json"],
        ["check", "£2.5bn", "$3.2bn", "--on", "2023-11-30"],
    ],
)
def test_a_short_command_compiles_nothing(command):
    """Nothing on these paths calls compile(): the first call sets up the syntax tree's types,
    a twentieth of a conversion (a string annotation in a TypedDict or NamedTuple does it, and
    so does a plural rule that babel compiles)."""
    code = (
        "import builtins, io, contextlib\n"
        "calls = []\n"
        "real = builtins.compile\n"
        # A module compiled from its .py (no .pyc yet, as under PYTHONDONTWRITEBYTECODE) is
        # not what this is about: only source compiled at run time counts.
        "builtins.compile = lambda *a, **k: (str(a[1]).endswith('.py') or calls.append(a[0]))"
        " and False or real(*a, **k)\n"
        "from calc.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        f"    main({command!r})\n"
        "print(repr(calls), bool(out.getvalue()))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert run.stdout.split() == ["[]", "True"]
