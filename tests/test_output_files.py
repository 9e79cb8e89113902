"""Output files (issue 14, item 8): modes kept, links not replaced silently, nothing left behind."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys

import pytest

from calc.cli import main
from calc.errors import CalcError
from calc.output import OutputRefusedError, write_atomic

LEDGER = "date,currency,amount\n2024-01-02,GBP,1\n"


def written(path) -> str:
    return path.read_text(encoding="utf-8")


def test_an_existing_files_mode_is_kept(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o600)
    write_atomic(str(target), lambda out: out.write("new"))
    assert written(target) == "new" and stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_new_file_gets_the_umask(tmp_path):
    old = os.umask(0o027)
    try:
        write_atomic(str(tmp_path / "new.csv"), lambda out: out.write("x"))
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.csv").stat().st_mode) == 0o640


def test_a_symlink_is_not_replaced_without_force(tmp_path):
    real = tmp_path / "real.csv"
    real.write_text("keep", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    with pytest.raises(OutputRefusedError, match=r"is a symbolic link.*--force"):
        write_atomic(str(link), lambda out: out.write("new"))
    assert link.is_symlink() and written(real) == "keep"
    write_atomic(str(link), lambda out: out.write("new"), force=True)
    assert not link.is_symlink() and written(link) == "new" and written(real) == "keep"


def test_a_hard_linked_file_is_not_replaced_without_force(tmp_path):
    first = tmp_path / "a.csv"
    first.write_text("keep", encoding="utf-8")
    os.link(first, tmp_path / "b.csv")
    with pytest.raises(OutputRefusedError, match=r"has 2 hard links.*--force"):
        write_atomic(str(first), lambda out: out.write("new"))
    assert written(tmp_path / "b.csv") == "keep"


def test_a_failure_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old", encoding="utf-8")

    def fail(out):
        out.write("partial")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_atomic(str(target), fail)
    assert written(target) == "old" and sorted(os.listdir(tmp_path)) == ["out.csv"]


def test_the_ledger_refuses_a_symlink_output_in_one_line(tmp_path, capsys):
    source = tmp_path / "l.csv"
    source.write_text(LEDGER, encoding="utf-8")
    (tmp_path / "real.csv").write_text("keep", encoding="utf-8")
    (tmp_path / "out.csv").symlink_to(tmp_path / "real.csv")
    assert main(["ledger", str(source), "--to", "USD", "-o", str(tmp_path / "out.csv")]) == 1
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "--force" in err
    assert (
        main(["ledger", str(source), "--to", "USD", "-o", str(tmp_path / "out.csv"), "--force"])
        == 0
    )
    assert "converted" in written(tmp_path / "out.csv")


def test_sigterm_leaves_no_temporary_file(tmp_path):
    """A run killed while writing cleans up its hidden file beside the target."""
    script = (
        "import os, signal, sys\n"
        "from calc.output import write_atomic\n"
        "def slow(out):\n"
        "    out.write('x')\n"
        "    print('writing', flush=True)\n"
        "    signal.pause()\n"
        f"write_atomic({str(tmp_path / 'out.csv')!r}, slow)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "writing"
    assert any(name.endswith(".part") for name in os.listdir(tmp_path))
    child.send_signal(signal.SIGTERM)
    assert child.wait(timeout=60) != 0
    assert os.listdir(tmp_path) == []


def test_a_parquet_export_stages_nothing_outside_the_target_directory(tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    out = tmp_path / "out" / "rates.parquet"
    out.parent.mkdir()
    assert (
        main(
            [
                "rates",
                "export",
                "--format",
                "parquet",
                "-o",
                str(out),
                "--cache",
                str(tmp_path / "c.sqlite3"),
            ]
        )
        == 0
    )
    assert os.listdir(tmp_path / "tmp") == [] and os.listdir(out.parent) == ["rates.parquet"]


def test_output_refused_is_a_calc_error():
    assert issubclass(OutputRefusedError, CalcError)
