"""The batch path side by side with a currencyconverter loop, on the same rows, in one run.

    python benchmarks/batch.py [--rows 1000000] [--runs 3]

Prints each figure beside its anchor and its goal; exits 1 if a goal is missed.

1. In memory, rounded to cents (half-up) on both sides, like for like: currencyconverter's
   Decimal loop ``[cc.convert(amount, code, 'USD', date=day).quantize(cent, ROUND_HALF_UP)]``
   (its converter built outside the timing) against ``calc.ledger.normalise_columns(...,
   rounding="half-up")`` with a new RateBook each run (so the columns are made inside the
   timing; the tables a process makes once, on its first call, are timed apart and printed),
   from Python lists of Decimals, from Python lists of integer cents (``scale=2``) and from
   numpy columns (``datetime64[D]`` days, ``str`` codes, int64 cents; the result an int64
   array, as a user gets it). Every row of every
   form is checked against the exact rational result (Fraction, from the published values);
   the anchor's rows that differ in the cents are counted. Goals: >= 8x from lists, >= 50x
   from numpy columns.
2. Streamed, in new processes: ``spendcalc ledger rows.csv --to USD --round`` against the same
   loop reading and writing the CSV with the csv module and writing the quantized cents; and,
   unrounded, ``spendcalc ledger`` (the exact quotient) against the loop writing its Decimal
   product. Wall time, and the peak memory (VmHWM) of ours at the full row count and at a tenth
   of it. Goals: the rounded ledger >= 3x, peak <= 60 MiB.

Each run times ours and the anchor back to back; the figures are medians, the ratio the
median of the paired ratios.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GOAL_LISTS, GOAL_ARRAYS, GOAL_LEDGER, GOAL_PEAK = 8.0, 50.0, 3.0, 60.0

THEIR_CSV_LOOP = """
import csv, sys, datetime
from decimal import Decimal, ROUND_HALF_UP
from currency_converter import CurrencyConverter
cc = CurrencyConverter(decimal=True)
cent = Decimal("0.01")
rounded = sys.argv[3] == "round"
with open(sys.argv[1], newline="") as src, open(sys.argv[2], "w", newline="") as dst:
    reader, writer = csv.reader(src), csv.writer(dst)
    writer.writerow(next(reader) + ["converted"])
    for row in reader:
        day = datetime.date.fromisoformat(row[1])
        value = cc.convert(Decimal(row[3]), row[2], "USD", date=day)
        writer.writerow(row + [value.quantize(cent, ROUND_HALF_UP) if rounded else value])
