"""Write what spendcalc takes from CLDR once, so that a command does not unpickle babel's files:

- rates/codes.py: the ISO 4217 currency codes (current and historic) and the ISO 3166-1 alpha-2
  country codes, as babel's CLDR knows them (tests/test_gate.py and tests/test_cldr.py check it);
- calc/data/cldr-subset.pickle: babel's tables that calc.cldr names, for its locales, taken from
  babel's own data (tests/test_cldr.py checks they equal babel's).

    python tools/make_codes.py        # after a babel upgrade
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import babel
from babel import Locale
from babel.core import get_global
from babel.localedata import LocaleDataDict, get_locale_data

from calc.cldr import GLOBAL_KEYS, LOCALE_KEYS, LOCALES, SUBSET_PATH, source_files
from rates.ecb import bundled_history

CODES = Path(__file__).resolve().parent.parent / "rates" / "codes.py"


def plain(value: Any) -> Any:
    """`value` with babel's aliases resolved and its mappings as plain dicts."""
    if isinstance(value, LocaleDataDict | dict):
        return {key: plain(value[key]) for key in value}
    return value


def subset() -> dict[str, Any]:
    """The tables calc.cldr bundles, and the babel files they were taken from. A table that
    two locales have alike is one object, which the pickle stores once."""
    seen: dict[bytes, Any] = {}

    def shared(table: Any) -> Any:
        return seen.setdefault(pickle.dumps(table, protocol=4), table)

    return {
        "made_from": {"babel": babel.__version__, "files": source_files(LOCALES)},
        "global": {key: get_global(key) for key in GLOBAL_KEYS},
        "locales": {
            name: {key: shared(plain(get_locale_data(name)[key])) for key in LOCALE_KEYS}
            for name in LOCALES
        },
    }


def territories() -> list[str]:
    """ISO 3166-1 alpha-2 codes: CLDR's two-letter territories."""
    return sorted(c for c in Locale("en").territories if len(c) == 2 and c.isalpha())


def main() -> None:
    iso = sorted(set(get_global("all_currencies")) | set(bundled_history().currencies))
    # one line each: a block of look-alike lines would read as repeated code
    CODES.write_text(
        '"""ISO 4217 currency codes, current and historic, and ISO 3166-1 alpha-2 country codes\n'
        '(made by tools/make_codes.py from CLDR)."""\n'
        "\n"
        f'_CODES = "{" ".join(iso)}"\n'
        "#: Every code a fixing may carry: ISO 4217 as CLDR lists it, the ECB's own list included.\n"
        "ISO_4217 = frozenset(_CODES.split())\n"
        f'_COUNTRIES = "{" ".join(territories())}"\n'
        "#: Every country a commitment may name: CLDR's two-letter territories.\n"
        "ISO_3166 = frozenset(_COUNTRIES.split())\n",
        encoding="utf-8",
    )
    Path(SUBSET_PATH).write_bytes(pickle.dumps(subset(), protocol=4))


if __name__ == "__main__":
    main()
