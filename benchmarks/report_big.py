"""A report on a big commitments file, end to end: ``spendcalc report FILE`` in a new process.

    python benchmarks/report_big.py                        # 100,000 records, each format
    python benchmarks/report_big.py --sizes 10000 --formats csv --outputs table markdown

Each file is generated as :mod:`benchmarks.load` makes them (records like the bundled
example's, in TOML, JSON, CSV or XLSX), then reported on by the installed ``spendcalc`` in a
child process, its text written to a pipe that is read and dropped: loading, converting,
grouping and rendering, start-up included. The figures are the median wall time and the median
CPU time of the child (user + system, from ``wait4``: the figure to trust on a busy machine)
over ``--repeat`` runs, beside the goal (issue 17: at most 10 s for 100,000 commitments). The
exit status is 1 if a default (table) report misses the goal in wall time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import write  # the same records as the load benchmark

ROOT = Path(__file__).resolve().parent.parent
#: Seconds a report on 100,000 commitments may take (issue 17, deliverable 5).
GOAL_SECONDS = 10.0
GOAL_RECORDS = 100_000


def spendcalc() -> list[str]:
    """The command that runs spendcalc: the script beside this interpreter, else the module."""
    script = Path(sys.executable).with_name("spendcalc")
    return [str(script)] if script.exists() else [sys.executable, "-m", "calc"]


def run(path: Path, output: str) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, bytes written) of one report on `path` in `output` format."""
    command = [*spendcalc(), "report", str(path), "--format", output]
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT)
    assert proc.stdout is not None
    written = 0
    while chunk := proc.stdout.read(1 << 20):
        written += len(chunk)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(
            f"spendcalc report {path.name} --format {output} failed ({proc.returncode})"
        )
    return wall, usage.ru_utime + usage.ru_stime, written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[GOAL_RECORDS])
    parser.add_argument("--formats", nargs="+", default=["toml", "json", "csv", "xlsx"])
    parser.add_argument(
        "--outputs", nargs="+", default=["table"],
        help="report formats (table, markdown, json, csv, html); each file format gets the "
        "first, the CSV file every one",
    )  # fmt: skip
    parser.add_argument("--repeat", type=int, default=1, help="runs per figure (the median)")
    args = parser.parse_args()
    missed = False
    print(f"{'file':>12} {'output':>8} {'wall s':>7} {'CPU s':>6} {'MiB out':>8} {'goal':>14}")
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            for fmt in args.formats:
                path = Path(folder, f"{size}.{fmt}")
                write(path, fmt, size, distinct=False)
                outputs = args.outputs if fmt == "csv" else args.outputs[:1]
                for output in outputs:
                    runs = [run(path, output) for _ in range(args.repeat)]
                    wall = statistics.median(r[0] for r in runs)
                    cpu = statistics.median(r[1] for r in runs)
                    goal = GOAL_SECONDS * size / GOAL_RECORDS
                    verdict = "met" if wall <= goal else "MISSED"
                    if output == "table" and wall > goal:
                        missed = True
                    print(
                        f"{path.name:>12} {output:>8} {wall:7.2f} {cpu:6.2f} "
                        f"{runs[0][2] / 2**20:8.1f} {f'<= {goal:g} s {verdict}':>14}",
                        flush=True,
                    )
                path.unlink()
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
