"""Write rates/codes.py: the ISO 4217 currency codes (current and historic) as babel's CLDR knows
them, so that checking a code does not unpickle babel's global data at start-up.

    python tools/make_codes.py        # rewrites rates/codes.py; tests/test_gate.py checks it
"""

from __future__ import annotations

from pathlib import Path

from babel.core import get_global

from rates.ecb import bundled_history

OUT = Path(__file__).resolve().parent.parent / "rates" / "codes.py"


def main() -> None:
    iso = sorted(set(get_global("all_currencies")) | set(bundled_history().currencies))
    body = " ".join(iso)  # one line: a block of look-alike lines would read as repeated code
    OUT.write_text(
        '"""ISO 4217 currency codes, current and historic (made by tools/make_codes.py from CLDR)."""\n'
        "\n"
        f'_CODES = "{body}"\n'
        "#: Every code a fixing may carry: ISO 4217 as CLDR lists it, the ECB's own list included.\n"
        "ISO_4217 = frozenset(_CODES.split())\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