"""


def make_rows(count: int, seed: int = 20261124) -> list[tuple[dt.date, str, Decimal]]:
    """Random rows on fixing days across the currencies both libraries cover, 1999 to 2026."""
    from currency_converter import CurrencyConverter

    from rates.ecb import bundled_history

    history = bundled_history()
    theirs = CurrencyConverter(decimal=True)
    codes = [c for c in history.currencies if c in theirs.currencies] + ["EUR"]
    rng = random.Random(seed)
    rows: list[tuple[dt.date, str, Decimal]] = []
    while len(rows) < count:
        index = rng.randrange(len(history))
        code = rng.choice(codes)
        if code != "EUR" and not history.raw(code, index):
            continue
        rows.append((history.day(index), code, Decimal(rng.randrange(1, 10**11)).scaleb(-2)))
    return rows


def exact_cents(rows: list[tuple[dt.date, str, Decimal]]) -> list[int]:
    """Each row into USD in cents, rounded half-up from the exact Fraction of the published
    values (EUR->USD / EUR->code on the row's fixing): the reference every figure is checked
    against, computed apart from spendcalc's batch path."""
    from rates.ecb import bundled_history

    history = bundled_history()
    index_of = {d: i for i, d in enumerate(history.dates)}
    rates: dict[tuple[str, str], Fraction] = {}
    out = []
    for day, code, amount in rows:
        key = (day.isoformat(), code)
        rate = rates.get(key)
        if rate is None:
            i = index_of[key[0]]
            base = Fraction(1) if code == "EUR" else Fraction(history.raw(code, i))
            rate = rates[key] = Fraction(history.raw("USD", i)) / base
        value = Fraction(amount) * rate * 100
        whole, rest = divmod(value, 1)
        out.append(int(whole) + (1 if rest >= Fraction(1, 2) else 0))  # all amounts positive
    return out


def paired(ours: list[float], theirs: list[float]) -> tuple[float, float, float]:
    """Median of ours, of theirs, and of the paired ratios theirs/ours."""
    ratios = [t / o for o, t in zip(ours, theirs, strict=True)]
    return statistics.median(ours), statistics.median(theirs), statistics.median(ratios)


def in_memory(rows, runs: int) -> dict[str, object]:
    import numpy as np
    from currency_converter import CurrencyConverter

    from calc.ledger import normalise_columns
    from rates import RateBook

    days, codes, amounts = (list(c) for c in zip(*rows, strict=True))
    cents = [int(a.scaleb(2)) for a in amounts]
    day_array = np.array([d.toordinal() - 719163 for d in days], dtype="datetime64[D]")
    code_array, cent_array = np.array(codes), np.array(cents, dtype=np.int64)
    cc = CurrencyConverter(decimal=True)  # built outside the timing
    cent = Decimal("0.01")
    # The first call in a process makes the per-process tables (rates.tables): timed apart.
    started = time.perf_counter()
    normalise_columns(day_array[:1], code_array[:1], cent_array[:1], "USD", scale=2,
                      rounding="half-up", book=RateBook(cache=None))  # fmt: skip
    first_call = time.perf_counter() - started
    forms = {
        "lists of Decimals": lambda book: (
            normalise_columns(days, codes, amounts, "USD", rounding="half-up", book=book).results
        ),
        "lists of int cents": lambda book: (
            normalise_columns(
                days, codes, cents, "USD", scale=2, rounding="half-up", book=book
            ).results
        ),
        "numpy columns": lambda book: (
            normalise_columns(
                day_array, code_array, cent_array, "USD", scale=2, rounding="half-up", book=book
            ).results
        ),  # an int64 array, as a user gets it
    }
    times: dict[str, list[float]] = {name: [] for name in forms}
    theirs_t: list[float] = []
    results: dict[str, list[int]] = {}
    for _ in range(runs):
        started = time.perf_counter()
        theirs = [cc.convert(a, c, "USD", date=d).quantize(cent, ROUND_HALF_UP) for d, c, a in rows]
        theirs_t.append(time.perf_counter() - started)
        for name, form in forms.items():
            book = RateBook(cache=None)
            started = time.perf_counter()
            got = form(book)
            times[name].append(time.perf_counter() - started)
            results[name] = got
    results = {name: list(map(int, got)) for name, got in results.items()}
    exact = exact_cents(rows)
    wrong = {
        name: sum(1 for g, e in zip(got, exact, strict=True) if g != e)
        for name, got in results.items()
    }
    theirs_wrong = sum(1 for t, e in zip(theirs, exact, strict=True) if int(t.scaleb(2)) != e)
    return {"times": times, "theirs": theirs_t, "wrong": wrong, "theirs_wrong": theirs_wrong,
            "first_call": first_call}  # fmt: skip


PEAK = """
import atexit, runpy, sys
def peak():
    with open("/proc/self/status") as status:
        kib = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    print(f"peak-kib {kib}", file=sys.stderr)
atexit.register(peak)
sys.argv = sys.argv[1:]
runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
"""


def run(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time and peak RSS (MiB) of a ``python -m MODULE ...`` command. The peak is the
    child's own VmHWM: a forked child's ru_maxrss would count this (large) parent's pages."""
    module_args = command[2:]  # [python, -m, module, ...]
    started = time.perf_counter()
    done = subprocess.run([command[0], "-c", PEAK, *module_args], env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)  # fmt: skip
    elapsed = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"{command[:3]} failed: {done.stderr[-400:]}")
    kib = int(done.stderr.rsplit("peak-kib ", 1)[1].split()[0])
    return elapsed, kib / 1024


def write_ledger(path: str, rows) -> None:
    with open(path, "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "date", "currency", "amount"])
        writer.writerows((i, d.isoformat(), c, f"{a:f}") for i, (d, c, a) in enumerate(rows))


def streamed(rows, runs: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        ledger, small = os.path.join(tmp, "rows.csv"), os.path.join(tmp, "small.csv")
        write_ledger(ledger, rows)
        write_ledger(small, rows[: max(1, len(rows) // 10)])
        env = {**os.environ, "SPENDCALC_CACHE": os.path.join(tmp, "c.db")}
        script = os.path.join(tmp, "their_loop.py")
        with open(script, "w") as file:
            file.write(THEIR_CSV_LOOP)
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT), tmp])
        py = sys.executable
        out: dict[str, object] = {}
        peaks: list[float] = []
        for mode in ("round", "exact"):
            flags = ["--round"] if mode == "round" else []
            ours_cmd = [py, "-m", "calc", "ledger", ledger, "--to", "USD", *flags,
                        "-o", os.path.join(tmp, "a.csv")]  # fmt: skip
            theirs_cmd = [py, "-m", "their_loop", ledger, os.path.join(tmp, "b.csv"), mode]
            ours_t, theirs_t = [], []
            for _ in range(runs):
                elapsed, peak = run(ours_cmd, env)
                ours_t.append(elapsed)
                peaks.append(peak)
                theirs_t.append(run(theirs_cmd, env)[0])
            out[mode] = paired(ours_t, theirs_t)
            if mode == "round":
                with open(os.path.join(tmp, "a.csv"), newline="") as written:
                    got = [int(Decimal(r["converted"]).scaleb(2)) for r in csv.DictReader(written)]
                out["wrong"] = sum(1 for g, e in zip(got, exact_cents(rows), strict=True) if g != e)
        small_cmd = [py, "-m", "calc", "ledger", small, "--to", "USD", "--round",
                     "-o", os.path.join(tmp, "s.csv")]  # fmt: skip
        out["peak"], out["peak_small"] = max(peaks), run(small_cmd, env)[1]
    return out


def verdict(value: float, goal: float, *, at_most: bool = False) -> str:
    met = value <= goal if at_most else value >= goal
    return f"goal {'<=' if at_most else '>='} {goal:g}{'' if at_most else 'x'}: {'met' if met else 'NOT met'}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows (default: 1,000,000)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each (default: 3)")
    parser.add_argument("--part", choices=["all", "memory", "ledger"], default="all",
                        help="in memory, the streamed ledger, or both (default: all)")  # fmt: skip
    args = parser.parse_args()
    rows = make_rows(args.rows)
    n = len(rows)
    print(f"{n:,} rows into USD, rounded half-up to cents; medians of {args.runs} paired runs; "
          f"Python {sys.version.split()[0]}")  # fmt: skip
    met = True
    if args.part != "ledger":
        met = print_memory(n, in_memory(rows, args.runs))
    if args.part != "memory":
        met = print_ledger(n, streamed(rows, args.runs)) and met
    return 0 if met else 1


def print_memory(n: int, memory: dict[str, object]) -> bool:
    """Print the in-memory figures; whether their goals are met."""
    theirs_t: list[float] = memory["theirs"]  # type: ignore[assignment]
    print(f"in memory  currencyconverter Decimal loop + quantize: {n / statistics.median(theirs_t):>12,.0f} rows/s"
          f"  ({memory['theirs_wrong']} rows off by a cent from the exact result)")  # fmt: skip
    met = True
    wrong: dict[str, int] = memory["wrong"]  # type: ignore[assignment]
    for name, times in memory["times"].items():  # type: ignore[attr-defined]
        ours, _theirs, ratio = paired(times, theirs_t)
        goal = GOAL_ARRAYS if name == "numpy columns" else GOAL_LISTS
        met = met and ratio >= goal and wrong[name] == 0
        print(f"           normalise_columns from {name:<18} {n / ours:>12,.0f} rows/s  "
              f"ratio {ratio:5.1f}x ({verdict(ratio, goal)}); rows not exact: {wrong[name]}")  # fmt: skip
    print(f"           (once per process, before the first call: making the tables "
          f"{memory['first_call'] * 1000:.1f} ms; a new RateBook reuses them)")  # fmt: skip
    return met


def print_ledger(n: int, disk: dict[str, object]) -> bool:
    """Print the streamed ledger's figures; whether their goals are met."""
    met = True
    for mode, label in (("round", "--round (cents) "), ("exact", "unrounded       ")):
        ours, theirs, ratio = disk[mode]  # type: ignore[misc]
        goal = (
            f"  ({verdict(ratio, GOAL_LEDGER)})"
            if mode == "round"
            else "  (no goal: like for like, both unrounded)"
        )
        print(f"streamed   spendcalc ledger {label} {n / ours:>10,.0f} rows/s   csv + currencyconverter "
              f"{n / theirs:>10,.0f} rows/s   ratio {ratio:4.2f}x{goal}")  # fmt: skip
        if mode == "round":
            met = met and ratio >= GOAL_LEDGER
    peak, small = disk["peak"], disk["peak_small"]
    print(f"           ledger rows not exact: {disk['wrong']}; peak RSS {peak:.1f} MiB "
          f"({max(1, n // 10):,} rows: {small:.1f} MiB) ({verdict(max(peak, small), GOAL_PEAK, at_most=True)})")  # type: ignore[str-format]  # fmt: skip
    return met and disk["wrong"] == 0 and max(peak, small) <= GOAL_PEAK  # type: ignore[operator]


if __name__ == "__main__":
    raise SystemExit(main())
