import datetime as dt

import pytest

from rates.calendar import business_days, easter_sunday, is_business_day, previous_business_day
from rates.ecb import bundled_history


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2000, dt.date(2000, 4, 23)),
        (2019, dt.date(2019, 4, 21)),
        (2024, dt.date(2024, 3, 31)),
        (2025, dt.date(2025, 4, 20)),
        (2026, dt.date(2026, 4, 5)),
    ],
)
def test_easter_sunday(year, expected):
    assert easter_sunday(year) == expected


def test_calendar_matches_the_bundled_history_since_2002():
    """Every weekday the ECB skipped is a TARGET holiday, and every holiday was skipped."""
    history = bundled_history()
    published = {dt.date.fromisoformat(d) for d in history.dates}
    start, end = dt.date(2002, 1, 1), history.day(len(history) - 1)
    predicted = set(business_days(start - dt.timedelta(days=1), end))
    actual = {d for d in published if d >= start}
    assert predicted == actual


def test_previous_business_day():
    assert previous_business_day(dt.date(2024, 3, 31)) == dt.date(2024, 3, 28)  # Easter
    assert previous_business_day(dt.date(2023, 11, 30)) == dt.date(2023, 11, 30)
    assert not is_business_day(dt.date(2025, 12, 26))
