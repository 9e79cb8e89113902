"""Reports for machines: JSON (schema ``spendcalc.report/2``) and CSV (the main table).

Numbers are written in full and locale-free: Decimals as strings without exponent or trailing
zeros in JSON; amounts rounded to the currency's minor units, no grouping, in CSV. What is not
disclosed is ``null`` in JSON and an empty cell in CSV, never a zero.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
from collections.abc import Callable, Iterator
from decimal import Decimal, localcontext
from typing import TYPE_CHECKING

from .decimals import Rounding, plain
from .method import method_note
from .money import Money
from .provenance import policy_phrase, ranking_note, rates_phrase, rounding_note
from .realterms import Deflated, nominal
from .rows import CompanyRow, CountryRow
from .safetext import for_csv

if TYPE_CHECKING:
    from rates import Rate

    from .converter import Conversion
    from .gdp import GdpShare
    from .report import CountryView, Report
    from .rows import ConvertedCommitment, Figures, Row
    from .sensitivity import Sensitivity
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
        "real": _real_dict(report),
        "share_of_gdp": [_gdp_dict(share) for share in report.share_of_gdp],
        "sensitivity": [_sensitivity_dict(each) for each in report.sensitivity],
        "sources": list(report.sources),
        "method": method_note(report),
    }


def _real_dict(report: Report) -> dict[str, object] | None:
    terms = report.real
    if terms is None:
        return None
    return {
        "base_year": terms.base,
        "method": terms.method,
        "description": terms.describe(),
        "indices": [
            {"currency": currency, "index": name, "source": citation}
            for currency, name, citation in terms.indices
        ],
    }


def _gdp_dict(share: GdpShare) -> dict[str, object]:
    return {
        "country": share.country,
        "total": _amount(share.total),
        "year": share.year,
        "gdp_year": share.gdp_year,
        "gdp_usd": _dec(share.gdp_usd),
        "gdp": _amount(share.gdp),
        "share": _dec(share.share),
        "note": share.note,
        "source": share.source,
        "years": {
            str(y.year): {
                "amount": _amount(y.amount),
                "gdp_year": y.gdp_year,
                "gdp": _amount(y.gdp),
                "share": _dec(y.share),
            }
            for y in share.years
        },
    }


def _sensitivity_dict(each: Sensitivity) -> dict[str, object]:
    return {
        "country": each.country,
        "bases": {b.basis: {"total": _amount(b.total), "note": b.note} for b in each.bases},
        "low": _amount(each.low),
        "high": _amount(each.high),
        "spread": _dec(each.spread),
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
        "high_total": _amount(row.high_total),
        "worded": dict(row.qualified),
    }


def _view_dict(view: CountryView, per_capita: bool, ppp: bool) -> dict[str, object]:
    out: dict[str, object] = {
        "country": view.country, "source": view.source, "note": view.note,
        "reference_year": view.year,
    }  # fmt: skip
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
        "qualifier": c.qualifier,
        "high": _amount(c.high),
        "high_converted": _amount(item.high.result) if item.high else None,
        "press_conversion": _amount(c.press_conversion),
        "disclosed": c.amount is not None,
        "converted": _amount(nominal(conv).result) if conv else None,
        "rate": _rate_dict(nominal(conv).rate, item) if conv else None,
        "real": _deflated_dict(conv, item) if isinstance(conv, Deflated) else None,
    }


def _rate_dict(rate: Rate, item: ConvertedCommitment) -> dict[str, object]:
    return {
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
    }


def _deflated_dict(conversion: Deflated, item: ConvertedCommitment) -> dict[str, object]:
    """A real-terms figure: the amount, the factor (exact) and, by the source method, the base
    year's average rate it is converted at."""
    factor = conversion.factor
    return {
        "amount": _amount(conversion.result),
        "method": conversion.method,
        "factor": {
            "value": plain(factor.value),
            "numerator": plain(factor.numerator),
            "denominator": plain(factor.denominator),
        },
        "index": factor.index,
        "from": factor.start,
        "base_year": factor.base,
        "rate": _rate_dict(conversion.rate, item) if conversion.method == "source" else None,
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
    fair, fair_cells = _fair_columns(report, by_year)
    writer.writerow(
        [*lead, "currency", "commitments", "disclosed", "undisclosed", "total", "share",
         "workers", "commitment_per_worker_trained", "training_spend_per_worker",
         "ratio_to_largest", "difference_to_largest", *extra, *fair, *PROVENANCE_COLUMNS]
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
        writer.writerow([*cells, *fair_cells(row), *provenance])
    return out.getvalue()


def _fair_columns(report: Report, by_year: bool) -> tuple[list[str], Callable[[Row], list[object]]]:
    """The main CSV's columns for real terms, shares of GDP and the sensitivity, and the cells
    of a row for them (empty where the row is not a country's)."""
    from .sensitivity import BASES

    columns: list[str] = []
    if report.real is not None:
        columns += ["base_year", "deflator"]
    if report.share_of_gdp:
        columns += ["gdp", "gdp_year", "share_of_gdp"]
    years = sorted({y.year for s in report.share_of_gdp for y in s.years}) if by_year else []
    columns += [f"share_of_gdp_{year}" for year in years]
    bases = [b for b in BASES if any(x.basis == b for s in report.sensitivity for x in s.bases)]
    if report.sensitivity:
        columns += [*(f"total_{basis}" for basis in bases), "low", "high", "spread"]
    shares = {s.country: s for s in report.share_of_gdp}
    sensitivity = {s.country: s for s in report.sensitivity}

    def cells(row: Row) -> list[object]:
        out: list[object] = []
        if report.real is not None:
            indices = ", ".join(dict.fromkeys(name for _c, name, _s in report.real.indices))
            out += [report.real.base, f"{report.real.method}: {indices}"]
        key = row.key if isinstance(row, CountryRow) else None
        share = shares.get(key) if key else None
        if report.share_of_gdp:
            out += ["", "", ""] if share is None else [
                _plain(share.gdp, report.rounding), share.gdp_year or "", _fraction(share.share)
            ]  # fmt: skip
        found = {y.year: y.share for y in share.years} if share else {}
        out += [_fraction(found.get(year)) for year in years]
        each = sensitivity.get(key) if key else None
        if report.sensitivity:
            totals = {b.basis: b.total for b in each.bases} if each else {}
            out += [_plain(totals.get(basis), report.rounding) for basis in bases]
            out += ["", "", ""] if each is None else [
                _plain(each.low, report.rounding), _plain(each.high, report.rounding),
                _fraction(each.spread),
            ]  # fmt: skip
        return out

    return columns, cells


#: What every row of the main CSV ends with: the rates, the policy, the rounding rule and the
#: method note (:func:`calc.method.method_note`).
PROVENANCE_COLUMNS = ("rates", "policy", "rounding", "method")
#: The columns of ``--rows conversions``: one row per commitment.
CONVERSION_COLUMNS = (
    "company", "country", "package", "category", "description", "announced", "amount",
    "currency", "converted", "to_currency", "rate", "rate_numerator", "rate_denominator",
    "fixing_date", "averaged_from", "averaged_to", "source", "policy", "stale", "partial",
    "location",
)  # fmt: skip


def _provenance_cells(report: Report) -> list[str]:
    return [rates_phrase(report), policy_phrase(report), report.rounding, method_note(report)]


def conversion_values(report: Report) -> Iterator[dict[str, object]]:
    """One record per commitment, with the :data:`CONVERSION_COLUMNS` as keys and values as
    Python has them: Decimals (``converted`` unrounded), dates, bools, None where there is
    nothing (an undisclosed amount). :func:`conversions_csv` and ``Report.to_frame`` write them."""
    policy = policy_phrase(report)
    for item in report.conversions:
        c, conversion = item.commitment, item.conversion
        record: dict[str, object] = {
            "company": c.company, "country": c.country, "package": item.package,
            "category": c.category, "description": c.description, "announced": c.announced_text,
            "amount": None if c.amount is None else c.amount.amount,
            "currency": None if c.amount is None else c.amount.currency,
            "converted": None, "to_currency": report.currency, "rate": None,
            "rate_numerator": None, "rate_denominator": None, "fixing_date": None,
            "averaged_from": None, "averaged_to": None, "source": None, "policy": policy,
            "stale": None, "partial": None, "location": c.location,
        }  # fmt: skip
        if conversion is not None:
            at = nominal(conversion)  # with --real, the nominal conversion behind it
            rate = at.rate
            period = rate.period or (None, None)
            record.update(
                converted=at.result.amount, rate=rate.value,
                rate_numerator=rate.ratio[0], rate_denominator=rate.ratio[1],
                fixing_date=rate.fixing_date, averaged_from=period[0], averaged_to=period[1],
                source=rate.source, stale=rate.stale, partial=item.partial,
            )  # fmt: skip
        yield record


def conversions_csv(report: Report, *, raw: bool = False) -> str:
    """One row per commitment: what was announced, what it converts to (rounded by the
    report's rule), at which rate, fixing and source, under which policy, and whether the
    rate is stale or cut short. Undisclosed amounts are empty cells. Text cells are
    formula-guarded (:func:`calc.safetext.for_csv`) unless ``raw``. After the method, a column
    per extra field the commitments file had (:attr:`calc.Commitment.extra`), named as the file
    names it (``extra_`` before a name that is already a column); a record without it is empty."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    text = (lambda value: value) if raw else for_csv
    real = REAL_COLUMNS if report.real is not None else ()
    extra = list(dict.fromkeys(n for item in report.conversions for n, _v in item.commitment.extra))
    columns = [*CONVERSION_COLUMNS, *real, "method"]
    writer.writerow([*columns, *map(text, _extra_columns(extra, columns))])
    method = method_note(report)
    for item, record in zip(report.conversions, conversion_values(report), strict=True):
        converted = record["converted"]
        if isinstance(converted, Decimal):
            record["converted"] = _plain(Money(converted, report.currency), report.rounding)
        cells = [_cell(record[name], raw) for name in CONVERSION_COLUMNS]
        if real:
            cells += _real_cells(item.conversion, report.rounding)
        given = dict(item.commitment.extra)
        writer.writerow([*cells, method, *(text(given.get(n, "")) for n in extra)])
    return out.getvalue()


#: The columns ``--rows conversions`` adds with ``--real``: the figure in constant prices, its
#: deflator (exact), index and years, and (by the source method) the base year's average rate.
REAL_COLUMNS = (
    "real_converted", "deflator", "deflator_numerator", "deflator_denominator",
    "deflator_index", "deflator_from", "base_year", "real_rate",
)  # fmt: skip


def _real_cells(conversion: Conversion | None, rounding: Rounding) -> list[object]:
    if not isinstance(conversion, Deflated):
        return [""] * len(REAL_COLUMNS)
    factor = conversion.factor
    rate = plain(conversion.rate.value) if conversion.method == "source" else ""
    return [
        _plain(conversion.result, rounding), plain(factor.value), plain(factor.numerator),
        plain(factor.denominator), factor.index, factor.start, factor.base, rate,
    ]  # fmt: skip


def _extra_columns(names: list[str], columns: list[str]) -> list[str]:
    """The header of the extra fields: each name, with ``extra_`` before one that would repeat
    one of `columns` (or another extra field's header)."""
    taken = set(columns)
    headers = []
    for name in names:
        header = name
        while header in taken:
            header = f"extra_{header}"
        taken.add(header)
        headers.append(header)
    return headers


def _cell(value: object, raw: bool) -> object:
    """A value as a CSV cell: Decimals in full, dates ISO, yes/no, '' for None."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, _dt.date):
        return value.isoformat()
    return value if raw or not isinstance(value, str) else for_csv(value)


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
