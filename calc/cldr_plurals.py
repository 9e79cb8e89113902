"""The plural rules of calc.cldr's locales, as the Python that babel.plural.to_python would
compile for them at run time (made by tools/make_codes.py; tests/test_cldr.py checks them).
"""

# ruff: noqa: RUF059 - babel's own lines: every operand is named, used or not

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from babel.plural import cldr_modulo as MOD
from babel.plural import extract_operands
from babel.plural import in_range_list as IN
from babel.plural import within_range_list as WITHIN

__all__ = ["PLURALS"]

_HELPERS = (MOD, IN, WITHIN)  # what a rule may call


def _rule_0(number: float | Decimal) -> str:
    n, i, v, w, f, t, c, e = extract_operands(number)
    if IN(i, [(1, 1)]) and IN(v, [(0, 0)]):
        return "one"
    return "other"


#: A rule (the repr of its PluralRule.abstract) -> its function.
PLURALS: dict[str, Callable[[float | Decimal], str]] = {
    "[('one', ('and', (('relation', ('in', ('i', ()), ('range_list', [(('value', (1,)), ('value', (1,)))]))), ('relation', ('in', ('v', ()), ('range_list', [(('value', (0,)), ('value', (0,)))]))))))]": _rule_0,
}
