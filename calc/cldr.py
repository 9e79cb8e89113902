"""The part of babel's CLDR data that spendcalc's own locales use, bundled so that a command loads
a few kilobytes instead of babel's whole files; babel still does all the formatting.

A command that prints one amount needs a dozen of babel's tables (number symbols, currency
patterns and symbols, plural rules, territory names), but babel unpickles its global data
(470 kB) to look up a currency's minor units and merges three locale files (400 kB, dates,
units and time zones included) before it formats a number: about a third of ``spendcalc
convert``, and the first plural rule it uses is compiled (compiling anything at all first sets
up Python's syntax tree types, a twentieth of a conversion). ``calc/data/cldr-subset.pickle``
holds those tables for :data:`LOCALES`, taken from babel's own data, and
:mod:`calc.cldr_plurals` their plural rules as the Python babel would compile (both made by
``tools/make_codes.py``); :func:`install` gives them to babel the way babel caches its own. Anything else babel asks for (another table, another locale) is read
from babel's files as usual, so the output is babel's in every case; the subset is used only when
it was made from the babel files installed (its version and file sizes), never for another
babel.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterator, Mapping
from typing import Any

__all__ = ["GLOBAL_KEYS", "LOCALES", "LOCALE_KEYS", "SUBSET_PATH", "install", "source_files"]

#: The locales bundled: the CLI's default and the one country names are written in.
LOCALES = ("en", "en_US")

#: babel's locale tables a number, an amount, a percentage or a country name is written with.
LOCALE_KEYS = (
    "compact_currency_formats",
    "compact_decimal_formats",
    "currency_formats",
    "currency_names",
    "currency_names_plural",
    "currency_symbols",
    "currency_unit_patterns",
    "decimal_formats",
    "default_numbering_system",
    "number_symbols",
    "numbering_systems",
    "percent_formats",
    "plural_form",
    "scientific_formats",
    "territories",
)

#: babel's global tables: minor units, legal tender, the codes, how locales inherit.
GLOBAL_KEYS = ("all_currencies", "currency_fractions", "parent_exceptions", "territory_currencies")

SUBSET_PATH = os.path.join(os.path.dirname(__file__), "data", "cldr-subset.pickle")

_installed = False


def source_files(locales: tuple[str, ...] = LOCALES) -> dict[str, int]:
    """The babel files the subset is taken from (relative to babel's package) and their sizes:
    its global data and each locale's file with the ones it inherits from."""
    import babel
    from babel.core import get_global

    base = os.path.dirname(babel.__file__)
    names = {"global.dat"}
    for locale in locales:
        name: str | None = locale
        while name:
            names.add(os.path.join("locale-data", f"{name}.dat"))
            if name == "root":
                break
            parent = get_global("parent_exceptions").get(name)
            name = parent or ("root" if "_" not in name else name.rsplit("_", 1)[0])
    return {name: os.path.getsize(os.path.join(base, name)) for name in sorted(names)}


def _fingerprint_matches(made_from: Mapping[str, Any]) -> bool:
    import babel

    if made_from.get("babel") != babel.__version__:
        return False
    base = os.path.dirname(babel.__file__)
    try:
        return all(
            os.path.getsize(os.path.join(base, name)) == size
            for name, size in made_from["files"].items()
        )
    except OSError:
        return False


def install() -> None:
    """Give babel the bundled tables, once per process, if they were made from its own files.

    Nothing is replaced that babel has already loaded, and nothing changes if the subset is
    missing or was made from another babel.
    """
    global _installed
    if _installed:
        return
    _installed = True
    import babel.core
    import babel.localedata

    try:
        with open(SUBSET_PATH, "rb") as file:
            subset = pickle.load(file)
    except (OSError, pickle.UnpicklingError, AttributeError, ImportError, EOFError):
        return
    if not _fingerprint_matches(subset["made_from"]):
        return
    # babel keeps its global data in babel.core._global_data (None until first read) and each
    # locale's in babel.localedata._dict_cache; both are read through get_global() and
    # Locale._data, which are unchanged.
    core: Any = babel.core
    if getattr(core, "_global_data", False) is None:
        core._global_data = _GlobalData(subset["global"])  # noqa: SLF001 - see above
    cache = getattr(babel.localedata, "_dict_cache", None)
    if isinstance(cache, dict):
        for name, tables in subset["locales"].items():
            if name not in cache:
                data: Any = _LocaleData(name, tables)
                cache[name] = babel.localedata.LocaleDataDict(data)


def _table(name: str, pickled: bytes) -> Any:
    """A bundled table (each is pickled on its own, so a command unpickles only those it uses);
    a plural rule gets its function from :mod:`calc.cldr_plurals` (babel would compile it)."""
    table = pickle.loads(pickled)
    if name == "plural_form" and isinstance(getattr(table, "abstract", None), list):
        from .cldr_plurals import PLURALS

        function = PLURALS.get(repr(table.abstract))  # the function made from this very rule
        if function is not None:
            table._func = function  # noqa: SLF001 - what PluralRule.__call__ would compile
    return table


class _GlobalData(dict[str, Any]):
    """babel's global data: the bundled tables (unpickled when first asked for), and babel's own
    file for any other."""

    def __init__(self, pickled: dict[str, bytes]) -> None:
        super().__init__()
        self.pickled = pickled

    def get(self, key: str, default: Any = None) -> Any:
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        if key in self.pickled:
            value = self[key] = _table(key, self.pickled[key])
            return value
        return self._whole().get(key, default)

    def __missing__(self, key: str) -> Any:
        if key in self.pickled:
            value = self[key] = _table(key, self.pickled[key])
            return value
        return self._whole()[key]

    def _whole(self) -> Mapping[str, Any]:
        """babel's own global data, read by babel (once)."""
        import babel.core

        core: Any = babel.core
        if core._global_data is self:  # noqa: SLF001 - install() says why
            core._global_data = None  # noqa: SLF001
        core.get_global("currency_fractions")  # babel reads its file
        whole: Mapping[str, Any] = core._global_data  # noqa: SLF001
        return whole


class _LocaleData(dict[str, Any]):
    """One locale's data: the bundled tables (unpickled when first asked for), then babel's
    merged file for any other table, or for a look at every table (iterating, ``len``, a copy).
    """

    def __init__(self, name: str, pickled: dict[str, bytes]) -> None:
        super().__init__()
        self.name = name
        self.pickled = pickled
        self.whole = False

    def __missing__(self, key: str) -> Any:
        if key in self.pickled:
            value = _table(key, self.pickled[key])
        else:
            from babel.localedata import load

            value = load(self.name)[key]
        self[key] = value
        return value

    def _fill(self) -> None:
        if not self.whole:
            from babel.localedata import load

            for key in self.pickled:
                if not dict.__contains__(self, key):
                    self.__missing__(key)  # unpickled, as babel would have it
            for key, value in load(self.name).items():
                self.setdefault(key, value)
            self.whole = True

    def __iter__(self) -> Iterator[str]:
        self._fill()
        return super().__iter__()

    def __len__(self) -> int:
        self._fill()
        return super().__len__()

    def copy(self) -> dict[str, Any]:
        self._fill()
        return dict(self)

    def keys(self) -> Any:
        self._fill()
        return super().keys()

    def items(self) -> Any:
        self._fill()
        return super().items()

    def values(self) -> Any:
        self._fill()
        return super().values()
