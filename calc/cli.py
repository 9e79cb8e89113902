"""The ``spendcalc`` command: parse arguments, call the library, print, return an exit code.

Exit codes: 0 done; 1 an error (one line on stderr, never a traceback); 2 a usage error;
3 from ``check`` when the quoted conversion is outside the tolerance. Each command imports only
what it needs, so a single conversion starts fast.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from collections.abc import Callable, Sequence, Set
from typing import TYPE_CHECKING, Any

from .arguments import (
    EXIT_CHECK_FAILED,
    EXIT_ERROR,
    EXIT_OK,
    EXIT_USAGE,
    HelpFormatter,
    Parser,
    add_force_option,
    add_rate_options,
    add_rounding_option,
    date,
    day_or_month,
    output_width,
    policy,
    rate_book,
    tolerance,
    width,
    write,
)

if TYPE_CHECKING:
    from .commitments import CommitmentSet
    from .parallel import Later
    from .render import Piece
    from .report import Report

__all__ = [
    "COMMANDS",
    "EXIT_CHECK_FAILED",
    "EXIT_ERROR",
    "EXIT_OK",
    "EXIT_USAGE",
    "Command",
    "build_parser",
    "main",
]

FORMATS = ("table", "markdown", "csv", "json", "html", "xlsx")
#: What a command built that the process's quick exit (:func:`console`) frees instead of the
#: command: a big report's objects take half a second to free one by one, for nothing when the
#: process ends next. None when :func:`main` is called otherwise (its objects are freed as usual).
_KEPT: list[object] | None = None


class Command:
    """One command: its name and help, ``add_arguments(parser)`` and ``run(args) -> exit code``."""

    __slots__ = ("add_arguments", "description", "help", "name", "run")

    def __init__(
        self,
        name: str,
        help: str,
        add_arguments: Callable[[argparse.ArgumentParser], None],
        run: Callable[[argparse.Namespace], int],
        description: str | None = None,
    ) -> None:
        self.name = name
        self.help = help
        self.add_arguments = add_arguments
        self.run = run
        self.description = description


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; with ``command`` (a known one), only that command's (start-up time).

    Without it every command is listed, for ``--help`` and the error for an unknown command;
    with it the rest are not needed: what is parsed, and every message about it, is the same.
    """
    parser = Parser(
        prog="spendcalc",
        description="Compare spending commitments announced in different currencies, at ECB "
        "reference rates that work offline and say which fixing they used.",
        epilog="Exit codes: 0 done, 1 error, 2 usage error, 3 'check' outside tolerance. "
        "Rates: European Central Bank euro reference rates (bundled, 1999-01-04 on).",
        formatter_class=HelpFormatter,
    )
    parser.add_argument(
        "--version", action=_Version, nargs=0, help="print spendcalc's version and exit"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for each in COMMANDS.values() if command is None else (COMMANDS[command],):
        sub = commands.add_parser(
            each.name, formatter_class=HelpFormatter, help=each.help, description=each.description
        )
        each.add_arguments(sub)
    return parser


class _Version(argparse.Action):
    """``--version``: the installed distribution's version, looked up only when asked for
    (importlib.metadata is not a cost of every run)."""

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            found = version("spendcalc")
        except PackageNotFoundError:
            found = "unknown (not installed)"
        print(f"spendcalc {found}")
        parser.exit(0)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``spendcalc`` with ``argv`` (default: the command line); return the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(argv[0] if argv and argv[0] in COMMANDS else None)
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    if args.command == "rates" and args.rates_command is None:
        print(
            "spendcalc rates: error: name what to do: info, update, check or export "
            "(see spendcalc rates --help)",
            file=sys.stderr,
        )
        return EXIT_USAGE

    # rates and calc.errors load only once the arguments are good: --help stays instant.
    from rates import RateError
    from rates.errors import RateWarning

    from .errors import CalcError, CalcWarning

    stdout = sys.stdout
    if _is_terminal(stdout):  # cells passed through from files are shown escaped there
        from .safetext import TerminalStream

        sys.stdout = TerminalStream(stdout)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", RateWarning)
            warnings.simplefilter("always", CalcWarning)
            try:
                return COMMANDS[args.command].run(args)
            finally:  # spendcalc's own warnings, one line each; others as Python shows them
                for warning in caught:
                    if issubclass(warning.category, (RateWarning, CalcWarning)):
                        from .safetext import for_terminal  # only to print (start-up time)

                        print(f"warning: {for_terminal(str(warning.message))}", file=sys.stderr)
    except (CalcError, RateError) as exc:
        from .safetext import for_terminal  # only to print (start-up time)

        print(f"error: {for_terminal(str(exc))}", file=sys.stderr)
        details = getattr(exc, "details", None)
        if callable(details) and len(getattr(exc, "problems", ())) > 1:
            print("\n".join(map(for_terminal, details().split("\n"))), file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        # The reader went away (spendcalc report | head): not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except (
        Exception
    ) as exc:  # a bug of ours: one line, not a traceback (SPENDCALC_DEBUG=1 shows it)
        if os.environ.get("SPENDCALC_DEBUG"):
            raise
        print(
            f"error: internal error ({type(exc).__name__}: {exc}); please report it "
            "(set SPENDCALC_DEBUG=1 to see the traceback)",
            file=sys.stderr,
        )
        return EXIT_ERROR
    finally:
        sys.stdout = stdout


def _is_terminal(stream: object) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError, OSError):  # no such method, or closed
        return False


