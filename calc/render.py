"""Format values for people: the only module that writes locale-dependent text.

Everything here goes through babel with an explicit ``locale=``; the values themselves
(:class:`~calc.money.Money`) stay locale-free. babel is imported on first use, so importing
this module adds almost nothing to start-up.

Sections: money amounts (:func:`format_money`); reports, conversions and checks
(:func:`render_report`, :func:`describe_conversion`, :func:`describe_check`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from functools import partial

from calc.decimals import plain
from calc.errors import UnknownLocaleError
from calc.money import Money

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)

if TYPE_CHECKING:
    from babel import Locale

    from calc.check import CheckResult
    from calc.converter import Conversion
    from calc.report import Report
    from rates import Rate, RateBook

__all__ = [
    "describe_check",
    "describe_conversion",
    "describe_rate",
    "describe_rates_info",
    "format_money",
    "format_rate",
    "render_report",
]


def _babel_locale(locale: str) -> Locale:
    """The babel Locale for `locale`, or UnknownLocaleError naming it."""
    from babel import Locale
    from babel.core import UnknownLocaleError as BabelUnknownLocaleError

    try:
        return Locale.parse(locale)
    except (BabelUnknownLocaleError, ValueError, TypeError) as exc:
        raise UnknownLocaleError(locale) from exc


# --- Money amounts -------------------------------------------------------------------------

#: Significant digits a compact amount keeps: $2.91B, $2.5B, $9.9M.
COMPACT_DIGITS = 3


def format_money(money: Money, *, locale: str = "en_US", compact: bool = False) -> str:
    """Format `money` for people in `locale`, rounded to the currency's minor units.

    The full form is exact to the minor unit, and :func:`calc.amounts.parse_amount` reads it
    back with the same `locale`. The compact form keeps up to three significant digits with no
    trailing zeros (rounding half-even), where babel's own default would round to whole units.

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
    :raises UnknownLocaleError: if babel does not know `locale`.
    """
    from babel.numbers import format_compact_currency, get_currency_precision

    babel_locale = _babel_locale(locale)
    precision = get_currency_precision(money.currency)
    if not compact:
        return _full_form(money.rounded(), babel_locale)
    shown = _significant(money.amount, COMPACT_DIGITS, precision)
    # Below babel's first compact magnitude the number is shown as it is (up to `precision`
    # decimals); above it, babel divides to a mantissa >= 1, which needs at most 2 decimals.
    with localcontext(prec=abs(shown.adjusted()) + 30):
        text = format_compact_currency(
            shown,
            money.currency,
            locale=babel_locale,
            fraction_digits=max(COMPACT_DIGITS - 1, precision),
        )
    if _compact_needs_checking(babel_locale) and not _reads_back(text, shown, money, locale):
        return _full_form(money.rounded(), babel_locale)
    return text


def _full_form(money: Money, babel_locale: Locale) -> str:
    """Every digit to the minor unit, grouped as the locale groups them."""
    from babel.numbers import format_currency, get_group_symbol

    amount = money.amount
    with localcontext(prec=len(amount.as_tuple().digits) + 10):
        if "'" not in get_group_symbol(babel_locale):
            return format_currency(amount, money.currency, locale=babel_locale)
        # babel (2.19) takes a pair of ASCII apostrophes in its output for a quoted literal and
        # drops them, so "2'500'000'000" comes out as "2500000'000": group the digits here.
        text = format_currency(amount, money.currency, locale=babel_locale, group_separator=False)
    primary, secondary = babel_locale.currency_formats["standard"].grouping
    return _group_digits(text, get_group_symbol(babel_locale), primary, secondary)


def _group_digits(text: str, symbol: str, primary: int, secondary: int) -> str:
    """`text` with the first run of digits (the integer part) grouped by `symbol`.

    >>> _group_digits("CHF 2500000000.00", "'", 3, 3)
    "CHF 2'500'000'000.00"
    """
    import re

    match = re.search("[0-9]+", text)
    if match is None:
        return text
    digits, groups = match.group(), []
    size = primary
    while len(digits) > size:
        groups.insert(0, digits[-size:])
        digits, size = digits[:-size], secondary
    grouped = symbol.join([digits, *groups])
    return text[: match.start()] + grouped + text[match.end() :]


def _compact_needs_checking(babel_locale: Locale) -> bool:
    """Whether babel may mis-scale this locale's compact forms.

    babel (2.19) counts the zeros of a form's negative part too ("¤ 0B;¤ -0B" in sw), so it
    divides by a tenth of the magnitude and writes "£ 25B" for £2.5bn.
    """
    return any(
        ";" in pattern.pattern
        for table in babel_locale.compact_currency_formats.values()
        for forms in table.values()
        for pattern in forms.values()
    )


def _reads_back(text: str, shown: Decimal, money: Money, locale: str) -> bool:
    """Whether `text` reads back as `shown` of the money's currency."""
    from calc.amounts import parse_amount
    from calc.errors import AmountParseError

    try:
        back = parse_amount(text, locale=locale)
    except AmountParseError:
        return False
    return back.currency == money.currency and back.amount == shown


