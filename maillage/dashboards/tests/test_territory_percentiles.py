"""The territory's answer times: ranked in SQL, the same figures as sorting every wait in Python.

The expected figures are computed here from the waits themselves, the plain way (every wait
sorted, `statistics.median`, the value at rank `round(0.9 * (n - 1))`), on months chosen for
their edge cases: ties, an even count whose mean falls on a rounding tie, counts whose 90th
rank falls on a half (6 and 16 values, rounded to even), a single wait, and empty months.
"""

from __future__ import annotations

import random
import statistics
from datetime import date, datetime, timedelta

import pytest
import time_machine

from maillage.accounts.models import Role, User
from maillage.accounts.specialties import Specialty
from maillage.accounts.tests.factories import PatientFactory, ProfessionalFactory, StaffFactory
from maillage.cases.services import timing, timing_of_ranked
from maillage.dashboards.selectors import territory_activity_for
from maillage.dashboards.tests.activity import expertise_request, online_request, paris
from maillage.directory.tests.factories import PracticeFactory

pytestmark = pytest.mark.django_db

NOW = paris(2026, 3, 15)

# Minutes from sending to closing, by month of the closing (Paris); the other months have none.
WAITS: dict[tuple[int, int], list[float]] = {
    # 7 waits with ties: the 90th rank is round(5.4) = 5 (percentile_disc's would be the 6th)
    (2026, 2): [60, 120, 120, 120, 180, 300, 480],
    # 6: two middle ones averaged; the 90th rank round(4.5) = 4, half to even
    (2026, 1): [15, 15, 45, 75, 150, 2400],
    # 16, every wait a quarter of an hour apart, twice: the 90th rank round(13.5) = 14
    (2025, 12): [15 * (k // 2) for k in range(16)],
    # 2: a mean of 0.25 h, rounded half to even, as Python rounds it
    (2025, 11): [6, 24],
    # 1
    (2025, 10): [50],
    # 5, with seconds and a wait of zero
    (2025, 9): [0, 0.5, 7.25, 7.25, 61.75],
}


def _plain(hours: list[float]) -> list[float | None]:
    """Median and 90th centile, from every wait sorted in Python."""
    if not hours:
        return [None, None]
    ordered = sorted(hours)
    rank = min(len(ordered) - 1, max(0, round(0.9 * (len(ordered) - 1))))
    return [round(statistics.median(ordered), 1), round(ordered[rank], 1)]


def _hours(minutes: list[float]) -> list[float]:
    return [timedelta(minutes=m).total_seconds() / 3600 for m in minutes]


@pytest.fixture
def coordinator(db: None) -> User:
    return StaffFactory.create(role=Role.COORDINATOR)


def test_answer_times_by_month_are_those_of_every_wait_sorted(coordinator: User) -> None:
    # given closed requests in six months, in an order that is not theirs
    practice, patient = PracticeFactory.create(), PatientFactory()
    closings = [
        (datetime(year, month, 10, 9, tzinfo=NOW.tzinfo), wait)
        for (year, month), waits in WAITS.items()
        for wait in waits
    ]
    random.Random(3).shuffle(closings)
    for submitted, wait in closings:
        online_request(practice, patient, submitted, closed_after=timedelta(minutes=wait))
    # and requests that count nowhere: still open, closed before the window
    online_request(practice, patient, paris(2026, 2, 1))
    online_request(practice, patient, paris(2024, 2, 1), closed_after=timedelta(hours=900))

    # when
    with time_machine.travel(NOW, tick=False):
        territory = territory_activity_for(actor=coordinator)

    # then every month is what sorting its waits gives, the empty ones none
    table = territory.answer_times.table
    for month, cells in zip(territory.months, table.cells, strict=True):
        assert cells == _plain(_hours(WAITS.get((month.year, month.month), []))), month
    # the cases the data was chosen for did come out as planned
    assert table.cells[territory.months.index(date(2026, 1, 1))] == [1.0, 2.5]
    assert table.cells[territory.months.index(date(2025, 11, 1))] == [0.2, 0.4]
    assert table.cells[territory.months.index(date(2025, 8, 1))] == [None, None]


def test_tele_expertise_times_by_specialty_are_those_of_every_wait_sorted(
    coordinator: User,
) -> None:
    # given answered requests of two specialties, one with ties, and an open one
    requester, patient, specialist = ProfessionalFactory(), PatientFactory(), ProfessionalFactory()
    waits = {
        Specialty.CARDIOLOGY: [2.0, 2.0, 2.0, 5.0, 7.5, 11.0],
        Specialty.DERMATOLOGY: [30.0, 1.25, 0.75],
    }
    for specialty, hours in waits.items():
        for day, wait in enumerate(hours, start=1):
            expertise_request(
                requester,
                patient,
                specialty,
                paris(2026, 2, day),
                answered_after=timedelta(hours=wait),
                specialist=specialist,
            )
    expertise_request(requester, patient, Specialty.DERMATOLOGY, paris(2026, 3, 1))

    with time_machine.travel(NOW, tick=False):
        table = territory_activity_for(actor=coordinator).expertise_times.table

    for specialty, hours in waits.items():
        row = table.rows.index(str(specialty.label))
        assert table.cells[row][:3] == [*_plain(hours), len(hours)]


def test_the_ranked_timing_is_the_sorted_one_for_any_count() -> None:
    # The arithmetic on the ranked values, against statistics.median and the sorted list.
    draw = random.Random(10)
    for count in [*range(1, 60), 101, 1000]:
        hours = [draw.choice([0.25, 0.5, 1.0, draw.random() * 48]) for _ in range(count)]
        result = timing(hours)
        assert [result.median_hours, result.p90_hours] == _plain(hours), count
        ordered = sorted(hours)
        assert timing_of_ranked(count, ordered.__getitem__) == result
    assert timing([]) == timing_of_ranked(0, [].__getitem__)
