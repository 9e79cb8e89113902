"""Locale formatting for people: the only module that writes locale-dependent text.

Everything here goes through babel with an explicit ``locale=``; the values themselves
(:class:`~calc.money.Money`) stay locale-free. babel is imported on first use (start-up time),
so importing this module adds almost nothing to a command that prints no number.

>>> format_money(Money('2500000000', 'GBP'), locale='en_GB', compact=True)
'£2.5bn'
>>> format_percent(Decimal('0.4167'), 'en_US'), territory_name('JP', 'de_DE')
('41.7%', 'Japan')
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, Context, Decimal, localcontext
from typing import TYPE_CHECKING

from calc.amounts import parse_amount
from calc.decimals import EXACT, ROUNDING_RULES, Rounding, plain
from calc.errors import AmountParseError, UnknownLocaleError
from calc.money import Money, _minor_unit

if TYPE_CHECKING:
    from babel import Locale

__all__ = [
    "COMPACT_DIGITS",
    "RATE_DIGITS",
    "babel_locale",
    "format_integer",
    "format_intl",
    "format_money",
    "format_number",
    "format_percent",
    "format_rate",
    "territory_name",
]


def babel_locale(locale: str) -> Locale:
    """The babel Locale for `locale`, or UnknownLocaleError naming it."""
    from babel import Locale  # babel on first use (start-up time)
    from babel.core import (
        UnknownLocaleError as BabelUnknownLocaleError,  # babel on first use (start-up time)
    )

    from calc.cldr import install

    install()
    try:
        return Locale.parse(locale)
    except (BabelUnknownLocaleError, ValueError, TypeError) as exc:
        raise UnknownLocaleError(locale) from exc


# --- Money amounts -------------------------------------------------------------------------

#: Significant digits a compact amount keeps: $2.91B, $2.5B, $9.9M.
COMPACT_DIGITS = 3


def format_money(
    money: Money, *, locale: str = "en_US", compact: bool = False, rounding: Rounding = "half-up"
) -> str:
    """Format `money` for people in `locale`, rounded once to the currency's minor units.

    The full form is exact to the minor unit, and :func:`calc.amounts.parse_amount` reads it
    back with the same `locale`. The compact form keeps up to three significant digits with no
    trailing zeros, where babel's own default would round to whole units. Both round by
    `rounding`: ``"half-up"`` (a tie away from zero) or ``"half-even"``.

    >>> format_money(Money('2909900000', 'USD'))
    '$2,909,900,000.00'
    >>> format_money(Money('2909900000', 'USD'), compact=True)
    '$2.91B'
    >>> format_money(Money('2500000000', 'GBP'), locale='de_DE', compact=True)
    '2,5\\xa0Mrd.\\xa0£'
    >>> format_money(Money('440000000000', 'JPY'), locale='ja_JP', compact=True)
    '￥4400億'

    :param money: the amount to format.
    :param locale: a babel locale identifier such as ``'en_GB'``.
    :param compact: short form with a scale word (``$2.91B``) instead of every digit.
    :param rounding: the rounding rule, ``"half-up"`` or ``"half-even"``.
    :raises UnknownLocaleError: if babel does not know `locale`.
    """
    from babel.numbers import (  # babel on first use (start-up time)
        format_compact_currency,
        get_currency_precision,
    )

    loc = babel_locale(locale)
    precision = get_currency_precision(money.currency)
    if not compact:
        return _full_form(money.rounded(rounding), loc)
    shown = _significant(money.amount, COMPACT_DIGITS, precision, rounding)
    # Below babel's first compact magnitude the number is shown as it is (up to `precision`
    # decimals); above it, babel divides to a mantissa >= 1, which needs at most 2 decimals.
    with localcontext(prec=abs(shown.adjusted()) + 30):
        text = format_compact_currency(
            shown,
            money.currency,
            locale=loc,
            fraction_digits=max(COMPACT_DIGITS - 1, precision),
        )
    if _compact_needs_checking(str(loc), loc) and not _reads_back(text, shown, money, locale):
        return _full_form(money.rounded(rounding), loc)
    return text


def _full_form(money: Money, loc: Locale) -> str:
    """Every digit to the minor unit, grouped as the locale groups them."""
    from babel.numbers import (  # babel on first use (start-up time)
        format_currency,
        get_group_symbol,
    )

    amount = money.amount
    with localcontext(prec=len(amount.as_tuple().digits) + 10):
        if "'" not in get_group_symbol(loc):
            return format_currency(amount, money.currency, locale=loc)
        # babel (2.19) takes a pair of ASCII apostrophes in its output for a quoted literal and
        # drops them, so "2'500'000'000" comes out as "2500000'000": group the digits here.
        text = format_currency(amount, money.currency, locale=loc, group_separator=False)
    primary, secondary = loc.currency_formats["standard"].grouping
    return _group_digits(text, get_group_symbol(loc), primary, secondary)


def _group_digits(text: str, symbol: str, primary: int, secondary: int) -> str:
    """`text` with the first run of digits (the integer part) grouped by `symbol`.

    >>> _group_digits("CHF 2500000000.00", "'", 3, 3)
    "CHF 2'500'000'000.00"
    """
    match = re.search("[0-9]+", text)
    if match is None:
        return text
    digits, groups = match.group(), list[str]()
    size = primary
    while len(digits) > size:
        groups.insert(0, digits[-size:])
        digits, size = digits[:-size], secondary
    grouped = symbol.join([digits, *groups])
    return text[: match.start()] + grouped + text[match.end() :]


def _compact_needs_checking(name: str, loc: Locale) -> bool:
    """Whether babel may mis-scale the compact forms of `loc` (called `name`), once per locale.

    babel (2.19) counts the zeros of a form's negative part too ("¤ 0B;¤ -0B" in sw), so it
    divides by a tenth of the magnitude and writes "£ 25B" for £2.5bn.
    """
    if name not in _NEEDS_CHECKING:
        _NEEDS_CHECKING[name] = any(
            ";" in pattern.pattern
            for table in loc.compact_currency_formats.values()
            for forms in table.values()
            for pattern in forms.values()
        )
    return _NEEDS_CHECKING[name]


_NEEDS_CHECKING: dict[str, bool] = {}


def _reads_back(text: str, shown: Decimal, money: Money, locale: str) -> bool:
    """Whether `text` reads back as `shown` of the money's currency."""
    try:
        back = parse_amount(text, locale=locale)
    except AmountParseError:
        return False
    return back.currency == money.currency and back.amount == shown


