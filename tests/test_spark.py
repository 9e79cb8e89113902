"""The README's daily-rates join, run in local PySpark, gives ``spendcalc ledger``'s numbers.

Marked ``spark``: it runs where pyspark and Java 17 are installed (``.ci/run`` installs the
``spark`` extra when Java 17 is there, and fails if this test then did not run). The join is
done in DECIMAL(38, 18) arithmetic and rounded once, so it matches to the minor unit except on
exact ties, which the README's query (like any SQL engine's ROUND on a truncated quotient)
cannot see; those are checked against the exact rational result instead.
"""

import csv
import datetime as dt
import io
import os
import random
import re
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest

from calc.ledger import convert_csv
from rates import RateBook
from rates.export import write_csv
from tests.conftest import ROOT

pytestmark = pytest.mark.spark

JAVA_17 = "/usr/lib/jvm/java-17-openjdk-amd64"


@pytest.fixture(scope="session")
def spark():
    pyspark = pytest.importorskip("pyspark.sql")
    if os.path.isdir(JAVA_17):
        os.environ["JAVA_HOME"] = JAVA_17
    session = (
        pyspark.SparkSession.builder.master("local[1]")
        .appName("spendcalc-test")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "1")
        .getOrCreate()
    )
    yield session
    session.stop()


def readme_query() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.search(r"```sql\n(SELECT l\.\*[^`]*?rates_daily[^`]*?)```", readme, re.S).group(1)


def test_the_readme_query_runs_on_spark(spark, tmp_path):
    book = RateBook(cache=None)
    rng = random.Random(17)
    codes = ["EUR", "GBP", "JPY", "CHF", "SEK", "USD", "KRW", "ZAR", "TRL"]
    lines = ["id,date,currency,amount"]
    for i in range(2000):
        day = dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(9400))
        code = rng.choice(codes)
        if code == "TRL" and day.year > 2004:
            code = "TRY"
        amount = Decimal(rng.randrange(-(10**11), 10**11)).scaleb(-2)
        lines.append(f"{i},{day},{code},{amount}")
    ledger = tmp_path / "ledger.csv"
    ledger.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with open(tmp_path / "rates_daily.csv", "w", encoding="utf-8", newline="") as out:
        write_csv(book, out, daily_rows=True)
    out = io.StringIO()
    with open(ledger, encoding="utf-8", newline="") as source:
        convert_csv(source, out, "USD", book=book, round_result=True)
    ours = {int(r["id"]): r for r in csv.DictReader(io.StringIO(out.getvalue()))}

    schema_ledger = "id INT, date DATE, currency STRING, amount DECIMAL(18,2)"
    schema_rates = (
        "date DATE, currency STRING, units_per_eur DECIMAL(38,18), fixing_date DATE, source STRING"
    )
    spark.read.csv(str(ledger), header=True, schema=schema_ledger).createOrReplaceTempView("ledger")
    spark.read.csv(
        str(tmp_path / "rates_daily.csv"), header=True, schema=schema_rates
    ).createOrReplaceTempView("rates_daily")
    theirs = {r["id"]: r for r in spark.sql(readme_query()).collect()}

    assert set(theirs) == set(ours) and len(ours) == 2000
    ties = 0
    for i, row in ours.items():
        spark_row = theirs[i]
        if row["rate_source"] != "same currency":
            assert spark_row["fixing_date"].isoformat() == row["fixing_date"], row
        converted = Decimal(row["converted"])
        got = Decimal(spark_row["converted"])
        if got != converted:  # only a tie may differ: the exact result decides
            rate = book.rate(row["currency"], "USD", dt.date.fromisoformat(row["date"]))
            exact = (
                Fraction(Decimal(row["amount"])) * Fraction(rate.ratio[0]) / Fraction(rate.ratio[1])
            )
            assert (exact * 200).denominator == 1, (row, got)  # an exact half cent
            rounded = Decimal(exact.numerator) / Decimal(exact.denominator)
            assert got == rounded.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            ties += 1
    assert ties <= 3
