"""Write what spendcalc takes from CLDR once, so that a command does not unpickle babel's files:

- rates/codes.py: the ISO 4217 currency codes (current and historic) and the ISO 3166-1 alpha-2
  country codes, as babel's CLDR knows them (tests/test_gate.py and tests/test_cldr.py check it);
- calc/data/cldr-subset.pickle: babel's tables that calc.cldr names, for its locales, taken from
  babel's own data, and calc/cldr_plurals.py: their plural rules as the Python babel compiles
  for them (tests/test_cldr.py checks both against babel).

    python tools/make_codes.py        # after a babel upgrade
"""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import babel
from babel import Locale
from babel.core import get_global
from babel.localedata import LocaleDataDict, get_locale_data
from babel.plural import _fallback_tag, _PythonCompiler

from calc.cldr import GLOBAL_KEYS, LOCALE_KEYS, LOCALES, SUBSET_PATH, source_files
from rates.ecb import bundled_history

CODES = Path(__file__).resolve().parent.parent / "rates" / "codes.py"
PLURALS = Path(__file__).resolve().parent.parent / "calc" / "cldr_plurals.py"


def plain(value: Any) -> Any:
    """`value` with babel's aliases resolved and its mappings as plain dicts."""
    if isinstance(value, LocaleDataDict | dict):
        return {key: plain(value[key]) for key in value}
    return value


def subset() -> dict[str, Any]:
    """The tables calc.cldr bundles, each pickled on its own, and the babel files they were taken
    from. A table that two locales have alike is one bytes object, which the pickle stores once.
    """
    seen: dict[bytes, bytes] = {}

    def pickled(table: Any) -> bytes:
        data = pickle.dumps(table, protocol=4)
        return seen.setdefault(data, data)

    return {
        "made_from": {"babel": babel.__version__, "files": source_files(LOCALES)},
        "global": {key: pickled(get_global(key)) for key in GLOBAL_KEYS},
        "locales": {
            name: {key: pickled(plain(get_locale_data(name)[key])) for key in LOCALE_KEYS}
            for name in LOCALES
        },
    }


def plurals_module() -> str:
    """calc/cldr_plurals.py: each bundled locale's plural rule as the function that
    babel.plural.to_python compiles for it (the same lines), keyed by the rule."""
    to_python = _PythonCompiler().compile
    rules = {
        repr(get_locale_data(n)["plural_form"].abstract): get_locale_data(n)["plural_form"]
        for n in LOCALES
    }
    lines = [
        '"""The plural rules of calc.cldr\'s locales, as the Python that babel.plural.to_python would',
        "compile for them at run time (made by tools/make_codes.py; tests/test_cldr.py checks them).",
        '"""',
        "",
        "# ruff: noqa: RUF059 - babel's own lines: every operand is named, used or not",
        "",
        "from __future__ import annotations",
        "",
        "from collections.abc import Callable",
        "from decimal import Decimal",
        "",
        "from babel.plural import cldr_modulo as MOD",
        "from babel.plural import extract_operands",
        "from babel.plural import in_range_list as IN",
        "from babel.plural import within_range_list as WITHIN",
        "",
        '__all__ = ["PLURALS"]',
        "",
        "_HELPERS = (MOD, IN, WITHIN)  # what a rule may call",
    ]
    names = {}
    for number, (key, rule) in enumerate(sorted(rules.items())):
        name = names[key] = f"_rule_{number}"
        lines += ["", "", f"def {name}(number: float | Decimal) -> str:"]
        lines.append("    n, i, v, w, f, t, c, e = extract_operands(number)")
        for tag, ast in rule.abstract:
            lines += [f"    if {to_python(ast)}:", f"        return {str(tag)!r}"]
        lines.append(f"    return {_fallback_tag!r}")
    lines += ["", "", "#: A rule (the repr of its PluralRule.abstract) -> its function."]
    lines.append("PLURALS: dict[str, Callable[[float | Decimal], str]] = {")
    lines += [f"    {key!r}: {name}," for key, name in names.items()]
    lines.append("}")
    return "\n".join(lines) + "\n"


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
    PLURALS.write_text(plurals_module(), encoding="utf-8")
    subprocess.run([sys.executable, "-m", "ruff", "format", "-q", str(PLURALS)], check=True)


if __name__ == "__main__":
    main()
