"""Read amounts the way the press writes them: ``'£2.5bn'`` -> ``Money('2500000000', 'GBP')``.

An amount is an optional currency before the number, the number, optional scale words, and
an optional currency after them; exactly one currency must be named (or the same one twice)::

    £2.5bn   $2.9 billion   US$17.5bn   ₹25,700 crore   Rs 1.5 lakh crore   RM8.3bn
    SEK 33.7bn   33.7bn SEK   2,500,000,000 GBP   4400億円   2兆2600億円   CHF 400m
    2,5 Mrd. €   3,2 milliards d'euros    (with locale='de_DE' / locale='fr_FR')

The tables below are the whole vocabulary without a locale; a locale adds its own separators,
CLDR compact words ("Mrd.", "milliards"), currency symbols and currency names, which win over
these defaults (so in fr_FR, "Bn" is a French billion, 10**12). Lookups are case-insensitive.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from functools import cache

from calc.decimals import EXACT
from calc.errors import AmountParseError, UnknownLocaleError
from calc.money import Money

__all__ = ["parse_amount", "parse_amount_and_unit"]

#: Marks, prefixes and names as the English-language press writes them. A bare "$" is USD.
_SYMBOLS = {
    "$": "USD", "US$": "USD", "A$": "AUD", "AU$": "AUD", "C$": "CAD", "CA$": "CAD",
    "NZ$": "NZD", "S$": "SGD", "HK$": "HKD", "R$": "BRL", "MX$": "MXN", "NT$": "TWD",
    "£": "GBP", "€": "EUR", "¥": "JPY", "JP¥": "JPY", "円": "JPY", "CN¥": "CNY", "RMB": "CNY",
    "₹": "INR", "Rs": "INR", "Rs.": "INR", "₩": "KRW", "원": "KRW", "RM": "MYR", "₽": "RUB",
    "₺": "TRY", "₪": "ILS", "₱": "PHP", "฿": "THB", "₫": "VND", "₦": "NGN", "₴": "UAH",
    "zł": "PLN", "Kč": "CZK", "euro": "EUR", "euros": "EUR", "sterling": "GBP",
    "pounds sterling": "GBP", "US dollars": "USD", "yen": "JPY", "yuan": "CNY", "renminbi": "CNY",
    "pound": "GBP", "pounds": "GBP", "dollar": "USD", "dollars": "USD", "rupee": "INR",
    "rupees": "INR", "won": "KRW",
}  # fmt: skip
#: Bare symbols that several currencies share: refused unless locale= settles them.
_AMBIGUOUS = {
    "kr": ("SEK", "NOK", "DKK", "ISK"),
    "kr.": ("SEK", "NOK", "DKK", "ISK"),
    "₨": ("INR", "PKR", "LKR", "NPR"),
    "元": ("CNY", "TWD", "HKD"),
}
#: Scale words and the power of ten each stands for.
_SCALES = {
    "thousand": 3, "k": 3, "million": 6, "m": 6, "mn": 6, "mln": 6,
    "billion": 9, "b": 9, "bn": 9, "bln": 9, "trillion": 12, "tn": 12, "t": 12, "trn": 12,
    "lakh": 5, "lakhs": 5, "lac": 5, "crore": 7, "crores": 7, "cr": 7,
    "lakh crore": 12, "lakh crores": 12, "万": 4, "萬": 4, "億": 8, "亿": 8, "兆": 12, "万亿": 12,
}  # fmt: skip
#: What may stand between a scale word and a currency name ("milliards d'euros").
_CONNECTORS = ("d'", "d’", "de ", "di ")
#: Full-width forms to ASCII, every space to " ", the minus sign to "-", bidi marks dropped.
_FOLD = {
    **{c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)},
    **dict.fromkeys([0xA0, 0x1680, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000], " "),
    **dict.fromkeys([0x200B, 0x200E, 0x200F, 0x061C, 0xFEFF, *range(0x2066, 0x206A)]),
    0x2212: "-", 0xFFE5: "¥", 0xFFE1: "£", 0xFFE6: "₩", 0xFFE0: "¢",
}  # fmt: skip
_DIGIT = re.compile(r"[0-9]")
_NAN = re.compile(r"\b(?:nan|inf|infinity)\b", re.IGNORECASE)


def parse_amount(text: str, *, locale: str | None = None) -> Money:
    """Read a positive amount of money written as the press writes it.

    Without `locale`, "." is the decimal point and "," groups digits (in threes, or the Indian
    way: ``1,50,000``); with one, that locale's separators, compact words and currency symbols
    and names are read too. A bare ``$`` is USD; ``kr``/``kr.`` (SEK, NOK, DKK, ISK), ``₨``
    (INR, PKR, LKR, NPR) and ``元`` (CNY, TWD, HKD) are refused as ambiguous unless the locale
    gives them a meaning. Scales are applied exactly, in Decimal.

    >>> parse_amount('£2.5bn')
    Money('2500000000', 'GBP')
    >>> parse_amount('₹25,700 crore'), parse_amount('2兆2600億円')
    (Money('257000000000', 'INR'), Money('2260000000000', 'JPY'))
    >>> parse_amount('2,5 Mrd. €', locale='de_DE')
    Money('2500000000', 'EUR')

    :param text: the amount, e.g. ``'US$17.5bn'``, ``'SEK 33.7bn'`` or ``'2500000000 GBP'``.
    :param locale: a babel locale identifier such as ``'de_DE'``, or None for the defaults.
    :raises AmountParseError: if `text` is not one positive amount in one currency: empty,
        no figures, negative, zero, no currency or an ambiguous one, or anything left over.
    :raises UnknownLocaleError: if babel does not know `locale`.
    :raises TypeError: if `text` is not a str.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_amount() reads a str, not {type(text).__name__}; use Money().")
    return parse_amount_and_unit(text, locale=locale)[0]


