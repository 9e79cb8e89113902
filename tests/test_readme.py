"""The README stays true: its test command is the one CI runs, and its outputs are real."""

import re
import subprocess
import sys

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def sh_blocks() -> list[str]:
    return re.findall(r"```sh\n(.*?)```", README, re.S)


def test_the_two_commands():
    run_cmd, test_cmd = (block.strip() for block in sh_blocks()[:2])
    assert run_cmd.endswith(".venv/bin/spendcalc report")
    assert test_cmd in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_shown_report_is_what_the_command_prints():
    shown = re.search(r"```text\n(Spending commitments.*?)```", README, re.S).group(1)
    printed = subprocess.run(
        [sys.executable, "-m", "calc", "report", "--compact"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    ).stdout
    for line in shown.splitlines():
        if line.strip() and line.strip() != "...":
            assert line in printed.splitlines(), line


def test_the_shown_convert_and_check_lines():
    shown = re.findall(r"\$ (spendcalc (?:convert|check) .*?)\n(.*?)\n\n", README, re.S)
    assert len(shown) == 2
    for command, output in shown:
        argv = [a.replace("\\$", "$") for a in re.findall(r'"[^"]*"|\S+', command)[1:]]
        argv = [a.strip('"') for a in argv]
        printed = subprocess.run(
            [sys.executable, "-m", "calc", *argv], capture_output=True, text=True, cwd=ROOT
        ).stdout
        assert printed.strip() == output.strip(), command


def test_the_chart_in_the_readme_is_there_and_a_png():
    assert "](docs/report-chart.png)" in README
    raw = (ROOT / "docs" / "report-chart.png").read_bytes()
    assert raw[:8] == b"\x89PNG\r\n\x1a\n" and len(raw) > 10_000
