"""What the CLI's commands share: the parser, argument types and options, the rate book and output.

:mod:`calc.cli` declares each command's arguments beside its handler with these pieces.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import os
import sys
from decimal import Decimal
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from rates import RateBook
    from rates.live import LiveSource

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_CHECK_FAILED = 0, 1, 2, 3


class Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one line and exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


class HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Shows an option's default where it says something (not None, False or an empty list).

    argparse makes a formatter for every option it adds, and its default one imports shutil
    to measure the terminal; this one asks the operating system directly (start-up time).
    """

    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 24,
        width: int | None = None,
    ) -> None:
        if width is None:
            try:
                columns = int(os.environ.get("COLUMNS", "")) or _terminal_columns()
            except (ValueError, OSError, AttributeError):
                columns = 80
            width = max(columns - 2, 20)
        super().__init__(prog, indent_increment, max_help_position, width)

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if "default" in text or action.default in (None, False, [], argparse.SUPPRESS):
            return text
        return super()._get_help_string(action) or text


def _terminal_columns() -> int:
    if sys.__stdout__ is None:
        raise OSError("no standard output")
    return os.get_terminal_size(sys.__stdout__.fileno()).columns


def date(text: str) -> _dt.date:
    """An argument that is a date, YYYY-MM-DD."""
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write YYYY-MM-DD") from None


def policy(text: str) -> str:
    word = text.strip().lower()
    if word in ("announced", "latest", "average"):
        return word
    return date(text).isoformat()


def width(text: str) -> int:
    """A width in columns, a whole number from 40 to 10000."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a width; write a number of columns, e.g. 100"
        ) from None
    if not 40 <= value <= 10_000:
        raise argparse.ArgumentTypeError(f"{text!r} must be from 40 to 10000 columns")
    return value


def output_width(given: int | None) -> int | None:
    """The width a text report must fit: ``--width``, else ``$COLUMNS``, else the terminal's,
    when standard output is one; else None (no limit)."""
    if given is not None:
        return given
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        columns = 0
    if columns > 0:
        return columns
    try:
        if sys.stdout.isatty():
            return _terminal_columns()
    except (OSError, ValueError, AttributeError):
        pass
    return None


def seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 < value < 3600:
        raise argparse.ArgumentTypeError(f"{text!r} must be more than 0 and less than 3600 seconds")
    return value


def day_or_month(text: str) -> _dt.date | tuple[int, int]:
    """An argument that is a date, YYYY-MM-DD, or a month, YYYY-MM (as ``(year, month)``)."""
    import re  # argparse has loaded it already

    match = re.fullmatch(r"([0-9]{4})-([0-9]{2})(-[0-9]{2})?", text.strip())
    if match is not None and match[3] is None and 1 <= int(match[2]) <= 12:
        return int(match[1]), int(match[2])
    if match is not None and match[3] is not None:
        try:
            return _dt.date.fromisoformat(match[0])
        except ValueError:
            pass
    raise argparse.ArgumentTypeError(
        f"{text!r} is not a date or a month; write YYYY-MM-DD or YYYY-MM"
    )


def tolerance(text: str) -> Decimal:
    """A tolerance in percent, from ``5%`` or the fraction ``0.05``; a bare number above 1 is
    refused, since ``5`` would mean 500% (the rule: :func:`calc.check.parse_tolerance`)."""
    from .check import parse_tolerance
    from .errors import ReportError

    try:
        return parse_tolerance(text)
    except ReportError as exc:
        raise argparse.ArgumentTypeError(str(exc).rstrip(".")) from None


_ONLINE_HELP = "fetch rates past the cached fixings from the live source"


def add_force_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--force", action="store_true",
        help="replace an --output that is a symbolic link or has other hard links "
        "(refused by default, since replacing it cuts the link)",
    )  # fmt: skip


def add_rounding_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--rounding", choices=("half-up", "half-even"), default="half-up",
        help="how an amount is rounded, once, to its currency's minor units: half-up rounds "
        "a tie away from zero (spreadsheets, EU Regulation 1103/97), half-even to the even digit",
    )  # fmt: skip


def add_rate_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--rate", action="append", default=[], metavar="CUR=VALUE",
        help="your own rate, used first: CUR=VALUE is VALUE units of CUR per 1 EUR; "
        "BASE/CUR=VALUE is per 1 BASE (e.g. --rate USD/TWD=32.1); may be repeated",
    )  # fmt: skip
    parser.add_argument("--online", action="store_true", help=_ONLINE_HELP)
    add_cache_option(parser)


def add_cache_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--cache", metavar="PATH",
        help="rate cache file (default: $SPENDCALC_CACHE or the user cache directory)",
    )  # fmt: skip


def rate_book(
    args: argparse.Namespace, *, live: LiveSource | None = None, overrides: bool = True
) -> RateBook:
    """The rate book the options name; with the --rate overrides unless ``overrides=False``
    (the report gives them itself, after a file's own)."""
    from rates import RateBook  # as in main: rates is not a cost of importing calc.cli

    kwargs = {} if getattr(args, "cache", None) is None else {"cache": args.cache}
    book = RateBook(online=getattr(args, "online", False), live=live, **kwargs)
    given = getattr(args, "rate", None) if overrides else None
    return book.with_overrides(given) if given else book


def write(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()