def console() -> None:
    """The ``spendcalc`` executable: :func:`main`, then a quick exit.

    By then nothing is left to close (files and the cache are closed by their ``with`` blocks,
    and no thread runs), so once stdout and stderr are flushed the interpreter's teardown, about
    a tenth of a short command's time, is skipped. (``python -m calc`` exits the ordinary way,
    running atexit hooks.)
    """
    import gc

    # A short command allocates mostly what its imports define and keeps it to the end:
    # collecting young objects every 700 allocations (the default) rescans them for nothing,
    # a twentieth of a conversion. Cyclic garbage is still collected, every 50,000.
    gc.set_threshold(50_000)
    global _KEPT
    _KEPT = []
    try:
        code = main()
    except SystemExit as exc:  # argparse: --help (0) and usage errors (2)
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else EXIT_ERROR)
    from contextlib import suppress

    for stream in (sys.stdout, sys.stderr):
        with suppress(BrokenPipeError, ValueError):  # the reader went away, or it is closed
            stream.flush()
    os._exit(code)


def _report_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", nargs="*", metavar="FILE",
        help="commitments files: .toml, .csv, .json or .xlsx, reported on together; - reads "
        "standard input (with --input-format) (default: the bundled example)",
    )  # fmt: skip
    _reading_arguments(parser)
    _report_options(parser)


def _reading_arguments(parser: argparse.ArgumentParser) -> None:
    """The options that say how commitments files are read (report, validate)."""
    parser.add_argument(
        "--sheet", metavar="NAME", help="the sheet of an .xlsx FILE to read (default: the first)"
    )
    reading = parser.add_argument_group("reading FILE")
    reading.add_argument(
        "--input-format", choices=("toml", "csv", "json"),
        help="the format of standard input (FILE -)",
    )  # fmt: skip
    reading.add_argument(
        "--input-locale", metavar="LOCALE",
        help="read amounts and dates as this locale writes them (de_DE: '3,2 Mrd. €', "
        "'15.02.2024') where a record's locale field or the file's [defaults] locale does not "
        "say (default: none; '.' is the decimal point, dates YYYY-MM-DD)",
    )  # fmt: skip
    reading.add_argument("--delimiter", choices=(",", ";", "tab"), metavar="DELIMITER",
                         help="a CSV file's delimiter: ',', ';' or 'tab' (default: the one that "
                         "makes the header name spendcalc fields)")  # fmt: skip


