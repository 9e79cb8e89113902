"""Loading commitments files: time and peak memory by format and size.

    python benchmarks/load.py                     # 10k, 30k and 100k records in JSON, CSV, TOML
    python benchmarks/load.py --sizes 100000 --formats json

Each file is generated in a temporary folder (records like the bundled example's: text amounts,
dates, periods, workers, a description, a source and a ``notes`` column spendcalc keeps as
extra), then loaded with :func:`calc.load_commitments` in a new process. The figures are the
load's wall and CPU time (measured in the child, around the call: CPU time is the figure to
trust on a busy machine) and the child's peak resident set
size (``VmHWM``, Linux), beside that of a child that loads a file of :data:`BASE` records (enough
that every module a load imports on the way, such as the amount parser's, is imported): the
difference is what the records cost, to be set against the file's size (the goal: under 10 s,
and at most 10x the file's size above the constant).

For a workbook a second line, ``rows only``, is a child that reads the sheet's rows
(:func:`calc.xlsx_rows.sheet_rows`) and keeps none: what the reader itself costs, apart from the
commitments.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COUNTRIES = ("JP", "GB", "US", "DE", "FR", "IN", "KR", "SE")
#: Records in the file whose load is the constant (interpreter, imports).
BASE = 20
CHILD = """
import sys, time, warnings
warnings.simplefilter("ignore")
from calc import load_commitments
start, cpu = time.perf_counter(), time.process_time()
loaded = load_commitments(sys.argv[1])
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
with open("/proc/self/status") as status:  # the peak of this process since exec (VmHWM, kB)
    peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
print(len(loaded), seconds, cpu, peak)
"""
ROWS_ONLY = """
import sys, time
from calc.xlsx_parts import Archive, Workbook
from calc.xlsx_rows import sheet_rows
start, cpu = time.perf_counter(), time.process_time()
archive = Archive(sys.argv[1])
book = Workbook(archive)
rows = sheet_rows(archive, book.sheets[0][1], book.strings(), book.date_styles(), book.date1904)
count = sum(1 for _row in rows) - 1  # less the header
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
with open("/proc/self/status") as status:
    peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
