"""When a practice is open, and which answer time it can honestly promise to a patient.

Everything here is pure except `schedule_for`, which reads (never writes) the practice's
closures. Opening hours are wall-clock times in `settings.TIME_ZONE` (Europe/Paris); internally
every computation runs on UTC instants so that working time is real elapsed time, also across
the DST changes, and results are returned as aware local datetimes.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import holidays
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from holidays.countries.france import France

from maillage.consultations.models import PracticeAvailability, PracticeClosure

Periods = tuple[tuple[time, time], ...]

# Without a horizon, searching stops after this many days: a practice that does not open
# within a year has nothing sensible to promise.
_UNBOUNDED_SEARCH = timedelta(days=366)
# From this hour a promise made for today reads "ce soir"; before it, "aujourd'hui".
_EVENING_HOUR = 17
_WEEKDAY_KEYS = frozenset(str(weekday) for weekday in range(7))
_CLOCK = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")
# Alsace-Moselle keeps Good Friday and 26 December (local law); python-holidays files
# Bas-Rhin and Haut-Rhin together as "6AE".
LOCAL_LAW_SUBDIVISIONS = {"57": "57", "67": "6AE", "68": "6AE"}
# Any other metropolitan department only has the national public holidays.
METROPOLITAN_DEPARTMENT = re.compile(r"0[1-9]|1\d|2[1-9AB]|[3-8]\d|9[0-5]")


class NoOpeningWithinHorizon(ValueError):
    """The practice does not open (enough) before the end of the schedule to keep a promise."""


@dataclass(frozen=True)
class Schedule:
    """Opening hours of a practice and the days it is closed, as far as they are known."""

    opening_hours: dict[int, Periods]  # weekday (0 = Monday) -> sorted, non-overlapping periods
    closed_days: frozenset[date]  # public holidays + practice closures
    # Last day covered by `closed_days`. Nothing is computed beyond it: a holiday or a closure
    # there would be unknown. None (hand-built schedules) searches up to a year ahead.
    horizon: date | None = None


# --- building a schedule ------------------------------------------------------------------------


def parse_opening_hours(raw: dict[str, list[list[str]]]) -> dict[int, Periods]:
    """Validate the stored opening hours and return them for every weekday (empty when closed).

    Raises:
        ValidationError: with one French message per problem, naming the day concerned.
    """
    # The JSON comes from the database or a form: trust none of its declared shape.
    return _parse_opening_hours(raw)


def _parse_opening_hours(raw: object) -> dict[int, Periods]:
    if not isinstance(raw, Mapping):
        raise ValidationError(
            _(
                "Les heures d'ouverture doivent associer chaque jour (0 = lundi … 6 = dimanche) "
                "à ses plages horaires."
            ),
            code="invalid",
        )
    errors: list[ValidationError] = []
    parsed: dict[int, Periods] = dict.fromkeys(range(7), ())
    for key, value in raw.items():
        if not isinstance(key, str) or key not in _WEEKDAY_KEYS:
            errors.append(
                ValidationError(
                    _("« %(key)s » n'est pas un jour : utilisez 0 (lundi) à 6 (dimanche)."),
                    code="invalid_day",
                    params={"key": key},
                )
            )
            continue
        weekday = int(key)
        periods, day_errors = _parse_day(weekday, value)
        errors.extend(day_errors)
        parsed[weekday] = periods
    if errors:
        raise ValidationError(errors)
    return parsed


def _parse_day(weekday: int, value: object) -> tuple[Periods, list[ValidationError]]:
    day = capfirst(WEEKDAYS[weekday])
    if not isinstance(value, list | tuple):
        return (), [_shape_error(day)]
    periods: list[tuple[time, time]] = []
    errors: list[ValidationError] = []
    for pair in value:
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            errors.append(_shape_error(day))
            continue
        opens, closes = (_parse_clock(day, text, errors) for text in pair)
        if opens is None or closes is None:
            continue
        if opens >= closes:
            errors.append(
                ValidationError(
                    _(
                        "%(day)s : l'heure de fin (%(end)s) doit être après "
                        "l'heure de début (%(start)s)."
                    ),
                    code="period_order",
                    params={"day": day, "start": pair[0], "end": pair[1]},
                )
            )
            continue
        periods.append((opens, closes))
    periods.sort()
    for (first_opens, first_closes), (second_opens, second_closes) in itertools.pairwise(periods):
        if second_opens < first_closes:
            errors.append(
                ValidationError(
                    _("%(day)s : les plages %(first)s et %(second)s se chevauchent."),
                    code="overlap",
                    params={
                        "day": day,
                        "first": _range_text(first_opens, first_closes),
                        "second": _range_text(second_opens, second_closes),
                    },
                )
            )
    return tuple(periods), errors


def _parse_clock(day: str, text: object, errors: list[ValidationError]) -> time | None:
    match = _CLOCK.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        errors.append(
            ValidationError(
                _(
                    "%(day)s : « %(value)s » n'est pas une heure au format HH:MM (par exemple 08:30)."
                ),
                code="invalid_time",
                params={"day": day, "value": text},
            )
        )
        return None
    return time(int(match[1]), int(match[2]))


def _shape_error(day: str) -> ValidationError:
    return ValidationError(
        _("%(day)s : chaque plage doit être une paire [début, fin], par exemple [08:30, 12:00]."),
        code="invalid_period",
        params={"day": day},
    )


def _range_text(opens: time, closes: time) -> str:
    return _("de %(start)s à %(end)s") % {
        "start": opens.strftime("%H:%M"),
        "end": closes.strftime("%H:%M"),
    }


def schedule_for(
    availability: PracticeAvailability,
    *,
    start: date,
    days: int = 90,
    closures: Iterable[tuple[date, date]] | None = None,
) -> Schedule:
    """Build the practice's schedule for the days from `start` to `start + days` included.

    `closures` are the practice's (starts_on, ends_on) closures when the caller fetched them
    for many practices at once (the directory's "open now"); otherwise they are read here.

    Raises:
        ValidationError: if the stored opening hours are malformed.
        ValueError: if `days` is negative or the holiday subdivision is unknown.
    """
    if days < 0:
        raise ValueError(f"a schedule covers a non-negative number of days, not {days}")
    opening_hours = parse_opening_hours(availability.opening_hours)
    last = start + timedelta(days=days)
    closed = _public_holidays(availability.holiday_subdivision, start, last)
    if closures is None:
        closures = PracticeClosure.objects.filter(
            practice_id=availability.practice_id, starts_on__lte=last, ends_on__gte=start
        ).values_list("starts_on", "ends_on")
    for starts_on, ends_on in closures:
        day = max(starts_on, start)
        while day <= min(ends_on, last):
            closed.add(day)
            day += timedelta(days=1)
    return Schedule(
        opening_hours=opening_hours,
        closed_days=frozenset(closed),
        horizon=last,
    )


def _public_holidays(subdivision: str, first: date, last: date) -> set[date]:
    code = subdivision.strip()
    subdiv: str | None
    if code in LOCAL_LAW_SUBDIVISIONS:
        subdiv = LOCAL_LAW_SUBDIVISIONS[code]
    elif not code or METROPOLITAN_DEPARTMENT.fullmatch(code):
        subdiv = None
    else:  # overseas ("971"…) and python-holidays' own codes
        subdiv = code
    try:
        calendar = _calendar(subdiv, first.year, last.year)
    except NotImplementedError as error:
        raise ValueError(f"unknown public holiday subdivision {subdivision!r}") from error
    return {day for day in calendar if first <= day <= last}


@functools.lru_cache(maxsize=64)
def _calendar(subdiv: str | None, first_year: int, last_year: int) -> frozenset[date]:
    # Building a calendar costs about a millisecond: the directory's "open now" asks for up to
    # 200 practices' schedules in one request, nearly all with the same subdivision.
    return frozenset(
        holidays.country_holidays("FR", subdiv=subdiv, years=range(first_year, last_year + 1))
    )


# --- reading a schedule -------------------------------------------------------------------------


def is_open(schedule: Schedule, moment: datetime) -> bool:
    """Whether the practice is open at `moment` (periods include their start, not their end)."""
    instant = _as_utc(moment)
    return _next_opening(schedule, instant) == instant


def next_opening(schedule: Schedule, moment: datetime) -> datetime | None:
    """Return `moment` if the practice is open then, else when it next opens.

    None means it does not open before the schedule's horizon.
    """
    opening = _next_opening(schedule, _as_utc(moment))
    return None if opening is None else _local(opening)


def capacity_window_start(schedule: Schedule, moment: datetime) -> datetime:
    """Return since when requests count against the capacity of the working day ahead.

    A request sent on Saturday is read on Monday: it counts for Monday, as do Friday evening's
    and Sunday's. The window opens when the last working day before that one closed.
    """
    opening = next_opening(schedule, moment)
    working_day = (opening or moment).astimezone(timezone.get_default_timezone()).date()
    day = working_day - timedelta(days=1)
    for _attempt in range(400):  # closed more than a year: count everything since then
        periods = day_periods(schedule, day)
        if periods:
            return _local(periods[-1][1])
        day -= timedelta(days=1)
    return _local(_instant(day, time.min))


def capacity_window_end(schedule: Schedule, moment: datetime) -> datetime | None:
    """Return when the working day ahead closes: from then on, requests count for the next one."""
    opening = next_opening(schedule, moment)
    if opening is None:
        return None
    periods = day_periods(schedule, opening.astimezone(timezone.get_default_timezone()).date())
    return _local(periods[-1][1]) if periods else None


def add_working_hours(schedule: Schedule, start: datetime, hours: float) -> datetime:
    """Return the moment `hours` of opening time after `start`.

    Raises:
        NoOpeningWithinHorizon: if the schedule ends before that much opening time.
    """
    _day, moment = _add_working_time(schedule, _as_utc(start), hours)
    return _local(moment)


def promised_answer_time(
    schedule: Schedule,
    *,
    submitted_at: datetime,
    within_working_hours: int,
    queue_ahead: int,
    daily_capacity: int,
) -> datetime:
    """Return the answer time to promise: the closing time of a working day.

    The deadline is `within_working_hours` of opening time after submission, then one more
    working day per full `daily_capacity` of requests already waiting. Patients are promised
    "before tomorrow 18:30", never "before 14:07": the promise is the closing time of the last
    period of the working day the deadline falls in.

    Raises:
        NoOpeningWithinHorizon: if the practice does not open enough before the horizon.
        ValueError: if a count is negative or the capacity is zero.
    """
    if daily_capacity < 1:
        raise ValueError(f"daily_capacity must be at least 1, not {daily_capacity}")
    if queue_ahead < 0:
        raise ValueError(f"queue_ahead cannot be negative ({queue_ahead})")
    submitted = _as_utc(submitted_at)
    day, _deadline = _add_working_time(schedule, submitted, within_working_hours)
    last = _last_day(schedule, _local(submitted).date())
    for _push in range(queue_ahead // daily_capacity):
        day = _next_working_day(schedule, day, last)
    _opens, closes = day_periods(schedule, day)[-1]
    return _local(closes)


def describe_promise(promised: datetime, now: datetime) -> str:
    """Say in plain words, relative to `now`, before when the patient will have an answer."""
    when = _local(_as_utc(promised))
    days_ahead = (when.date() - _local(_as_utc(now)).date()).days
    clock = _clock_text(when.time())
    if days_ahead == 0:
        if when.hour >= _EVENING_HOUR:
            return _("avant ce soir %(time)s") % {"time": clock}
        return _("avant %(time)s aujourd'hui") % {"time": clock}
    if days_ahead == 1:
        return _("avant demain %(time)s") % {"time": clock}
    weekday = WEEKDAYS[when.weekday()]
    # A bare weekday name is unambiguous only within the coming week.
    if 1 < days_ahead <= 6:
        return _("avant %(weekday)s %(time)s") % {"weekday": weekday, "time": clock}
    day = pgettext("premier jour du mois", "1er") if when.day == 1 else str(when.day)
    return _("avant le %(weekday)s %(day)s %(month)s, %(time)s") % {
        "weekday": weekday,
        "day": day,
        "month": MONTHS[when.month],
        "time": clock,
    }


def _clock_text(at: time) -> str:
    if at.minute == 0:
        return _("%(hour)d h") % {"hour": at.hour}
    return _("%(hour)d h %(minute)02d") % {"hour": at.hour, "minute": at.minute}


# --- working on instants ------------------------------------------------------------------------


def _as_utc(moment: datetime) -> datetime:
    if timezone.is_naive(moment):
        raise ValueError(f"an aware datetime is required, got the naive {moment.isoformat()}")
    return moment.astimezone(UTC)


def _local(instant: datetime) -> datetime:
    return instant.astimezone(timezone.get_default_timezone())


def _instant(day: date, at: time) -> datetime:
    """Return the UTC instant at which local clocks show `at` on `day`.

    In the repeated hour of October, the first occurrence. In the hour skipped in March, the
    moment the clocks jump: a period starting at 02:30 opens at 03:00, one ending at 02:30 ends
    at 03:00 too, so periods keep their order and one inside the gap is empty.
    """
    zone = timezone.get_default_timezone()
    wall = datetime.combine(day, at)
    before = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if before.astimezone(zone).replace(tzinfo=None) == wall:
        return before
    # In the gap, fold=1 reads the wall time with the later offset: an instant before the jump.
    # Search the first whole second after it whose wall time has reached `wall`.
    earlier = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    low, high = 0, int((before - earlier).total_seconds())
    while low < high:
        middle = (low + high) // 2
        if (earlier + timedelta(seconds=middle)).astimezone(zone).replace(tzinfo=None) >= wall:
            high = middle
        else:
            low = middle + 1
    return earlier + timedelta(seconds=high)


def _last_day(schedule: Schedule, from_day: date) -> date:
    if schedule.horizon is not None:
        return schedule.horizon
    return from_day + _UNBOUNDED_SEARCH


def day_periods(schedule: Schedule, day: date) -> list[tuple[datetime, datetime]]:
    """The open periods of a local day as aware instants (none on a closed day)."""
    if day in schedule.closed_days:
        return []
    periods = []
    for opens_at, closes_at in schedule.opening_hours.get(day.weekday(), ()):
        opens, closes = _instant(day, opens_at), _instant(day, closes_at)
        if opens < closes:
            periods.append((opens, closes))
    return periods


def _open_periods(
    schedule: Schedule, moment: datetime
) -> Iterator[tuple[date, datetime, datetime]]:
    """Yield (local day, opens, closes) for the open time from `moment` on, in order."""
    day = _local(moment).date()
    last = _last_day(schedule, day)
    while day <= last:
        for opens, closes in day_periods(schedule, day):
            if closes > moment:
                yield day, max(opens, moment), closes
        day += timedelta(days=1)


def _next_opening(schedule: Schedule, moment: datetime) -> datetime | None:
    for _day, opens, _closes in _open_periods(schedule, moment):
        return opens
    return None


def _add_working_time(schedule: Schedule, start: datetime, hours: float) -> tuple[date, datetime]:
    if not math.isfinite(hours) or hours < 0:
        raise ValueError(f"working hours must be a non-negative number, not {hours}")
    remaining = timedelta(hours=hours)
    for day, opens, closes in _open_periods(schedule, start):
        if remaining <= closes - opens:
            return day, opens + remaining
        remaining -= closes - opens
    raise NoOpeningWithinHorizon(
        f"the practice is not open {hours} working hours between {_local(start).date()} "
        f"and {_last_day(schedule, _local(start).date())}: no time can be promised"
    )


def _next_working_day(schedule: Schedule, day: date, last: date) -> date:
    following = day + timedelta(days=1)
    while following <= last:
        if day_periods(schedule, following):
            return following
        following += timedelta(days=1)
    raise NoOpeningWithinHorizon(
        f"the practice has no working day after {day} until {last}: no time can be promised"
    )


# --- "open now" for many practices at once ------------------------------------------------------


@dataclass(frozen=True)
class OpenNowTerms:
    """What a practice must satisfy to be open at one instant, for a query over many practices.

    The same answer as `is_open(schedule_for(...), moment)` on well-formed data, decided from
    the stored weekly hours, the day's closures and public holidays without building schedules.
    """

    day: date  # the local day: a closure covering it closes the practice
    weekday: str  # the key of the day's periods in `opening_hours`
    # Open iff a period of the day has opens <= wall < closes. In October's repeated hour, the
    # second pass reads as the last instant before the clocks went back: periods are placed on
    # the first pass (see `_instant`), so one that opened in that hour has opened by then.
    wall: time
    # Holiday codes (stripped) whose calendar does not have `day`, besides the national one.
    open_subdivisions: tuple[str, ...]
    # Whether metropolitan departments without local law (and no code) work on `day`.
    national_open: bool


def open_now_terms(moment: datetime) -> OpenNowTerms:
    """The terms of "open at `moment`": one calendar look-up per subdivision, not per practice."""
    local = _local(_as_utc(moment))
    day = local.date()
    wall = local.time().replace(tzinfo=None, fold=0)
    if local.fold == 1 and local.replace(fold=0).utcoffset() != local.utcoffset():
        wall = _last_wall_before_fold(local)
    codes = {
        *LOCAL_LAW_SUBDIVISIONS,
        *France.subdivisions,
        *France.subdivisions_aliases,
    }
    open_subdivisions = []
    for code in sorted(codes):
        if not code or (
            code not in LOCAL_LAW_SUBDIVISIONS and METROPOLITAN_DEPARTMENT.fullmatch(code)
        ):
            continue  # read as national by `_public_holidays`
        if day not in _public_holidays(code, day, day):
            open_subdivisions.append(code)
    return OpenNowTerms(
        day=day,
        weekday=str(day.weekday()),
        wall=wall,
        open_subdivisions=tuple(open_subdivisions),
        national_open=day not in _public_holidays("", day, day),
    )


def _last_wall_before_fold(local: datetime) -> time:
    """The wall time just before the clocks went back, for an instant of the repeated hour."""
    instant = _as_utc(local)
    # The change happened within the offset difference before `instant`: find its second.
    span = local.replace(fold=0).utcoffset() - local.utcoffset()  # type: ignore[operator]
    low, high = 0, int(span.total_seconds())
    earlier = instant - span
    while low < high:
        middle = (low + high) // 2
        if _local(earlier + timedelta(seconds=middle)).fold == 1:
            high = middle
        else:
            low = middle + 1
    change = earlier + timedelta(seconds=high)
    return _local(change - timedelta(microseconds=1)).time().replace(tzinfo=None, fold=0)