def _significant(amount: Decimal, digits: int, max_decimals: int) -> Decimal:
    """`amount` rounded half-even to `digits` significant digits, and to `max_decimals`."""
    if amount.is_zero():
        return Decimal(0)
    exponent = max(amount.adjusted() - digits + 1, -max_decimals)
    with localcontext(prec=digits + 2):
        return amount.quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_EVEN)


# --- Reports, conversions, checks ------------------------------------------------------------

#: Significant digits a rate shows in text; JSON carries every digit.
RATE_DIGITS = 10


def format_rate(value: Decimal) -> str:
    """A rate for text: up to :data:`RATE_DIGITS` significant digits, no exponent.

    >>> format_rate(Decimal('1.265630789181178214153390144'))
    '1.265630789'
    """
    with localcontext(prec=RATE_DIGITS, rounding=ROUND_HALF_EVEN):
        shown = +value
    return plain(shown)


def describe_rate(rate: Rate) -> str:
    """``1 GBP = 1.265630789 USD (fixing 2023-11-30, ECB reference rates (bundled))`` and any note."""
    text = f"1 {rate.base} = {format_rate(rate.value)} {rate.quote} (fixing {rate.fixing_date}, {rate.source})"
    note = rate.note
    if note and rate.period is None:
        text += f"; {note}"
    return text


def describe_conversion(conversion: Conversion, *, locale: str = "en_US") -> str:
    """One line: the amount, the result, the rate, its fixing date and source."""
    return (
        f"{format_money(conversion.source, locale=locale)} = "
        f"{format_money(conversion.result, locale=locale)} at {describe_rate(conversion.rate)}"
    )


def describe_check(result: CheckResult, *, locale: str = "en_US") -> str:
    """The ECB-based figure, the quoted one's deviation, implied vs ECB rate, and a verdict."""
    ecb = result.conversion.result
    deviation = _percent(result.deviation, locale)
    verdict = "FAIR" if result.fair else "OFF"
    rate = result.conversion.rate
    return "\n".join(
        [
            f"quoted:     {format_money(result.quoted, locale=locale)} = "
            f"{format_money(result.equivalent, locale=locale)}",
            f"ECB-based:  {format_money(ecb, locale=locale)} ({describe_rate(rate)})",
            f"deviation:  {deviation} (tolerance {format_rate(result.tolerance)}%)",
            f"rate:       implied 1 {rate.base} = {format_rate(result.implied_rate)} {rate.quote}, "
            f"ECB {format_rate(rate.value)}",
            f"verdict:    {verdict}: the quoted equivalent is "
            + ("within" if result.fair else "outside")
            + " the tolerance of the ECB-based figure",
        ]
    )


def describe_rates_info(book: RateBook) -> str:
    """Coverage, last fixing, cache path and sources of a rate book."""
    cache = book.cache
    path = cache.path if cache is not None else "(none)"
    cached = cache.days() if cache is not None else {}
    current = book.quoted_on(book.last_fixing)
    lines = [
        f"bundled:     {book.snapshot_description}",
        f"             {book.snapshot_path}",
        f"cache:       {path} ({len(cached)} day{'s' if len(cached) != 1 else ''} fetched live)",
        f"coverage:    {book.first_fixing} to {book.last_fixing} (last fixing)",
        f"currencies:  EUR and {len(current)} quoted at the last fixing: {' '.join(current)}",
        f"             {len(book.currencies) - len(current) - 1} no longer quoted: "
        + " ".join(c for c in book.currencies if c != "EUR" and c not in current),
        "sources:     European Central Bank euro reference rates (bundled); "
        "days after the snapshot from forex-python's live source (spendcalc rates update)",
    ]
    return "\n".join(lines) + "\n"


