"""Amounts as the press words them: qualifiers, ranges and a conversion in brackets.

:func:`parse_press` reads ``"up to $5bn"``, ``"about £2.5bn"``, ``"$1.5bn+"``, ``"£2–3bn"``,
``"£2bn to £3bn"``, ``"between £2bn and £3bn"`` and ``"£2.5bn ($3.1bn)"`` into a
:class:`PressAmount`: the exact amount (:class:`~calc.money.Money`, the low end of a range), the
qualifier kept as written, the high end of a range, and the conversion the text gave. The
amount itself is read by :func:`calc.amounts.parse_amount`.

>>> p = parse_press("up to $5bn")
>>> p.qualifier, p.kind, p.money
('up to', 'at most', Money('5000000000', 'USD'))
>>> p = parse_press("£2–3bn")
>>> p.kind, p.money, p.high
('range', Money('2000000000', 'GBP'), Money('3000000000', 'GBP'))
"""

from __future__ import annotations

import re
from functools import cache
from typing import Literal

from rates.value import Value

from .amounts import parse_amount
from .errors import AmountParseError
from .money import Money

__all__ = ["QUALIFIERS", "PressAmount", "QualifierKind", "parse_press", "read_qualifier"]

#: What a qualifier says of the true figure X: near X either way, at least or at most X, or
#: just below or just above X (within the half of X's rounding on that side).
QualifierKind = Literal["approximate", "at least", "at most", "just below", "just above"]

#: Every qualifier read at the start of an amount, and what it claims. Lookups ignore case.
QUALIFIERS: dict[str, QualifierKind] = {
    "about": "approximate", "around": "approximate", "roughly": "approximate",
    "some": "approximate", "approximately": "approximate", "approx.": "approximate",
    "approx": "approximate", "circa": "approximate", "c.": "approximate", "ca.": "approximate",
    "~": "approximate", "≈": "approximate",
    "over": "at least", "more than": "at least", "at least": "at least", "above": "at least",
    "up to": "at most", "under": "at most", "less than": "at most", "at most": "at most",
    "below": "at most",
    "nearly": "just below", "almost": "just below", "just under": "just below",
    "just over": "just above",
}  # fmt: skip
#: A qualifier written after the amount ("$1.5bn+"): at least.
SUFFIX = "+"
#: Longest first, so that "just under" is read before "under".
_BY_LENGTH = sorted(QUALIFIERS, key=len, reverse=True)


