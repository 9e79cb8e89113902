"""Is a conversion quoted in the press fair? The quoted equivalent against the ECB-based figure.

>>> import datetime
>>> from calc.money import Money
>>> result = check_conversion(Money("2500000000", "GBP"), Money("3000000000", "USD"),
...                           on=datetime.date(2023, 11, 30))
>>> result.fair, round(result.deviation, 3)
(False, Decimal('-0.052'))
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from decimal import Decimal

from .converter import Conversion, Converter
from .errors import ReportError
from .money import Money

__all__ = ["CheckResult", "check_conversion"]


@dataclass(frozen=True, slots=True)
class CheckResult:
    """A quoted conversion set against the ECB-based one.

    :ivar deviation: (quoted equivalent - ECB figure) / ECB figure, a fraction (-0.052 = -5.2 %)
    :ivar implied_rate: the rate the quoted figures imply: equivalent / original
    :ivar tolerance: the largest fair deviation, in percent
    """

    quoted: Money
    equivalent: Money
    conversion: Conversion
    deviation: Decimal
    implied_rate: Decimal
    tolerance: Decimal

    @property
    def fair(self) -> bool:
        """Whether the quoted equivalent lies within the tolerance of the ECB figure."""
        return abs(self.deviation) * 100 <= self.tolerance


def check_conversion(
    quoted: Money,
    equivalent: Money,
    *,
    on: _dt.date,
    tolerance: Decimal = Decimal(5),
    converter: Converter | None = None,
) -> CheckResult:
    """Is ``equivalent`` a fair conversion of ``quoted`` on ``on``? ``tolerance`` is in percent.

    :raises ReportError: if both amounts are in the same currency
    :raises rates.RateError: if there is no rate for that date
    """
    if quoted.currency == equivalent.currency:
        raise ReportError(
            f"{quoted} and {equivalent} are both in {quoted.currency}; a conversion check needs "
            "two currencies."
        )
    converter = converter or Converter()
    conversion = converter.convert(quoted, equivalent.currency, on=on)
    ecb = conversion.result
    deviation = (equivalent - ecb) / ecb
    implied = equivalent.amount / quoted.amount
    return CheckResult(quoted, equivalent, conversion, deviation, implied, Decimal(tolerance))
