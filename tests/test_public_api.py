"""The public names of both packages, the layering between them, and what start-up imports."""

import subprocess
import sys

import pytest

import calc
import rates
from tests.conftest import ROOT

CALC_ALL = [
    "AmountParseError", "CalcError", "CheckResult", "Commitment", "CommitmentFileError",
    "CommitmentSet", "Comparison", "Conversion", "Converter", "CountryRow", "CurrencyMismatchError",
    "Money", "RatePolicy", "Report", "ReportError", "UnknownCurrencyError", "UnknownLocaleError",
    "build_report", "check_conversion", "format_money", "load_commitments", "parse_amount",
    "render_report",
]  # fmt: skip
RATES_ALL = [
    "CURRENCY_CODE", "RATE_CONTEXT", "CacheError", "CrossTable", "Fixings", "InvalidRateError",
    "LiveDay", "LiveSource", "Override", "Rate", "RateBook", "RateCacheWarning", "RateError",
    "RateNotFoundError", "RateSourceError", "RateWarning", "StaleRatesError",
    "UnknownCurrencyError", "UnsupportedCurrencyError", "UpdateInterruptedError", "check_cache", "check_code", "default_cache_path",
    "is_business_day", "is_iso_currency", "plain_decimal", "today", "update_from_ecb",
]  # fmt: skip


@pytest.mark.parametrize(("module", "names"), [(calc, CALC_ALL), (rates, RATES_ALL)])
def test_all_is_pinned_and_every_name_resolves(module, names):
    assert module.__all__ == names  # sorted as ruff sorts: constants, classes, functions
    for name in names:
        assert getattr(module, name) is not None


def test_errors_derive_from_one_base_per_package():
    for name in CALC_ALL:
        obj = getattr(calc, name)
        if isinstance(obj, type) and issubclass(obj, Exception):
            assert issubclass(obj, calc.CalcError), name
    for name in RATES_ALL:
        obj = getattr(rates, name)
        if isinstance(obj, type) and issubclass(obj, Exception) and not issubclass(obj, Warning):
            assert issubclass(obj, rates.RateError), name


def test_rates_never_imports_calc():
    for path in (ROOT / "rates").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "import calc" not in text and "from calc" not in text, path.name


def modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys; print(' '.join(sorted(sys.modules)))"],
        capture_output=True, text=True, cwd=ROOT, check=True,
    ).stdout  # fmt: skip
    return set(out.split())


def test_a_lookup_inside_the_snapshot_loads_no_cache_live_source_or_babel():
    loaded = modules_after(
        "import datetime; from rates import RateBook; RateBook().rate('GBP', 'USD', datetime.date(2023, 11, 30))"
    )
    assert (
        not {"sqlite3", "requests", "forex_python", "babel", "platformdirs", "threading", "typing"}
        & loaded
    )


def test_the_cli_imports_only_what_a_command_needs():
    loaded = modules_after("import calc.cli")
    assert (
        not {"babel", "tabulate", "tqdm", "sqlite3", "requests", "calc.report", "calc.render"}
        & loaded
    )


def test_importing_a_package_imports_none_of_its_modules():
    loaded = modules_after("import rates, calc")
    assert {m for m in loaded if m.startswith(("rates.", "calc."))} == {"rates._lazy"}


def test_no_module_reads_another_ones_private_names():
    out = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--select", "SLF001", "--output-format", "concise",
         "rates", "calc/ledger.py"],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    assert out.returncode == 0, out.stdout