def render_report(
    report: Report, *, fmt: str = "table", locale: str = "en_US", compact: bool = False
) -> str:
    """The report as 'table' (terminal), 'markdown', 'csv' (the country table) or 'json'.

    :raises UnknownLocaleError: if babel does not know `locale`
    """
    _babel_locale(locale)  # a bad --locale is an error whatever the format
    if fmt == "json":
        import json

        return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return _report_csv(report)
    if fmt not in ("table", "markdown"):
        raise ValueError(f"unknown report format {fmt!r}")
    _babel_locale(locale)

    table = partial(_table, markdown=fmt == "markdown")

    heading = (lambda text: f"## {text}") if fmt == "markdown" else (lambda text: text.upper())
    money = lambda m: _or(m, locale, compact)  # noqa: E731
    out = [
        ("# " if fmt == "markdown" else "")
        + f"Spending commitments in {report.currency} at ECB reference rates, "
        f"{report.policy.describe()}",
        "",
        heading("By country"),
        "",
        table(
            [
                [
                    _territory(row.country, locale),
                    row.local_currency or "",
                    f"{row.commitments} ({row.undisclosed} undisclosed)"
                    if row.undisclosed
                    else str(row.commitments),
                    money(row.total),
                    _percent(row.share, locale) if row.share is not None else "",
                    (money(row.per_year) + ("" if row.per_year_complete else " (partial)"))
                    if row.per_year
                    else "no period",
                    _integer(row.workers, locale) if row.workers else "",
                    money(row.per_worker_trained) if row.per_worker_trained else "",
                    money(row.training_per_worker)
                    if row.training_per_worker
                    else ("not disclosed" if row.workers else ""),
                ]
                for row in report.countries
            ],
            headers=[
                "Country",
                "Local\ncurrency",
                "Commitments",
                f"Disclosed total\n({report.currency})",
                "Share",
                "Per year",
                "Workers\nto train",
                "Commitment per\nworker trained",
                "Training spend\nper worker",
            ],
            right=(3, 4, 5, 6, 7, 8),
        ),
        "",
        f"Grand total (disclosed): {format_money(report.total, locale=locale, compact=compact)}",
    ]
    if report.comparisons:
        largest = report.countries[0]
        out += [
            "",
            heading(f"Compared with {_territory(largest.country, locale)} (the largest)"),
            "",
        ]
        out.append(
            table(
                [
                    [
                        _territory(c.country, locale),
                        money(report.country(c.country).total),
                        f"{_number(c.ratio, locale)}×" if c.ratio is not None else "",
                        money(c.difference),
                    ]
                    for c in report.comparisons
                ],
                headers=[
                    "Country",
                    "Total",
                    f"Ratio to {largest.country}",
                    f"{largest.country} is larger by",
                ],
                right=(1, 2, 3),
            )
        )
    if report.views:
        out += ["", heading(_views_heading(report)), ""]
        out.append(_views_table(report, table, locale, compact))
    out += ["", heading("Conversions behind the figures"), ""]
    out.append(
        table(
            [
                [
                    item.commitment.country,
                    item.commitment.category,
                    item.commitment.description,
                    item.commitment.announced_text,
                    format_money(item.commitment.amount, locale=locale, compact=compact)
                    if item.commitment.amount
                    else "undisclosed",
                    money(item.conversion.result) if item.conversion else "undisclosed",
                    _rate_cell(item.conversion.rate) if item.conversion else "",
                ]
                for item in report.conversions
            ],
            headers=[
                "Country",
                "Category",
                "Description",
                "Announced",
                "Amount",
                report.currency,
                "Rate (fixing, source)",
            ],
            right=(4, 5),
            widths={2: 40, 6: 60},
        )
    )
    stale = [i for i in report.conversions if i.conversion and i.conversion.rate.stale]
    notes = [
        "Undisclosed amounts are counted, never taken as zero. 'Commitment per worker trained' "
        "divides a country's disclosed total by the workers it pledges to train; 'training spend "
        "per worker' needs a disclosed training amount.",
        "Rates: European Central Bank euro reference rates; cross rates through EUR.",
    ]
    if stale:
        notes.append(
            f"{len(stale)} amount(s) use the last fixing known offline for a later date (stale); "
            "run `spendcalc rates update` or use --online."
        )
    if report.overrides:
        notes.append("Your own rates used: " + ", ".join(report.overrides) + ".")
    if fmt == "markdown":
        out += ["", *(f"- {n}" for n in notes)]
    else:
        import textwrap

        out += ["", *(textwrap.fill(n, 100) for n in notes)]
    return "\n".join(out) + "\n"


