"""Make the bundled rate snapshot (rates/data/ecb-eurofxref.csv) from the ECB's eurofxref-hist.zip.

Usage: python tools/make_snapshot.py [PATH/TO/eurofxref-hist.zip]
(default: ../shared/data/ecb/eurofxref-hist.zip), or ``--units`` to remake only the integers
from the snapshot already in place. The snapshot is the same data as the ECB file,
in ascending date order, with "N/A" written as an empty field and a first comment line that says
where it came from, so that a single lookup can bisect the dates without parsing every row.

Beside it, the same fixings as integers (rates/data/ecb-eurofxref.units, see rates/units.py):
each value's digits and decimal places, for the batch path's exact integer arithmetic.
"""

from __future__ import annotations

import hashlib
import io
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ZIP = ROOT.parent / "shared" / "data" / "ecb" / "eurofxref-hist.zip"
TARGET = ROOT / "rates" / "data" / "ecb-eurofxref.csv"
UNITS = ROOT / "rates" / "data" / "ecb-eurofxref.units"


def convert(raw_zip: bytes) -> str:
    """Return the snapshot text for the bytes of an eurofxref-hist.zip."""
    with zipfile.ZipFile(io.BytesIO(raw_zip)) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".csv")]
        text = archive.read(name).decode("ascii")
    lines = [line.rstrip(",\r") for line in text.splitlines() if line.strip()]
    header, rows = lines[0].split(","), lines[1:]
    if header[0] != "Date":
        raise SystemExit(f"unexpected header {lines[0][:40]!r}")
    width = len(header)
    out_rows = []
    for row in rows:
        fields = row.split(",")
        if len(fields) != width:
            raise SystemExit(f"row {row[:10]!r} has {len(fields)} fields, expected {width}")
        out_rows.append(",".join("" if f == "N/A" else f for f in fields))
    out_rows.sort()
    digest = hashlib.sha256(raw_zip).hexdigest()
    first, last = out_rows[0][:10], out_rows[-1][:10]
    comment = (
        f"# ECB euro foreign exchange reference rates, {first} to {last}; "
        f"made by tools/make_snapshot.py from eurofxref-hist.zip sha256 {digest}"
    )
    return "\n".join([comment, ",".join(header), *out_rows]) + "\n"


def units(snapshot_text: str) -> bytes:
    """Return the integer form of the snapshot text (rates/units.py reads it)."""
    sys.path.insert(0, str(ROOT))
    from rates.ecb import parse_history
    from rates.units import FixingUnits

    return FixingUnits.from_history(parse_history(snapshot_text, clean=True)).encode()


def main(argv: list[str]) -> int:
    if argv[:1] != ["--units"]:
        source = Path(argv[0]) if argv else DEFAULT_ZIP
        TARGET.write_text(convert(source.read_bytes()), encoding="ascii", newline="\n")
        print(f"wrote {TARGET.relative_to(ROOT)} from {source}")
    UNITS.write_bytes(units(TARGET.read_text(encoding="ascii")))
    print(f"wrote {UNITS.relative_to(ROOT)} from {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
