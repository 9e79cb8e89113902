"""Write calc/data/reference.csv and calc/data/cpi-u.csv: the bundled reference data snapshot.

    python tools/make_reference.py [SHARED_DATA_DIR]   # default: ../shared/data beside the repo
    python tools/make_reference.py --check-table       # compare ISO_3166 below with pycountry

Reads the shared World Bank WDI and BLS files (see their README.md) and writes

- ``reference.csv`` — ``country,series,year,value``, long format, one row per country, series and
  year from 1999 to the latest year in the data. ``country`` is the ISO 3166 alpha-2 code; the one
  exception is ``EMU`` (the euro area) for ``cpi_inflation`` only. Series: ``population``
  (SP.POP.TOTL), ``ppp`` (PA.NUS.PPP, local currency units per international $), ``gdp_usd``
  (NY.GDP.MKTP.CD, current US$), ``cpi_inflation`` (FP.CPI.TOTL.ZG, annual % change — not an index).
- ``cpi-u.csv`` — ``year,period,cpi_u``, US CPI-U (CUUR0000SA0) from 1999, ``M01``..``M12`` and
  ``M13`` (the annual average).

Each begins with one ``# ...`` line naming the source, its vintage, licence and the sha256 of every
input file. Values are copied as the source writes them (never through a float). Aggregates (World,
income groups, regions...) are dropped; a code that is neither an aggregate nor in the ISO 3166 table
below is dropped and listed on stderr — never guessed. The output depends only on the input files.

tests/test_reference_snapshot.py runs :func:`build` on the shared files and checks the bundle.
"""

from __future__ import annotations

import csv
import hashlib
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "calc" / "data"
DEFAULT_DATA = ROOT.parent / "shared" / "data"
FIRST_YEAR = 1999

#: ISO 3166-1 alpha-3 -> alpha-2 for every country ISO 3166-1 assigns, written out from pycountry
#: 26.2.16 (``--check-table`` compares again); tests/test_reference_snapshot.py checks it against
#: CLDR's territory aliases as babel ships them.
_ISO_3166 = """
    ABW:AW AFG:AF AGO:AO AIA:AI ALA:AX ALB:AL AND:AD ARE:AE ARG:AR ARM:AM ASM:AS ATA:AQ ATF:TF
    ATG:AG AUS:AU AUT:AT AZE:AZ BDI:BI BEL:BE BEN:BJ BES:BQ BFA:BF BGD:BD BGR:BG BHR:BH BHS:BS
    BIH:BA BLM:BL BLR:BY BLZ:BZ BMU:BM BOL:BO BRA:BR BRB:BB BRN:BN BTN:BT BVT:BV BWA:BW CAF:CF
    CAN:CA CCK:CC CHE:CH CHL:CL CHN:CN CIV:CI CMR:CM COD:CD COG:CG COK:CK COL:CO COM:KM CPV:CV
    CRI:CR CUB:CU CUW:CW CXR:CX CYM:KY CYP:CY CZE:CZ DEU:DE DJI:DJ DMA:DM DNK:DK DOM:DO DZA:DZ
    ECU:EC EGY:EG ERI:ER ESH:EH ESP:ES EST:EE ETH:ET FIN:FI FJI:FJ FLK:FK FRA:FR FRO:FO FSM:FM
    GAB:GA GBR:GB GEO:GE GGY:GG GHA:GH GIB:GI GIN:GN GLP:GP GMB:GM GNB:GW GNQ:GQ GRC:GR GRD:GD
    GRL:GL GTM:GT GUF:GF GUM:GU GUY:GY HKG:HK HMD:HM HND:HN HRV:HR HTI:HT HUN:HU IDN:ID IMN:IM
    IND:IN IOT:IO IRL:IE IRN:IR IRQ:IQ ISL:IS ISR:IL ITA:IT JAM:JM JEY:JE JOR:JO JPN:JP KAZ:KZ
    KEN:KE KGZ:KG KHM:KH KIR:KI KNA:KN KOR:KR KWT:KW LAO:LA LBN:LB LBR:LR LBY:LY LCA:LC LIE:LI
    LKA:LK LSO:LS LTU:LT LUX:LU LVA:LV MAC:MO MAF:MF MAR:MA MCO:MC MDA:MD MDG:MG MDV:MV MEX:MX
    MHL:MH MKD:MK MLI:ML MLT:MT MMR:MM MNE:ME MNG:MN MNP:MP MOZ:MZ MRT:MR MSR:MS MTQ:MQ MUS:MU
    MWI:MW MYS:MY MYT:YT NAM:NA NCL:NC NER:NE NFK:NF NGA:NG NIC:NI NIU:NU NLD:NL NOR:NO NPL:NP
    NRU:NR NZL:NZ OMN:OM PAK:PK PAN:PA PCN:PN PER:PE PHL:PH PLW:PW PNG:PG POL:PL PRI:PR PRK:KP
    PRT:PT PRY:PY PSE:PS PYF:PF QAT:QA REU:RE ROU:RO RUS:RU RWA:RW SAU:SA SDN:SD SEN:SN SGP:SG
    SGS:GS SHN:SH SJM:SJ SLB:SB SLE:SL SLV:SV SMR:SM SOM:SO SPM:PM SRB:RS SSD:SS STP:ST SUR:SR
    SVK:SK SVN:SI SWE:SE SWZ:SZ SXM:SX SYC:SC SYR:SY TCA:TC TCD:TD TGO:TG THA:TH TJK:TJ TKL:TK
    TKM:TM TLS:TL TON:TO TTO:TT TUN:TN TUR:TR TUV:TV TWN:TW TZA:TZ UGA:UG UKR:UA UMI:UM URY:UY
    USA:US UZB:UZ VAT:VA VCT:VC VEN:VE VGB:VG VIR:VI VNM:VN VUT:VU WLF:WF WSM:WS YEM:YE ZAF:ZA
    ZMB:ZM ZWE:ZW
"""
ISO_3166 = dict(pair.split(":") for pair in _ISO_3166.split())
ISO_ALPHA_2 = frozenset(ISO_3166.values())

