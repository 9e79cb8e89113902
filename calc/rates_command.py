"""``spendcalc rates``: the rate data: info, update, export."""

from __future__ import annotations

import argparse
import sys

from .arguments import (
    EXIT_OK,
    HelpFormatter,
    Parser,
    add_cache_option,
    add_force_option,
    date,
    rate_book,
    seconds,
    write,
)

__all__ = ["rates_arguments", "run_rates"]


def rates_arguments(parser: argparse.ArgumentParser) -> None:
    rate_commands = parser.add_subparsers(
        dest="rates_command", metavar="SUBCOMMAND", parser_class=Parser
    )
    info = _subcommand(rate_commands, "info")
    add_cache_option(info)
    _update_arguments(rate_commands)
    _check_arguments(rate_commands)
    _export_arguments(rate_commands)


#: Each subcommand's one-line help and its description in ``--help``.
_TEXTS = {
    "info": ("coverage, last fixing, cache path and sources", None),
    "update": (
        "fetch the days after the last fixing into the cache",
        "Fetch the ECB business days after the last known fixing into the cache. "
        "--source ecb (the default) fetches the ECB's own history file, eurofxref-hist.zip, in one "
        "request; --source forex-python asks forex-python's API once per day. Every day passes the "
        "same checks (a business day, not after today, known codes, sane values near the day "
        "before) or nothing of it is stored. Before the ECB publishes (about 16:00 CET) the update "
        "ends at the previous business day.",
    ),
    "check": (
        "list the cached days that fail the checks every fixing passes",
        "Read every cached day through the checks every fixing passes on its way "
        "in (and that lookups apply when they read it back) and list the ones that fail, with "
        "why. Exit 0 if none does, 1 if any does.",
    ),
    "export": (
        "write the daily rates table (date, currency, units_per_eur, source)",
        "Write every fixing as a table for SQL engines (DuckDB, Spark): one row "
        "per date and currency, EUR included. --daily writes one row per calendar day with "
        "the fixing it uses, so a plain equality join finds the rate.",
    ),
}


def _subcommand(rate_commands: argparse._SubParsersAction[Parser], name: str) -> Parser:
    """The parser of ``spendcalc rates NAME``, with the shared help layout."""
    help, description = _TEXTS[name]
    return rate_commands.add_parser(
        name, formatter_class=HelpFormatter, help=help, description=description
    )


def _update_arguments(rate_commands: argparse._SubParsersAction[Parser]) -> None:
    update = _subcommand(rate_commands, "update")
    update.add_argument(
        "--source",
        choices=("ecb", "forex-python"),
        default="ecb",
        help="where the rates come from",
    )
    update.add_argument(
        "--until",
        type=date,
        default=None,
        help="last day to fetch, forex-python only (default: today)",
    )
    update.add_argument(
        "--url",
        default=None,
        help="base URL of the source (default: $SPENDCALC_ECB_URL or the ECB's for ecb; "
        "$SPENDCALC_LIVE_URL or forex-python's for forex-python)",
    )
    update.add_argument(
        "--timeout", type=seconds, default=30.0, help="seconds the whole update may take"
    )
    add_cache_option(update)


def _check_arguments(rate_commands: argparse._SubParsersAction[Parser]) -> None:
    check = _subcommand(rate_commands, "check")
    check.add_argument(
        "--repair", action="store_true", help="remove the days that fail (only those)"
    )
    add_cache_option(check)


def _export_arguments(rate_commands: argparse._SubParsersAction[Parser]) -> None:
    export = _subcommand(rate_commands, "export")
    export.add_argument("--format", choices=("csv", "parquet"), default="csv", help="file format")
    export.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="write here (default: stdout; parquet needs a path)",
    )
    add_force_option(export)
    export.add_argument(
        "--daily", action="store_true", help="one row per calendar day, forward-filled"
    )
    add_cache_option(export)


def run_rates(args: argparse.Namespace) -> int:
    if args.rates_command == "info":
        from .describe import describe_rates_info

        write(describe_rates_info(rate_book(args)))
        return EXIT_OK
    if args.rates_command == "export":
        return _rates_export(args)
    if args.rates_command == "check":
        return _rates_check(args)
    return _rates_update(args)


def _rates_check(args: argparse.Namespace) -> int:
    import warnings

    from rates import check_cache

    from .safetext import for_terminal

    book = rate_book(args)
    with warnings.catch_warnings():  # the list below says it all, once
        warnings.simplefilter("ignore")
        refused = check_cache(book, repair=args.repair)
    cache = book.cache.path if book.cache is not None else "(none)"
    for day, why in refused:
        write(f"{for_terminal(day)}: {for_terminal('; '.join(why))}\n")
    if not refused:
        write(f"every cached day in {cache} passes the checks\n")
        return EXIT_OK
    done = "removed" if args.repair else "found"
    write(
        f"{done} {len(refused)} bad day{'s' if len(refused) != 1 else ''} in {cache}"
        + ("" if args.repair else "; `spendcalc rates check --repair` removes them")
        + "\n"
    )
    return EXIT_OK if args.repair else 1


def _rates_export(args: argparse.Namespace) -> int:
    from rates.export import write_csv, write_parquet

    from .errors import CalcError  # as in main: not a cost of importing calc.cli
    from .output import write_file

    book = rate_book(args)
    if args.format == "parquet":
        if not args.output:
            raise CalcError("Parquet is binary: give a file with --output PATH.")
        count = write_file(
            args.output,
            lambda temporary: write_parquet(book, temporary, daily_rows=args.daily),
            force=args.force,
            binary=True,
        )
    elif args.output:
        count = write_file(
            args.output,
            lambda out: write_csv(book, out, daily_rows=args.daily),
            force=args.force,
        )
    else:
        count = write_csv(book, sys.stdout, daily_rows=args.daily)
    if args.output:
        print(f"wrote {count} rows to {args.output}", file=sys.stderr)
    return EXIT_OK


def _rates_update(args: argparse.Namespace) -> int:
    import time

    from rates.live import LiveSource  # the live source loads only to update (start-up time)

    from .progress import Progress

    deadline = time.monotonic() + args.timeout  # the whole update, not each request
    live = LiveSource(url=args.url, timeout=args.timeout, deadline=deadline)
    book = rate_book(args, live=live)
    before = book.last_fixing
    with Progress("fetching", stream=sys.stderr) as progress:
        if args.source == "ecb":
            from rates import update_from_ecb

            added = update_from_ecb(book, url=args.url, timeout=args.timeout)
        else:
            added = book.update(until=args.until, progress=progress.step)
    cache = book.cache.path if book.cache is not None else "(none)"
    print(
        f"added {added} day{'s' if added != 1 else ''} of rates to {cache}; "
        f"rates now run from {book.first_fixing} to {book.last_fixing}"
        + ("" if added else f" (already up to date after {before})"),
        file=sys.stdout,
    )
    return EXIT_OK
