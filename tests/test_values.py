"""The value types stay frozen, slotted and hashable without dataclasses (start-up time)."""

from __future__ import annotations

import copy
import datetime as dt
import pickle
import subprocess
import sys
from decimal import Decimal

import pytest

from calc.commitments import Commitment
from calc.converter import Conversion, RatePolicy
from calc.errors import Problem
from calc.money import Money
from calc.rows import ConvertedCommitment
from rates import Override, Rate

D = dt.date
RATE = Rate("GBP", "USD", Decimal("1.25"), D(2023, 11, 30), D(2023, 11, 30), ("ECB",))
VALUES = [
    Money("2.5", "GBP"),
    RATE,
    Override("TWD", Decimal("34.7")),
    Conversion(Money("1", "GBP"), Money("1.25", "USD"), RATE),
    RatePolicy("date", D(2024, 1, 19)),
    Problem("p.csv", 3, "amount", "bad"),
    # Made at once, through their open twins (rates.value.opened), as a big report makes them.
    Conversion.made(Money("1", "GBP"), Money("1.25", "USD"), RATE),
    ConvertedCommitment.made(Commitment("A", "GB", D(2023, 11, 30)), None),
]


def test_a_value_made_at_once_is_the_value_made_by_its_class():
    made = Conversion.made(Money("1", "GBP"), Money("1.25", "USD"), RATE)
    assert type(made) is Conversion and made == VALUES[3] and repr(made) == repr(VALUES[3])
    commitment = Commitment("A", "GB", D(2023, 11, 30))
    assert ConvertedCommitment.made(commitment, None) == ConvertedCommitment(commitment, None)


@pytest.mark.parametrize("value", VALUES, ids=lambda v: type(v).__name__)
def test_a_value_is_frozen_slotted_hashable_and_equal_by_fields(value):
    field = type(value).__slots__[0]
    with pytest.raises(AttributeError, match="is frozen"):
        setattr(value, field, None)
    with pytest.raises(AttributeError):
        value.__dict__  # noqa: B018 - slotted: no instance dict
    twin = copy.copy(value)
    assert twin == value and hash(twin) == hash(value) and twin is not value
    assert pickle.loads(pickle.dumps(value)) == value
    assert len({value, twin}) == 1


def test_values_of_other_classes_or_fields_differ():
    assert Money("1", "GBP") != Money("1", "USD")
    assert RATE.inverse() != RATE and RATE.inverse().inverse().value == Decimal("1.25")
    assert RatePolicy() == RatePolicy("announced", None)
    assert Money("1", "GBP") != ("1", "GBP")


def test_convert_does_not_import_dataclasses():
    code = (
        "import sys, calc.cli, calc.converter, calc.money, calc.amounts, rates.rate;"
        "print('dataclasses' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(
    "command",
    [["report"], ["report", "--format", "json"], ["check", "£2.5bn", "$3bn", "--on", "2023-11-30"]],
)
def test_report_and_check_do_not_import_dataclasses(command):
    """The report's values are records (calc.records), not dataclasses: dataclasses imports
    inspect, ast and tokenize, a tenth of a short report's start-up."""
    code = (
        "import sys, io, contextlib\nfrom calc.cli import main\n"
        f"with contextlib.redirect_stdout(io.StringIO()): main({command!r})\n"
        "print(sorted(m for m in ('dataclasses', 'inspect', 'ast') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_record_is_a_frozen_value_with_defaults_and_keyword_only_fields():
    from calc.records import record, replace

    @record(kw_only=True)
    class Base:
        a: int
        b: str = "x"

    @record(kw_only=True)
    class Child(Base):
        c: tuple[int, ...] = ()

    child = Child(a=1, c=(2,))
    assert (child.a, child.b, child.c) == (1, "x", (2,)) and child == Child(a=1, c=(2,))
    assert hash(child) == hash(Child(a=1, c=(2,))) and repr(child).endswith(
        "Child(a=1, b='x', c=(2,))"
    )
    assert replace(child, b="y").b == "y" and child.b == "x"
    with pytest.raises(AttributeError):
        child.a = 2  # type: ignore[misc]
    with pytest.raises(TypeError, match="keyword arguments only"):
        Child(1)  # type: ignore[misc]
    with pytest.raises(TypeError, match="missing the argument 'a'"):
        Child()  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="unexpected argument 'd'"):
        Child(a=1, d=2)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="has no field 'd'"):
        replace(child, d=1)