def _significant(
    amount: Decimal, digits: int, max_decimals: int, rounding: Rounding = "half-up"
) -> Decimal:
    """`amount` rounded by `rounding` to `digits` significant digits, and to `max_decimals`."""
    if amount.is_zero():
        return Decimal(0)
    exponent = max(amount.adjusted() - digits + 1, -max_decimals)
    with localcontext(prec=digits + 2):
        return amount.quantize(Decimal(1).scaleb(exponent), rounding=ROUNDING_RULES[rounding])


# --- Rates, percentages, other numbers, names ----------------------------------------------

#: Significant digits a rate shows in text; JSON carries every digit.
RATE_DIGITS = 10


def format_rate(value: Decimal, digits: int = RATE_DIGITS) -> str:
    """A rate for text: up to `digits` (default :data:`RATE_DIGITS`) significant digits, no
    exponent.

    >>> format_rate(Decimal('1.265630789181178214153390144'))
    '1.265630789'
    """
    with localcontext(prec=digits, rounding=ROUND_HALF_EVEN):
        shown = +value
    return plain(shown)


def format_rate_for(
    value: Decimal, source: Money, result: Money, rounding: Rounding = "half-up"
) -> tuple[str, bool]:
    """``value`` (the rate that took `source` to `result`) with as few digits as reproduce the
    shown result, and whether it does: `source` times the printed rate, rounded by `rounding`,
    is `result` rounded.

    At least :data:`RATE_DIGITS` significant digits; where 28 are not enough, the rate is
    shown to 28 and the flag is False (the caller says the rate shown is rounded).

    >>> rate = Decimal('1.265630789181178214153390144')
    >>> format_rate_for(rate, Money('2500000000', 'GBP'), Money('3164076972.95294553538', 'USD'))
    ('1.26563078918', True)
    """
    quantum = _minor_unit(result.currency)  # babel's data through calc.cldr, on first use
    rule = ROUNDING_RULES[rounding]
    target = result.amount.quantize(quantum, rule, EXACT)  # the result as shown
    shown = value
    for digits in range(RATE_DIGITS, 29):
        shown = _SIGNIFICANT[digits].plus(value)
        if EXACT.multiply(source.amount, shown).quantize(quantum, rule, EXACT) == target:
            return plain(shown), True
    return plain(shown), False


#: Rounding to so many significant digits, half-even, whatever the caller's context.
_SIGNIFICANT = {d: Context(prec=d, rounding=ROUND_HALF_EVEN) for d in range(RATE_DIGITS, 29)}


def format_intl(value: Decimal, locale: str, compact: bool) -> str:
    """International dollars: 'Int$' and the number, to the cent (or 3 significant digits).

    >>> format_intl(Decimal('1234.5'), 'en_US', compact=False)
    'Int$1,234.50'
    """
    from babel.numbers import (  # babel on first use (start-up time)
        format_compact_decimal,
        format_decimal,
    )

    if compact:
        shown = _significant(value, COMPACT_DIGITS, 2)
        with localcontext(prec=abs(shown.adjusted()) + 30):
            number = format_compact_decimal(shown, locale=babel_locale(locale), fraction_digits=2)
    else:
        number = format_decimal(
            value.quantize(Decimal("0.01")), "#,##0.00", locale=babel_locale(locale)
        )
    return f"Int${number}"


def format_percent(value: Decimal | None, locale: str) -> str:
    """A fraction as a percentage to one decimal (``0.4167`` is ``41.7%``); '' for None."""
    from babel.numbers import (
        format_percent as babel_format_percent,  # babel on first use (start-up time)
    )

    if value is None:
        return ""
    return babel_format_percent(value, "#,##0.0%", locale=babel_locale(locale))


def format_number(value: Decimal, locale: str, pattern: str = "#,##0.000") -> str:
    """A number in `locale` after a babel `pattern` (default: grouped, three decimals)."""
    from babel.numbers import format_decimal  # babel on first use (start-up time)

    return format_decimal(value, pattern, locale=babel_locale(locale))


def format_integer(value: int, locale: str) -> str:
    """A whole number, grouped as `locale` groups it (``3,000,000``)."""
    from babel.numbers import format_decimal  # babel on first use (start-up time)

    return format_decimal(value, locale=babel_locale(locale))


def territory_name(code: str, locale: str) -> str:
    """The name of the country `code` in `locale` (``'JP'`` is ``'Japan'``); the code if unknown."""
    return str(babel_locale(locale).territories.get(code, code))
