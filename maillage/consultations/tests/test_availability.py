"""Opening hours, closed days and the answer time promised to a patient who writes online."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st
from pytest_django import DjangoAssertNumQueries

from maillage.consultations.availability import (
    NoOpeningWithinHorizon,
    Schedule,
    add_working_hours,
    describe_promise,
    is_open,
    next_opening,
    parse_opening_hours,
    promised_answer_time,
    schedule_for,
)
from maillage.consultations.models import (
    PracticeAvailability,
    PracticeClosure,
    default_opening_hours,
)
from maillage.directory.tests.factories import PracticeFactory

PARIS = ZoneInfo("Europe/Paris")
# Monday to Friday 08:30-12:00 and 14:00-18:30: eight working hours a day.
WEEKDAYS = Schedule(
    opening_hours=parse_opening_hours(default_opening_hours()), closed_days=frozenset()
)


def paris(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


def promise(
    schedule: Schedule,
    submitted_at: datetime,
    *,
    within: int = 8,
    queue_ahead: int = 0,
    daily_capacity: int = 20,
) -> datetime:
    return promised_answer_time(
        schedule,
        submitted_at=submitted_at,
        within_working_hours=within,
        queue_ahead=queue_ahead,
        daily_capacity=daily_capacity,
    )


def practice_availability(subdivision: str = "") -> PracticeAvailability:
    return PracticeAvailability.objects.create(
        practice=PracticeFactory.create(), holiday_subdivision=subdivision
    )


def only_on(weekday: int, *periods: tuple[str, str]) -> Schedule:
    hours = {str(weekday): [list(period) for period in periods]}
    return Schedule(opening_hours=parse_opening_hours(hours), closed_days=frozenset())


# --- parse_opening_hours ------------------------------------------------------------------------


def test_the_default_hours_give_two_periods_on_weekdays_and_none_at_the_weekend() -> None:
    hours = parse_opening_hours(default_opening_hours())

    morning, afternoon = (time(8, 30), time(12)), (time(14), time(18, 30))
    assert hours == {0: (morning, afternoon), 1: (morning, afternoon), 2: (morning, afternoon),
                     3: (morning, afternoon), 4: (morning, afternoon), 5: (), 6: ()}  # fmt: skip


def test_periods_are_sorted_and_may_touch() -> None:
    hours = parse_opening_hours({"5": [["12:00", "13:00"], ["08:00", "12:00"]]})

    assert hours[5] == ((time(8), time(12)), (time(12), time(13)))


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"7": []}, "« 7 » n'est pas un jour : utilisez 0 (lundi) à 6 (dimanche)."),
        ({"lundi": []}, "« lundi » n'est pas un jour : utilisez 0 (lundi) à 6 (dimanche)."),
        (
            {"0": [["8h30", "12:00"]]},
            "Lundi : « 8h30 » n'est pas une heure au format HH:MM (par exemple 08:30).",
        ),
        (
            {"6": [["20:00", "24:00"]]},
            "Dimanche : « 24:00 » n'est pas une heure au format HH:MM (par exemple 08:30).",
        ),
        (
            {"1": [["14:00", "12:00"]]},
            "Mardi : l'heure de fin (12:00) doit être après l'heure de début (14:00).",
        ),
        (
            {"1": [["12:00", "12:00"]]},
            "Mardi : l'heure de fin (12:00) doit être après l'heure de début (12:00).",
        ),
        (
            {"2": [["14:00", "18:00"], ["08:30", "14:30"]]},
            "Mercredi : les plages de 08:30 à 14:30 et de 14:00 à 18:00 se chevauchent.",
        ),
        (
            {"3": [["08:30"]]},
            "Jeudi : chaque plage doit être une paire [début, fin], par exemple [08:30, 12:00].",
        ),
        (
            {"4": "08:30-12:00"},
            "Vendredi : chaque plage doit être une paire [début, fin], par exemple [08:30, 12:00].",
        ),
    ],
)
def test_malformed_hours_are_refused_with_a_french_message_naming_the_day(
    raw: dict[str, list[list[str]]], message: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        parse_opening_hours(raw)

    assert refused.value.messages == [message]


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ValidationError) as refused:
        parse_opening_hours({"0": [["9:00", "12:00"]], "9": [], "4": [["18:00", "08:00"]]})

    assert len(refused.value.messages) == 3


# --- is_open and next_opening -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (paris(2026, 6, 2, 8, 29), False),
        (paris(2026, 6, 2, 8, 30), True),
        (paris(2026, 6, 2, 11, 59), True),
        (paris(2026, 6, 2, 12, 0), False),
        (paris(2026, 6, 2, 18, 30), False),
        (paris(2026, 6, 6, 10, 0), False),  # Saturday
    ],
)
def test_a_period_includes_its_opening_minute_but_not_its_closing_minute(
    moment: datetime, expected: bool
) -> None:
    assert is_open(WEEKDAYS, moment) is expected


def test_a_moment_given_in_utc_is_read_on_paris_clocks() -> None:
    # 07:00 UTC is 09:00 in Paris in June
    assert is_open(WEEKDAYS, datetime(2026, 6, 2, 7, 0, tzinfo=UTC))


def test_next_opening_is_now_when_the_practice_is_open() -> None:
    assert next_opening(WEEKDAYS, paris(2026, 6, 2, 10, 15)) == paris(2026, 6, 2, 10, 15)


def test_next_opening_during_lunch_is_the_afternoon() -> None:
    assert next_opening(WEEKDAYS, paris(2026, 6, 2, 12, 30)) == paris(2026, 6, 2, 14, 0)


def test_next_opening_on_friday_evening_is_monday_morning() -> None:
    opening = next_opening(WEEKDAYS, paris(2026, 6, 5, 19, 0))

    assert opening == paris(2026, 6, 8, 8, 30)
    assert opening.tzinfo == PARIS


def test_next_opening_is_none_when_the_practice_never_opens_before_the_horizon() -> None:
    schedule = Schedule(
        opening_hours=WEEKDAYS.opening_hours,
        closed_days=frozenset(date(2026, 6, 1) + timedelta(days=n) for n in range(7)),
        horizon=date(2026, 6, 7),
    )

    assert next_opening(schedule, paris(2026, 6, 1, 7, 0)) is None
    assert not is_open(schedule, paris(2026, 6, 1, 10, 0))


def test_a_naive_moment_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        is_open(WEEKDAYS, datetime(2026, 6, 2, 10, 0))  # noqa: DTZ001


# --- add_working_hours --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        (paris(2026, 6, 2, 9, 0), 2, paris(2026, 6, 2, 11, 0)),
        (paris(2026, 6, 2, 11, 0), 2, paris(2026, 6, 2, 15, 0)),
        (paris(2026, 6, 2, 11, 0), 1.25, paris(2026, 6, 2, 14, 15)),
        (paris(2026, 6, 2, 12, 30), 0, paris(2026, 6, 2, 14, 0)),
        (paris(2026, 6, 1, 8, 30), 3.5, paris(2026, 6, 1, 12, 0)),
        (paris(2026, 6, 1, 8, 30), 25, paris(2026, 6, 4, 9, 30)),
        (paris(2026, 6, 5, 17, 0), 2, paris(2026, 6, 8, 9, 0)),
    ],
)
def test_working_hours_count_only_opening_time(
    start: datetime, hours: float, expected: datetime
) -> None:
    assert add_working_hours(WEEKDAYS, start, hours) == expected


def test_negative_working_hours_are_refused() -> None:
    with pytest.raises(ValueError, match="non-negative"):
        add_working_hours(WEEKDAYS, paris(2026, 6, 2, 9, 0), -1)


@pytest.mark.parametrize(
    ("sunday", "real_hours"),
    [(date(2026, 3, 29), 5), (date(2026, 10, 25), 7), (date(2026, 11, 1), 6)],
)
def test_a_night_period_across_a_clock_change_lasts_its_real_duration(
    sunday: date, real_hours: int
) -> None:
    night = only_on(6, ("00:00", "06:00"))
    midnight = datetime.combine(sunday, time(0), tzinfo=PARIS)

    # arithmetic on Paris datetimes is wall-clock arithmetic: count real time in UTC
    last_minute = midnight.astimezone(UTC) + timedelta(hours=real_hours, minutes=-1)

    assert add_working_hours(night, midnight, real_hours) == midnight.replace(hour=6)
    assert is_open(night, last_minute)
    assert not is_open(night, last_minute + timedelta(minutes=1))


def test_a_period_starting_in_the_skipped_hour_opens_when_the_clocks_jump() -> None:
    schedule = only_on(6, ("02:30", "04:00"))

    opening = next_opening(schedule, paris(2026, 3, 28, 12, 0))

    assert opening == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)  # 03:00 summer time
    assert add_working_hours(schedule, paris(2026, 3, 28, 12, 0), 1) == paris(2026, 3, 29, 4, 0)


# --- promised_answer_time -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("submitted_at", "within", "expected"),
    [
        # a normal weekday morning
        (paris(2026, 6, 2, 10, 0), 4, paris(2026, 6, 2, 18, 30)),
        (paris(2026, 6, 2, 10, 0), 8, paris(2026, 6, 3, 18, 30)),
        # during lunch: the afternoon still counts
        (paris(2026, 6, 2, 12, 30), 4, paris(2026, 6, 2, 18, 30)),
        # a deadline falling exactly at the end of the morning stays on that day
        (paris(2026, 6, 2, 12, 30), 8, paris(2026, 6, 3, 18, 30)),
        # after closing
        (paris(2026, 6, 2, 19, 0), 1, paris(2026, 6, 3, 18, 30)),
        (paris(2026, 6, 2, 19, 0), 8, paris(2026, 6, 3, 18, 30)),
        # Friday evening
        (paris(2026, 6, 5, 19, 0), 8, paris(2026, 6, 8, 18, 30)),
        # several working days
        (paris(2026, 6, 1, 8, 30), 24, paris(2026, 6, 3, 18, 30)),
        (paris(2026, 6, 1, 8, 30), 25, paris(2026, 6, 4, 18, 30)),
        (paris(2026, 6, 4, 10, 0), 40, paris(2026, 6, 11, 18, 30)),
        # no delay: before the end of the day the request arrives in
        (paris(2026, 6, 6, 10, 0), 0, paris(2026, 6, 8, 18, 30)),
    ],
)
def test_the_promise_is_the_closing_time_of_the_day_the_deadline_falls_in(
    submitted_at: datetime, within: int, expected: datetime
) -> None:
    assert promise(WEEKDAYS, submitted_at, within=within) == expected


@pytest.mark.parametrize(
    ("queue_ahead", "expected"),
    [
        (0, paris(2026, 6, 3, 18, 30)),
        (19, paris(2026, 6, 3, 18, 30)),
        (20, paris(2026, 6, 4, 18, 30)),
        (45, paris(2026, 6, 5, 18, 30)),
        (60, paris(2026, 6, 8, 18, 30)),  # over the weekend
    ],
)
def test_each_full_day_of_waiting_requests_pushes_the_promise_by_a_working_day(
    queue_ahead: int, expected: datetime
) -> None:
    promised = promise(WEEKDAYS, paris(2026, 6, 2, 10, 0), queue_ahead=queue_ahead)

    assert promised == expected


def test_the_queue_skips_closed_days() -> None:
    schedule = Schedule(
        opening_hours=WEEKDAYS.opening_hours, closed_days=frozenset({date(2026, 6, 4)})
    )

    promised = promise(schedule, paris(2026, 6, 2, 10, 0), queue_ahead=20)

    assert promised == paris(2026, 6, 5, 18, 30)


def test_a_saturday_morning_practice_promises_its_noon_closing() -> None:
    hours = {**default_opening_hours(), "5": [["09:00", "12:00"]]}
    schedule = Schedule(opening_hours=parse_opening_hours(hours), closed_days=frozenset())

    assert promise(schedule, paris(2026, 6, 5, 19, 0), within=2) == paris(2026, 6, 6, 12, 0)


@pytest.mark.parametrize(
    ("submitted_at", "expected_utc"),
    [
        # clocks go forward on Sunday 29 March 2026: Monday 18:30 is 16:30 UTC
        (paris(2026, 3, 27, 19, 0), datetime(2026, 3, 30, 16, 30, tzinfo=UTC)),
        (paris(2026, 3, 27, 15, 0), datetime(2026, 3, 30, 16, 30, tzinfo=UTC)),
        # clocks go back on Sunday 25 October 2026: Monday 18:30 is 17:30 UTC
        (paris(2026, 10, 23, 19, 0), datetime(2026, 10, 26, 17, 30, tzinfo=UTC)),
        (paris(2026, 10, 23, 15, 0), datetime(2026, 10, 26, 17, 30, tzinfo=UTC)),
    ],
)
def test_across_a_clock_change_weekend_the_promise_stays_at_the_local_closing_hour(
    submitted_at: datetime, expected_utc: datetime
) -> None:
    promised = promise(WEEKDAYS, submitted_at)

    assert promised == expected_utc
    assert (promised.tzinfo, promised.hour, promised.minute) == (PARIS, 18, 30)


def test_working_hours_across_a_clock_change_weekend_follow_the_local_clock() -> None:
    # Friday 15:00-18:30, Monday 08:30-12:00, then one more hour after lunch
    assert add_working_hours(WEEKDAYS, paris(2026, 3, 27, 15, 0), 8) == paris(2026, 3, 30, 15, 0)
    assert add_working_hours(WEEKDAYS, paris(2026, 10, 23, 15, 0), 8) == paris(2026, 10, 26, 15, 0)


def test_a_practice_closed_until_the_horizon_cannot_promise_anything() -> None:
    schedule = Schedule(
        opening_hours=WEEKDAYS.opening_hours,
        closed_days=frozenset(date(2026, 6, 1) + timedelta(days=n) for n in range(7)),
        horizon=date(2026, 6, 7),
    )

    with pytest.raises(ValueError, match=r"not open .* between 2026-06-01 and 2026-06-07"):
        promise(schedule, paris(2026, 6, 1, 9, 0))


def test_a_queue_reaching_past_the_horizon_cannot_be_promised() -> None:
    schedule = Schedule(
        opening_hours=WEEKDAYS.opening_hours, closed_days=frozenset(), horizon=date(2026, 6, 5)
    )

    assert promise(schedule, paris(2026, 6, 2, 10, 0), queue_ahead=40) == paris(2026, 6, 5, 18, 30)
    with pytest.raises(NoOpeningWithinHorizon, match="no working day after 2026-06-05"):
        promise(schedule, paris(2026, 6, 2, 10, 0), queue_ahead=60)


def test_a_practice_open_on_no_day_cannot_promise_anything() -> None:
    schedule = Schedule(opening_hours=parse_opening_hours({}), closed_days=frozenset())

    with pytest.raises(NoOpeningWithinHorizon):
        promise(schedule, paris(2026, 6, 1, 9, 0))


def test_a_capacity_of_zero_is_refused() -> None:
    with pytest.raises(ValueError, match="daily_capacity"):
        promise(WEEKDAYS, paris(2026, 6, 2, 10, 0), daily_capacity=0)


# --- schedule_for: public holidays and closures -------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("submitted_at", "expected"),
    [
        # Wednesday 11 November 2026 (Armistice)
        (paris(2026, 11, 10, 18, 0), paris(2026, 11, 12, 18, 30)),
        # Thursday 14 May 2026 (Ascension)
        (paris(2026, 5, 13, 19, 0), paris(2026, 5, 15, 18, 30)),
    ],
)
def test_the_day_before_a_public_holiday_the_promise_skips_it(
    submitted_at: datetime, expected: datetime
) -> None:
    schedule = schedule_for(practice_availability(), start=submitted_at.date())

    assert promise(schedule, submitted_at) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("subdivision", "expected"),
    [
        # Moselle keeps Good Friday; Easter Monday is a holiday everywhere
        ("57", paris(2026, 4, 7, 18, 30)),
        ("67", paris(2026, 4, 7, 18, 30)),
        # Vosges: the national holidays only
        ("88", paris(2026, 4, 3, 18, 30)),
        ("", paris(2026, 4, 3, 18, 30)),
    ],
)
def test_good_friday_is_a_holiday_in_alsace_moselle_only(
    subdivision: str, expected: datetime
) -> None:
    schedule = schedule_for(practice_availability(subdivision), start=date(2026, 4, 2))

    assert promise(schedule, paris(2026, 4, 2, 19, 0)) == expected


@pytest.mark.django_db
def test_moselle_also_keeps_saint_stephens_day() -> None:
    moselle = schedule_for(practice_availability("57"), start=date(2026, 12, 1), days=40)
    vosges = schedule_for(practice_availability("88"), start=date(2026, 12, 1), days=40)

    assert moselle.closed_days - vosges.closed_days == {date(2026, 12, 26)}
    assert vosges.closed_days == {date(2026, 12, 25), date(2027, 1, 1)}


@pytest.mark.django_db
def test_an_unknown_holiday_subdivision_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown public holiday subdivision 'Lorraine'"):
        schedule_for(practice_availability("Lorraine"), start=date(2026, 4, 2))


@pytest.mark.django_db
def test_a_closure_week_is_skipped_and_read_in_one_query(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    availability = practice_availability()
    PracticeClosure.objects.create(
        practice=availability.practice, starts_on=date(2026, 6, 8), ends_on=date(2026, 6, 12)
    )
    PracticeClosure.objects.create(
        practice=PracticeFactory.create(), starts_on=date(2026, 6, 15), ends_on=date(2026, 6, 19)
    )

    with django_assert_num_queries(1):
        schedule = schedule_for(availability, start=date(2026, 6, 5))

    assert promise(schedule, paris(2026, 6, 5, 19, 0)) == paris(2026, 6, 15, 18, 30)


@pytest.mark.django_db
def test_the_schedule_covers_its_days_and_clips_closures_to_them() -> None:
    availability = practice_availability()
    PracticeClosure.objects.create(
        practice=availability.practice, starts_on=date(2026, 5, 25), ends_on=date(2026, 6, 3)
    )
    PracticeClosure.objects.create(
        practice=availability.practice, starts_on=date(2026, 6, 9), ends_on=date(2026, 6, 20)
    )

    schedule = schedule_for(availability, start=date(2026, 6, 2), days=8)

    assert schedule.horizon == date(2026, 6, 10)
    assert schedule.closed_days == {date(2026, 6, 2), date(2026, 6, 3), date(2026, 6, 9),
                                    date(2026, 6, 10)}  # fmt: skip


@pytest.mark.django_db
def test_a_practice_closed_all_week_has_no_next_opening_and_no_promise() -> None:
    availability = practice_availability()
    PracticeClosure.objects.create(
        practice=availability.practice, starts_on=date(2026, 6, 1), ends_on=date(2026, 6, 7)
    )
    schedule = schedule_for(availability, start=date(2026, 6, 1), days=6)

    assert next_opening(schedule, paris(2026, 6, 1, 9, 0)) is None
    with pytest.raises(ValueError, match="no time can be promised"):
        promise(schedule, paris(2026, 6, 1, 9, 0))


# --- describe_promise ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("promised", "now", "text"),
    [
        (paris(2026, 12, 1, 18, 30), paris(2026, 12, 1, 9, 0), "avant ce soir 18 h 30"),
        (paris(2026, 12, 5, 12, 0), paris(2026, 12, 5, 9, 0), "avant 12 h aujourd'hui"),
        (paris(2026, 12, 2, 12, 0), paris(2026, 12, 1, 23, 50), "avant demain 12 h"),
        (paris(2026, 12, 7, 18, 30), paris(2026, 12, 4, 19, 0), "avant lundi 18 h 30"),
        (paris(2026, 12, 7, 18, 5), paris(2026, 12, 1, 8, 0), "avant lundi 18 h 05"),
        (
            paris(2026, 12, 8, 18, 30),
            paris(2026, 12, 1, 8, 0),
            "avant le mardi 8 décembre, 18 h 30",
        ),
        (
            paris(2026, 12, 3, 18, 30),
            paris(2026, 11, 20, 10, 0),
            "avant le jeudi 3 décembre, 18 h 30",
        ),
        (
            paris(2026, 10, 1, 18, 30),
            paris(2026, 9, 20, 10, 0),
            "avant le jeudi 1er octobre, 18 h 30",
        ),
    ],
)
def test_the_promise_is_told_in_plain_french(promised: datetime, now: datetime, text: str) -> None:
    assert describe_promise(promised, now) == text


def test_today_and_tomorrow_are_paris_days_not_utc_days() -> None:
    # 23:30 UTC on Friday is already Saturday 00:30 in Paris
    now = datetime(2026, 3, 27, 23, 30, tzinfo=UTC)

    assert describe_promise(paris(2026, 3, 28, 18, 30), now) == "avant ce soir 18 h 30"
    assert describe_promise(datetime(2026, 3, 29, 16, 30, tzinfo=UTC), now) == (
        "avant demain 18 h 30"
    )


# --- properties over a year ---------------------------------------------------------------------

# Long enough for 300 requests ahead at one a day, submitted on 31 December 2026.
MOSELLE_2026 = Schedule(
    opening_hours=WEEKDAYS.opening_hours,
    closed_days=frozenset(
        {*holidays.country_holidays("FR", subdiv="57", years=(2026, 2027, 2028))}
        | {date(2026, 8, 3) + timedelta(days=n) for n in range(14)}
    ),
    horizon=date(2028, 12, 31),
)


@settings(max_examples=300, deadline=None, database=None)
@given(
    submitted_at=st.datetimes(
        min_value=datetime(2026, 1, 1),  # noqa: DTZ001
        max_value=datetime(2026, 12, 31, 23, 59),  # noqa: DTZ001
        timezones=st.just(PARIS),
    ),
    within=st.integers(min_value=0, max_value=40),
    queue_ahead=st.integers(min_value=0, max_value=200),
    more=st.integers(min_value=1, max_value=100),
    daily_capacity=st.integers(min_value=1, max_value=30),
)
def test_the_promise_is_after_submission_at_a_closing_time_and_grows_with_the_queue(
    submitted_at: datetime, within: int, queue_ahead: int, more: int, daily_capacity: int
) -> None:
    def promised_for(queue: int) -> datetime:
        return promise(
            MOSELLE_2026,
            submitted_at,
            within=within,
            queue_ahead=queue,
            daily_capacity=daily_capacity,
        )

    promised = promised_for(queue_ahead)
    periods = MOSELLE_2026.opening_hours[promised.weekday()]

    assert promised >= add_working_hours(MOSELLE_2026, submitted_at, within) >= submitted_at
    assert promised.tzinfo == PARIS
    assert promised.date() not in MOSELLE_2026.closed_days
    assert periods
    assert promised.time() == periods[-1][1]
    assert promised_for(queue_ahead + more) >= promised
