"""The quick TOML reader (calc.toml_quick) against tomli: the values tomli gives, of the same
types, for every file it reads; None (tomli reads it) for every file it does not, hostile ones
included; and the lines of the ``[[commitment]]`` headers as the tomli path counts them."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
import tomli

from calc.commitments import load_text
from calc.readers import _table_lines
from calc.toml_quick import loads


def same(a: object, b: object) -> bool:
    """Equal, and of the same types all the way down (Decimal('1.0') is not Decimal('1'))."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)  # type: ignore[index]
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))  # type: ignore[arg-type]
    if isinstance(a, Decimal):
        return str(a) == str(b)
    return a == b


def tomli_reads(text: str) -> object:
    try:
        return tomli.loads(text, parse_float=Decimal)
    except (tomli.TOMLDecodeError, ValueError):
        return None


def check(text: str) -> dict[str, object] | None:
    """The quick reading of `text`, checked against tomli's: equal when it reads the file, and
    the file refused or read by tomli when it does not."""
    headers: list[int] = []
    quick = loads(text, headers)
    if quick is not None:
        assert same(quick, tomli_reads(text)), text
        assert headers == _table_lines(text), text
    return quick


COMMON = [
    '[[commitment]]\ncompany = "Microsoft"\ncountry = "JP"\namount = "$2.9bn"\n'
    "announced = 2024-04-09\nperiod_years = 2\nworkers = 3000000\n",
    '[[commitment]]\r\ncompany = "A"\r\nannounced = 2024-04-09\r\n',  # CRLF
    '# a comment\n\n[rates]\nTWD = "34.7"\n\n[defaults]\nlocale = "de_DE"\n\n'
    '[[commitment]]\ncompany = "A"  # trailing comment\n',
    '[[commitments]]\ncompany = "A"\n[[commitments]]\ncompany = "B"',  # no final newline
    '[[commitment]]\namount = "\\u00a52.9bn"\nnote = "tab\\there, \\"quoted\\" \\\\ \\U0001F600"\n',
    "[[commitment]]\nperiod_years = 2.5\nx = 1e3\ny = -0.0\nz = +7\nw = 0\nv = 1.5E-2\n",
    "[[commitment]]\nflag = true\nother = false\nliteral = 'C:\\path'\nempty = ''\ne = \"\"\n",
    '  [[ commitment ]]  \n\tcompany\t=\t"A"\t\n  [ rates ]\n',
    "[[commitment]]\nannounced = 2024-02-29\nend = 2030-12-31\n",
    "",
    "\n\n# only comments\n",
    'top = "root key"\n[[commitment]]\ncompany = "A"\n',
    '[[commitment]]\ncompany = "ünïcødé ¥ € £"\n',
    '[[commitment]]\nescape = "\\e\\x41\\b\\f\\n\\r"\n',
]


@pytest.mark.parametrize("text", COMMON)
def test_the_common_shapes_are_read_quickly_and_as_tomli_reads_them(text: str) -> None:
    assert check(text) is not None


HANDED_ON = [
    '[[commitment]]\ncompany = "A"\ncompany = "B"\n',  # a key twice
    '[[commitment]]\ncompany = "A"\nCompany = "B"\ncompany = "C"\n',
    "[rates]\nA = 1\n[rates]\nB = 2\n",  # a table twice
    "rates = 1\n[rates]\n",
    "[rates]\n[[rates]]\n",
    "[[rates]]\n[rates]\n",
    "commitment = 1\n[[commitment]]\n",
    "[[commitment]]\nworkers = [1, 2]\n",  # an array
    "[[commitment]]\nx = {a = 1}\n",  # an inline table
    "[[commitment]]\na.b = 1\n",  # a dotted key
    '[[commitment]]\n"quoted key" = 1\n',
    "[[commitment]]\nt = 2024-01-01T10:00:00\n",  # a date and time
    "[[commitment]]\nt = 2024-01-01 10:00:00\n",
    "[[commitment]]\nt = 10:00:00\n",
    '[[commitment]]\ns = """multi\nline"""\n',
    "[[commitment]]\ns = '''multi'''\n",
    "[[commitment]]\nn = 1_000\n",  # underscores
    "[[commitment]]\nn = 0x1F\n",
    "[[commitment]]\nn = 012\n",  # a leading zero: an error
    "[[commitment]]\nn = 1.\n",
    "[[commitment]]\nn = .5\n",
    "[[commitment]]\nn = inf\n",
    "[[commitment]]\nn = nan\n",
    "[[commitment]]\nn = 12345678901234567890\n",  # long: tomli reads it
    "[[commitment]]\nd = 2023-02-30\n",  # no such day: an error
    "[[commitment]]\nd = 2023-13-01\n",
    "[[commitment]]\nd = 0000-01-01\n",
    '[[commitment]]\ns = "\\ud800"\n',  # a surrogate escape: an error
    '[[commitment]]\ns = "\\U00110000"\n',
    '[[commitment]]\ns = "\\q"\n',  # no such escape
    '[[commitment]]\ns = "a\x01b"\n',  # a control character
    '[[commitment]]\ns = "a\x7fb"\n',
    "[[commitment]]\n# a comment with \x00 in it\n",
    '[[commitment]]\ns = "a"\rt = "b"\n',  # a lone carriage return
    '[[commitment]]\ns = "a"\r',
    '[[commitment]]\ns = "unclosed\n',
    '[[commitment]]\ns = "a" "b"\n',
    '[[commitment]]\ns = "a" b\n',
    "[[commitment]]\ns =\n",
    "[[commitment]]\n= 1\n",
    "[[commitment]\n",
    "[[commitment]]]\n",
    "[ [commitment] ]\n",
    "[[commitment]] x\n",
    "[[commitment]]\nflag = True\n",
    "[[commitment]]\nk = 1 = 2\n",
    '[[commitment]]\nk = "a = b" = 1\n',
    "[[commitment]]\nk\n",
]