def _views_heading(report: Report) -> str:
    parts = (["per head"] if report.per_capita else []) + (
        ["at purchasing-power parity"] if report.ppp else []
    )
    text = " and ".join(parts)
    return text[0].upper() + text[1:]


def _views_table(report: Report, table, locale: str, compact: bool) -> str:  # type: ignore[no-untyped-def]
    """Population and per-head figures, and PPP totals, each with its data year."""
    years = lambda attr: sorted({getattr(v, attr) for v in report.views if getattr(v, attr)})  # noqa: E731
    population_years, ppp_years = years("population_year"), years("ppp_year")
    headers, right = ["Country"], []
    if report.per_capita:
        label = "/".join(map(str, population_years)) or "no"
        headers += [f"Population\n({label} data)", f"Per head\n({report.currency})"]
    if report.ppp:
        label = "/".join(map(str, ppp_years)) or "no"
        headers += ["Local total\n(market rates)", f"PPP factor ({label},\nLCU per Int$)",
                    "PPP total\n(Int$)"]  # fmt: skip
    right = list(range(1, len(headers)))
    rows = []
    for view in report.views:
        row = [_territory(view.country, locale)]
        missing = view.note or "no data"
        if report.per_capita:
            row += [
                _integer(view.population, locale) if view.population else "no data",
                _or(view.per_capita, locale, compact) if view.per_capita else missing,
            ]
        if report.ppp:
            row += [
                _or(view.local_total, locale, compact) if view.local_total else missing,
                _number(view.ppp_factor, locale, "#,##0.####") if view.ppp_factor else "no data",
                _intl(view.ppp_total, locale, compact) if view.ppp_total is not None else missing,
            ]
        rows.append(row)
    notes = sorted({v.source for v in report.views if v.source})
    text = table(rows, headers=headers, right=right, widths={i: 40 for i in range(1, len(headers))})
    return text + ("\n\nSource: " + "; ".join(notes) if notes else "")


def _intl(value: Decimal, locale: str, compact: bool) -> str:
    """International dollars: 'Int$' and the number, to the cent (or 3 significant digits)."""
    from babel.numbers import format_compact_decimal, format_decimal

    if compact:
        shown = _significant(value, COMPACT_DIGITS, 2)
        with localcontext(prec=abs(shown.adjusted()) + 30):
            number = format_compact_decimal(shown, locale=_babel_locale(locale), fraction_digits=2)
    else:
        number = format_decimal(
            value.quantize(Decimal("0.01")), "#,##0.00", locale=_babel_locale(locale)
        )
    return f"Int${number}"


