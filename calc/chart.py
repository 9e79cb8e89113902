"""A horizontal bar chart of a report's totals (matplotlib, an optional extra).

``pip install matplotlib`` (``'.[chart]'`` in a source tree). A bar per row of the main table (countries, companies or
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
    try:
        # No date in the file (an SVG's metadata would hold the time it was drawn).
        _save(report, locale, path, **({"metadata": {"Date": None}} if suffix == ".svg" else {}))
    except OSError as exc:
        raise CalcError(f"Cannot write the chart {path!r}: {exc.strerror}.") from exc
    return path


def chart_svg(report: Report, *, locale: str = "en_US") -> str:
    """The chart as an SVG element, to put inline in a page (its text drawn as paths).

    :raises CalcError: if matplotlib is not installed
    """
    import io

    out = io.StringIO()
    _save(report, locale, out, format="svg", metadata={"Date": None})
    text = out.getvalue()
    return text[text.index("<svg") :]


def _save(report: Report, locale: str, target: Any, **options: Any) -> None:
    import warnings

    pyplot = _pyplot()
    figure, axes = pyplot.subplots(figsize=SIZE, dpi=DPI)
    try:
        _draw(axes, report, locale)
        with warnings.catch_warnings():  # a missing glyph is said once, by the check below
            warnings.filterwarnings("ignore", "Glyph .* missing", UserWarning)
            _use_a_font_that_covers(figure)
            figure.tight_layout()
            # An SVG's clip paths and glyphs are named from a salt, random unless set: the
            # same report draws the same bytes.
            with pyplot.rc_context({"svg.hashsalt": "spendcalc"}):
                figure.savefig(target, dpi=DPI, **options)
    finally:
        pyplot.close(figure)


def _pyplot() -> Any:
    """matplotlib's pyplot, drawing to files (Agg); CalcError if matplotlib is not installed."""
    try:
        import matplotlib  # an optional extra, loaded only to draw

        matplotlib.use("Agg")
        from matplotlib import pyplot
    except ImportError:
        raise CalcError(
            "A chart needs matplotlib; install it with: pip install matplotlib "
            "(or, in a spendcalc source tree, pip install '.[chart]')."
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
    axes.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: _tick(x, locale)))
    measure = f"{report.currency} at market rates" + (
        "; international $ at PPP" if show_ppp else ""
    )
    label = f"disclosed total ({measure}); undisclosed amounts not included"
    if left_out:
        label += "\nNothing disclosed, not drawn: " + ", ".join(_name(r, locale) for r in left_out)
    axes.set_xlabel(label)
    axes.set_xlim(0, max([*market, *(float(v) for v in ppp if v is not None)], default=1) * 1.18)
    if rows:  # below the axis, where it covers no bar and no label
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, fontsize=9,
                    frameon=False)  # fmt: skip
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


def _tick(value: float, locale: str) -> str:
    """An axis tick in the report's locale, short (1 Mrd., 10億, 1B)."""
    from babel.numbers import format_compact_decimal

    return str(format_compact_decimal(value, locale=locale, fraction_digits=1))


#: The font package to name when no installed font draws the chart's text (Debian, Ubuntu).
CJK_FONTS = "fonts-noto-cjk"


def _use_a_font_that_covers(figure: Any) -> None:
    """Draw the figure's text in an installed font that has every character in it (CJK
    included); warn once, naming a font package, when none has."""
    from matplotlib.text import Text

    figure.canvas.draw()  # the tick labels get their text when the figure is drawn
    texts = [t for t in figure.findobj(Text) if t.get_text()]
    chars = {c for t in texts for c in t.get_text() if not c.isspace()}
    font = _covering_font(frozenset(chars))
    if font is None:
        import warnings

        from rates.errors import RateWarning

        warnings.warn(
            f"No installed font draws every character of the chart; its labels may show as "
            f"boxes. Install one that does, e.g. {CJK_FONTS} (apt install {CJK_FONTS}).",
            RateWarning,
            stacklevel=2,
        )
        return
    from matplotlib.font_manager import FontProperties

    for text in texts:
        size = text.get_fontsize()
        text.set_fontproperties(FontProperties(fname=font, size=size))


def _covering_font(chars: frozenset[str]) -> str | None:
    """The file of the first installed font (matplotlib's default first) with a glyph for
    each of ``chars``; None if there is none."""
    from matplotlib import font_manager

    default = font_manager.findfont(font_manager.FontProperties())
    known = {f.fname for f in font_manager.fontManager.ttflist}
    if not _covers(default, chars):  # fonts installed since matplotlib's cache was made too
        known |= set(font_manager.findSystemFonts())
    others = sorted((p for p in known - {default} if "LastResort" not in p),
                    key=lambda p: ("Regular" not in p, p))  # a regular weight first  # fmt: skip
    paths = [default, *others]
    return next((path for path in paths if _covers(path, chars)), None)


def _covers(path: str, chars: frozenset[str]) -> bool:
    """Whether the font file ``path`` has a glyph for each of ``chars``."""
    from matplotlib.ft2font import FT2Font

    try:
        charmap = FT2Font(path).get_charmap()
    except (OSError, RuntimeError, ValueError):
        return False
    return all(ord(c) in charmap for c in chars)
