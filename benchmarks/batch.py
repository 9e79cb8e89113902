"""The batch path side by side with a currencyconverter loop, on the same rows, in one run.

    python benchmarks/batch.py [--rows 1000000] [--runs 3]

1. In memory: ``calc.ledger.normalise_columns`` (a new RateBook each run, so the columns are
   built inside the timing) against ``[cc.convert(amount, currency, 'USD', date=day) for ...]``
   with ``CurrencyConverter(decimal=True)`` built outside the timing. Results compared row by
   row: equal to 1e-20 relative (the two compute cross rates in a different order); the rows
   whose cents differ are counted and explained (exact half-cent ties).
2. Streamed: ``spendcalc ledger rows.csv --to USD -o out.csv`` in a new process against the same
   loop reading and writing the CSV with the csv module; wall time and peak memory (wait4).
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
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

THEIR_CSV_LOOP = """
import csv, sys, datetime
from decimal import Decimal
from currency_converter import CurrencyConverter
cc = CurrencyConverter(decimal=True)
with open(sys.argv[1], newline="") as src, open(sys.argv[2], "w", newline="") as dst:
    reader, writer = csv.reader(src), csv.writer(dst)
    writer.writerow(next(reader) + ["converted"])
    for row in reader:
        day = datetime.date.fromisoformat(row[1])
        writer.writerow(row + [cc.convert(Decimal(row[3]), row[2], "USD", date=day)])
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


def in_memory(rows, runs: int) -> dict[str, float]:
    from currency_converter import CurrencyConverter

    from calc.ledger import normalise_columns
    from rates import RateBook

    days, codes, amounts = (list(c) for c in zip(*rows, strict=True))
    theirs_cc = CurrencyConverter(decimal=True)  # built outside the timing, as is ours "warm"
    warm = RateBook(cache=None).cross_table("USD")
    normalise_columns(days[:1000], codes[:1000], amounts[:1000], "USD", table=warm)
    for code in set(codes):
        warm.column(code)
    ours_t, warm_t, theirs_t = [], [], []
    for _ in range(runs):
        started = time.perf_counter()
        ours = normalise_columns(days, codes, amounts, "USD", book=RateBook(cache=None)).results
        ours_t.append(time.perf_counter() - started)
        started = time.perf_counter()
        normalise_columns(days, codes, amounts, "USD", table=warm)
        warm_t.append(time.perf_counter() - started)
        started = time.perf_counter()
        theirs = [theirs_cc.convert(a, c, "USD", date=d) for d, c, a in rows]
        theirs_t.append(time.perf_counter() - started)
    tolerance = Decimal("1e-20")
    unequal = sum(1 for o, t in zip(ours, theirs, strict=True) if abs(o - t) > abs(t) * tolerance)
    cent = Decimal("0.01")
    cents = sum(
        1 for o, t in zip(ours, theirs, strict=True) if o.quantize(cent) != t.quantize(cent)
    )
    return {"ours": statistics.median(ours_t), "warm": statistics.median(warm_t),
            "theirs": statistics.median(theirs_t), "unequal": unequal, "cents": cents}  # fmt: skip


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


def streamed(rows, runs: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        ledger = os.path.join(tmp, "rows.csv")
        with open(ledger, "w", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["id", "date", "currency", "amount"])
            writer.writerows((i, d.isoformat(), c, f"{a:f}") for i, (d, c, a) in enumerate(rows))
        env = {**os.environ, "PYTHONPATH": str(ROOT), "SPENDCALC_CACHE": os.path.join(tmp, "c.db")}
        ours_cmd = [
            sys.executable,
            "-m",
            "calc",
            "ledger",
            ledger,
            "--to",
            "USD",
            "-o",
            os.path.join(tmp, "a.csv"),
        ]
        script = os.path.join(tmp, "their_loop.py")
        with open(script, "w") as file:
            file.write(THEIR_CSV_LOOP)
        theirs_cmd = [sys.executable, "-m", "their_loop", ledger, os.path.join(tmp, "b.csv")]
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT), tmp])
        ours_t, theirs_t, peaks = [], [], []
        for _ in range(runs):
            t, peak = run(ours_cmd, env)
            ours_t.append(t)
            peaks.append(peak)
            theirs_t.append(run(theirs_cmd, env)[0])
    return {
        "ours": statistics.median(ours_t),
        "theirs": statistics.median(theirs_t),
        "peak": max(peaks),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows (default: 1,000,000)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each (default: 3)")
    args = parser.parse_args()
    rows = make_rows(args.rows)
    n = len(rows)
    memory = in_memory(rows, args.runs)
    disk = streamed(rows, args.runs)
    print(f"{n:,} rows; medians of {args.runs} runs; Python {sys.version.split()[0]}")
    theirs_rate = n / memory["theirs"]
    print(
        f"in memory  currencyconverter loop (its converter built beforehand): {theirs_rate:,.0f} rows/s"
    )
    for label, key in (
        ("cold (rate book and columns built inside the timing)", "ours"),
        ("warm (columns built beforehand, like the converter)", "warm"),
    ):
        ratio = memory["theirs"] / memory[key]
        print(
            f"           spendcalc normalise_columns, {label}: {n / memory[key]:,.0f} rows/s, "
            f"ratio {ratio:.2f}x (goal >= 5x: {'met' if ratio >= 5 else 'NOT met'})"
        )
    print(
        f"           results equal to 1e-20 relative except {memory['unequal']} rows; "
        f"{memory['cents']} rows differ in the cents (exact half-cent ties; see README)"
    )
    print(
        f"streamed   spendcalc ledger {n / disk['ours']:>9,.0f} rows/s   csv + currencyconverter "
        f"{n / disk['theirs']:>10,.0f} rows/s   ratio {disk['theirs'] / disk['ours']:.2f}x   "
        f"peak RSS {disk['peak']:.1f} MiB (goal <= 100: {'met' if disk['peak'] <= 100 else 'NOT met'})"
    )
    met = memory["theirs"] / memory["warm"] >= 5 and memory["theirs"] / memory["ours"] >= 5
    return 0 if met and disk["peak"] <= 100 else 1


if __name__ == "__main__":
    raise SystemExit(main())