def _read_files(args: argparse.Namespace) -> CommitmentSet:
    """The commitments of the files named (``-``: standard input), as one set; a warning
    names the lines of rows that are the same in every field."""
    from .commitments import combined, duplicates, load_commitments, read_stdin
    from .errors import CalcError

    if len(args.file) > 1 and args.sheet is not None:
        raise CalcError("--sheet names a sheet of one .xlsx FILE; give one file with it.")
    if args.file.count("-") > 1:
        raise CalcError("Standard input (-) can be read once; name it once.")
    options = {"locale": args.input_locale, "delimiter": args.delimiter, "cli": True}
    sets = [
        read_stdin(args.input_format, **options) if name == "-"
        else load_commitments(name, sheet=args.sheet, **options)
        for name in args.file
    ]  # fmt: skip
    found = combined(sets)
    for where in duplicates(found):
        import warnings

        from .errors import CalcWarning

        warnings.warn(
            f"the same commitment is given {len(where)} times ({', '.join(where)}); each "
            "is counted: remove the copies if they are one pledge",
            CalcWarning,
            stacklevel=2,
        )
    return found


def _report_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--currency", default="USD", help="currency of the report (ISO 4217)")
    parser.add_argument(
        "--on", default="announced", type=policy, metavar="POLICY",
        help="rates: 'announced' (each at its announcement date), 'latest', 'average' "
        "(mean of daily fixings over each spending period) or a date YYYY-MM-DD",
    )  # fmt: skip
    parser.add_argument(
        "--locale", default="en_US", help="locale for numbers and names, e.g. ja_JP"
    )
    parser.add_argument(
        "--format", choices=FORMATS, default="table",
        help="output format; xlsx is a workbook with a sheet per table, written to -o PATH",
    )  # fmt: skip
    parser.add_argument("-o", "--output", metavar="PATH", help="write here (default: stdout)")
    add_force_option(parser)
    parser.add_argument("--compact", action="store_true", help="short amounts such as $2.91B")
    parser.add_argument(
        "--per-capita", action="store_true",
        help="add each country's total per head of population (World Bank data, the latest "
        "year on or before the country's reference year)",
    )  # fmt: skip
    parser.add_argument(
        "--ppp", action="store_true",
        help="add each country's total at purchasing-power parity, in international dollars",
    )  # fmt: skip
    parser.add_argument(
        "--reference", metavar="CSV",
        help="your own reference data, rows of country,series,year,value (series population, "
        "ppp, gdp_usd, cpi_inflation) or of country,population,population_year,"
        "ppp_lcu_per_intl_dollar,ppp_year; its rows take precedence",
    )  # fmt: skip
    parser.add_argument(
        "--chart", metavar="PATH",
        help="also draw a bar chart of the totals to PATH (.png or .svg; needs matplotlib)",
    )  # fmt: skip
    parser.add_argument(
        "--by", choices=("country", "company", "package"), default="country",
        help="the rows of the main table; a package is what one company announced for one "
        "country on one day (or what the file's 'package' field groups)",
    )  # fmt: skip
    parser.add_argument(
        "--by-year", action="store_true",
        help="add the disclosed amounts by calendar year, each spread evenly over its spending "
        "period by days (both ends included)",
    )  # fmt: skip
    for option, what in (("company", "companies"), ("country", "countries (ISO code or name)"),
                         ("category", "categories")):  # fmt: skip
        parser.add_argument(
            f"--{option}", action="append", default=[], metavar=option.upper(),
            help=f"only these {what}; any case, repeated or comma-separated",
        )  # fmt: skip
    parser.add_argument(
        "--width", type=width, metavar="N",
        help="fit the text report into N columns (default: $COLUMNS, else the terminal's width; "
        "no limit when the output is not a terminal): descriptions wrap, sources shorten, "
        "and the least important columns are left out, named in a note",
    )  # fmt: skip
    parser.add_argument(
        "--rows", choices=("main", "conversions"), default="main",
        help="with --format csv: the main table, or one row per commitment with its "
        "conversion, rate, fixing date, source, policy and stale/partial flags",
    )  # fmt: skip
    _fair_arguments(parser)
    add_rounding_option(parser)
    add_rate_options(parser)