print(count, seconds, cpu, peak)
"""


def record(i: int, distinct: bool = False) -> dict[str, object]:
    """Record `i`: every field a real file has; its amount one of 5,000 (or its own)."""
    figure = i if distinct else (i * 7919) % 5000
    symbol = ("$", "£", "€", "¥", "CHF ")[figure % 5]
    return {
        "company": f"Company {i % 997}",
        "country": COUNTRIES[i % len(COUNTRIES)],
        "category": ("infrastructure", "training", "research", "other")[i % 4],
        "description": f"AI data centres and cloud infrastructure, phase {i}",
        "amount": "" if i % 9 == 0 else f"{symbol}{1 + figure // 50}.{figure % 10}bn",
        "announced": f"{2015 + i % 9}-{1 + i % 12:02d}-{1 + i % 28:02d}",
        "period_years": 1 + i % 5,
        "workers": 1000 * (1 + i % 50),
        "source": f"https://example.org/press/{i}",
        "notes": f"row {i}",
    }


def shared_strings(path: Path) -> None:
    """Rewrite the workbook at `path` as Excel saves one: its text in a table of shared strings
    (``xl/sharedStrings.xml``, each text once) that the cells name by number; openpyxl writes
    every text in its cell."""
    import re
    import zipfile
    from xml.sax.saxutils import escape

    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rels = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path) as source:
        parts = {item: source.read(item) for item in source.namelist()}
    table: dict[str, int] = {}

    def number(match: re.Match[str]) -> str:
        index = table.setdefault(match.group(2), len(table))
        return f'{match.group(1)} t="s"><v>{index}</v></c>'

    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    sheet = re.sub(r'(<c r="[A-Z]+\d+")(?: s="\d+")? t="inlineStr"><is><t>([^<]*)</t></is></c>',
                   number, sheet)  # fmt: skip
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    items = "".join(f"<si><t>{text}</t></si>" for text in table)  # already escaped
    parts["xl/sharedStrings.xml"] = f'<sst xmlns="{main}">{items}</sst>'.encode()
    link = (f'<Relationship Id="rIdS" Type="{rels}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>")  # fmt: skip
    parts["xl/_rels/workbook.xml.rels"] = (
        parts["xl/_rels/workbook.xml.rels"].decode().replace("</Relationships>", link).encode()
    )
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
    types = parts["[Content_Types].xml"].decode()
    override = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{escape(kind)}"/>'
    parts["[Content_Types].xml"] = types.replace("</Types>", override + "</Types>").encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item, data in parts.items():
            target.writestr(item, data)


def write(path: Path, fmt: str, count: int, distinct: bool, shared: bool = False) -> None:
    records = [record(i, distinct) for i in range(count)]
    if fmt == "json":
        text = json.dumps({"commitments": records}, ensure_ascii=False, indent=2)
    elif fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(records[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
        text = out.getvalue()
    elif fmt == "xlsx":  # a workbook as a spreadsheet saves it: dates as dates
        import datetime

        import openpyxl

        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet("Pledges")
        sheet.append(list(records[0]))
        for r in records:
            row = dict(r)
            row["announced"] = datetime.date.fromisoformat(str(r["announced"]))
            sheet.append(list(row.values()))
        book.save(path)
        if shared:
            shared_strings(path)
        return
    else:
        blocks = []
        for r in records:
            lines = [
                f"{k} = {v}" if isinstance(v, int) or k == "announced" else f"{k} = {json.dumps(v)}"
                for k, v in r.items()
            ]
            blocks.append("[[commitment]]\n" + "\n".join(lines) + "\n")
        text = "\n".join(blocks)
    path.write_text(text, encoding="utf-8")


def measure(path: Path, child: str = CHILD) -> tuple[int, float, float, float]:
    """(records loaded, seconds, CPU seconds, peak RSS in MiB) of a child loading `path`."""
    proc = subprocess.Popen(
        [sys.executable, "-c", child, str(path)], stdout=subprocess.PIPE, cwd=ROOT, text=True
    )
    out, _err = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"loading {path.name} failed (exit {proc.returncode})")
    count, seconds, cpu, peak_kib = out.split()
    return int(count), float(seconds), float(cpu), int(peak_kib) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 30_000, 100_000])
    parser.add_argument("--formats", nargs="+", default=["json", "csv", "toml", "xlsx"])
    parser.add_argument(
        "--shared-strings", action="store_true",
        help="write workbooks as Excel saves them, their text in a table of shared strings (by "
        "default as openpyxl writes them, each text in its cell)",
    )  # fmt: skip
    parser.add_argument(
        "--distinct", action="store_true",
        help="give every record an amount of its own (by default 5,000 amounts recur, as in "
        "real lists, where '$1bn' and '£500m' come again and again)",
    )  # fmt: skip
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        print(
            f"{'file':>12} {'MiB':>6} {'load s':>7} {'CPU s':>6} {'peak MiB':>9} "
            f"{'above base':>10} {'x file':>6}"
        )
        for fmt in args.formats:
            one = Path(folder, f"one.{fmt}")
            write(one, fmt, BASE, args.distinct, args.shared_strings)
            *_, base = measure(one)
            *_, rows_base = measure(one, ROWS_ONLY) if fmt == "xlsx" else (0, 0, 0, 0.0)
            for size in args.sizes:
                path = Path(folder, f"{size}.{fmt}")
                write(path, fmt, size, args.distinct, args.shared_strings)
                mib = path.stat().st_size / 2**20
                count, seconds, cpu, peak = measure(path)
                assert count == size, (count, size)
                above = peak - base
                print(
                    f"{path.name:>12} {mib:6.1f} {seconds:7.2f} {cpu:6.2f} {peak:9.1f} "
                    f"{above:10.1f} {above / mib:6.1f}",
                    flush=True,
                )
                if fmt == "xlsx":
                    count, seconds, cpu, peak = measure(path, ROWS_ONLY)
                    assert count == size, (count, size)
                    above = peak - rows_base
                    print(
                        f"{'rows only':>12} {mib:6.1f} {seconds:7.2f} {cpu:6.2f} {peak:9.1f} "
                        f"{above:10.1f} {above / mib:6.1f}",
                        flush=True,
                    )
                path.unlink()


if __name__ == "__main__":
    main()
