"""The real ``spendcalc`` executable with bad arguments and bad files: exit 1 or 2, one line.

Every command (report, convert, check, example, rates info, rates update) is run as a user runs
it: the console script installed next to this Python, in a new process, stdin closed. For each
case the exit code is 1 (an error) or 2 (a usage error), stdout is empty, and stderr holds
exactly one line, ``error: ...`` or ``spendcalc ...: error: ...``, never a traceback nor the
CLI's last-resort "internal error" line (which means an exception spendcalc did not expect).

Two documented exceptions to "one line": a commitments file with several problems prints the
summary line, then one line per problem (``file:line: ...``), as the README says; and when the
cache itself is what cannot be used, one ``warning:`` line (that lookups go on without it) may
come before the error. Both are checked line by line below.

The cases run in parallel (a thread per process, 4 at a time) to keep the suite quick.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
import subprocess
import sys
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pytest

from rates.clock import TODAY_VARIABLE
from tests.clock import TODAY
from tests.ratesserver import RatesServer, closed_port_url, plausible_days


def skip_saying_why(reason: str) -> NoReturn:
    """Skip the test, and say why in the warnings summary, which ``pytest -q`` prints too."""
    warnings.warn(f"skipped: {reason}", stacklevel=2)
    pytest.skip(reason)


#: The console script pip installs next to the interpreter (CI installs the project with pip).
SPENDCALC = Path(sys.executable).with_name("spendcalc")
NO_SPENDCALC = f"no spendcalc executable next to {sys.executable}: install the project with pip"
if not SPENDCALC.exists():
    warnings.warn(f"tests that run the executable are skipped: {NO_SPENDCALC}", stacklevel=1)
needs_spendcalc = pytest.mark.skipif(not SPENDCALC.exists(), reason=NO_SPENDCALC)
pytestmark = needs_spendcalc
SNAPSHOT_LAST = dt.date(2026, 10, 30)  # the bundled rates' last day


@dataclass(frozen=True)
class Run:
    """One finished ``spendcalc`` process."""

    argv: tuple[str, ...]
    code: int
    out: str
    err: str
    elapsed: float

    @property
    def lines(self) -> list[str]:
        return self.err.splitlines()


def run_spendcalc(*argv: str, env: dict[str, str] | None = None, timeout: float = 60) -> Run:
    """Run the installed ``spendcalc`` with ``argv``; stdin is closed, output captured."""
    started = time.monotonic()
    done = subprocess.run(
        [str(SPENDCALC), *argv],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )
    elapsed = time.monotonic() - started
    return Run(tuple(argv), done.returncode, done.stdout, done.stderr, elapsed)


def assert_clean_failure(run: Run, *, extra_ok: re.Pattern[str] | None = None) -> str:
    """Assert the shape every failure must have; return the one error line.

    ``extra_ok`` matches further lines that may come before the error (progress lines of an
    update, a warning about the cache).
    """
    assert "Traceback" not in run.err, run.err
    assert "internal error" not in run.err, run.err
    lines = run.lines
    errors = [line for line in lines if not (extra_ok and extra_ok.fullmatch(line))]
    assert len(errors) == 1, lines
    assert lines[-1] == errors[0], lines
    assert re.match(r"(error: |spendcalc( [a-z]+)*: error: )\S", errors[0]), errors[0]
    return errors[0]


# -- the cases -----------------------------------------------------------------------------

GOOD_CSV = "company,country,amount,announced\nAcme,GB,£1bn,2024-01-02\n"
FILES = {
    "good.csv": GOOD_CSV.encode(),
    "latin1.csv": "company,country,amount,announced\nAçme,GB,£1bn,2024-01-02\n".encode("latin-1"),
    "binary.toml": bytes(range(256)) * 4,
    "empty.csv": b"",
    "header-only.csv": b"company,country,announced\n",
    "bad-toml.toml": b"[[commitment]\ncompany = 'A'\n",
    "bad-json.json": b'[{"company": "A",',
    "not-a-list.json": b'{"commitments": {"company": "A"}}',
    "deep.json": b"[" * 50_000 + b"]" * 50_000,
    "long-int.toml": b"[[commitment]]\ncompany = 'A'\ncountry = 'GB'\nannounced = 2024-01-02\n"
    b"workers = 1" + b"0" * 5000 + b"\n",
    "surrogate.json": b'[{"company": "A\\ud800", "country": "GB", "announced": "2024-01-02"}]',
    "one-bad.csv": b"company,country,amount,announced\nAcme,XX,\xc2\xa31bn,2024-01-02\n",
    "dup-header.csv": b"company,country,amount,amount,announced\nA,GB,\xc2\xa31bn,\xc2\xa32bn,2024-01-02\n",
    "unrated.csv": b"company,country,amount,announced\nA,TW,NT$5bn,2024-01-19\n",
    "future.csv": b"company,country,amount,announced\nA,GB,\xc2\xa31bn,2999-01-02\n",
    "ancient.json": b'[{"company": "A", "country": "GB", "amount": "\xc2\xa31bn", "announced": "1990-01-02"}]',
    "pledges.xlsx": b"PK\x03\x04",
    "garbage-1.sqlite3": os.urandom(2048),
    "recent.csv": b"company,country,amount,announced\nAcme,GB,\xc2\xa31bn,2026-11-02\n",
    "garbage-2.sqlite3": b"SQLite format 3\x00" + os.urandom(2048),  # a header, then noise
    "copy-of-good.csv": GOOD_CSV.encode(),
}
DIRECTORY = "a-directory.csv"  # made as a directory: cannot be read as a file

# Usage errors: exit 2, "spendcalc ...: error: ... (see ... --help)".
USAGE = {
    "unknown-command": ["frobnicate"],
    "report-bad-rows": ["report", "--rows", "all"],
    "report-bad-format": ["report", "--format", "xml"],
    "report-bad-on": ["report", "--on", "someday"],
    "report-on-impossible-date": ["report", "--on", "2024-02-30"],
    "report-unknown-option": ["report", "--colour"],
    "convert-no-to": ["convert", "£1"],
    "convert-no-amount": ["convert", "--to", "USD"],
    "convert-negative-unquoted": ["convert", "-£5bn", "--to", "USD"],  # read as an option
    "convert-bad-date": ["convert", "£1", "--to", "USD", "--on", "30/11/2023"],
    "check-no-on": ["check", "£1", "$1"],
    "check-one-amount": ["check", "£1", "--on", "2024-01-02"],
    "check-bad-tolerance": ["check", "£1", "$1", "--on", "2024-01-02", "--tolerance", "lots"],
    "check-negative-tolerance": ["check", "£1", "$1", "--on", "2024-01-02", "--tolerance=-1%"],
    "check-nan-tolerance": ["check", "£1", "$1", "--on", "2024-01-02", "--tolerance", "nan%"],
    "example-bad-format": ["example", "--format", "xml"],
    "example-extra-argument": ["example", "mine.toml"],
    "rates-unknown-subcommand": ["rates", "bogus"],
    "info-unknown-option": ["rates", "info", "--url", "http://127.0.0.1:9/"],
    "update-bad-until": ["rates", "update", "--source", "forex-python", "--until", "tomorrow"],
    "update-timeout-text": ["rates", "update", "--source", "forex-python", "--timeout", "soon"],
    "update-timeout-zero": ["rates", "update", "--source", "forex-python", "--timeout", "0"],
    "update-timeout-nan": ["rates", "update", "--source", "forex-python", "--timeout", "nan"],
    "update-timeout-negative": ["rates", "update", "--source", "forex-python", "--timeout=-5"],
}

# Errors: exit 1, "error: <message>"; the pattern is searched in the error line.
ERRORS = {
    "report-missing-file": (["report", "nowhere.csv"], r"nowhere\.csv: cannot be read: No such file"),
    "report-directory": (["report", DIRECTORY], r"a-directory\.csv: cannot be read: Is a directory"),
    "report-unknown-suffix": (["report", "pledges.xls"], r"'\.xls' is not a commitments format; save the workbook as \.xlsx"),
    "report-latin1": (["report", "latin1.csv"], r"latin1\.csv: is not UTF-8 text \(byte \d+\)"),
    "report-binary": (["report", "binary.toml"], r"binary\.toml: is not UTF-8 text"),
    "report-empty": (["report", "empty.csv"], r"empty\.csv: is empty"),
    "report-header-only": (["report", "header-only.csv"], r"header-only\.csv: holds no commitments"),
    "report-bad-toml": (["report", "bad-toml.toml"], r"bad-toml\.toml:1: is not valid TOML"),
    "report-bad-json": (["report", "bad-json.json"], r"bad-json\.json:1: is not valid JSON"),
    "report-not-a-list": (["report", "not-a-list.json"], r"holds no list of commitments"),
    "report-deep-json": (["report", "deep.json"], r"deep\.json: nests lists or tables too deeply"),
    "report-long-int": (["report", "long-int.toml"], r"long-int\.toml:5: holds a number too long"),
    "report-surrogate": (["report", "surrogate.json"], r"surrogate\.json:1: company .* lone surrogate"),
    "report-one-bad-record": (["report", "one-bad.csv"], r"one-bad\.csv:2: country 'XX' is not"),
    "report-duplicate-column": (["report", "dup-header.csv"], r"dup-header\.csv:1: the header names 'amount' more than once"),
    "report-unrated-currency": (["report", "unrated.csv"], r"unrated\.csv:2: TWD is not among the ECB"),
    "report-future-date": (["report", "future.csv"], r"future\.csv:2: No GBP->USD rate on 2999-01-02: that date is in the future"),
    "report-before-1999": (["report", "ancient.json"], r"ancient\.json:1: No GBP->USD rate on 1990-01-02"),
    "report-bad-currency": (["report", "good.csv", "--currency", "GPB"], r"'GPB' is not an ISO 4217 currency code; did you mean 'GBP'"),
    "report-empty-currency": (["report", "good.csv", "--currency", ""], r"'' is not an ISO 4217"),
    "report-bad-locale": (["report", "good.csv", "--locale", "xx_YY"], r"'xx_YY' is not a locale"),
    "report-path-as-locale": (["report", "good.csv", "--locale", "../../etc/passwd"], r"is not a locale"),
    "report-bad-rate": (["report", "good.csv", "--rate", "TWD=abc"], r"The rate 'TWD=abc' does not end in a number"),
    "report-nan-rate": (["report", "good.csv", "--rate", "TWD=nan"], r"must be a positive number"),
    "report-self-rate": (["report", "good.csv", "--rate", "GBP/GBP=1"], r"against itself is always 1"),
    "report-online-refused": (["report", "future.csv", "--on", "2026-11-13", "--online"], r"refused the connection"),
    "convert-words": (["convert", "two billion", "--to", "USD"], r"'two billion' is not an amount"),
    "convert-empty": (["convert", "", "--to", "USD"], r"'' is not an amount: the text is empty"),
    "convert-ambiguous": (["convert", "kr 5bn", "--to", "USD"], r"'kr' is used by SEK, NOK, DKK and ISK"),
    "convert-negative": (["convert", "--to", "USD", "--", "-£5bn"], r"it is negative"),
    "convert-two-currencies": (["convert", "£5bn USD", "--to", "EUR"], r"it names two currencies"),
    "convert-exponent": (["convert", "£1e5", "--to", "USD"], r"'£1e5' is not an amount"),
    "convert-bad-to": (["convert", "£1", "--to", "XYZ"], r"'XYZ' is not an ISO 4217 currency code"),
    "convert-bad-locale": (["convert", "£1", "--to", "USD", "--locale", "zz"], r"'zz' is not a locale"),
    "convert-before-ecb": (["convert", "£1", "--to", "USD", "--on", "1998-12-31"], r"ECB reference rates start on 1999-01-04"),
    "convert-future": (["convert", "£1", "--to", "USD", "--on", "9999-12-31"], r"that date is in the future"),
    "convert-stale": (["convert", "£1", "--to", "USD", "--on", "2026-11-20"], r"run `spendcalc rates update` or go online"),
    "convert-rub-after-2022": (["convert", "₽1", "--to", "USD", "--on", "2024-01-02"], r"stopped quoting RUB"),
    "convert-unquoted": (["convert", "NT$1", "--to", "USD", "--on", "2024-01-02"], r"TWD is not among the ECB"),
    "convert-online-refused": (["convert", "£1", "--to", "USD", "--online", "--on", "2026-11-20"], r"refused the connection \(2026-11-02\)"),
    "check-same-currency": (["check", "£1bn", "£2bn", "--on", "2024-01-02"], r"are both in GBP"),
    "check-bad-quoted": (["check", "lots", "$1", "--on", "2024-01-02"], r"'lots' is not an amount"),
    "check-before-ecb": (["check", "£1", "$1", "--on", "1900-01-01"], r"ECB reference rates start on 1999-01-04"),
    "update-refused": (["rates", "update", "--source", "forex-python", "--timeout", "1"], r"Update stopped at \d{4}-\d\d-\d\d after adding 0 days .* refused the connection"),
    "update-not-a-url": (["rates", "update", "--source", "forex-python", "--timeout", "1", "--url", "notaurl"], r"'notaurl/' is not an http:// or https:// URL"),
    "update-ftp-url": (["rates", "update", "--source", "forex-python", "--timeout", "1", "--url", "ftp://127.0.0.1/"], r"is not an http:// or https:// URL"),
    "update-broken-url": (["rates", "update", "--source", "forex-python", "--timeout", "1", "--url", "http://[::1"], r"is not an http:// or https:// URL"),
    "update-cache-under-a-file": (["rates", "update", "--source", "forex-python", "--timeout", "1", "--cache", "good.csv/rates.sqlite3", "--url", "{url}"], r"Cannot create the cache directory"),
}  # fmt: skip

#: Cases where the cache cannot be used at all: a warning that lookups go on without it may
#: come first, then the error.
CACHE_WARNING = re.compile(
    r"warning: The rate cache .* cannot be read \(.*\); using the bundled rates only\."
)
CACHE_CASES = {
    "update-cache-is-a-pipe": (["rates", "update", "--source", "forex-python", "--timeout", "1", "--cache", "pipe.sqlite3", "--url", "{url}"], r"The cache 'pipe\.sqlite3' cannot be used: "),
    "update-cache-is-a-directory": (["rates", "update", "--source", "forex-python", "--timeout", "1", "--cache", DIRECTORY, "--url", "{url}"], r"The cache 'a-directory\.csv' cannot be used: unable to open database file; set SPENDCALC_CACHE or --cache"),
}  # fmt: skip

#: Commands that only read the cache, given one that is not a cache: they answer from the
#: bundled rates (exit 0) with one warning line; a corrupt file is set aside, never deleted.
MOVED_ASIDE = r"warning: The cache '.*' was not a readable spendcalc cache \(.*\); it was moved to '.*\.corrupt-.*' and a new one was started\."
UNREADABLE = r"warning: The rate cache '.*' cannot be read \(.*\); using the bundled rates only\."
BAD_CACHE_FILES = {
    "info-cache-random-bytes": (["rates", "info", "--cache", "garbage-1.sqlite3"], MOVED_ASIDE),
    "info-cache-is-a-directory": (["rates", "info", "--cache", DIRECTORY], UNREADABLE),
    "convert-cache-is-a-csv": (["convert", "£1", "--to", "USD", "--on", "2026-11-02", "--cache", "copy-of-good.csv"], MOVED_ASIDE),
    "report-cache-is-a-directory": (["report", "recent.csv", "--cache", DIRECTORY], UNREADABLE),
    "check-cache-random-bytes": (["check", "£1bn", "$1.3bn", "--on", "2026-11-02", "--tolerance", "50%", "--cache", "garbage-2.sqlite3"], MOVED_ASIDE),
}  # fmt: skip

#: A commitments file with several problems: the summary, then each problem on its own line.
MANY_PROBLEMS = ["report", "many-bad.csv"]
MANY_BAD_CSV = (
    "company,country,amount,announced,workers\n"
    "Acme,XX,£1bn,2024-01-02,\n"
    ",GB,two billion,2024-13-01,-3\n"
    "Acme,GB,£1bn,2024-01-02,\n"
)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory holding every bad file of the cases."""
    directory = tmp_path_factory.mktemp("cli")
    for name, data in FILES.items():
        (directory / name).write_bytes(data)
    (directory / "many-bad.csv").write_text(MANY_BAD_CSV, encoding="utf-8")
    (directory / DIRECTORY).mkdir()
    os.mkfifo(directory / "pipe.sqlite3")  # a named pipe: never read from, never moved aside
    return directory