#: The World Bank's aggregates (regions, income and lending groups, demographic dividend groups,
#: World): not countries. EMU is the euro area, kept for cpi_inflation only (see EURO_AREA).
_WB_AGGREGATES = """
    AFE AFW ARB CEB CSS EAP EAR EAS ECA ECS EMU EUU FCS HIC HPC IBD IBT IDA IDB IDX INX LAC LCN
    LDC LIC LMC LMY LTE MEA MIC MNA NAC OED OSS PRE PSS PST SAS SSA SSF SST TEA TEC TLA TMN TSA
    TSS UMC WLD
"""
WB_AGGREGATES = frozenset(_WB_AGGREGATES.split())
EURO_AREA = "EMU"

#: series name -> (file under worldbank/, expected header, code kind, indicator, package vintage)
SERIES = {
    "population": (
        "wdi-population.csv",
        ["Country Name", "Country Code", "Year", "Value"],
        "alpha-3",
        "SP.POP.TOTL population total",
        "datasets/population 425fc447a53a 2026-03-06",
    ),
    "ppp": (
        "wdi-ppp-gdp.csv",
        ["Country", "Country ID", "Year", "PPP"],
        "alpha-2",
        "PA.NUS.PPP PPP conversion factor GDP LCU per international $",
        "datasets/ppp 17829648d05f 2026-03-05",
    ),
    "gdp_usd": (
        "wdi-gdp.csv",
        ["Country Name", "Country Code", "Year", "Value"],
        "alpha-3",
        "NY.GDP.MKTP.CD GDP current US$",
        "datasets/gdp 822019c80142 2026-03-20",
    ),
    "cpi_inflation": (
        "wdi-inflation-cpi.csv",
        ["Country", "Country Code", "Year", "CPI"],
        "alpha-3",
        "FP.CPI.TOTL.ZG inflation consumer prices annual % change (not an index)",
        "datasets/cpi 3750e45064a9 2025-07-01",
    ),
}
CPI_U_FILE = "bls/cpi-u-us-city-average.csv"
CPI_U_PERIODS = frozenset(f"M{m:02d}" for m in range(1, 14))

_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_YEAR = re.compile(r"[0-9]{4}")


class SourceError(Exception):
    """An input file that is not what this tool expects (header, year, value, duplicate row)."""


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _rows(path: Path, header: list[str]):
    """(line, fields) of a CSV file after checking its header."""
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        first = next(reader, None)
        if first != header:
            raise SourceError(f"{path}: header {first!r}, expected {header!r}")
        for fields in reader:
            if len(fields) != len(header):
                raise SourceError(f"{path}:{reader.line_num}: {len(fields)} fields")
            yield reader.line_num, fields


def _check(path: Path, line: int, year: str, value: str) -> None:
    if not _YEAR.fullmatch(year):
        raise SourceError(f"{path}:{line}: year {year!r}")
    if not _NUMBER.fullmatch(value):
        raise SourceError(f"{path}:{line}: value {value!r} is not a number")


def read_series(
    data_dir: Path, series: str
) -> tuple[dict[tuple[str, int], str], dict[str, list[str]]]:
    """One series' ``{(country, year): value}`` from 1999, and the codes dropped, by reason."""
    name, header, kind, _, _ = SERIES[series]
    path = data_dir / "worldbank" / name
    values: dict[tuple[str, int], str] = {}
    dropped: dict[str, set[str]] = {"aggregate": set(), "unmapped": set()}
    for line, (_name, code, year, value) in _rows(path, header):
        _check(path, line, year, value)
        if kind == "alpha-3":
            if code == EURO_AREA and series == "cpi_inflation":
                country = EURO_AREA
            elif code in WB_AGGREGATES:
                dropped["aggregate"].add(code)
                continue
            elif code in ISO_3166:
                country = ISO_3166[code]
            else:
                dropped["unmapped"].add(code)
                continue
        elif code in ISO_ALPHA_2:
            country = code
        else:
            dropped["unmapped"].add(code)
            continue
        if int(year) < FIRST_YEAR:
            continue
        key = (country, int(year))
        if key in values:
            raise SourceError(f"{path}:{line}: second row for {code} {year}")
        values[key] = value
    return values, {reason: sorted(codes) for reason, codes in dropped.items()}


