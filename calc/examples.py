"""The bundled example: the seed article's commitments, as package data."""

from __future__ import annotations

import datetime
import os
from decimal import Decimal

_EXAMPLE = os.path.join(os.path.dirname(__file__), "data", "example.toml")


def example_text() -> str:
    """The bundled example as TOML text (``spendcalc example``)."""
    with open(_EXAMPLE, encoding="utf-8") as file:
        return file.read()


def example_records() -> list[dict[str, object]]:
    """The bundled example's records as read from its TOML."""
    import tomllib  # only here: a report reads the example through calc.readers (start-up time)

    records: list[dict[str, object]] = tomllib.loads(example_text(), parse_float=Decimal)[
        "commitment"
    ]
    return records


def example_as(fmt: str) -> str:
    """The bundled example as 'csv' or 'json' text with the same fields and values."""
    records = [{k: _plain(v) for k, v in r.items()} for r in example_records()]
    if fmt == "json":
        import json  # the writers load only for the format asked for (start-up time)

        return json.dumps({"commitments": records}, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        import csv  # the writers load only for the format asked for (start-up time)
        import io

        from .fields import FIELDS  # the columns: every field a commitments file may have

        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
        return out.getvalue()
    raise ValueError(f"unknown example format {fmt!r}")


def _plain(value: object) -> object:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int):
        return value
    return str(value)
