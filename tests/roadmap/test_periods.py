"""Roadmap periods as plans write them, read as dates of the academic year."""

from datetime import UTC, date, datetime

import pytest

from app.core.timefmt import utc_to_local
from app.roadmap.models import Activity, Status
from app.roadmap.periods import next_year_text, period_dates


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("октябрь", date(2023, 10, 1), date(2023, 10, 31)),
        ("Январь -февраль", date(2024, 1, 1), date(2024, 2, 29)),
        ("Январь–февраль", date(2024, 1, 1), date(2024, 2, 29)),
        ("Ноябрь -декабрь", date(2023, 11, 1), date(2023, 12, 31)),
        ("Декабрь –март -май-июнь- июль 2024 г.", date(2023, 12, 1), date(2024, 7, 31)),
        ("май", date(2024, 5, 1), date(2024, 5, 31)),
        ("март", date(2024, 3, 1), date(2024, 3, 31)),
        ("Август - сентябрь", date(2023, 8, 1), date(2023, 9, 30)),
        ("в течение года", date(2023, 9, 1), date(2024, 8, 31)),
        ("В период посещения библиотек", date(2023, 9, 1), date(2024, 8, 31)),
        ("15.03.2024–29.03.2024", date(2024, 3, 15), date(2024, 3, 29)),
    ],
)
def test_a_period_is_read_in_the_academic_year(text, start, end):
    assert period_dates(text, 2023) == (start, end)


def test_january_february_of_2023_2024_is_overdue_on_1_march_in_yakutsk_and_not_before():
    start, end = period_dates("Январь–февраль", 2023)
    activity = Activity(status=Status.PLANNED, starts_on=start, ends_on=end)
    last_evening = utc_to_local(datetime(2024, 2, 29, 14, 59, tzinfo=UTC)).date()  # 23:59 local
    first_morning = utc_to_local(datetime(2024, 2, 29, 15, 0, tzinfo=UTC)).date()  # 00:00 local
    assert (last_evening, first_morning) == (date(2024, 2, 29), date(2024, 3, 1))
    assert not activity.overdue(last_evening)
    assert activity.overdue(first_morning)
    activity.status = Status.DONE
    assert not activity.overdue(first_morning)


def test_the_next_year_moves_written_years_and_29_february():
    assert next_year_text("Декабрь – июль 2024 г.") == "Декабрь – июль 2025 г."
    assert next_year_text("15.02.2024–29.02.2024") == "15.02.2025–28.02.2025"
    assert next_year_text("октябрь") == "октябрь"