@pytest.mark.parametrize("text", HANDED_ON)
def test_anything_else_is_handed_to_tomli(text: str) -> None:
    assert loads(text) is None


def test_a_key_given_twice_after_its_line_is_remembered() -> None:
    """The second of two equal lines in one table is a key given twice, not a repeat read from
    the memo of lines."""
    assert loads('[[commitment]]\ncountry = "JP"\n[[commitment]]\ncountry = "JP"\n') is not None
    assert loads('[[commitment]]\ncountry = "JP"\ncountry = "JP"\n') is None
    assert loads("[[commitment]]\nn = 1\n[[commitment]]\nn = 1\nn = 1\n") is None


FRAGMENTS = [
    "[[commitment]]", "[[commitments]]", "[rates]", "[defaults]", "[", "]", "[[", "]]",
    "company", "country", "a", "a-b_1", " = ", "=", " ", "\t", "\n", "\r\n", "\r", "#", "# c",
    '"', "'", '"text"', "'lit'", '"\\u00a5"', '"\\U0001F600"', '"\\ud800"', '"\\x41"', '"\\e"',
    "\\", '\\"', "1", "0", "01", "-1", "+1", "1.5", "1e5", "1.", "2024-02-15", "2024-02-30",
    "2024-02-15T10:00:00", "true", "false", "[1, 2]", "{a = 1}", "\x00", "\x1f", "\x7f", "é",
    "¥", "1_000", "12345678901234567890", "inf", ".", '"""', "'''",
]  # fmt: skip


def test_hostile_texts_are_read_as_tomli_reads_them_or_handed_on() -> None:
    """Random texts of TOML's pieces: whatever the quick reader reads equals tomli's reading
    (and tomli reads it); a text tomli refuses, the quick reader never reads."""
    rng = random.Random(17)
    read = 0
    for _ in range(20000):
        text = "".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(1, 14)))
        if check(text) is not None:
            read += 1
    assert read > 500  # the check above ran on many texts the quick reader reads


def test_line_shaped_texts_are_read_as_tomli_reads_them() -> None:
    """Whole lines, the shape of a real file with its surprises mixed in."""
    rng = random.Random(4)
    values = ['"Acme"', '"\\u00a52bn"', "2", "2.50", "2024-01-31", "true", "'x'", '""', "3e2",
              '"a\\tb"', "-5", "[1]", '"x" # note', "2024-02-31", "007"]  # fmt: skip
    keys = ["company", "amount", "country", "workers", "Company", "a1", "x-y", "notes"]
    headers = ["[[commitment]]", "[[commitments]]", "[rates]", "[defaults]", "", "# comment"]
    read = 0
    for _ in range(3000):
        lines = []
        for _ in range(rng.randint(1, 12)):
            if rng.random() < 0.25:
                lines.append(rng.choice(headers))
            else:
                lines.append(
                    f"{rng.choice(keys)}{rng.choice([' = ', '=', '  =  '])}{rng.choice(values)}"
                )
        text = rng.choice(["\n", "\r\n"]).join(lines) + rng.choice(["", "\n"])
        if check(text) is not None:
            read += 1
    assert read > 300


def test_values_are_shared_but_equal() -> None:
    """A line read again gives the same value (one object for a file's repeated dates)."""
    data = loads("[[commitment]]\nd = 2024-01-01\n[[commitment]]\nd = 2024-01-01\n")
    assert data is not None
    first, second = data["commitment"]  # type: ignore[misc]
    assert first["d"] == second["d"] == dt.date(2024, 1, 1)


@pytest.mark.filterwarnings("ignore::calc.errors.CalcWarning")
def test_a_file_the_quick_reader_hands_on_loads_as_before() -> None:
    """Through load_text: the same commitments and lines either way, and tomli's error for a
    file that is not TOML."""
    quick = (
        '[[commitment]]\ncompany = "A"\ncountry = "JP"\nannounced = 2024-01-01\namount = "$1bn"\n'
    )
    slow = quick.replace('"$1bn"', '"$1bn" # a comment [1]\nnotes = [1, 2]')  # an array: tomli
    assert loads(slow) is None
    a, b = load_text(quick, "toml", name="q.toml"), load_text(slow, "toml", name="q.toml")
    assert a[0].amount == b[0].amount and a[0].location == b[0].location == "q.toml:1"
    with pytest.raises(ValueError, match=r"q\.toml:7: is not valid TOML"):
        load_text(quick + "x = 1\nx = 2\n", "toml", name="q.toml")
