"""``spendcalc ledger --round`` on a generated 1,000,000-row CSV: ``--engine python`` against
``--engine duckdb``, side by side in one run (paired runs, medians), peak memory from wait4.

    python benchmarks/engines.py [--rows 1000000] [--runs 3]

Prints each engine's seconds and peak MiB, the ratio beside the goal (duckdb >= 5x python),
and checks the two outputs row by row (both engines round the exact quotient, so they should be
identical, ties included; rows differing only in the cents are counted apart). Exits 1 when
the goal is missed or the outputs differ.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
GOAL = 5.0
#: The DuckDB engine's own aim, in seconds per million rows on this 2-core machine (the Python
#: engine gets faster too, so the ratio alone moves).
AIM = 1.0


def make_ledger(path: str, count: int, seed: int = 20261201) -> None:
    """Rows over the whole bundled history (weekends too), every currency, cents and units."""
    from rates.ecb import bundled_history

    history = bundled_history()
    codes = [*sorted(history.currencies), "EUR"]
    last = history.day(len(history) - 1)
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "date", "currency", "amount", "note"])
        done = 0
        while done < count:
            day = history.day(rng.randrange(len(history))) + dt.timedelta(
                days=rng.choice([0, 1, 2])
            )
            code = rng.choice(codes)
            if day > last or (
                code != "EUR" and not history.raw(code, history.index_on_or_before(day.isoformat()))
            ):
                continue
            amount = f"{rng.randrange(-(10**11), 10**11) / 100:.2f}"
            writer.writerow([done, day.isoformat(), code, amount, "x" if done % 3 else ""])
            done += 1


def run(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB, from wait4) of one command."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if status:
        raise SystemExit(f"{command} failed: {process.stderr.read().decode()[-400:]}")  # type: ignore[union-attr]
    return elapsed, usage.ru_maxrss / 1024


#: DuckDB's floor on this file: read it and write it back with the ledger's added columns as
#: constants, nothing looked up or computed, with more memory than the engine gets. No engine
#: inside DuckDB can be faster than this, so it bounds the ratio the goal asks for.
FLOOR = """
import sys, duckdb
con = duckdb.connect(config={"threads": "2", "memory_limit": "1GB"})
con.execute(
    "COPY (SELECT *, amount AS converted, 'USD' AS to_currency, "
    "'1.265630789181178214153390144' AS rate, date AS fixing_date, "
    "'ECB reference rates (bundled)' AS rate_source "
    "FROM read_csv(?, header=true, all_varchar=true, auto_detect=false, "
    "columns={'id': 'VARCHAR', 'date': 'VARCHAR', 'currency': 'VARCHAR', 'amount': 'VARCHAR', "
    "'note': 'VARCHAR'})) TO '" + sys.argv[2].replace("'", "''") + "' (HEADER)",
    [sys.argv[1]],
)
"""


def differing(a: str, b: str) -> int:
    """Rows that differ in anything but the converted cents."""
    bad = 0
    with open(a, encoding="utf-8") as x, open(b, encoding="utf-8") as y:
        for one, other in zip(x, y, strict=True):
            if one != other:
                left, right = next(csv.reader([one])), next(csv.reader([other]))
                if left[:5] != right[:5] or left[6:] != right[6:]:
                    bad += 1
    return bad


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ledger = os.path.join(tmp, "ledger.csv")
        make_ledger(ledger, args.rows)
        os.environ["SPENDCALC_CACHE"] = os.path.join(tmp, "cache.sqlite3")
        times: dict[str, list[float]] = {"python": [], "duckdb": [], "floor": []}
        peaks: dict[str, float] = {"python": 0.0, "duckdb": 0.0, "floor": 0.0}
        for _ in range(args.runs):  # paired: one of each per round
            for engine in times:
                out = os.path.join(tmp, f"{engine}.csv")
                command = [sys.executable, "-m", "calc", "ledger", ledger, "--to", "USD",
                           "--round", "--engine", engine, "-o", out]  # fmt: skip
                if engine == "floor":
                    command = [sys.executable, "-c", FLOOR, ledger, out]
                seconds, peak = run(command)
                times[engine].append(seconds)
                peaks[engine] = max(peaks[engine], peak)
        bad = differing(os.path.join(tmp, "python.csv"), os.path.join(tmp, "duckdb.csv"))
        with (
            open(os.path.join(tmp, "python.csv"), encoding="utf-8") as x,
            open(os.path.join(tmp, "duckdb.csv"), encoding="utf-8") as y,
        ):
            cents = sum(1 for one, other in zip(x, y, strict=True) if one != other)
    python, duckdb, floor = (statistics.median(times[e]) for e in ("python", "duckdb", "floor"))
    ratio = python / duckdb
    print(
        f"{args.rows:,} rows, medians of {args.runs} paired runs, Python {sys.version.split()[0]}"
    )
    print(f"  --engine python  {python:7.2f} s   peak {peaks['python']:6.1f} MiB")
    print(f"  --engine duckdb  {duckdb:7.2f} s   peak {peaks['duckdb']:6.1f} MiB")
    print(f"  ratio {ratio:.2f}x (goal >= {GOAL:g}x: {'met' if ratio >= GOAL else 'NOT met'})")
    print(f"  duckdb per million rows {duckdb / args.rows * 1e6:.2f} s (aim <= {AIM:g} s)")
    print(
        f"  DuckDB's floor (read and write the file, the added columns constant) {floor:.2f} s:"
        f" no DuckDB engine can beat {python / floor:.2f}x"
    )
    print(f"  outputs: {cents} rows differ in the cents (ties), {bad} rows differ otherwise")
    return 0 if ratio >= GOAL and cents == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
