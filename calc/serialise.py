"""Reports for machines: JSON (schema ``spendcalc.report/2``) and CSV (the main table).

Numbers are written in full and locale-free: Decimals as strings without exponent or trailing
zeros in JSON; amounts rounded to the currency's minor units, no grouping, in CSV. What is not
disclosed is ``null`` in JSON and an empty cell in CSV, never a zero.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal, localcontext
from typing import TYPE_CHECKING

from .decimals import Rounding, plain
from .provenance import policy_phrase, ranking_note, rates_phrase, rounding_note
from .rows import CompanyRow, CountryRow
from .safetext import for_csv

if TYPE_CHECKING:
    from .money import Money
    from .report import CountryView, Report
    from .rows import ConvertedCommitment, Figures, Row
    from .years import Profile

__all__ = ["SCHEMA", "conversions_csv", "report_csv", "report_dict", "report_json"]

#: Version 2: rows by country, company and package; totals null when nothing is disclosed;
#: calendar-year profiles (``years``) in place of ``per_year``.
SCHEMA = "spendcalc.report/2"


def report_json(report: Report) -> str:
    """The report as JSON text (:func:`report_dict`), indented, UTF-8 as it is."""
    return json.dumps(report_dict(report), ensure_ascii=False, indent=2) + "\n"


def report_dict(report: Report) -> dict[str, object]:
    """A JSON-ready structure: Decimals as strings, dates ISO (schema ``spendcalc.report/2``)."""
    return {
        "schema": SCHEMA,
        "currency": report.currency,
        "policy": str(report.policy),
        "policy_description": policy_phrase(report),
        "rates": rates_phrase(report),
        "rounding": report.rounding,
        "notes": [n for n in (ranking_note(report), rounding_note(report)) if n],
        "by": report.by,
        "filters": {kind: list(values) for kind, values in report.filters},
        "total": _amount(report.total),
        "dated_total": _amount(report.dated_total),
        "years": _profile(report.years),
        "undated": _profile(report.undated),
        "undated_commitments": report.undated_commitments,
        "countries": [_row_dict(row) for row in report.countries],
        "companies": [_row_dict(row) for row in report.companies],
        "packages": [_row_dict(row) for row in report.packages],
        "comparisons": [
            {
                report.by: c.key,
                "against": c.against,
                "ratio": _dec(c.ratio),
                "difference": _amount(c.difference),
            }
            for c in report.comparisons
        ],
        "left_out": [row.key for row in report.left_out],
        "conversions": [_conversion_dict(item) for item in report.conversions],
        "overrides": list(report.overrides),
        "views": [_view_dict(v, report.per_capita, report.ppp) for v in report.views],
    }


def _dec(value: Decimal | None) -> str | None:
    """Every significant digit, no exponent, no trailing zeros after the point."""
    return None if value is None else plain(value)


def _amount(money: Money | None) -> dict[str, str] | None:
    return None if money is None else {"amount": plain(money.amount), "currency": money.currency}


def _profile(profile: Profile) -> dict[str, dict[str, str] | None]:
    return {str(year): _amount(money) for year, money in profile}


def _row_dict(row: Row) -> dict[str, object]:
    """A country, company or package: what it is of, then its figures."""
    lead: dict[str, object]
    if isinstance(row, CountryRow):
        lead = {"country": row.country, "name": row.name, "local_currency": row.local_currency}
    elif isinstance(row, CompanyRow):
        lead = {"company": row.company, "countries": list(row.countries)}
    else:
        lead = {"id": row.id, "label": row.label or None, "company": row.company,
                "country": row.country, "announced": row.announced_text}  # fmt: skip
    return {**lead, **_figures_dict(row)}


def _figures_dict(row: Figures) -> dict[str, object]:
    return {
        "commitments": row.commitments,
        "disclosed": row.disclosed,
        "undisclosed": row.undisclosed,
        "total": _amount(row.total),
        "share": _dec(row.share),
        "workers": row.workers,
        "commitment_per_worker_trained": _amount(row.per_worker_trained),
        "per_worker_workers": row.per_worker_workers,
        "training_spend": _amount(row.training_spend),
        "training_spend_per_worker": _amount(row.training_per_worker),
        "training_spend_per_worker_per_year": _amount(row.training_per_worker_per_year),
        "dated_total": _amount(row.dated_total),
        "years": _profile(row.years),
        "undated": _profile(row.undated),
        "undated_commitments": row.undated_commitments,
    }


def _view_dict(view: CountryView, per_capita: bool, ppp: bool) -> dict[str, object]:
    out: dict[str, object] = {"country": view.country, "source": view.source, "note": view.note}
    if per_capita:
        out.update(
            population=view.population,
            population_year=view.population_year,
            per_capita=_amount(view.per_capita),
        )
    if ppp:
        out.update(
            local_total=_amount(view.local_total),
            ppp_lcu_per_intl_dollar=_dec(view.ppp_factor),
            ppp_total_intl_dollars=_dec(view.ppp_total),
            ppp_year=view.ppp_year,
        )
    return out


def _conversion_dict(item: ConvertedCommitment) -> dict[str, object]:
    c, conv = item.commitment, item.conversion
    rate = conv.rate if conv else None
    return {
        "company": c.company,
        "country": c.country,
        "package": item.package,
        "category": c.category,
        "description": c.description,
        "announced": c.announced_text,
        "period": [d.isoformat() for d in c.period] if c.period else None,
        "workers": c.workers,
        "source": c.source,
        "location": c.location,
        "extra": dict(c.extra),
        "amount": _amount(c.amount),
        "disclosed": c.amount is not None,
        "converted": _amount(conv.result) if conv else None,
        "rate": None
        if rate is None
        else {
            "base": rate.base,
            "quote": rate.quote,
            "value": str(rate.value),
            "exact": {"numerator": plain(rate.ratio[0]), "denominator": plain(rate.ratio[1])},
            "on": rate.on.isoformat() if rate.on else None,
            "fixing_date": rate.fixing_date.isoformat(),
            "source": rate.source,
            "stale": rate.stale,
            "partial": item.partial,
            "fixings": rate.fixings,
            "period": [d.isoformat() for d in rate.period] if rate.period else None,
        },
    }


def report_csv(report: Report, *, by_year: bool = False) -> str:
    """The main table as CSV: plain numbers, amounts to the currency's minor units; what is not
    disclosed is an empty cell. ``by_year`` adds the dated total, a ``year_YYYY`` column per
    calendar year and ``without_period`` (the amounts without a spending period)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")

    def amount(money: Money | None) -> str:
        return _plain(money, report.rounding)

    lead = {
        "country": ["country", "name", "local_currency"],
        "company": ["company", "countries"],
        "package": ["package", "company", "country", "announced", "label"],
    }[report.by]
    extra: list[str] = []
    if report.per_capita:
        extra += ["population", "population_year", "per_capita"]
    if report.ppp:
        extra += ["local_total", "ppp_lcu_per_intl_dollar", "ppp_total_intl_dollars", "ppp_year"]
    if report.views:
        extra.append("reference_note")
    shown = [year for year, _money in report.years]
    span = list(range(shown[0], shown[-1] + 1)) if shown and by_year else []
    if by_year:
        extra += ["dated_total", *(f"year_{year}" for year in span), "without_period"]
    writer.writerow(
        [*lead, "currency", "commitments", "disclosed", "undisclosed", "total", "share",
         "workers", "commitment_per_worker_trained", "training_spend_per_worker",
         "ratio_to_largest", "difference_to_largest", *extra, *PROVENANCE_COLUMNS]
    )  # fmt: skip
    provenance = _provenance_cells(report)
    ratios = {c.key: c for c in report.comparisons}
    views = {v.country: v for v in report.views}
    largest = report.largest
    for row in report.rows:
        comparison = ratios.get(row.key)
        ratio, difference = "", ""
        if comparison is not None:
            ratio, difference = _fraction(comparison.ratio), amount(comparison.difference)
        elif largest is not None and row.key == largest.key:
            ratio, difference = "1", "0"
        cells = [
            *_lead_cells(row), report.currency, row.commitments, row.disclosed, row.undisclosed,
            amount(row.total), _fraction(row.share), row.workers or "",
            amount(row.per_worker_trained), amount(row.training_per_worker), ratio, difference,
        ]  # fmt: skip
        view = views.get(row.key) if isinstance(row, CountryRow) else None
        if view is not None:
            if report.per_capita:
                cells += [
                    view.population or "",
                    view.population_year or "",
                    amount(view.per_capita),
                ]
            if report.ppp:
                ppp = (
                    ""
                    if view.ppp_total is None
                    else f"{view.ppp_total.quantize(Decimal('0.01')):f}"
                )
                cells += [amount(view.local_total), view.ppp_factor or "", ppp, view.ppp_year or ""]
            cells.append(view.note)
        if by_year:
            years = dict(row.years)
            cells += [amount(row.dated_total), *(amount(years.get(year)) for year in span),
                      amount(row.undated_total)]  # fmt: skip
        writer.writerow([*cells, *provenance])
    return out.getvalue()