def base_env(workdir: Path) -> dict[str, str]:
    """The environment of every case: a cache of its own and a live URL where nothing listens."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPENDCALC_")}
    env[TODAY_VARIABLE] = TODAY.isoformat()
    env["SPENDCALC_CACHE"] = str(workdir / "user-cache" / "rates.sqlite3")
    env["SPENDCALC_LIVE_URL"] = env["SPENDCALC_ECB_URL"] = closed_port_url()
    return env


@pytest.fixture(scope="module")
def results(workdir: Path) -> dict[str, Run]:
    """Every case run once, four processes at a time, in ``workdir``; keyed by case id."""
    cases: dict[str, list[str]] = {name: argv for name, argv in USAGE.items()}
    cases.update((name, argv) for name, (argv, _pattern) in ERRORS.items())
    cases.update((name, argv) for name, (argv, _pattern) in CACHE_CASES.items())
    cases.update((name, argv) for name, (argv, _pattern) in BAD_CACHE_FILES.items())
    cases["many-problems"] = MANY_PROBLEMS
    cases["no-command"] = []
    env = base_env(workdir)
    # Serves every day up to today, so that the cache is what fails in the cache cases.
    with RatesServer(plausible_days(SNAPSHOT_LAST, TODAY)) as server:
        argvs = {n: [a.replace("{url}", server.url) for a in argv] for n, argv in cases.items()}
        with ThreadPoolExecutor(max_workers=4) as pool:
            futures = {n: pool.submit(run_in, workdir, argv, env) for n, argv in argvs.items()}
            return {name: future.result() for name, future in futures.items()}


def run_in(directory: Path, argv: list[str], env: dict[str, str]) -> Run:
    started = time.monotonic()
    done = subprocess.run(
        [str(SPENDCALC), *argv],
        cwd=directory,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    return Run(tuple(argv), done.returncode, done.stdout, done.stderr, time.monotonic() - started)


@pytest.mark.parametrize("case", sorted(USAGE))
def test_usage_errors_exit_2_with_one_line(results, case):
    run = results[case]
    line = assert_clean_failure(run)
    assert run.code == 2 and run.out == "", run
    assert re.fullmatch(r"spendcalc( [a-z]+)*: error: .+ \(see spendcalc( [a-z]+)* --help\)", line)


def test_no_command_prints_the_help_on_stderr_and_exits_2(results):
    """The one usage error that is not one line: `spendcalc` alone shows what it can do."""
    run = results["no-command"]
    assert run.code == 2 and run.out == "" and "Traceback" not in run.err
    assert run.lines[0].startswith("usage: spendcalc") and "Exit codes" in run.err


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_errors_exit_1_with_one_line(results, case):
    run = results[case]
    line = assert_clean_failure(run)
    assert run.code == 1 and run.out == "", run
    assert line.startswith("error: ") and re.search(ERRORS[case][1], line), line


@pytest.mark.parametrize("case", sorted(CACHE_CASES))
def test_an_unusable_cache_is_a_warning_then_one_error(results, case):
    run = results[case]
    line = assert_clean_failure(run, extra_ok=CACHE_WARNING)
    assert run.code == 1 and run.out == "", run
    assert len(run.lines) <= 2 and re.search(CACHE_CASES[case][1], line), run.lines


@pytest.mark.parametrize("case", sorted(BAD_CACHE_FILES))
def test_a_bad_cache_file_is_one_warning_and_the_answer(results, case):
    """Offline commands go on from the bundled rates: exit 0, the answer, one warning line."""
    run = results[case]
    assert "Traceback" not in run.err and "internal error" not in run.err
    assert run.code == 0 and run.out, run
    assert len(run.lines) == 1 and re.fullmatch(BAD_CACHE_FILES[case][1], run.lines[0]), run.lines


def test_a_file_with_several_problems_lists_each_once(results):
    run = results["many-problems"]
    assert run.code == 1 and run.out == "" and "Traceback" not in run.err
    assert run.lines == [
        "error: many-bad.csv:2: country 'XX' is not an ISO 3166-1 alpha-2 code (such as JP, GB, US) (and 4 more problems)",
        "many-bad.csv:2: country 'XX' is not an ISO 3166-1 alpha-2 code (such as JP, GB, US)",
        "many-bad.csv:3: company is missing; every commitment needs one",
        "many-bad.csv:3: announced '2024-13-01' is not a date; write YYYY-MM-DD or YYYY-MM",
        "many-bad.csv:3: amount 'two billion' is not an amount: it has no figures; write the number in digits, e.g. '£2bn' (read with no locale; set the record's locale field or --input-locale)",
        "many-bad.csv:3: workers '-3' must be a whole number of people, such as 3000000 or '3 million'",
    ]


def test_every_command_is_covered(results):
    """report, convert, check, example, rates info and rates update each fail cleanly somewhere."""
    failing = [r for r in results.values() if r.code in (1, 2) and r.argv]
    commands = {" ".join(r.argv[:2]) if r.argv[0] == "rates" else r.argv[0] for r in failing}
    assert {"report", "convert", "check", "example", "rates info", "rates update"} <= commands
    print(f"\nCLI: {len(results)} runs of the spendcalc executable, {len(failing)} failing cleanly")


# -- found by these tests; each needs a change in a module this suite does not own -------------


@pytest.mark.parametrize("tolerance", ["1e999999999", "1e9999999999%"])
def test_an_absurd_tolerance_is_a_usage_error(workdir, tolerance):
    run = run_in(workdir, ["check", "£1", "$1", "--on", "2024-01-02", "--tolerance", tolerance],
                 base_env(workdir))  # fmt: skip
    line = assert_clean_failure(run)
    assert run.code == 2 and "--tolerance" in line


@pytest.mark.parametrize(
    ("amount", "to", "rate"),
    [("NT$1", "USD", "TWD=1e999999"), ("NT$1", "USD", "TWD=1e-999999"),
     ("£1", "JPY", "USD/GBP=1e-999999")],
)  # fmt: skip
def test_an_absurd_rate_override_is_one_clear_error(workdir, amount, to, rate):
    argv = ["convert", amount, "--to", to, "--on", "2024-01-02", "--rate", rate]
    run = run_in(workdir, argv, base_env(workdir))
    line = assert_clean_failure(run)
    currency = rate.partition("=")[0].rpartition("/")[2]
    assert run.code == 1 and currency in line and "rate" in line


def test_rates_without_a_subcommand_is_a_usage_error(workdir):
    run = run_in(workdir, ["rates"], base_env(workdir))
    assert run.code == 2 and run.out == "", run
    assert_clean_failure(run)


@pytest.mark.parametrize("argv", [["report"], ["example"]], ids=["report", "example"])
def test_a_reader_that_goes_away_is_not_an_error(workdir, argv):
    process = subprocess.Popen(
        [str(SPENDCALC), *argv],
        cwd=workdir,
        env=base_env(workdir),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    process.stdout.close()  # the reader is gone before spendcalc writes a byte
    err = process.stderr.read().decode()
    process.wait(timeout=60)
    assert "Traceback" not in err and "internal error" not in err, err
    assert process.returncode == 0 and err == ""


def test_a_pipe_given_as_the_cache_is_left_alone(results, workdir):
    assert results["update-cache-is-a-pipe"].code == 1
    assert stat.S_ISFIFO((workdir / "pipe.sqlite3").stat().st_mode)
    assert not list(workdir.glob("pipe.sqlite3.corrupt-*"))