def _table(
    rows: list[list[str]],
    headers: list[str],
    *,
    markdown: bool,
    right: Sequence[int] = (),
    widths: Mapping[int, int] | None = None,
) -> str:
    """A terminal table (texttable: wraps long cells, measures East Asian wide characters), or
    a Markdown pipe table with one header line. ``right`` are right-aligned columns (amounts);
    ``widths`` caps a terminal column's width, wrapping its cells.
    """
    aligns = ["r" if i in right else "l" for i in range(len(headers))]
    if markdown:
        cell = lambda text: text.replace("|", "\\|").replace("\n", " ")  # noqa: E731
        rule = ["---:" if a == "r" else "---" for a in aligns]
        lines = [headers, rule, *rows]
        return "\n".join("| " + " | ".join(cell(c) for c in line) + " |" for line in lines)
    from texttable import Texttable

    table = Texttable(max_width=0)
    table.set_deco(Texttable.HEADER)
    table.set_chars(["-", "|", "+", "-"])
    table.set_cols_dtype(["t"] * len(headers))
    table.set_cols_align(aligns)
    table.set_header_align(aligns)
    if widths:
        natural = [max(_width(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
        table.set_cols_width(
            [min(natural[i], widths.get(i, natural[i])) for i in range(len(headers))]
        )
    table.header(headers)
    table.add_rows(rows, header=False)
    return "\n".join(line.rstrip() for line in table.draw().splitlines())


def _width(text: str) -> int:
    """Display width of the widest line of ``text`` (East Asian wide characters count 2)."""
    import unicodedata

    return max(
        (
            sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
            for line in text.split("\n")
        ),
        default=0,
    )


def _rate_cell(rate: Rate) -> str:
    if rate.base == rate.quote:
        return "no conversion"
    fixing = (
        f"average of {rate.fixings} fixings {rate.period[0]}..{rate.period[1]}"
        if rate.period
        else str(rate.fixing_date)
    )
    source = rate.source.split(", average of")[0]
    stale = ", stale" if rate.stale else ""
    return f"1 {rate.base} = {format_rate(rate.value)} {rate.quote} ({fixing}, {source}{stale})"


def _report_csv(report: Report) -> str:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    extra: list[str] = []
    if report.per_capita:
        extra += ["population", "population_year", "per_capita"]
    if report.ppp:
        extra += ["local_total", "ppp_lcu_per_intl_dollar", "ppp_total_intl_dollars", "ppp_year"]
    if report.views:
        extra.append("reference_note")
    writer.writerow(
        ["country", "name", "local_currency", "currency", "commitments", "disclosed", "undisclosed",
         "total", "share", "per_year", "workers", "commitment_per_worker_trained",
         "training_spend_per_worker", "ratio_to_largest", "difference_to_largest", *extra]
    )  # fmt: skip
    ratios = {c.country: c for c in report.comparisons}
    views = {v.country: v for v in report.views}
    for row in report.countries:
        comparison = ratios.get(row.country)
        cells = [
            row.country, row.name, row.local_currency or "", report.currency, row.commitments,
            row.disclosed, row.undisclosed, _plain(row.total), _fraction(row.share),
            _plain(row.per_year), row.workers or "", _plain(row.per_worker_trained),
            _plain(row.training_per_worker),
            _fraction(comparison.ratio) if comparison else "1",
            _plain(comparison.difference) if comparison else "0",
        ]  # fmt: skip
        view = views.get(row.country)
        if view is not None:
            if report.per_capita:
                cells += [
                    view.population or "",
                    view.population_year or "",
                    _plain(view.per_capita),
                ]
            if report.ppp:
                ppp = (
                    ""
                    if view.ppp_total is None
                    else f"{view.ppp_total.quantize(Decimal('0.01')):f}"
                )
                cells += [_plain(view.local_total), view.ppp_factor or "", ppp, view.ppp_year or ""]
            cells.append(view.note)
        writer.writerow(cells)
    return out.getvalue()


def _plain(money: Money | None) -> str:
    """A machine-readable amount rounded to the currency's minor units, no grouping."""
    return "" if money is None else f"{money.rounded().amount:f}"


def _fraction(value: Decimal | None) -> str:
    if value is None:
        return ""
    with localcontext(prec=12):
        return f"{+value:f}"


def _or(money: Money | None, locale: str, compact: bool) -> str:
    return "" if money is None else format_money(money, locale=locale, compact=compact)


def _percent(value: Decimal | None, locale: str) -> str:
    from babel.numbers import format_percent

    if value is None:
        return ""
    return format_percent(value, "#,##0.0%", locale=_babel_locale(locale))


def _number(value: Decimal, locale: str, pattern: str = "#,##0.000") -> str:
    from babel.numbers import format_decimal

    return format_decimal(value, pattern, locale=_babel_locale(locale))


def _integer(value: int, locale: str) -> str:
    from babel.numbers import format_decimal

    return format_decimal(value, locale=_babel_locale(locale))


def _territory(code: str, locale: str) -> str:
    return _babel_locale(locale).territories.get(code, code)
