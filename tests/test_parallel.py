"""A big report's conversions table drawn in a second process (calc.parallel): the same text,
the child really used, its failures made good by the parent, nothing left behind.

Each case runs in a new interpreter: a test worker has threads, and calc.parallel does not fork
a process with threads (so the parent's own check is tested too)."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="calc.parallel forks on Linux only"
)


def run(code: str, env: dict[str, str] | None = None) -> str:
    """What `code` prints in a new interpreter (which must succeed and warn nothing)."""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300,
        env={**os.environ, **(env or {})},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "said by the piece's work" not in done.stderr
    return done.stdout


PIECES = """
import os, sys
from calc import parallel
parent = os.getpid()

def mine():
    return ("made by", "parent" if os.getpid() == parent else "child", "x" * 200_000)

def failing_in_the_child():
    if os.getpid() != parent:
        raise RuntimeError("the child fails")
    return "made again by the parent"

def dying():
    if os.getpid() != parent:
        os._exit(3)
    return "made again by the parent"

later = parallel.started(mine, parallel.FROM_ITEMS)
print(later.result(mine)[:2])
print(parallel.started(mine, parallel.FROM_ITEMS - 1).result(mine)[:2])  # too small to pay
print(parallel.started(failing_in_the_child, parallel.FROM_ITEMS).result(failing_in_the_child))
print(parallel.started(dying, parallel.FROM_ITEMS).result(dying))
def warning():
    import warnings
    warnings.warn("said by the piece's work")
    return "warned"
print(parallel.started(warning, parallel.FROM_ITEMS).result(warning))  # the child's is not said
unasked = parallel.started(mine, parallel.FROM_ITEMS)
pid = unasked._pid
unasked.close()  # an error came before the result was asked for: the child is stopped, reaped
try:
    os.waitpid(pid, 0)
except ChildProcessError:
    print("reaped")
import threading
threading.Thread(target=lambda: None).start()
threading.Event().wait(0.1)
"""


def test_a_piece_is_made_by_the_child_or_else_by_the_parent():
    lines = run(PIECES).splitlines()
    assert lines == [
        "('made by', 'child')",
        "('made by', 'parent')",
        "made again by the parent",
        "made again by the parent",
        "warned",
        "reaped",
    ]


def test_no_child_is_forked_when_turned_off_or_with_threads():
    off = run(PIECES.split("later =")[0] + "print(parallel.started(mine, 10**9).result(mine)[:2])",
              {"SPENDCALC_PROCESSES": "1"})  # fmt: skip
    assert off.splitlines() == ["('made by', 'parent')"]
    threads = run(
        PIECES.split("later =")[0]
        + "import threading\nstop = threading.Event()\n"
        + "threading.Thread(target=stop.wait).start()\n"
        + "print(parallel.started(mine, 10**9).result(mine)[:2])\nstop.set()\n"
    )
    assert threads.splitlines() == ["('made by', 'parent')"]


#: The start of a script that writes test files as the benchmarks do and counts the processes
#: it forks (in ``forks``).
COUNTING = """import os, sys
sys.path.insert(0, "benchmarks")
from load import write
from pathlib import Path
forks = []
fork = os.fork
def counted():
    forks.append(1)
    return fork()
os.fork = counted
"""

REPORT = (
    COUNTING
    + """
