"""The directory's "open now", decided in SQL, gives the answers of `schedule_for` + `is_open`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from django.utils import timezone

from maillage.accounts.models import User
from maillage.consultations.availability import is_open, schedule_for
from maillage.consultations.models import PracticeAvailability, PracticeClosure
from maillage.profiles import selectors

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

EVERY_DAY = [str(day) for day in range(7)]
HOURS: list[dict[str, list[list[str]]]] = [
    {day: [["08:30", "12:00"], ["14:00", "19:00"]] for day in EVERY_DAY[:5]},  # split
    {day: [["00:00", "08:00"], ["20:00", "23:59"]] for day in EVERY_DAY},  # overnight
    {day: [["00:00", "23:59"]] for day in EVERY_DAY},
    {"5": [["09:00", "12:00"]], "6": [["09:00", "12:00"]]},  # weekends only
    {},  # never
    # Periods in or around the hour skipped in March and the one repeated in October.
    {day: [["02:00", "02:45"]] for day in EVERY_DAY},
    {day: [["02:40", "03:00"]] for day in EVERY_DAY},
    {day: [["02:30", "04:00"]] for day in EVERY_DAY},
    {day: [["01:00", "02:30"], ["03:00", "03:30"]] for day in EVERY_DAY},
    {day: [["10:00", "10:01"]] for day in EVERY_DAY},
]
# National, local law (Moselle, Bas-Rhin), metropolitan, Corsica, overseas, padded, aliases.
SUBDIVISIONS = ["", "57", "67", "75", "2A", "971", " 974 ", "Moselle", "6AE", "972"]


def paris(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.get_default_timezone())


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


MOMENTS = [
    paris("2026-12-07 10:00"),  # Monday; some practices closed that day
    paris("2026-12-07 12:00"),  # the end of a period is closed
    paris("2026-12-07 07:59:59"),
    paris("2026-12-07 20:00"),
    paris("2026-12-07 23:59:30"),
    paris("2026-12-08 00:00"),
    paris("2026-12-12 10:00:00.5"),  # Saturday
    paris("2025-12-26 10:00"),  # Friday, a holiday in Alsace-Moselle only
    paris("2026-04-03 10:00"),  # Good Friday, the same
    paris("2026-07-14 10:00"),  # national holiday
    paris("2026-05-27 10:00"),  # abolition of slavery, Guadeloupe
    paris("2026-05-22 10:00"),  # the same, Martinique
    paris("2027-12-20 10:00"),  # the same, La Réunion
    # 29 March 2026: 02:00 CET becomes 03:00 CEST.
    utc("2026-03-29 00:59:59"),
    utc("2026-03-29 01:00"),
    utc("2026-03-29 01:30"),
    # 25 October 2026: 03:00 CEST becomes 02:00 CET; 02:00-03:00 is lived twice.
    utc("2026-10-25 00:30"),  # 02:30, first pass
    utc("2026-10-25 00:50"),  # 02:50, first pass
    utc("2026-10-25 01:00"),  # 02:00, second pass
    utc("2026-10-25 01:30"),  # 02:30, second pass
    utc("2026-10-25 01:50"),  # 02:50, second pass
    utc("2026-10-25 02:00"),  # 03:00 CET
]


def test_open_now_matches_the_schedules_over_practices_and_instants(
    make_doctor: Callable[..., User], monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: practices of every kind of hours, subdivision and closure
    monkeypatch.setattr(selectors, "RESULTS", 1000)
    availabilities: dict[int, PracticeAvailability] = {}
    for n in range(20):
        doctor = make_doctor(last_name=f"Médecin{n:02d}")
        availability = PracticeAvailability.objects.create(
            practice=doctor.practice_memberships.get().practice,
            opening_hours=HOURS[n % len(HOURS)],
            holiday_subdivision=SUBDIVISIONS[(n * 3) % len(SUBDIVISIONS)],
        )
        if n % 4 == 0:
            PracticeClosure.objects.create(
                practice=availability.practice, starts_on=date(2026, 12, 7), ends_on="2026-12-07"
            )
        if n % 5 == 1:
            PracticeClosure.objects.create(
                practice=availability.practice, starts_on="2026-03-20", ends_on="2026-11-01"
            )
        availabilities[doctor.pk] = availability
    make_doctor(last_name="SansHoraires")  # a practice without availability is never open

    answers = set()
    for moment in MOMENTS:
        # when
        found = {item.profile.doctor_id for item in selectors.search(open_now=True, now=moment)}

        # then
        expected = {
            doctor_pk
            for doctor_pk, availability in availabilities.items()
            if is_open(schedule_for(availability, start=timezone.localdate(moment), days=2), moment)
        }
        assert found == expected, moment
        answers.add(frozenset(expected))
    # The instants do tell the practices apart.
    assert len(answers) >= 10