def parse_amount_and_unit(text: str, *, locale: str | None = None) -> tuple[Money, Decimal]:
    """:func:`parse_amount`, and the place value of the amount's last significant digit as written.

    Every digit after the decimal mark counts, zeros too; trailing zeros of a whole number
    are placeholders, as in the rules of significant figures (``3,000,000,000`` is written to
    the nearest billion, like ``3bn``). Of amounts in parts (``2兆2600億``) the smallest sets it.

    >>> parse_amount_and_unit('$3.16bn')
    (Money('3160000000', 'USD'), Decimal('1E+7'))
    >>> [parse_amount_and_unit(t)[1] for t in ('$3bn', '$3.0bn', '3,000,000,000 USD', '$3,164.05')]
    [Decimal('1E+9'), Decimal('1E+8'), Decimal('1E+9'), Decimal('0.01')]

    :raises AmountParseError: as :func:`parse_amount` does.
    :raises UnknownLocaleError: if babel does not know `locale`.
    :raises TypeError: if `text` is not a str.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_amount() reads a str, not {type(text).__name__}; use Money().")
    money, value = _grammar(None if locale is None else str(locale)).parse(text)
    return money, Decimal(1).scaleb(int(value.as_tuple().exponent))


class _Grammar:
    """Everything one locale (or none) lets an amount contain (made once per locale, cached)."""

    __slots__ = (
        "currencies", "locale", "number", "scale_lengths", "scales", "separators", "templates",
    )  # fmt: skip

    def __init__(
        self,
        *,
        locale: str | None,
        number: re.Pattern[str],
        separators: str,
        scales: dict[str, int],
        scale_lengths: tuple[int, ...],
        currencies: dict[str, str],
        templates: tuple[tuple[re.Pattern[str], int, int], ...] = (),
    ) -> None:
        self.locale = locale
        self.number = number
        self.separators = separators
        self.scales = scales
        self.scale_lengths = scale_lengths
        self.currencies = currencies
        #: The locale's compact currency forms: (pattern, power of ten, integer digits shown).
        self.templates = templates

    def parse(self, text: str) -> tuple[Money, Decimal]:
        """The amount, and its value as read (its exponent: the last significant digit's place)."""
        try:
            return self._parse(text)
        except _Refused as refused:
            raise AmountParseError(text, str(refused), ambiguous=refused.ambiguous) from None

    def _parse(self, text: str) -> tuple[Money, Decimal]:
        s = " ".join(text.translate(_FOLD).split())
        if not s:
            raise _Refused("the text is empty." if not text else "it is blank.")
        # A number with only currency around it ('0,01 NT$') is read as that before any reading
        # with scale words ('NT' + '$', a trillion dollars in vi) is tried.
        found = self._plain(s)
        if found is None:
            found = self._compact(s)
        if found is not None:
            return found
        first = _DIGIT.search(s)
        if first is None:
            if _NAN.search(s):
                raise _Refused("NaN and infinity are not amounts of money.")
            raise _Refused(
                "it has no figures; write the number in digits, e.g. '£2bn'." + _mangled(s)
            )
        head = s[: first.start()].strip()
        if head.startswith("-") or (head.endswith("-") and self._is_currency(head[:-1])):
            raise _Refused("it is negative; only positive amounts are read.")
        before = self._currency(head, s, "before the number") if head else None
        self._check_digits(s, first.start())
        unread = []
        # A reading that splits a word ('B' + 'R$' in 'BR$') is tried only after the others.
        readings = sorted(self._readings(s, first.start(), None), key=lambda r: _splits(s, r[1]))
        for value, tail in readings:
            after = self._currency(tail, s) if tail else None
            if tail and after is None:
                unread.append(tail)
                continue
            if before and after and before != after:
                raise _Refused(f"it names two currencies, {before} and {after}; keep one.")
            if not (before or after):
                raise _Refused(
                    "it names no currency; add one, e.g. '£2.5bn' or '2.5bn GBP'." + _mangled(s)
                )
            if value.is_zero():
                raise _Refused("it is zero; leave an undisclosed amount empty, not 0.")
            code = before or after
            assert code is not None  # one of them is, as checked above
            try:
                return Money(value, code), value
            except AmountParseError as exc:  # an absurd exponent
                raise _Refused(exc.reason) from None
        # The first reading left is the one that did not split a word: 'for AI' in '£2.5bn for AI'.
        raise _Refused(
            f"{unread[0]!r} after the number is not a scale word or currency I know;"
            " remove it, or write the currency as an ISO code such as 'GBP'."
        )

    def _plain(self, s: str) -> tuple[Money, Decimal] | None:
        """`s` read as a number with nothing but one currency before or after it, else None."""
        first = _DIGIT.search(s)
        if first is None:
            return None
        match = self.number.match(s, first.start())
        if match is None:
            return None
        head, tail = s[: first.start()].strip(), s[match.end() :].strip()
        try:
            codes = {self._currency(part, s) for part in (head, tail) if part}
        except _Refused:
            return None
        value = self._number(match.group())
        code = codes.pop() if len(codes) == 1 else None
        if code is None or value.is_zero():
            return None
        try:
            return Money(value, code), value
        except AmountParseError:
            return None

    def _compact(self, s: str) -> tuple[Money, Decimal] | None:
        """`s` read as one of the locale's compact currency forms, exactly as babel writes them.

        Some locales put the scale word before the number or glue it to the symbol ('£ akl 2,5'
        in blo, '£බි2.5' in si), and some use one word for several powers of ten, told apart by
        how many integer digits the form shows (sw: '£ 25B' is 25 x 10^8). Of the forms whose
        words match, the one showing as many integer digits as `s` has wins.
        """
        best: tuple[int, Money, Decimal] | None = None
        for template, exponent, zeros in self.templates:
            match = template.fullmatch(s)
            if match is None or not self.number.fullmatch(match["number"]):
                continue
            code = self.currencies.get(match["currency"].strip().lower())
            if code is None:
                continue
            whole = match["number"].split(self.separators[0])[0]
            distance = abs(sum(c.isdigit() for c in whole) - zeros)
            if best is None or distance < best[0]:
                value = self._number(match["number"]).scaleb(exponent, EXACT)
                if value.is_zero():
                    return None
                best = (distance, Money(value, code), value)
        return None if best is None else best[1:]

    def _number(self, text: str) -> Decimal:
        decimal_mark = self.separators[0]
        digits = "".join(c for c in text if c.isdigit() or c == decimal_mark)
        if decimal_mark in digits:
            return Decimal(digits.replace(decimal_mark, "."))
        # A whole number's trailing zeros are placeholders: 3000 is 3E+3, to the nearest thousand.
        return Decimal(digits).normalize(EXACT)

    def _readings(self, s: str, pos: int, below: int | None) -> Iterator[tuple[Decimal, str]]:
        """Yield (value, rest of text) for each way to read a number and its scale words at pos.

        Longer scale words come first; after a scale word, more (number, smaller scale) parts
        may follow and are added (2兆2600億, 1bn 500m).
        """
        match = self.number.match(s, pos)
        if match is None:
            return
        number = self._number(match.group())
        rest = s[match.end() :].lstrip()
        for length in self.scale_lengths:
            exponent = self.scales.get(rest[:length].lower())
            if exponent is None or (below is not None and exponent >= below):
                continue
            scaled = number.scaleb(exponent, EXACT)
            after = rest[length:].lstrip()
            if _DIGIT.match(after):
                for more, tail in self._readings(after, 0, exponent):
                    yield EXACT.add(scaled, more), tail
            yield scaled, after
        if below is None:
            yield number, rest

    def _check_digits(self, s: str, pos: int) -> None:
        """Refuse digits the number pattern stops short of, such as '2,5' without a locale."""
        match = self.number.match(s, pos)
        end = match.end() if match is not None else pos
        if end + 1 < len(s) and s[end] in self.separators and _DIGIT.match(s, end + 1):
            run = re.match(r"[0-9]+(?:[^0-9A-Za-z][0-9]+)*", s[pos:])
            figures = run.group() if run is not None else s[pos:end]
            marks = (
                f"{self.separators[1]!r} groups digits and {self.separators[0]!r} starts decimals"
            )
            if self.locale is None:
                fix = f"here {marks}; for a decimal comma pass a locale, e.g. locale='de_DE'"
            else:
                fix = f"in {self.locale} {marks}"
            raise _Refused(f"{figures!r} is not a number as written: {fix}.")

    def _is_currency(self, token: str) -> bool:
        token = token.strip()
        return not token or token.lower() in self.currencies

    def _currency(self, token: str, s: str, where: str = "") -> str | None:
        """The code `token` names; None if it names none, unless `where` asks to refuse."""
        key = token.lower()
        for candidate in [key] + [key[len(c) :].lstrip() for c in _CONNECTORS if key.startswith(c)]:
            code = self.currencies.get(candidate)
            if code is not None:
                return code
            choices = _AMBIGUOUS.get(candidate)
            if choices:
                example = s.replace(token, choices[0], 1)
                raise _Refused(
                    f"{token!r} is used by {', '.join(choices[:-1])} and {choices[-1]};"
                    f" write the ISO code instead, e.g. {example!r}.",
                    ambiguous=choices,
                )
        if where:
            raise _Refused(
                f"{token!r} {where} is not a currency symbol or code I know;"
                " write the ISO code instead, e.g. 'GBP 2.5bn'." + _mangled(s)
            )
        return None


def _mangled(s: str) -> str:
    """A hint about the shell, where `s` looks like what it leaves of a '$' amount (what is left
    of '$2.9bn' or '$Abn' after a shell took '$2' or '$A' for a variable)."""
    shell_mangled = re.compile(  # compiled for a refused amount only (start-up time)
        r"(?:\.[0-9][0-9.,]*|[A-Za-z]?)\s*(?:bn|b|m|mn|k|tn|t|billion|million|trillion)", re.I
    )
    if shell_mangled.fullmatch(s):
        return (
            " If you typed it after $ in double quotes, the shell took '$' and what followed "
            "for a variable: put it in single quotes ('$2.9bn') or write USD 2.9bn."
        )
    return ""


def _splits(s: str, tail: str) -> bool:
    """Whether `tail` (a suffix of `s`) starts inside a word, as 'R$' does in 'BR$'."""
    before, first = s[len(s) - len(tail) - 1], tail[:1]
    return before.lower() != before.upper() and first.lower() != first.upper()


class _Refused(Exception):
    """Why the text being parsed is not an amount; parse() turns it into AmountParseError."""

    def __init__(self, reason: str, *, ambiguous: tuple[str, ...] = ()) -> None:
        super().__init__(reason)
        self.ambiguous = ambiguous


def _fold(word: str) -> str:
    return " ".join(word.translate(_FOLD).split()).lower()


@cache
def _grammar(locale: str | None) -> _Grammar:
    currencies = {_fold(symbol): code for symbol, code in _SYMBOLS.items()}
    scales = dict(_SCALES)
    separators = ".,"
    forms: list[tuple[str, int, int]] = []
    grouping = (3, 3)
    if locale is not None:
        separators, grouping = _add_locale(locale, currencies, scales, forms)
    from rates.codes import ISO_4217

    currencies.update((code.lower(), code) for code in ISO_4217)
    decimal_mark, group = re.escape(separators[0]), "".join(map(re.escape, separators[1:]))
    # Groups of three, the Indian way (1,50,000), and the locale's own if it has others.
    primary, secondary = grouping
    own = (
        rf"[0-9]{{1,{secondary}}}(?:[{group}][0-9]{{{secondary}}})*[{group}][0-9]{{{primary}}}|"
        if grouping not in ((3, 3), (3, 2))
        else ""
    )
    number = (
        rf"(?:{own}[0-9]{{1,3}}(?:[{group}][0-9]{{3}})+|[0-9]{{1,2}}(?:[{group}][0-9]{{2}})+"
        rf"[{group}][0-9]{{3}}|[0-9]+)(?:{decimal_mark}[0-9]+)?"
    )
    return _Grammar(
        locale=locale,
        number=re.compile(number),
        separators=separators,
        scales=scales,
        scale_lengths=tuple(sorted({len(w) for w in scales}, reverse=True)),
        currencies=currencies,
        templates=tuple(
            (_template(form, number), exponent, zeros)
            for form, exponent, zeros in sorted(set(forms))
        ),
    )


def _template(form: str, number: str) -> re.Pattern[str]:
    """A regex for a compact currency form, folded as input is ('\x01' currency, '\x02' number)."""
    parts = re.split("([\x01\x02])", " ".join(form.translate(_FOLD).split()))
    pieces = []
    for part in parts:
        if part == "\x01":
            pieces.append(" ?(?P<currency>[^0-9]+?) ?")
        elif part == "\x02":
            pieces.append(f"(?P<number>{number})")
        else:
            pieces.append(re.escape(part))
    return re.compile("".join(pieces))


def _add_locale(
    locale: str,
    currencies: dict[str, str],
    scales: dict[str, int],
    forms: list[tuple[str, int, int]],
) -> tuple[str, tuple[int, int]]:
    """Add `locale`'s names, symbols, compact words and compact currency forms (to `forms`, as
    (form, power of ten, integer digits)); return its decimal mark + group marks, and its digit
    grouping (primary, secondary).
    """
    from babel import Locale
    from babel.core import UnknownLocaleError as BabelUnknownLocaleError
    from babel.numbers import get_currency_name, get_decimal_symbol, get_group_symbol

    from calc.cldr import install

    install()
    try:
        loc = Locale.parse(locale)
    except (BabelUnknownLocaleError, ValueError, TypeError) as exc:
        raise UnknownLocaleError(locale) from exc
    # One count per plural form the locale gives 1, 2 and a million ("pound", "pounds").
    counts = {loc.plural_form(count): count for count in (1000000, 2, 1)}.values()
    for code in loc.currencies:
        for count in counts:
            currencies[_fold(get_currency_name(str(code), count, loc))] = str(code)
    symbols = {_fold(symbol): code for code, symbol in loc.currency_symbols.items()}
    currencies.update((symbol.rstrip("."), code) for symbol, code in symbols.items())  # kr. -> kr
    currencies.update(symbols)
    words: dict[str, set[int]] = {}
    currency_tables = list(loc.compact_currency_formats.values())
    tables = [*loc.compact_decimal_formats.values(), *currency_tables]
    for table in tables:
        for by_magnitude in table.values():
            for magnitude, pattern in by_magnitude.items():
                text = pattern.pattern.split(";")[0]
                zeros = text.count("0")
                unquoted = text.replace("''", "\0").replace("'", "").replace("\0", "'")
                if zeros and "¤" in unquoted and table in currency_tables:
                    form = re.sub("0+", "\x02", unquoted.replace("¤", "\x01"))
                    forms.append((form, len(magnitude) - zeros, zeros))
                word = _fold(unquoted.replace("0", "").replace("¤", ""))
                for variant in {word, word.rstrip(".")} if zeros else ():
                    if variant:
                        words.setdefault(variant, set()).add(len(magnitude) - zeros)
    scales.update((word, exps.pop()) for word, exps in words.items() if len(exps) == 1)
    decimal_mark = get_decimal_symbol(loc).translate(_FOLD)
    group = get_group_symbol(loc).translate(_FOLD)
    group += "'" if group == "’" else "’" if group == "'" else ""
    primary, secondary = loc.currency_formats["standard"].grouping
    return decimal_mark + group, (primary, secondary)