def _csv_text(comment: str, header: list[str], rows) -> str:
    lines = [comment, ",".join(header)]
    lines.extend(",".join(str(field) for field in row) for row in rows)
    return "\n".join(lines) + "\n"


def build(data_dir: Path) -> tuple[dict[str, str], list[str]]:
    """The files to bundle (name -> text) made from ``data_dir``, and the notes for stderr.

    :raises SourceError: for an input file this tool does not understand
    """
    data_dir = Path(data_dir)
    rows: list[tuple[str, str, int, str]] = []
    notes: list[str] = []
    for series in SERIES:
        values, dropped = read_series(data_dir, series)
        rows.extend((country, series, year, value) for (country, year), value in values.items())
        name = SERIES[series][0]
        if dropped["aggregate"]:
            notes.append(f"{name}: aggregates dropped: {' '.join(dropped['aggregate'])}")
        if dropped["unmapped"]:
            notes.append(
                f"{name}: UNMAPPED codes (no ISO 3166 alpha-2 in the checked table), dropped: "
                + " ".join(dropped["unmapped"])
            )
    rows.sort()
    sums = " ".join(
        f"worldbank/{name}={sha256(data_dir / 'worldbank' / name)}" for name, *_ in SERIES.values()
    )
    described = "; ".join(
        f"{series} = {indicator} ({vintage})"
        for series, (_, _, _, indicator, vintage) in SERIES.items()
    )
    comment = (
        '# Source: World Bank, World Development Indicators (licence CC BY 4.0; cite "World Bank, '
        'World Development Indicators"), as republished by the datasets data packages on GitHub: '
        f"{described}. country = ISO 3166 alpha-2 (EMU = euro area, cpi_inflation only); years "
        f"{FIRST_YEAR} on; values as published. Made by tools/make_reference.py. sha256: {sums}"
    )
    reference = _csv_text(comment, ["country", "series", "year", "value"], rows)

    path = data_dir / CPI_U_FILE
    cpi: dict[tuple[int, str], str] = {}
    for line, (year, period, value) in _rows(path, ["year", "period", "cpi_u"]):
        _check(path, line, year, value)
        if period not in CPI_U_PERIODS:
            raise SourceError(f"{path}:{line}: period {period!r}")
        if int(year) < FIRST_YEAR:
            continue
        if (int(year), period) in cpi:
            raise SourceError(f"{path}:{line}: second row for {year} {period}")
        cpi[int(year), period] = value
    comment = (
        "# Source: US Bureau of Labor Statistics, CPI-U all items, U.S. city average, not seasonally "
        "adjusted (series CUUR0000SA0, 1982-84 = 100); M13 = annual average; public domain (BLS), "
        f"cite the BLS. As shipped by the cpi package 2.1.0 (MIT). Years {FIRST_YEAR} on; values as "
        f"published. Made by tools/make_reference.py. sha256: {CPI_U_FILE}={sha256(path)}"
    )
    cpi_u = _csv_text(
        comment, ["year", "period", "cpi_u"], ((*key, value) for key, value in sorted(cpi.items()))
    )
    return {"reference.csv": reference, "cpi-u.csv": cpi_u}, notes


def check_table() -> int:
    """Compare ISO_3166 with pycountry (a tool-time dependency only); 0 if they agree."""
    import pycountry

    theirs = {c.alpha_3: c.alpha_2 for c in pycountry.countries}
    if theirs == ISO_3166:
        print(f"ISO_3166 agrees with pycountry {len(theirs)} countries")
        return 0
    for code in sorted(set(theirs) | set(ISO_3166)):
        if theirs.get(code) != ISO_3166.get(code):
            print(
                f"{code}: table {ISO_3166.get(code)} pycountry {theirs.get(code)}", file=sys.stderr
            )
    return 1


def main(argv: list[str]) -> int:
    if argv == ["--check-table"]:
        return check_table()
    data_dir = Path(argv[0]) if argv else DEFAULT_DATA
    try:
        files, notes = build(data_dir)
    except (OSError, SourceError) as e:
        print(f"make_reference: {e}", file=sys.stderr)
        return 1
    for note in notes:
        print(note, file=sys.stderr)
    for name, text in files.items():
        out = OUT_DIR / name
        out.write_text(text, encoding="utf-8", newline="\n")
        print(f"wrote {out.relative_to(ROOT)}: {out.stat().st_size} bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
