"""Bad input, generated: only spendcalc's own errors come out, each saying where the problem is.

- 4,000 generated strings go into ``parse_amount`` (any Unicode text, text made of the
  characters amounts are written with, and press-style templates around a generated number),
  with and without a locale (some unknown): the only errors are ``AmountParseError``, quoting
  the text, and ``UnknownLocaleError``.
- Generated commitment files in CSV, TOML and JSON: records with wrong types, missing fields,
  unknown fields (kept as extra, with one warning), countries and currencies, huge and tiny numbers, dates out of range, text that
  is not valid Unicode, files with a BOM, CRLF line ends, duplicate records and rate tables good
  and bad. Loading one raises nothing but ``CommitmentFileError``, and each of its problems
  names the file and the line (or, where there is no line, the record or the ``rates`` table).
  A file that loads keeps every record (duplicates included), and a report on it raises nothing
  but ``RateError``, its message led by the commitment's ``file:line``; the report renders
  (in one of the four formats, drawn).

The tests at the end pin what this suite found: a month of 9999-12, periods from the year 1,
and absurd rate overrides.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import warnings
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calc import AmountParseError, CalcError, CommitmentFileError, UnknownLocaleError, build_report
from calc.amounts import parse_amount
from calc.commitments import FIELDS, load_text
from calc.converter import Converter
from calc.errors import CalcWarning
from calc.render import render_report
from rates import RateBook, RateError
from tests.clock import TODAY

# -- parse_amount ---------------------------------------------------------------------------

#: The characters amounts are written with, so that generated text often comes close to one.
PRESS_CHARS = (
    "0123456789" "0123456789" ".,'’ \u00a0\u202f-−+" "£$€¥₹₩₽₺₪฿₦元円원" "kKmMbBnNtTrRlLcC"
    "USDGBPJYINREKWCHF" "億兆万亿萬" "eEaAoOhHsSxX" "１２３٣"
)  # fmt: skip
#: Amounts as the press writes them, and near misses, around a generated number.
TEMPLATES = [
    "£{}bn", "${:,}", "US${} billion", "{:,} GBP", "SEK {}m", "₹{:,} crore", "Rs {} lakh crore",
    "¥{}億", "{}兆{}億円", "€{}.5bn", "{}.{}bn", "kr {}", "-${}", "£{:_}", "{:,}.{} USD", "$ {}k",
    "CHF{}mn", "{} euros", "R${}bn", "{:e} EUR", "£{},{}bn", "{}%", "GBP {} GBP", "{} USD GBP",
]  # fmt: skip
PRESS_LIKE = st.tuples(st.sampled_from(TEMPLATES), st.integers(0, 10**15), st.integers(0, 999)).map(
    lambda t: t[0].format(t[1], t[2])
)
#: Pieces amounts are made of, joined at random, so generated text often comes close to one.
PIECES = [
    "£", "$", "US$", "€", "¥", "₹", "₩", "kr", "Rs", "RM", "CN¥", "R$", "元", "円", "₨", "CHF",
    "GBP", "usd", "-", "−", "+", ".", ",", "'", "’", " ", "\xa0", "\u202f", "0", "1", "5", "9",
    "00", "000", "bn", "b", "m", "k", "mn", "t", "tn", "billion", "lakh", "crore", "lakh crore",
    "億", "兆", "万", "亿", "Mrd.", "Mio.", "milliards", "d'", "de ", "euros", "Cr", "KCr", "L",
    "NaN", "inf", "E+9", "e", "²", "١", "１", "￥", "\u200f",
]  # fmt: skip
PIECED = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=2)), max_size=10).map("".join)
LOCALES = [
    None,
    None,
    None,
    "en_US",
    "de_DE",
    "fr_FR",
    "ja_JP",
    "en_IN",
    "sv_SE",
    "xx_YY",
    "de-DE",
    "",
]
#: The one fuzz of parse_amount in the suite.
FUZZ_EXAMPLES = 4_000


def test_generated_strings_into_parse_amount():
    """Any text either reads as a positive finite amount or is refused in one clear sentence."""
    seen: list[str] = []
    read: list[str] = []

    @settings(max_examples=FUZZ_EXAMPLES, deadline=None, database=None)
    @given(
        st.one_of(
            st.text(max_size=40), st.text(alphabet=PRESS_CHARS, max_size=20), PRESS_LIKE, PIECED
        ),
        st.sampled_from(LOCALES),
    )
    def check(text: str, locale: str | None) -> None:
        seen.append(text)
        try:
            money = parse_amount(text, locale=locale)
        except AmountParseError as exc:
            assert str(exc).startswith(f"{text!r} is not an amount: ")
            assert str(exc).endswith((".", "?"))
            assert "\n" not in str(exc).replace(repr(text), "")
        except UnknownLocaleError as exc:
            assert locale not in (None, "en_US", "de_DE", "fr_FR", "ja_JP", "en_IN", "sv_SE")
            assert str(exc).startswith(f"{locale!r} is not a locale")
        else:
            assert money.amount > 0 and money.amount.is_finite()
            read.append(text)

    check()
    assert len(seen) >= FUZZ_EXAMPLES
    print(f"\nparse_amount: {len(seen)} strings ({len(set(seen))} distinct), {len(read)} read")


# -- commitment files -----------------------------------------------------------------------

GOOD_AMOUNTS = ["£2.5bn", "$2.9 billion", "¥2.26tn", "SEK 33.7bn", "₹25,700 crore", "€6.69bn",
                "CHF 400m", "2,500,000,000 GBP", "NT$5bn", "KSh 1bn", "", "undisclosed"]  # fmt: skip
BAD_AMOUNTS = ["two billion", "kr 5bn", "-£5bn", "£0", "£1e5", "NaN", "£" + "9" * 30,
               "£0." + "0" * 30 + "1", "$2.9bn for AI", "£2,5bn", "3,2 Mrd. €"]  # fmt: skip
NUMBERS = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.sampled_from(
        [
            0,
            -1,
            1,
            3,
            10**25,
            10**11,
            2**63,
            "3,000,000",
            "3 million",
            "1e5",
            "many",
            "",
            "0.5",
            "٣",
        ]
    ),
    st.tuples(st.integers(-(10**8), 10**8), st.integers(-40, 40)).map(
        lambda pair: Decimal(pair[0]).scaleb(pair[1])  # 1.5E+7, 0.0003, -12E-40, ...
    ),
    st.sampled_from(
        [
            Decimal("1e-30"),
            Decimal("1e30"),
            Decimal("1E+400"),
            Decimal("-0.0"),
            Decimal("0.0000001"),
            Decimal("2.5"),
            Decimal("1E-999999"),
        ]
    ),
)
DATES = st.one_of(
    st.dates(),
    st.sampled_from(
        [
            "2024-01-02",
            "2023-11-30",
            "2024-04",
            "1998-12-31",
            "1999-01",
            "2999-01-01",
            "0001-01-01",
            "9999-12-31",
            "2024-13-01",
            "2024-02-30",
            "2024-1-2",
            "02/01/2024",
            "15.02.2024",
            "31/12/2023",
            "2024/02/30",
            "",
            "yesterday",
            "９９９９-01-01",
        ]
    ),
    st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30)),
)
WILD = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=12),
                 st.lists(st.integers(), max_size=2))  # fmt: skip
VALUES = {
    "company": st.one_of(
        st.sampled_from(["Microsoft", "Acme, Inc.", 'O"Neil', "", " ", "A\ud800", "\x00"]), WILD
    ),
    "country": st.one_of(
        st.sampled_from(["JP", "GB", "gb", "US", "DE", "TW", "KE", "UK", "XX", "JPN", "", "Gİ"]),
        WILD,
    ),
    "category": st.sampled_from(
        ["infrastructure", "training", "research", "other", "Training", "roads", "", 3]
    ),
    "description": st.one_of(st.text(max_size=20), st.sampled_from(["a\nb", "x\r\ny", "\ufeffz"])),
    "amount": st.one_of(st.sampled_from(GOOD_AMOUNTS + BAD_AMOUNTS), NUMBERS, WILD),
    "currency": st.one_of(
        st.sampled_from(["USD", "gbp", "JPY", "EUR", "TWD", "XYZ", "GPB", "€", "", "US Dollar"]),
        WILD,
    ),
    "announced": DATES,
    "period_years": NUMBERS,
    "start": DATES,
    "end": DATES,
    "workers": NUMBERS,
    "training_years": NUMBERS,
    "source": st.text(max_size=20),
    "package": st.one_of(st.sampled_from(["uk-2023", "phase 1", "", " "]), WILD),
    "locale": st.one_of(
        st.sampled_from(["de_DE", "en_GB", "en_US", "en", "fr_FR", "ja_JP", "xx_YY", "de-DE", ""]),
        WILD,
    ),
}
#: Records that load (most of the time), so that reports get built too.
SANE = {
    "company": st.sampled_from(["Microsoft", "Acme"]),
    "country": st.sampled_from(["JP", "GB", "US", "DE", "TW", "IN"]),
    "category": st.sampled_from(["infrastructure", "training", "research", "other"]),
    "amount": st.sampled_from(GOOD_AMOUNTS),
    # From 2009, when the ECB began quoting INR: averaging over years where a currency has no
    # fixing is correct but slow (RateBook.series builds an error per day), see the report.
    "announced": st.one_of(
        st.dates(min_value=dt.date(2009, 1, 2), max_value=TODAY),
        st.sampled_from(["2024-04", "1999-01", "2026-10", "1998-12", "9999-12", "0001-01"]),
    ),
    "period_years": st.sampled_from([1, 2, 3, Decimal("0.5"), Decimal("2.5"), 200, 150]),
    "workers": st.sampled_from([3_000_000, "3 million", "2,000"]),
    "training_years": st.sampled_from([1, 3]),
    "description": st.text(max_size=20),
    "source": st.sampled_from(["", "https://news.example/", "press release, p. 2"]),
    "package": st.sampled_from(["phase 1", "uk-2023"]),
}
SPANS = st.tuples(
    st.one_of(
        st.dates(min_value=dt.date(2009, 1, 2), max_value=dt.date(2030, 1, 1)),
        st.sampled_from([dt.date(1, 1, 1), dt.date(9999, 12, 31)]),
    ),
    st.integers(min_value=0, max_value=800),
)
UNKNOWN_KEYS = st.sampled_from(["amout", "Country", "COMPANY", " notes ", "rates", "", "ａmount"])
RATES = st.dictionaries(
    st.sampled_from(["TWD", "USD/TWD", "KES", "USD/KES", "twd", "XXX", "TWD/TWD", "", "USD"]),
    st.sampled_from(
        ["34.7", "31.4", "129.5", "abc", "0", "-1", "nan", "1e999999", "1e-999999", 34, "", "1_000"]
    ),
    max_size=3,
)


@st.composite
def records(draw: st.DrawFn, sane: bool) -> dict[str, object]:
    """A commitment: every field plausible (``sane``), or any of them anything at all.

    Which optional fields are there is one draw (a bit mask), to keep generation quick.
    """
    record: dict[str, object] = {}
    if sane:
        optional = [f for f in SANE if f not in ("company", "country", "announced")]
        mask = draw(st.integers(0, 2 ** (len(optional) + 1) - 1))
        for field in ("company", "country", "announced"):
            record[field] = draw(SANE[field])
        for bit, field in enumerate(optional):
            if mask >> bit & 1 and mask % 3 != 0:  # about a third of them
                record[field] = draw(SANE[field])
        if mask >> len(optional) & 1 and mask % 5 == 0:  # a spending period given as dates
            start, days = draw(SPANS)
            record["start"] = start
            if days or "period_years" not in record:
                record["end"] = start + dt.timedelta(days=min(days, (dt.date.max - start).days))
        return record
    mask = draw(st.integers(0, 2 ** (len(FIELDS) + 2) - 1))
    for bit, field in enumerate(FIELDS):
        required = field in ("company", "country", "announced")
        if (mask >> bit & 1) if not required else (mask % 10 != bit):  # required: mostly there
            record[field] = draw(VALUES[field])
    if mask >> len(FIELDS) & 3 == 3 and mask % 2:
        record[draw(UNKNOWN_KEYS)] = draw(WILD)
    return record


@st.composite
def commitment_files(draw: st.DrawFn) -> tuple[str, bytes, int]:
    """(format, file bytes, records a successful load must give)."""
    fmt = draw(st.sampled_from(["csv", "toml", "json"]))
    sane = draw(st.booleans())
    rows = draw(st.lists(records(sane), min_size=0 if not sane else 1, max_size=4))
    if rows and draw(st.booleans()):
        rows.append(dict(rows[draw(st.integers(0, len(rows) - 1))]))  # a duplicate row
    rates = draw(RATES) if fmt != "csv" and draw(st.booleans()) else None
    text = {"csv": to_csv, "toml": to_toml, "json": to_json}[fmt](rows, rates, draw)
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    raw = text.encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        raw = "\ufeff".encode() + raw
    expected = len(rows)
    if fmt == "csv":  # a row with nothing in it is a blank line, not a record
        expected = sum(any(cell(v).strip() for v in r.values()) for r in rows)
    return fmt, raw, expected


def cell(value: object) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def to_csv(rows: list[dict[str, object]], _rates: object, _draw: st.DrawFn) -> str:
    header = list(dict.fromkeys(k for r in rows for k in r)) or ["company", "country", "announced"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell(row.get(k)) for k in header])
    return out.getvalue()


def to_json(rows: list[dict[str, object]], rates: object, draw: st.DrawFn) -> str:
    def plain(value: object) -> object:
        if isinstance(value, Decimal):  # written as a bare JSON number (NaN, Infinity too)
            if value.is_nan():
                return "__num__NaN"
            if value.is_infinite():
                return "__num__-Infinity" if value < 0 else "__num__Infinity"
            return f"__num__{value}"
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value

    body: object = [{k: plain(v) for k, v in r.items()} for r in rows]
    if rates is not None or draw(st.booleans()):
        body = {"commitments": body, **({"rates": rates} if rates is not None else {})}
    indent, ascii_only = draw(st.sampled_from([None, 2])), draw(st.booleans())
    text = json.dumps(body, indent=indent, ensure_ascii=ascii_only)  # ASCII: \ud800 escapes
    return re.sub(r'"__num__([^"]*)"', r"\1", text)


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        if value.is_nan():
            return "nan"
        if value.is_infinite():
            return "-inf" if value < 0 else "inf"
        text = str(value)
        return text if any(c in text for c in ".eE") else text + ".0"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)  # a TOML basic string


def toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)


def to_toml(rows: list[dict[str, object]], rates: object, draw: st.DrawFn) -> str:
    lines = []
    if rates is not None:
        lines.append("[rates]")
        lines += [f"{toml_key(k)} = {toml_value(v)}" for k, v in rates.items()]  # type: ignore[attr-defined]
    if draw(st.integers(0, 4)) == 0 and not rates:  # an inline array: no line per record
        tables = ["{" + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in r.items()
                                  if v is not None) + "}" for r in rows]  # fmt: skip
        lines.insert(0, "commitment = [" + ", ".join(tables) + "]")
    else:
        for row in rows:
            lines.append("[[commitment]]")
            lines += [f"{toml_key(k)} = {toml_value(v)}" for k, v in row.items() if v is not None]
    return "\n".join(lines) + "\n"


#: Problems about the whole file, which has no line or record to name.
WHOLE_FILE = re.compile(
    r"(is empty|holds no|holds both|nests lists|is not UTF-8 text|is not valid (TOML|JSON|CSV)"
    r"|names .* more than once|holds a number too long)"
)
BOOK = RateBook(cache=None)
CONVERTER = Converter(BOOK)
FORMATS = ("table", "json", "csv", "markdown")
FIGURES = {"files": 0, "refused": 0, "problems": 0, "loaded": 0, "reports": 0, "rate errors": 0}


def assert_says_where(problem, name: str) -> None:  # type: ignore[no-untyped-def]
    text = str(problem)
    assert "\n" not in text and problem.message, text
    if problem.line is not None:
        assert text.startswith(f"{name}:{problem.line}: "), text
    elif problem.field == "rates":
        assert text.startswith(f"{name}: ") and "rate" in problem.message.lower(), text
    elif problem.field is not None:  # a record's field: the record must be named
        assert re.match(rf"{re.escape(name)}: (commitment|record) \d+: ", text), text
    else:
        assert text.startswith(f"{name}: ") and WHOLE_FILE.match(problem.message), text


@settings(
    max_examples=1_000,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    commitment_files(),
    st.sampled_from(["announced", "average", "latest", "2024-01-19"]),
    st.sampled_from(FORMATS),
)
def test_generated_commitment_files(file, policy, output):
    fmt, raw, expected = file
    name = f"gen.{fmt}"
    FIGURES["files"] += 1
    try:
        with warnings.catch_warnings(record=True) as warned:
            warnings.simplefilter("always")
            loaded = load_text(raw, fmt, name=name)
    except CommitmentFileError as exc:
        assert exc.problems and str(exc).startswith(name)
        for problem in exc.problems:
            assert_says_where(problem, name)
        FIGURES["refused"] += 1
        FIGURES["problems"] += len(exc.problems)
        return
    FIGURES["loaded"] += 1
    assert len(loaded) == expected  # every record kept, duplicates included
    # Fields spendcalc does not use are kept, and named in one warning.
    assert [w.category for w in warned] == ([CalcWarning] if any(c.extra for c in loaded) else [])
    locations = {c.location for c in loaded}
    assert all(re.fullmatch(rf"{re.escape(name)}(:\d+|, commitment \d+)", x) for x in locations)
    try:
        report = build_report(loaded, currency="USD", policy=policy, converter=CONVERTER)
    except RateError as exc:
        assert any(str(exc).startswith(f"{x}: ") for x in locations), str(exc)
        assert "\n" not in str(exc)
        FIGURES["rate errors"] += 1
        return
    FIGURES["reports"] += 1
    assert sum(row.commitments for row in report.countries) == len(loaded)
    assert render_report(report, fmt=output, locale="en_US", compact=output == "table")


def test_the_generated_files_both_load_and_fail():
    """The generator is worth its time only if it makes both kinds (runs after the test above;
    prints the figures with -s)."""
    print(f"\ncommitment files: {FIGURES}")
    assert FIGURES["files"] == 0 or (FIGURES["loaded"] > 100 and FIGURES["refused"] > 100)
    assert FIGURES["files"] == 0 or FIGURES["reports"] > 100


# -- found by the generated inputs; each needs a change in a module this suite does not own ---


def report_on(text: str, fmt: str, policy: str = "announced"):  # type: ignore[no-untyped-def]
    return build_report(load_text(text, fmt, name=f"x.{fmt}"), policy=policy, converter=CONVERTER)


def test_an_announcement_in_the_last_month_of_9999():
    text = "company,country,amount,announced\nAcme,GB,£1bn,9999-12\n"
    with pytest.raises(RateError, match=r"x\.csv:2: No GBP->USD .*9999-12"):
        report_on(text, "csv")


@pytest.mark.parametrize(
    ("text", "policy"),
    [
        ("company,country,amount,announced,start,end\nA,GB,£1bn,2024-01-02,0001-01-01,2024-12-31\n",
         "average"),
        ("company,country,amount,announced\nA,GB,£1bn,0001-01\n", "announced"),
    ],
    ids=["average-from-year-1", "month-of-year-1"],
)  # fmt: skip
def test_a_period_from_the_year_1(text, policy):
    """An average over the fixings that exist, or one clear RateError that says where."""
    try:
        report = report_on(text, "csv", policy)
    except RateError as exc:
        assert str(exc).startswith("x.csv:2: No GBP->USD fixings from 0001-01-01 to 0001-01-31")
    else:
        (conversion,) = report.conversions
        assert conversion.conversion.rate.period[0] == dt.date(1999, 1, 4)


@pytest.mark.parametrize("value", ["1e999999", "1e-999999"])
def test_an_absurd_rate_in_a_file(value):
    text = (
        f'{{"rates": {{"TWD": "{value}"}}, "commitments": [{{"company": "A", "country": "TW", '
        '"announced": "2024-01-19", "amount": "NT$5bn"}]}'
    )
    with pytest.raises((CalcError, RateError), match=r"TWD"):
        report_on(text, "json")