# The patterns are compiled when first needed: most amounts are neither ranges nor bracketed
# (start-up time).
@cache
def _range_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Between the two ends of a range: "between ... and", a dash (en, em or hyphen) or "to";
    and the digits of an end."""
    return (
        re.compile(r"between\s+(?P<low>.*?[0-9].*?)\s+and\s+(?P<high>.*[0-9].*)", re.I),
        re.compile(r"(?P<low>.*?[0-9].*?)\s*(?:–|—|-|\bto\b)\s*(?P<high>.*[0-9].*)"),
        re.compile(r"[0-9][0-9.,\s]*"),
    )


@cache
def _bracketed() -> re.Pattern[str]:
    """An amount and, in brackets, a conversion of it."""
    return re.compile(r"(?P<amount>.*?\S)\s*\((?P<conversion>[^()]*[0-9][^()]*)\)")


class PressAmount(Value):
    """An amount as a text words it.

    :ivar text: the text, white space folded
    :ivar qualifier: the qualifier as written, in lower case (a key of :data:`QUALIFIERS`, or
        ``"+"``); None for none
    :ivar money: the amount (for a range, its low end)
    :ivar high: the high end of a range; None for a single amount
    :ivar conversion: the equivalent the text gives in brackets (``£2.5bn ($3.1bn)``), if any
    """

    __slots__ = ("text", "qualifier", "money", "high", "conversion")
    text: str
    qualifier: str | None
    money: Money
    high: Money | None
    conversion: PressAmount | None

    def __init__(
        self,
        text: str,
        qualifier: str | None,
        money: Money,
        high: Money | None = None,
        conversion: PressAmount | None = None,
    ) -> None:
        self._set(text=text, qualifier=qualifier, money=money, high=high, conversion=conversion)

    @property
    def kind(self) -> QualifierKind | Literal["exact", "range"]:
        """``range``, what the qualifier claims (:data:`QualifierKind`), or ``exact``."""
        return kind_of(self.qualifier, self.high is not None)


def kind_of(
    qualifier: str | None, ranged: bool = False
) -> QualifierKind | Literal["exact", "range"]:
    """What an amount with ``qualifier`` (or a range) claims: ``range``, a
    :data:`QualifierKind`, or ``exact``."""
    if ranged:
        return "range"
    if qualifier == SUFFIX:
        return "at least"
    return QUALIFIERS[qualifier] if qualifier else "exact"


def read_qualifier(text: str) -> tuple[str | None, str]:
    """The qualifier `text` starts with (None) and the rest; a word must be followed by a space.

    >>> read_qualifier("more than $5bn"), read_qualifier("overseas $5bn")
    (('more than', '$5bn'), (None, 'overseas $5bn'))
    """
    for word in _BY_LENGTH:
        head, rest = text[: len(word)], text[len(word) :]
        spaced = rest.startswith(" ") or not word[-1].isalpha()
        if head.lower() == word and spaced and rest.strip():
            return word, rest.strip()
    return None, text


def parse_press(text: str, *, locale: str | None = None) -> PressAmount:
    """Read an amount as the press words it (see the module's description).

    >>> parse_press("about £2.5bn").qualifier, parse_press("$1.5bn+").kind
    ('about', 'at least')
    >>> c = parse_press("£2.5bn ($3.1bn)").conversion
    >>> c.money
    Money('3100000000', 'USD')
    >>> parse_press("2.5 billion pounds").money
    Money('2500000000', 'GBP')

    :raises AmountParseError: if it is not an amount, or a range runs downwards or mixes
        currencies; the message names the whole text
    :raises TypeError: if `text` is not a str
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_press() reads a str, not {type(text).__name__}; use Money().")
    folded = " ".join(text.split())
    qualifier, rest = read_qualifier(folded)
    conversion = None
    bracketed = _bracketed().fullmatch(rest) if rest.endswith(")") else None
    if bracketed is not None:
        try:
            conversion = parse_press(bracketed["conversion"], locale=locale)
        except AmountParseError:
            conversion = None  # not an amount in brackets: read the whole text as it is
        else:
            rest = bracketed["amount"]
    if qualifier is None and rest.endswith(SUFFIX) and len(rest) > 1:
        qualifier, rest = SUFFIX, rest[:-1].rstrip()
    try:
        low, high = _amounts(rest, locale)
    except AmountParseError as exc:
        hint = _foreign_qualifier(rest) if qualifier is None else ""
        if rest == text and not hint:
            raise
        raise AmountParseError(text, exc.reason + hint, ambiguous=exc.ambiguous) from None
    return PressAmount(folded, qualifier, low, high, conversion)


def _amounts(text: str, locale: str | None) -> tuple[Money, Money | None]:
    """One amount, or the two ends of a range."""
    try:
        return parse_amount(text, locale=locale), None
    except AmountParseError as single:
        between, dash_or_to, _digits = _range_patterns()
        ends = between.fullmatch(text) or dash_or_to.fullmatch(text)
        if ends is None:
            raise
        found = _range(ends["low"], ends["high"], locale)
        if found is None:
            raise single from None
    low, high = found
    if low.currency != high.currency:
        raise AmountParseError(
            text, f"its ends are in {low.currency} and {high.currency}; give one currency."
        )
    if not low < high:
        raise AmountParseError(text, "the range runs downwards; write the smaller end first.")
    return low, high


def _range(low: str, high: str, locale: str | None) -> tuple[Money, Money] | None:
    """The ends of a range, each borrowing what it lacks from the other: '£2–3bn' is £2bn to
    £3bn (the scale and currency written once); None if they are not amounts."""
    after_digits = _range_patterns()[2]
    digits, first = after_digits.search(high), after_digits.search(low)
    scale = high[digits.end() :] if digits is not None else ""
    currency = low[: first.start()] if first is not None else ""
    low_texts = [low + scale, low] if low[-1:].isdigit() and scale else [low]
    high_texts = [high, currency + high]
    for low_text in low_texts:
        for high_text in high_texts:
            try:
                return parse_amount(low_text, locale=locale), parse_amount(high_text, locale=locale)
            except AmountParseError:
                continue
    return None


def _foreign_qualifier(text: str) -> str:
    """A hint for `text` that starts with a word that may be a qualifier in another language
    ('etwa 2,5 Mrd. €'), which is read in English only."""
    word, _, after = text.partition(" ")
    if len(word) < 2 or not word.isalpha() or (word.isupper() and len(word) == 3):
        return ""
    if not any(c.isdigit() for c in after):  # 'two billion': no figure for it to qualify
        return ""
    return (
        " If it is a qualifier, write it in English: qualifiers are read in English only"
        " ('about', 'up to', 'more than', ...)."
    )
