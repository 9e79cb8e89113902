"""Several files, standard input, validate, duplicates (issue 16, item 5)."""

from __future__ import annotations

import io
import json
import sys

import pytest

from calc.cli import main
from calc.examples import example_text

UK = "company,country,amount,announced\nMicrosoft,GB,£2.5bn,2023-11-30\n"
JP = "company,country,amount,announced\nMicrosoft,JP,$2.9bn,2024-04-09\n"


def files(tmp_path, **texts):
    paths = []
    for name, text in texts.items():
        path = tmp_path / name.replace("_", ".")
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    return paths


def totals(capsys, *argv):
    assert main(["report", *argv, "--format", "json"]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    return {c["country"]: c["total"]["amount"] for c in data["countries"]}, captured.err


def test_several_files_are_one_report(tmp_path, capsys):
    uk, jp = files(tmp_path, uk_csv=UK, jp_csv=JP)
    both, err = totals(capsys, uk, jp)
    assert set(both) == {"GB", "JP"} and err == ""
    alone, _ = totals(capsys, uk)
    assert both["GB"] == alone["GB"]


def test_a_row_given_twice_gets_a_warning_naming_its_lines(tmp_path, capsys):
    (uk,) = files(tmp_path, uk_csv=UK + UK.splitlines()[1] + "\n")
    _, err = totals(capsys, uk)
    assert err.startswith("warning: the same commitment is given 2 times (uk.csv:2, uk.csv:3)")


def test_standard_input_with_its_format(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(example_text().encode())))
    from_stdin, _ = totals(capsys, "-", "--input-format", "toml")
    bundled, _ = totals(capsys)
    assert from_stdin == bundled


def test_standard_input_needs_its_format(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"x")))
    assert main(["report", "-"]) == 1
    assert "--input-format toml, csv or json" in capsys.readouterr().err


def test_validate_prints_every_problem_of_every_file(tmp_path, capsys):
    good, bad = files(tmp_path, good_csv=UK, bad_csv=UK + "A,XX,two,2024-13-01\n")
    assert main(["validate", good]) == 0
    assert capsys.readouterr().out == f"{good}: 1 commitments, no problems\n"
    assert main(["validate", good, bad]) == 1
    out, err = capsys.readouterr()
    assert good in out and "bad.csv:3: country 'XX'" in err and "bad.csv:3: amount 'two'" in err
    assert "bad.csv:3: announced '2024-13-01'" in err and err.endswith(
        "1 of 2 files have problems\n"
    )


def test_validate_needs_a_file(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["validate"])
    assert exit_.value.code == 2
