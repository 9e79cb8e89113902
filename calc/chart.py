"""A horizontal bar chart of a report's totals (matplotlib, an optional extra).

``pip install 'spendcalc[chart]'``. A bar per row of the main table (countries, companies or
packages): market-rate totals in the report currency; with the PPP view of countries, the
international-dollar totals beside them. A row with nothing disclosed gets no bar (never a bar
of zero): a line under the axis names it. The title names the currency, the rate policy and the
fixing dates used.
"""

from __future__ import annotations

import os
from typing import Any

from .errors import CalcError
from .format import format_intl, format_money, territory_name
from .provenance import currency_phrase, policy_phrase, rates_phrase
from .report import Report
from .rows import CompanyRow, CountryRow, Row

#: The figure's size in inches and its resolution: 1000 x 560 pixels.
SIZE = (10.0, 5.6)
DPI = 100


def write_chart(report: Report, path: str, *, locale: str = "en_US") -> str:
    """Draw the chart to ``path`` (.png or .svg); return the path.

    :raises CalcError: if matplotlib is not installed, the suffix is not .png or .svg, or the
        file cannot be written
    """
    suffix = os.path.splitext(path)[1].lower()
    if suffix not in (".png", ".svg"):
        raise CalcError(f"The chart file {path!r} must end in .png or .svg.")
    pyplot = _pyplot()
    figure, axes = pyplot.subplots(figsize=SIZE, dpi=DPI)
    try:
        _draw(axes, report, locale)
        figure.tight_layout()
        try:
            figure.savefig(path, dpi=DPI)
        except OSError as exc:
            raise CalcError(f"Cannot write the chart {path!r}: {exc.strerror}.") from exc
    finally:
        pyplot.close(figure)
    return path


def _pyplot() -> Any:
    """matplotlib's pyplot, drawing to files (Agg); CalcError if matplotlib is not installed."""
    try:
        import matplotlib  # an optional extra, loaded only to draw

        matplotlib.use("Agg")
        from matplotlib import pyplot
    except ImportError:
        raise CalcError(
            "A chart needs matplotlib; install it with: pip install 'spendcalc[chart]'."
        ) from None
    return pyplot


def bars(report: Report) -> tuple[list[Row], list[Row]]:
    """The rows that get a bar (those with a disclosed total), and those left out."""
    return [r for r in report.rows if r.total is not None], list(report.left_out)


def _name(row: Row, locale: str) -> str:
    if isinstance(row, CountryRow):
        return territory_name(row.country, locale)
    if isinstance(row, CompanyRow):
        return row.company
    return f"{row.company}, {row.country}, {row.label or row.announced_text}"


def _draw(axes: Any, report: Report, locale: str) -> None:
    """The bars, their labels, the axes and the title."""
    from matplotlib.ticker import FuncFormatter  # loaded with matplotlib, by _pyplot

    drawn, left_out = bars(report)
    rows = list(reversed(drawn))  # largest at the top
    names = [_name(r, locale) for r in rows]
    market = [float(r.total.amount) for r in rows if r.total is not None]
    views = {v.country: v for v in report.views}
    ppp = [views[r.key].ppp_total if r.key in views and report.by == "country" else None
           for r in rows]  # fmt: skip
    show_ppp = report.ppp and any(v is not None for v in ppp)
    positions = range(len(rows))
    height = 0.38 if show_ppp else 0.6
    offset = height / 2 if show_ppp else 0.0
    bars_ = axes.barh([p + offset for p in positions], market, height=height,
                      label=f"market rates ({report.currency})", color="#3a6ea5")  # fmt: skip
    _annotate(axes, bars_, [format_money(r.total, locale=locale, compact=True)
                            for r in rows if r.total is not None])  # fmt: skip
    if show_ppp:
        values = [float(v) if v is not None else 0.0 for v in ppp]
        years = sorted({y for r in rows if r.key in views and (y := views[r.key].ppp_year)})
        ppp_bars = axes.barh([p - offset for p in positions], values, height=height, color="#e08a2c",
                             label=f"PPP (international $, {'/'.join(map(str, years))} factors)")  # fmt: skip
        labels = ["no data" if v is None else format_intl(v, locale, compact=True) for v in ppp]
        _annotate(axes, ppp_bars, labels)
    axes.set_yticks(list(positions), names)
    axes.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: _short(x)))
    measure = f"{report.currency} at market rates" + (
        "; international $ at PPP" if show_ppp else ""
    )
    label = f"disclosed total ({measure}); undisclosed amounts not included"
    if left_out:
        label += "\nNothing disclosed, not drawn: " + ", ".join(_name(r, locale) for r in left_out)
    axes.set_xlabel(label)
    axes.set_xlim(0, max([*market, *(float(v) for v in ppp if v is not None)], default=1) * 1.18)
    if rows:
        axes.legend(loc="upper right", fontsize=9)
    else:
        axes.set_xticks([])
        axes.text(0.5, 0.5, "Nothing disclosed: no amount to draw", transform=axes.transAxes,
                  ha="center", va="center", fontsize=12)  # fmt: skip
    axes.set_title(_title(report), fontsize=11)


def _annotate(axes: Any, bars: Any, labels: list[str]) -> None:
    """Each label just past the end of its bar."""
    for bar, label in zip(bars, labels, strict=True):
        axes.annotate(label, (bar.get_width(), bar.get_y() + bar.get_height() / 2),
                      xytext=(4, 0), textcoords="offset points", va="center", fontsize=9)  # fmt: skip


def _title(report: Report) -> str:
    dates = sorted({c.conversion.rate.fixing_date for c in report.conversions if c.conversion
                    and c.conversion.rate.base != c.conversion.rate.quote})  # fmt: skip
    if not dates:
        fixings = "no conversion needed"
    elif len(dates) == 1:
        fixings = f"ECB fixing of {dates[0]}"
    else:
        fixings = f"ECB fixings {dates[0]} to {dates[-1]}"
    return (f"Disclosed commitments by {report.by}, {currency_phrase(report)}\n"
            f"{rates_phrase(report)}: {policy_phrase(report)} ({fixings})")  # fmt: skip


def _short(value: float) -> str:
    for size, word in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:g}{word}"
    return f"{value:g}"
