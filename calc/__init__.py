"""Money, amounts as the press writes them, conversion with provenance, commitments, reports.

>>> import datetime
>>> from calc import Converter, parse_amount
>>> c = Converter().convert(parse_amount("£2.5bn"), "USD", on=datetime.date(2023, 11, 30))
>>> c.result.rounded(), c.rate.fixing_date, c.rate.source
(Money('3164076972.95', 'USD'), datetime.date(2023, 11, 30), 'ECB reference rates (bundled)')

Names are imported when first used, so ``import calc`` costs next to nothing at start-up.
"""

from __future__ import annotations

from rates._lazy import lazy_exports

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)

#: Where each public name lives, by module.
_BY_MODULE = {
    "amounts": ("parse_amount",),
    "check": (
        "CheckResult",
        "check_conversion",
    ),
    "commitments": (
        "Commitment",
        "CommitmentSet",
        "load_commitments",
    ),
    "converter": (
        "Conversion",
        "Converter",
        "RatePolicy",
    ),
    "errors": (
        "AmountParseError",
        "CalcError",
        "CommitmentFileError",
        "CurrencyMismatchError",
        "ReportError",
        "UnknownCurrencyError",
        "UnknownLocaleError",
    ),
    "format": ("format_money",),
    "money": ("Money",),
    "render": ("render_report",),
    "report": (
        "Comparison",
        "CountryRow",
        "Report",
        "build_report",
    ),
}
_WHERE = {name: module for module, names in _BY_MODULE.items() for name in names}

__all__ = [
    "AmountParseError",
    "CalcError",
    "CheckResult",
    "Commitment",
    "CommitmentFileError",
    "CommitmentSet",
    "Comparison",
    "Conversion",
    "Converter",
    "CountryRow",
    "CurrencyMismatchError",
    "Money",
    "RatePolicy",
    "Report",
    "ReportError",
    "UnknownCurrencyError",
    "UnknownLocaleError",
    "build_report",
    "check_conversion",
    "format_money",
    "load_commitments",
    "parse_amount",
    "render_report",
]

if TYPE_CHECKING:  # pragma: no cover
    from .amounts import parse_amount
    from .check import CheckResult, check_conversion
    from .commitments import Commitment, CommitmentSet, load_commitments
    from .converter import Conversion, Converter, RatePolicy
    from .errors import (
        AmountParseError,
        CalcError,
        CommitmentFileError,
        CurrencyMismatchError,
        ReportError,
        UnknownCurrencyError,
        UnknownLocaleError,
    )
    from .format import format_money
    from .money import Money
    from .render import render_report
    from .report import Comparison, CountryRow, Report, build_report


__getattr__, __dir__ = lazy_exports(__name__, _WHERE, globals())