from calc import parallel, cli
parallel.FROM_ITEMS = 1  # every report draws its conversions in a child
path = Path(sys.argv[1])
write(path, path.suffix[1:], 300, distinct=True)
out = os.open(sys.argv[2], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
os.dup2(out, 1)
sys.stderr.write(f"forks before {len(forks)}\\n")
try:
    sys.stderr.write(f"exit {cli.main(['report', str(path), *sys.argv[3:]])}\\n")
finally:
    sys.stderr.write(f"forks {len(forks)}\\n")
try:
    os.waitpid(-1, 0)
except ChildProcessError:
    sys.stderr.write("no child left\\n")
"""
)


@pytest.mark.parametrize("options", [
    [], ["--width", "80"], ["--format", "markdown"], ["--locale", "de_DE", "--compact"],
    ["--locale", "xx_QQ"],  # an error after the children were started
    ["--by", "package"],  # (then no table of the packages naming workers: one child)
])  # fmt: skip
def test_a_report_drawn_by_two_processes_is_the_same_text(tmp_path, options):
    source = tmp_path / "c.csv"
    texts = []
    for processes in ("2", "1"):
        out = tmp_path / f"{processes}.txt"
        done = subprocess.run(
            [sys.executable, "-c", REPORT, str(source), str(out), *options],
            capture_output=True, text=True, cwd=ROOT, timeout=300,
            env={**os.environ, "SPENDCALC_PROCESSES": processes},
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        children = 1 if "package" in options else 2  # the conversions, the packages
        assert f"forks {children if processes == '2' else 0}" in done.stderr
        assert "no child left" in done.stderr
        texts.append(out.read_text(encoding="utf-8"))
        if options[:1] == ["--locale"] and options[1] == "xx_QQ":
            assert "exit 1" in done.stderr and "xx_QQ" in done.stderr
            continue
        assert "exit 0" in done.stderr
    assert texts[0] == texts[1]
    if "xx_QQ" in options:
        return
    assert "CONVERSIONS BEHIND THE FIGURES" in texts[0].upper()
    assert ("WORKERS TO TRAIN, BY PACKAGE" in texts[0].upper()) == ("package" not in options)
    if options[:1] == ["--width"]:
        # The columns the children's tables dropped are named, in the order of the tables.
        left = " ".join(texts[0].split("Left out to fit 80 columns:", 1)[1].split())
        assert "Announced, Training spend per worker (the packages)" in left, left
        assert "Category" in left.split("(the packages)", 1)[1], left  # (the conversions)


STREAMS = """
import itertools
import os
from calc import parallel
parent = os.getpid()

def made(count, fail_at=None, die_at=None):
    def make():
        for i in range(count):
            if os.getpid() != parent:
                if die_at == i:
                    os._exit(3)
            if fail_at == i:
                raise ValueError(f"item {i} is bad")
            yield (i, "child" if os.getpid() != parent else "parent")
    return make

def where(items):
    return sorted({w for _i, w in items}), [i for i, _w in items] == list(range(len(items)))

print(where(list(parallel.streamed(made(5000), parallel.FROM_ITEMS))))
print(where(list(parallel.streamed(made(5000), parallel.FROM_ITEMS - 1))))  # too small to pay
got = []
try:
    for item in parallel.streamed(made(5000, fail_at=4321), parallel.FROM_ITEMS):
        got.append(item)
except ValueError as exc:
    print(len(got), exc, where(got))
dying = list(parallel.streamed(made(5000, die_at=2500), parallel.FROM_ITEMS))
print(len(dying), where(dying), dying[-1])
stream = parallel.streamed(made(10**6), parallel.FROM_ITEMS)
first = next(stream)
stream.close()  # the reader stopped early: the child is stopped and reaped
try:
    os.waitpid(-1, 0)
except ChildProcessError:
    print("reaped", first)
"""


def test_a_stream_is_made_by_the_child_with_its_error_in_place_or_else_by_the_parent():
    lines = run(STREAMS).splitlines()
    assert lines == [
        "(['child'], True)",
        "(['parent'], True)",
        "4321 item 4321 is bad (['child'], True)",  # the same items, then the same error
        "5000 (['child', 'parent'], True) (4999, 'parent')",  # made good from where it died
        "reaped (0, 'child')",
    ]


def test_no_stream_is_forked_when_turned_off():
    off = run(STREAMS.split("print(")[0] + "print(where(list(parallel.streamed(made(9), 10**9))))",
              {"SPENDCALC_PROCESSES": "1"})  # fmt: skip
    assert off.splitlines() == ["(['parent'], True)"]


WORKBOOK = (
    COUNTING
    + """
import zipfile
from calc import parallel, load_commitments, xlsx_parts
from calc.errors import CommitmentFileError
parallel.FROM_ITEMS = 1  # every sheet read by children, in halves
parallel.BATCH = 7
xlsx_parts.CHUNK = 2048  # (the sheet in many pieces, the halves split between them)
path = Path(sys.argv[1])
write(path, "xlsx", 300, distinct=True)
with zipfile.ZipFile(path) as z:
    parts = {n: z.read(n) for n in z.namelist()}
sheet = next(n for n in parts if n.startswith("xl/worksheets/"))

def rewritten(old, new, count=-1):
    changed = dict(parts)
    changed[sheet] = parts[sheet].replace(old, new, count)
    with zipfile.ZipFile(path, "w") as z:
        for n, data in changed.items():
            z.writestr(n, data)

def read():
    try:
        found = load_commitments(path)
    except CommitmentFileError as exc:
        print(len(forks), exc)
    else:
        print(len(forks), len(found), *(repr(c) for c in found))

read()
rewritten(b'<row r="', b'<row x="')  # no row numbers: the second half not read apart
read()
rewritten(b'<row r="220"', b'<row r="3"')  # a row out of order, in the second half
read()
rewritten(b'<row r="151"', b'<row r="150"')  # out of order where the halves meet, or near
read()
cell = parts[sheet].index(b"<v>", parts[sheet].index(b'<row r="250"'))
parts[sheet] = parts[sheet][:cell] + b"<v>x" + parts[sheet][cell + 3 :]
rewritten(b"", b"", 0)  # a cell that cannot be read, in the second half
read()
"""
)


def test_a_big_sheet_read_by_children_gives_the_same_commitments_and_errors(tmp_path):
    outs = {}
    for processes in ("", "1"):
        done = subprocess.run(
            [sys.executable, "-c", WORKBOOK, str(tmp_path / f"c{processes}.xlsx")],
            capture_output=True, text=True, cwd=ROOT, timeout=300,
            env={**os.environ, "SPENDCALC_PROCESSES": processes},
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        outs[processes] = done.stdout.replace(f"c{processes}.xlsx", "c.xlsx").splitlines()
    two, one = outs[""], outs["1"]
    forks = [0, *(int(line.split()[0]) for line in two)]
    # Two children each (three where the halves did not join: a third streams the rest).
    assert [b - a for a, b in itertools.pairwise(forks)] == [2, 3, 3, 2, 3]
    assert [line.split()[0] for line in one] == ["0"] * 5  # none forked
    assert [line.split(" ", 1)[1] for line in two] == [line.split(" ", 1)[1] for line in one]
    assert two[0].split()[1] == two[1].split()[1] == "300"
    assert "row 3 comes after row 219" in two[2] and "row 150 comes after row 150" in two[3]
    assert "F250" in two[4]


JSON_LINES = (
    COUNTING
    + """
from calc import parallel, load_commitments
from calc.errors import CommitmentFileError
parallel.FROM_ITEMS = 1  # every file's lines found by a child
path = Path(os.environ["JSON_PATH"])
write(path, "json", 300, distinct=True)
print(len(load_commitments(path)), len(forks))
text = path.read_text()
record = text.rindex("{", 0, text.index('"Company 250"'))  # the 251st record starts here
print(text.count(chr(10), 0, record) + 1)
at = text.index('"announced": "', record) + len('"announced": "')
path.write_text(text[:at] + "soon, " + text[at:])
try:
    load_commitments(path)
except CommitmentFileError as exc:
    print(len(forks), exc)
path.write_text("[1, 2," + " " * 900)  # not JSON: the lines are never asked for
try:
    load_commitments(path)
except CommitmentFileError as exc:
    print(len(forks), exc)
try:
    os.waitpid(-1, 0)
except ChildProcessError:
    print("no child left")
"""
)


def test_a_big_json_files_record_lines_found_by_a_child_are_the_same(tmp_path):
    outs = {}
    for processes in ("", "1"):
        path = tmp_path / f"c{processes}.json"
        env = {"SPENDCALC_PROCESSES": processes, "JSON_PATH": str(path)}
        outs[processes] = run(JSON_LINES, env).replace(path.name, "c.json").splitlines()
    two, one = outs[""], outs["1"]
    assert two[0] == "300 1" and one[0] == "300 0"  # a child found the lines, or none forked
    line = two[1]
    assert two[2] == f"2 c.json:{line}: announced 'soon, " + two[2].split("'soon, ")[1]
    assert one[2] == "0 " + two[2][2:]  # the same error at the same line, found here
    assert two[3].startswith("3 c.json:1: is not valid JSON") and one[3] == "0 " + two[3][2:]
    assert two[4] == one[4] == "no child left"