def _fair_arguments(parser: argparse.ArgumentParser) -> None:
    """The report's fair comparisons: real terms, share of GDP, sensitivity, the method note."""
    parser.add_argument(
        "--real",
        metavar="YEAR",
        help="express every figure in constant prices of YEAR (or 'latest': the last year "
        "the price indices have); the title names the index",
    )
    parser.add_argument(
        "--deflator",
        choices=("target", "source"),
        default="target",
        help="with --real: 'target' converts at the rate policy, then applies the report "
        "currency's price index (USD: monthly CPI-U); 'source' (OECD DAC) deflates each amount "
        "with its own currency's prices, then converts at YEAR's average ECB rate",
    )
    for flag, text in (
        ("--share-of-gdp", "add each country's total (and, with --by-year, each year's) as a "
         "share of its GDP (World Bank, current US$), naming the GDP year"),
        ("--sensitivity", "add each country's total at the announcement date, the announcement "
         "year's average, the latest fixing and PPP (and in real terms with --real), with the "
         "range"),
        ("--method-only", "print only the method note: sources, vintages, policy, rounding, "
         "deflator, caveats"),
    ):  # fmt: skip
        parser.add_argument(flag, action="store_true", help=text)


def _fair_options(args: argparse.Namespace) -> dict[str, Any]:
    """The keywords of build_report that _fair_arguments gives."""
    return {"real": args.real, "deflator": args.deflator, "share_of_gdp": args.share_of_gdp,
            "sensitivity": args.sensitivity}  # fmt: skip


def _filter_values(given: list[str], whole: Set[str] = frozenset()) -> list[str]:
    """The values of a repeatable, comma-separated option; one in `whole` (any case) is kept
    whole, commas and all ("Acme, Inc.")."""
    known = {w.casefold() for w in whole}
    values = []
    for value in given:
        values += [value] if value.strip().casefold() in known else value.split(",")
    return [v.strip() for v in values if v.strip()]


