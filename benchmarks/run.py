"""Side-by-side benchmarks: spendcalc against the library users would pick instead, in one run.

    pip install -e '.[bench]'      # currencyconverter, the alternative measured against
    python benchmarks/run.py       # all goals; or name some: python benchmarks/run.py cold-rate batch

Each case runs both commands in new processes (a warm-up, then ``--runs`` timed runs each,
interleaved so that machine noise falls on both alike) and prints the medians, the ratio, and
whether the goal is met. Peak memory is the child's maximum resident set size (``wait4``).

Wall time on a shared machine is noisy, so when valgrind is installed each command also runs
once under ``valgrind --tool=callgrind`` and the instructions it executed are printed beside
the times, with their ratio (``--no-instructions`` skips that; the goals are the wall-time
ratios). The other goals follow in the same run: benchmarks/batch.py, benchmarks/engines.py
and benchmarks/report_big.py (a report on 100,000 commitments, each file format).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


@dataclass
class Case:
    name: str
    goal: str
    ours: list[str]
    theirs: list[str]
    max_ratio: float | None = None  # ours / theirs must be at most this
    max_peak_mib: float | None = None  # ours' peak memory must be at most this


def _bin(name: str) -> str:
    found = Path(PY).with_name(name)
    return str(found) if found.exists() else (shutil.which(name) or name)


def cases() -> list[Case]:
    cold_rate_ours = (
        "import datetime; from rates import RateBook; "
        "print(RateBook().rate('GBP', 'USD', datetime.date(2023, 11, 30)).value)"
    )
    cold_rate_theirs = (
        "import datetime; from currency_converter import CurrencyConverter; "
        "print(CurrencyConverter(decimal=True).convert(1, 'GBP', 'USD', date=datetime.date(2023, 11, 30)))"
    )
    spendcalc, theirs_cli = _bin("spendcalc"), _bin("currency_converter")
    convert_theirs = [theirs_cli, "2500000000", "GBP", "--to", "USD", "-d", "2023-11-30"]
    return [
        Case(
            "convert-cli",
            'new process: spendcalc convert "£2.5bn" --to USD --on 2023-11-30, <= 1/7.5 of '
            "currency_converter's CLI; peak memory <= 30 MiB",
            [spendcalc, "convert", "£2.5bn", "--to", "USD", "--on", "2023-11-30"],
            convert_theirs,
            max_ratio=1 / 7.5,
            max_peak_mib=30,
        ),
        Case(
            "report-cli",
            "new process: spendcalc report (the bundled example), <= 1/6 of currency_converter's CLI",
            [spendcalc, "report"],
            convert_theirs,
            max_ratio=1 / 6,
        ),
        Case(
            "cold-rate",
            "new process: build the rate book and look up one rate, <= 1/5 of currencyconverter's",
            [PY, "-c", cold_rate_ours],
            [PY, "-c", cold_rate_theirs],
            max_ratio=1 / 5,
        ),
    ]


def run_once(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time (s) and peak RSS (MiB) of one new process."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"{' '.join(command)!r} failed: {proc.stderr.read().decode()[-500:]}")
    proc.stderr.close()
    return elapsed, usage.ru_maxrss / 1024


def measure(case: Case, runs: int, env: dict[str, str]) -> dict[str, float]:
    for command in (case.ours, case.theirs):
        run_once(command, env)  # warm-up: page cache, .pyc files
    ours, theirs, peaks = [], [], []
    for _ in range(runs):
        t, peak = run_once(case.ours, env)
        ours.append(t)
        peaks.append(peak)
        theirs.append(run_once(case.theirs, env)[0])
    return {
        "ours": statistics.median(ours),
        "theirs": statistics.median(theirs),
        "peak": max(peaks),
    }


def instructions(command: list[str], env: dict[str, str], tmp: str) -> int | None:
    """Instructions one new process of ``command`` executes (callgrind), or None without
    valgrind."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        return None
    out = os.path.join(tmp, "callgrind.out")
    done = subprocess.run(
        [valgrind, "--tool=callgrind", f"--callgrind-out-file={out}", *command],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, text=True,
    )  # fmt: skip
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"{' '.join(command)!r} under callgrind failed: {done.stderr[-500:]}")
    return int(found.group(1))


def _millions(count: int | None) -> str:
    return "-" if count is None else f"{count / 1e6:,.0f} M"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="cases to run (default: all)")
    parser.add_argument(
        "--runs", type=int, default=15, help="timed runs of each command (default: 15)"
    )
    parser.add_argument(
        "--no-instructions", dest="instructions", action="store_false",
        help="skip the instruction counts (callgrind; default: counted when valgrind is installed)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    selected = [c for c in cases() if not args.names or c.name in args.names]
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "SPENDCALC_CACHE": os.path.join(tmp, "rates.sqlite3"),
            "PYTHONPATH": str(ROOT),
        }
        # Both sides run from compiled bytecode, as an installed package does: the warm-up
        # writes spendcalc's .pyc files (pip compiled the alternative's at install time).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        rows = []
        failed = 0
        counted: dict[tuple[str, ...], int | None] = {}  # a command measured once per run
        for case in selected:
            m = measure(case, args.runs, env)
            ratio = m["ours"] / m["theirs"]
            ok = (case.max_ratio is None or ratio <= case.max_ratio) and (
                case.max_peak_mib is None or m["peak"] <= case.max_peak_mib
            )
            failed += not ok
            goal = []
            if case.max_ratio is not None:
                goal.append(f"ratio <= 1/{1 / case.max_ratio:.3g}")
            if case.max_peak_mib is not None:
                goal.append(f"peak <= {case.max_peak_mib:g} MiB")
            counts = []
            for command in (case.ours, case.theirs):
                key = tuple(command)
                if key not in counted:
                    counted[key] = instructions(command, env, tmp) if args.instructions else None
                counts.append(counted[key])
            ours_i, theirs_i = counts
            rows.append(
                (
                    case.name,
                    f"{m['ours'] * 1000:.1f} ms",
                    f"{m['theirs'] * 1000:.1f} ms",
                    f"{ratio:.3f} (1/{1 / ratio:.1f})",
                    _millions(ours_i),
                    _millions(theirs_i),
                    f"1/{theirs_i / ours_i:.1f}" if ours_i and theirs_i else "-",
                    f"{m['peak']:.1f} MiB",
                    ", ".join(goal),
                    "met" if ok else "NOT met",
                )
            )
    header = (
        "case", "spendcalc", "alternative", "ratio", "instr. ours", "instr. theirs",
        "instr. ratio", "peak RSS", "goal (wall-time ratio)", "",
    )  # fmt: skip
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    if rows:
        print(f"{args.runs} runs each after a warm-up; medians; Python {sys.version.split()[0]}")
        for row in [header, *rows]:
            print("  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
    # The other goals, each script in its own process: the batch (1,000,000 rows in memory and
    # streamed), the engines, and a report on 100,000 commitments.
    for name, script, *options in (
        ("batch", "batch.py"),
        ("engines", "engines.py"),
        ("report-big", "report_big.py", "--repeat", "3"),  # (medians of 3: ~10 s each)
    ):
        path = Path(__file__).with_name(script)
        if (args.names and name not in args.names) or not path.exists():
            continue
        print()
        done = subprocess.run(
            [sys.executable, str(path), *options], env={**os.environ, "PYTHONPATH": str(ROOT)}
        )
        failed += done.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
