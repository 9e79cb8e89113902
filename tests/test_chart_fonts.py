"""Charts for every locale (issue 16, item 4): a font that draws the text, ticks in the locale,
a legend that covers nothing."""

from __future__ import annotations

import warnings

import pytest

from calc import Converter
from calc import chart as chart_module
from calc.commitments import load_text
from calc.examples import example_text
from calc.report import build_report
from rates import RateBook
from rates.errors import RateWarning


def report(**kwargs):
    return build_report(
        load_text(example_text(), "toml"), converter=Converter(RateBook(cache=None)), **kwargs
    )


def drawn(report_, locale):
    """The figure and axes of a chart, drawn (and closed afterwards by the caller)."""
    pyplot = chart_module._pyplot()
    figure, axes = pyplot.subplots(figsize=chart_module.SIZE, dpi=chart_module.DPI)
    chart_module._draw(axes, report_, locale)
    figure.tight_layout()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Glyph .* missing", UserWarning)
        chart_module._use_a_font_that_covers(figure)
        figure.canvas.draw()
    return pyplot, figure, axes


def test_the_default_font_covers_latin_text_and_not_cjk():
    from matplotlib import font_manager

    default = font_manager.findfont(font_manager.FontProperties())
    assert chart_module._covers(default, frozenset("United Kingdom $3.16B"))
    assert not chart_module._covers(default, frozenset("日本"))
    assert chart_module._covering_font(frozenset("abc")) == default


def test_every_text_of_the_chart_is_drawn_in_the_font_chosen(monkeypatch):
    from matplotlib import font_manager
    from matplotlib.text import Text

    chosen = font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans Mono"))
    monkeypatch.setattr(chart_module, "_covering_font", lambda chars: chosen)
    pyplot, figure, _axes = drawn(report(currency="JPY"), "ja_JP")
    try:
        fonts = {t.get_fontproperties().get_file() for t in figure.findobj(Text) if t.get_text()}
        assert fonts == {chosen}  # titles, names, bar labels and the ticks too
    finally:
        pyplot.close(figure)


def test_without_a_covering_font_a_warning_names_the_package(monkeypatch, tmp_path):
    monkeypatch.setattr(chart_module, "_covering_font", lambda chars: None)
    with pytest.warns(RateWarning, match="fonts-noto-cjk"):
        chart_module.write_chart(report(currency="JPY"), str(tmp_path / "c.png"), locale="ja_JP")
    assert (tmp_path / "c.png").stat().st_size > 1000


def test_ticks_follow_the_locale():
    from babel.numbers import format_compact_decimal

    assert chart_module._tick(1e9, "de_DE") == format_compact_decimal(
        1e9, locale="de_DE", fraction_digits=1
    )
    assert chart_module._tick(1e9, "de_DE") != chart_module._tick(1e9, "en_US")


def test_the_legend_covers_no_bar_and_no_label():
    from matplotlib.text import Annotation

    pyplot, figure, axes = drawn(report(ppp=True), "en_US")
    try:
        renderer = figure.canvas.get_renderer()
        legend = axes.get_legend().get_window_extent(renderer)
        things = [p.get_window_extent(renderer) for p in axes.patches]
        things += [a.get_window_extent(renderer) for a in axes.findobj(Annotation)]
        assert things and not any(legend.overlaps(box) for box in things)
    finally:
        pyplot.close(figure)


def test_the_same_report_draws_the_same_svg_bytes(tmp_path):
    # A page or chart made twice from the same report is the same file: matplotlib names the
    # SVG's clip paths and glyphs from a salt, random unless one is set.
    made = report()
    assert chart_module.chart_svg(made) == chart_module.chart_svg(made)
    first, second = tmp_path / "a.svg", tmp_path / "b.svg"
    chart_module.write_chart(made, str(first))
    chart_module.write_chart(made, str(second))
    assert first.read_bytes() == second.read_bytes()
    assert b"clip-path=" in first.read_bytes()  # the ids compared are there to differ