#: What every row of the main CSV ends with: the rates, the policy and the rounding rule.
PROVENANCE_COLUMNS = ("rates", "policy", "rounding")
#: The columns of ``--rows conversions``: one row per commitment.
CONVERSION_COLUMNS = (
    "company", "country", "package", "category", "description", "announced", "amount",
    "currency", "converted", "to_currency", "rate", "rate_numerator", "rate_denominator",
    "fixing_date", "averaged_from", "averaged_to", "source", "policy", "stale", "partial",
    "location",
)  # fmt: skip


def _provenance_cells(report: Report) -> list[str]:
    return [rates_phrase(report), policy_phrase(report), report.rounding]


def conversions_csv(report: Report, *, raw: bool = False) -> str:
    """One row per commitment: what was announced, what it converts to, at which rate, fixing
    and source, under which policy, and whether the rate is stale or cut short; then a column
    per extra field the commitments file had (:attr:`calc.Commitment.extra`), named as the file
    names it (``extra_`` before a name that is one of :data:`CONVERSION_COLUMNS`). Undisclosed
    amounts and extra fields a record lacks are empty cells. Text cells are formula-guarded
    (:func:`calc.safetext.for_csv`) unless ``raw``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    text = (lambda value: value) if raw else for_csv
    extra = list(dict.fromkeys(n for item in report.conversions for n, _v in item.commitment.extra))
    writer.writerow([*CONVERSION_COLUMNS, *map(text, _extra_columns(extra))])
    policy = policy_phrase(report)
    for item in report.conversions:
        c, conversion = item.commitment, item.conversion
        cells: list[object] = [
            text(c.company), c.country, text(item.package), c.category, text(c.description),
            c.announced_text, "" if c.amount is None else plain(c.amount.amount),
            "" if c.amount is None else c.amount.currency,
        ]  # fmt: skip
        if conversion is None:
            cells += ["", report.currency, *[""] * 9, policy, "", "", text(c.location)]
        else:
            rate = conversion.rate
            period = rate.period or (None, None)
            cells += [
                _plain(conversion.result, report.rounding), report.currency, plain(rate.value),
                plain(rate.ratio[0]), plain(rate.ratio[1]), rate.fixing_date.isoformat(),
                period[0] or "", period[1] or "", rate.source, policy,
                "yes" if rate.stale else "no", "yes" if item.partial else "no", text(c.location),
            ]  # fmt: skip
        if extra:
            given = dict(c.extra)
            cells += [text(given.get(n, "")) for n in extra]
        writer.writerow(cells)
    return out.getvalue()


def _extra_columns(names: list[str]) -> list[str]:
    """The header of the extra fields: each name, with ``extra_`` before one that would repeat
    a column of :data:`CONVERSION_COLUMNS` (or another extra field's header)."""
    taken = set(CONVERSION_COLUMNS)
    columns = []
    for name in names:
        column = name
        while column in taken:
            column = f"extra_{column}"
        taken.add(column)
        columns.append(column)
    return columns


def _lead_cells(row: Row) -> list[object]:
    """What a row is of; the text from files formula-guarded (calc.safetext.for_csv)."""
    if isinstance(row, CountryRow):
        return [row.country, row.name, row.local_currency or ""]
    if isinstance(row, CompanyRow):
        return [for_csv(row.company), " ".join(row.countries)]
    return [for_csv(row.id), for_csv(row.company), row.country, row.announced_text,
            for_csv(row.label)]  # fmt: skip


def _plain(money: Money | None, rounding: Rounding = "half-up") -> str:
    """A machine-readable amount rounded to the currency's minor units, no grouping."""
    return "" if money is None else f"{money.rounded(rounding).amount:f}"


def _fraction(value: Decimal | None) -> str:
    if value is None:
        return ""
    with localcontext(prec=12):
        return f"{+value:f}"