def _cmd_report(args: argparse.Namespace) -> int:
    if args.format == "xlsx" and not args.output:
        print(
            "spendcalc report: error: --format xlsx writes a binary workbook, not text for a "
            "terminal; give a file with -o PATH (see spendcalc report --help)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    import gc

    # What is loaded and built lives to the end, and little of it is cyclic garbage: the
    # collector waits until the report is built, then leaves it out of its scans (frozen), not
    # to rescan a big file's commitments and rows at every collection (a sixth of its time).
    # A file gets no width limit unless one is given; the terminal gets its own.
    width = args.width if args.output else output_width(args.width)
    if args.format != "table":
        width = None
    pieces: dict[str, Later[Piece]] = {}

    def draw_apart(table: str) -> Callable[[Report], None]:
        """A table drawn by a second process while this one goes on (a big report, on
        Linux: calc.parallel): the conversions while the rows are grouped, the packages naming
        workers while the countries and companies are summed and the rest is drawn."""

        def started_on(part: Report) -> None:
            from .parallel import started
            from .render import drawn_apart

            items = (
                len(part.conversions) if table == "conversions"
                else 0 if part.by == "package"  # (then the main table: no table of its own)
                else sum(1 for p in part.packages if p.workers)
            )  # fmt: skip
            pieces[table] = started(lambda: drawn_apart(
                part, table, fmt=args.format, locale=args.locale, compact=args.compact,
                width=width,
            ), items)  # fmt: skip

        return started_on

    apart = args.format in ("table", "markdown") and not args.method_only and args.rows == "main"
    enabled = gc.isenabled()
    gc.disable()
    try:
        try:
            report = _built_report(
                args, *((draw_apart("conversions"), draw_apart("packages")) if apart else ())
            )
            gc.freeze()
            if _KEPT is not None:
                _KEPT.append(report)
        finally:
            if enabled:
                gc.enable()
        return _report_out(args, report, width, pieces)
    finally:
        for piece in pieces.values():
            piece.close()  # (if its table was never asked for: an error came first)


def _report_out(
    args: argparse.Namespace, report: Report, width: int | None, pieces: dict[str, Later[Piece]]
) -> int:
    """``spendcalc report``'s output of the built `report`."""
    from .errors import CalcError
    from .render import render_report

    if args.method_only:
        from .method import method_note

        write(method_note(report) + "\n")
        return EXIT_OK
    if args.rows == "conversions" and args.format != "csv":
        raise CalcError("--rows conversions is a CSV form; add --format csv.")
    text = ""
    if args.format != "xlsx":
        text = render_report(
            report, fmt=args.format, locale=args.locale, compact=args.compact,
            by_year=args.by_year, rows=args.rows, width=width,
            conversions=pieces.get("conversions"), packages=pieces.get("packages"),
        )  # fmt: skip
    if args.chart:
        from .chart import write_chart  # only when a chart is asked for (start-up time)

        write_chart(report, args.chart, locale=args.locale)
        if args.format in ("table", "markdown"):
            from .safetext import for_markdown, for_terminal

            shown = (
                for_markdown(args.chart) if args.format == "markdown" else for_terminal(args.chart)
            )
            text += f"\nChart: {shown}\n"
    if args.format == "xlsx":
        _write_workbook(report, args)
    elif args.output:
        from .output import write_file

        write_file(args.output, lambda out: out.write(text), force=args.force)
    else:
        write(text)
        return EXIT_OK
    from .safetext import for_terminal

    print(f"wrote the report to {for_terminal(args.output)}", file=sys.stderr)
    return EXIT_OK


def _built_report(
    args: argparse.Namespace,
    converted: Callable[[Report], None] | None = None,
    packaged: Callable[[Report], None] | None = None,
) -> Report:
    """The report ``spendcalc report`` asks for: its files loaded, converted and grouped
    (`converted` and `packaged` as for :func:`calc.report.build_report`)."""
    # Each command loads only what it needs (start-up time).
    from .commitments import load_text
    from .converter import Converter
    from .errors import CalcError
    from .examples import example_text
    from .reference import load_reference
    from .report import build_report

    if not args.file:
        if args.sheet is not None:
            raise CalcError("--sheet names a sheet of an .xlsx FILE; give the file.")
        commitments = load_text(example_text(), "toml", name="example.toml")
    else:
        commitments = _read_files(args)
    reference = None
    if args.reference:
        reference = load_reference(args.reference)
    # --rate goes to the report, after the file's [rates], so that it wins (with a warning).
    return build_report(
        commitments, currency=args.currency, policy=args.on,
        converter=Converter(rate_book(args, overrides=False)), overrides=args.rate,
        rounding=args.rounding,
        per_capita=args.per_capita, ppp=args.ppp, reference=reference, by=args.by,
        companies=_filter_values(args.company, {c.company for c in commitments}),
        countries=_filter_values(args.country), categories=_filter_values(args.category),
        converted=converted, packaged=packaged, **_fair_options(args),
    )  # fmt: skip


def _write_workbook(report: Report, args: argparse.Namespace) -> None:
    """``--format xlsx``: the report to ``--output``, with the options given as provenance."""
    from .format import babel_locale
    from .report_workbook import write_report_workbook  # openpyxl only for a workbook

    babel_locale(args.locale)  # a bad --locale is an error whatever the format
    given = vars(args) | {"file": ", ".join(args.file) or "(the bundled example)"}
    options = [(_option_name(k), _option_text(v)) for k, v in given.items() if k != "command"]
    write_report_workbook(
        report, args.output, by_year=args.by_year, options=options, force=args.force
    )


def _option_name(key: str) -> str:
    """``--by-year`` for the attribute ``by_year``; a positional argument as it is."""
    return key if key == "file" else "--" + key.replace("_", "-")


def _option_text(value: object) -> str:
    """An option's value as the provenance shows it: lists comma-separated, flags yes/no."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return "" if value is None else str(value)


def _convert_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("amount", help='e.g. "£2.5bn", "¥2.26tn", "SEK 33.7bn", "₹25,700 crore"')
    parser.add_argument("--to", required=True, help="target currency (ISO 4217)")
    parser.add_argument(
        "--on", type=date, default=None, help="date YYYY-MM-DD (default: the latest fixing)"
    )
    parser.add_argument(
        "--locale", default=None, help="read AMOUNT with this locale's separators and words"
    )
    add_rounding_option(parser)
    add_rate_options(parser)


def _cmd_convert(args: argparse.Namespace) -> int:
    # Each command loads only what it needs (start-up time).
    from .converter import Converter
    from .describe import describe_conversion, describe_press_conversion
    from .press import parse_press

    press = parse_press(args.amount, locale=args.locale)
    converter = Converter(rate_book(args))
    conversion = converter.convert(press.money, args.to, on=args.on)
    if press.qualifier is None and press.high is None and press.conversion is None:
        write(describe_conversion(conversion, rounding=args.rounding) + "\n")
        return EXIT_OK
    high = None if press.high is None else converter.convert(press.high, args.to, on=args.on)
    write(describe_press_conversion(press, conversion, high, rounding=args.rounding) + "\n")
    return EXIT_OK


def _check_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "quoted", help="the original amount, e.g. '£2.5 billion' or 'about Rs 25,700 crore'"
    )
    parser.add_argument(
        "equivalent",
        help="the equivalent the text gives, e.g. '$3 billion' or 'roughly $3bn'. A qualifier "
        "before either amount is read: about, around, roughly, some, ~, approx., c., circa are "
        "judged both ways, as a plain figure; more than, over, at least, above (lower bounds) "
        "and up to, under, less than, at most, below (upper bounds) are judged one-sided, with "
        "no rounding allowance: a lower bound is OFF only if it is above the ECB-based figure by "
        "more than the tolerance, an upper bound only if it is below it; nearly, almost, just "
        "under X mean the half of X's rounding below X, just over X the half above it. The "
        "equivalent's qualifier decides; without one, the original's covers both",
    )
    parser.add_argument(
        "--on", type=day_or_month, required=True, metavar="DATE",
        help="date of the figures, YYYY-MM-DD (that day's fixing), or a month, YYYY-MM "
        "(the average of its daily fixings)",
    )  # fmt: skip
    parser.add_argument(
        "--tolerance", type=tolerance, default="5%",
        help="largest fair deviation from the ECB-based figure, as a percentage (5%%) or a "
        "fraction (0.05); a bare number above 1 is refused",
    )  # fmt: skip
    parser.add_argument(
        "--locale", default=None, help="read the amounts with this locale's separators and words"
    )
    add_rate_options(parser)


_CHECK_DESCRIPTION = (
    "Compare a quoted equivalent with the ECB-based one, e.g. spendcalc check "
    '"£2.5 billion" "$3 billion" --on 2023-11-30. Exit 0 within the tolerance, 3 outside it. '
    "The verdict allows for the rounding of EQUIVALENT as written: '$3bn' stands for $2.5bn to "
    "$3.5bn (half a unit of its last significant digit), '$3.0bn' for $2.95bn to $3.05bn; "
    "zeros after a decimal point count, a whole number's trailing zeros do not "
    "('$3,000,000,000' is rounded like '$3bn'). Where a figure is fair only thanks to its "
    "rounding, the verdict says so: FAIR within the rounding of '$3bn'."
)


def _cmd_check(args: argparse.Namespace) -> int:
    # Each command loads only what it needs (start-up time).
    from .check import check_conversion
    from .converter import Converter
    from .describe import describe_check

    result = check_conversion(
        args.quoted, args.equivalent, on=args.on, tolerance=args.tolerance, locale=args.locale,
        converter=Converter(rate_book(args)),
    )  # fmt: skip
    write(describe_check(result) + "\n")
    return EXIT_OK if result.fair else EXIT_CHECK_FAILED


def _validate_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", nargs="+", metavar="FILE",
        help="commitments files to check (.toml, .csv, .json, .xlsx; - for standard input)",
    )  # fmt: skip
    _reading_arguments(parser)


def _cmd_validate(args: argparse.Namespace) -> int:
    """Check each file without computing anything: every problem of every file, then a line."""
    from .errors import CommitmentFileError
    from .safetext import for_terminal

    bad = 0
    for name in args.file:
        one = argparse.Namespace(**{**vars(args), "file": [name]})
        try:
            found = _read_files(one)
        except CommitmentFileError as exc:
            bad += 1
            for problem in exc.problems:
                print(f"error: {for_terminal(str(problem))}", file=sys.stderr)
            continue
        shown = "standard input" if name == "-" else name
        write(f"{for_terminal(shown)}: {len(found)} commitments, no problems\n")
    if bad:
        print(
            f"{bad} of {len(args.file)} file{'s' if len(args.file) != 1 else ''} have problems",
            file=sys.stderr,
        )
        return EXIT_ERROR
    return EXIT_OK


def _example_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format", choices=("toml", "csv", "json"), default="toml", help="file format"
    )


def _cmd_example(args: argparse.Namespace) -> int:
    # Each command loads only what it needs (start-up time).
    from .examples import example_as, example_text

    write(example_text() if args.format == "toml" else example_as(args.format))
    return EXIT_OK


def _ledger_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="the ledger CSV: date (YYYY-MM-DD), currency, amount")
    parser.add_argument("--to", required=True, help="target currency (ISO 4217)")
    parser.add_argument("-o", "--output", metavar="PATH", help="write here (default: stdout)")
    add_force_option(parser)
    parser.add_argument(
        "--round",
        action="store_true",
        help="round converted amounts once, from the exact quotient, to the currency's minor units "
        "(default: unrounded, as convert keeps them: exact, or 28 significant digits that round "
        "as the exact quotient does)",
    )
    add_rounding_option(parser)
    parser.add_argument(
        "--engine", choices=("python", "duckdb"), default="python",
        help="convert in Python, or inside DuckDB (needs --round, and DuckDB: pip install duckdb) "
        "(default: %(default)s)",
    )  # fmt: skip
    parser.add_argument(
        "--raw-csv", action="store_true",
        help="pass cells through as they are; by default a passed-through cell that a "
        "spreadsheet would take for a formula (starting =, +, -, @, tab or CR, and not a "
        "number) gets a leading '",
    )  # fmt: skip
    add_rate_options(parser)


def _cmd_ledger(args: argparse.Namespace) -> int:
    # Each command loads only what it needs (start-up time).
    if args.engine == "duckdb":
        from .ledger_sql import convert_file
    else:
        from .ledger import convert_file
    from .progress import Progress

    with Progress("rows", stream=sys.stderr, unit="row", quiet_lines=True) as progress:
        count = convert_file(
            args.file, args.to, output=args.output, stdout=sys.stdout, book=rate_book(args),
            round_result=args.round, progress=lambda done: progress.step(done, done, None),
            raw_csv=args.raw_csv, force=args.force, rounding=args.rounding,
        )  # fmt: skip
    if args.output:
        print(f"converted {count} rows to {args.to} in {args.output}", file=sys.stderr)
    return EXIT_OK


def _rates_arguments(parser: argparse.ArgumentParser) -> None:
    from .rates_command import rates_arguments  # loads only for spendcalc rates (start-up time)

    rates_arguments(parser)


def _run_rates(args: argparse.Namespace) -> int:
    from .rates_command import run_rates  # loads only for spendcalc rates (start-up time)

    return run_rates(args)


#: Every command, in the order ``--help`` lists them.
COMMANDS = {
    each.name: each
    for each in (
        Command(
            "report", "compare the commitments in a file by country, in one currency",
            _report_arguments, _cmd_report,
            "Per-country totals, shares, a comparison, per-worker cost and the rate behind every "
            "figure. With no FILE, the bundled example (Microsoft in Japan and the UK).",
        ),
        Command(
            "convert", "convert one amount, with the rate used", _convert_arguments, _cmd_convert,
            'Convert an amount as the press writes it, e.g. spendcalc convert "£2.5bn" '
            "--to USD --on 2023-11-30. A bare $ means USD.",
        ),
        Command(
            "check", "is a conversion quoted in the press fair?", _check_arguments, _cmd_check,
            _CHECK_DESCRIPTION,
        ),
        Command(
            "validate", "check commitments files without computing anything",
            _validate_arguments, _cmd_validate,
            "Read each FILE and print every problem it has (file:line: field ... each), or how "
            "many commitments it holds. Exit 0 when every file is good, 1 otherwise.",
        ),
        Command(
            "example", "print the bundled example as a starting file",
            _example_arguments, _cmd_example,
            "Print the bundled commitments (spendcalc example > mine.toml).",
        ),
        Command(
            "ledger", "convert a CSV ledger row by row, each at its own date",
            _ledger_arguments, _cmd_ledger,
            "Stream a CSV with date, currency and amount columns (others pass through) and add "
            "converted, to_currency, rate, fixing_date and rate_source. Constant memory; an "
            "--output file appears only when every row is converted.",
        ),
        Command("rates", "the rate data: info, update, export", _rates_arguments, _run_rates),
    )
}  # fmt: skip


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
