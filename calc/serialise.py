"""Reports for machines: JSON (schema ``spendcalc.report/1``) and CSV (the country table).

Numbers are written in full and locale-free: Decimals as strings without exponent or trailing
zeros in JSON; amounts rounded to the currency's minor units, no grouping, in CSV.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal, localcontext
from typing import TYPE_CHECKING

from .decimals import plain

if TYPE_CHECKING:
    from .money import Money
    from .report import ConvertedCommitment, CountryRow, CountryView, Report

__all__ = ["SCHEMA", "report_csv", "report_dict", "report_json"]

SCHEMA = "spendcalc.report/1"


def report_json(report: Report) -> str:
    """The report as JSON text (:func:`report_dict`), indented, UTF-8 as it is."""
    return json.dumps(report_dict(report), ensure_ascii=False, indent=2) + "\n"


def report_dict(report: Report) -> dict[str, object]:
    """A JSON-ready structure: Decimals as strings, dates ISO (schema ``spendcalc.report/1``)."""
    return {
        "schema": SCHEMA,
        "currency": report.currency,
        "policy": str(report.policy),
        "policy_description": report.policy.describe(),
        "total": _amount(report.total),
        "countries": [_country_dict(row) for row in report.countries],
        "comparisons": [
            {
                "country": c.country,
                "against": c.against,
                "ratio": _dec(c.ratio),
                "difference": _amount(c.difference),
            }
            for c in report.comparisons
        ],
        "conversions": [_conversion_dict(item) for item in report.conversions],
        "overrides": list(report.overrides),
        "views": [_view_dict(v, report.per_capita, report.ppp) for v in report.views],
    }


def _dec(value: Decimal | None) -> str | None:
    """Every significant digit, no exponent, no trailing zeros after the point."""
    return None if value is None else plain(value)


def _amount(money: Money | None) -> dict[str, str] | None:
    return None if money is None else {"amount": plain(money.amount), "currency": money.currency}


def _country_dict(row: CountryRow) -> dict[str, object]:
    return {
        "country": row.country,
        "name": row.name,
        "local_currency": row.local_currency,
        "commitments": row.commitments,
        "disclosed": row.disclosed,
        "undisclosed": row.undisclosed,
        "total": _amount(row.total),
        "share": _dec(row.share),
        "workers": row.workers,
        "commitment_per_worker_trained": _amount(row.per_worker_trained),
        "training_spend": _amount(row.training_spend),
        "training_spend_per_worker": _amount(row.training_per_worker),
        "training_spend_per_worker_per_year": _amount(row.training_per_worker_per_year),
        "per_year": _amount(row.per_year),
        "per_year_complete": row.per_year_complete,
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
        "category": c.category,
        "description": c.description,
        "announced": c.announced_text,
        "period": [d.isoformat() for d in c.period] if c.period else None,
        "workers": c.workers,
        "source": c.source,
        "location": c.location,
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
            "fixings": rate.fixings,
            "period": [d.isoformat() for d in rate.period] if rate.period else None,
        },
    }


def report_csv(report: Report) -> str:
    """The country table as CSV: plain numbers, amounts to the currency's minor units."""
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
