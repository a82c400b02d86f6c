"""Search parameters (`_id`, `patient`, `date`, `_lastUpdated`, `_count`) and keyset paging.

Pages follow (date, key) newest first, like the record's timeline: no OFFSET, however long the
record. The `next` link carries the id of the last resource of the page and nothing else, so
no date or other health data appears in a URL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.fhir_api.errors import BadRequest
from maillage.fhir_api.kinds import Kind

DEFAULT_COUNT = 20
MAX_COUNT = 100
CURSOR = "_cursor"
# Parameters every search accepts besides the type's own ones.
GENERAL = {"_count", CURSOR, "_format"}
_DATE = re.compile(
    r"(?P<prefix>eq|ne|lt|le|gt|ge|sa|eb)?"
    r"(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2})"
    r"(?:T(?P<time>\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(?P<zone>Z|[+-]\d{2}:\d{2})?)?)?)?"
)


@dataclass
class Search:
    ids: list[str] = field(default_factory=list)
    patient_id: UUID | None = None
    filters: list[Q] = field(default_factory=list)
    count: int = DEFAULT_COUNT
    cursor: str | None = None


@dataclass(frozen=True)
class Page:
    rows: list[Any]
    next_cursor: str | None


def parse_id(kind: Kind, raw: str) -> str | None:
    """A well-formed id of this type, or None (no such resource can exist)."""
    if kind.numeric_id:
        return raw if re.fullmatch(r"[1-9][0-9]{0,17}", raw) else None
    try:
        return str(UUID(raw))
    except ValueError:
        return None


def _one(params: QueryDict, name: str) -> str | None:
    values = params.getlist(name)
    if len(values) > 1:
        raise BadRequest(
            _("Le paramètre %(name)s ne peut être donné qu'une fois.") % {"name": name}
        )
    return values[0] if values else None


def _date_range(raw: str) -> tuple[str, datetime, datetime]:
    prefix, start, end = _local_date_range(raw)
    try:
        # A bound the database cannot hold in UTC ("0001-01-01" in Paris is in year 0).
        start.astimezone(UTC), end.astimezone(UTC)
    except OverflowError:
        raise BadRequest(_("Date invalide.")) from None
    return prefix, start, end


def _local_date_range(raw: str) -> tuple[str, datetime, datetime]:
    match = _DATE.fullmatch(raw)
    if match is None:
        raise BadRequest(_("Date invalide : utilisez AAAA, AAAA-MM, AAAA-MM-JJ ou un instant."))
    prefix = match["prefix"] or "eq"
    zone = timezone.get_current_timezone()
    try:
        year = int(match["year"])
        if match["time"]:
            text = f"{match['year']}-{match['month']}-{match['day']}T{match['time']}"
            start = datetime.fromisoformat(text + (match["zone"] or "").replace("Z", "+00:00"))
            if start.tzinfo is None:
                start = start.replace(tzinfo=zone)
            precision = (
                timedelta(seconds=1) if match["time"].count(":") == 2 else timedelta(minutes=1)
            )
            return prefix, start, start + precision
        if match["day"]:
            day = date(year, int(match["month"]), int(match["day"]))
            first, after = day, day + timedelta(days=1)
        elif match["month"]:
            month = int(match["month"])
            first = date(year, month, 1)
            after = date(year + month // 12, month % 12 + 1, 1)
        else:
            first, after = date(year, 1, 1), date(year + 1, 1, 1)
        start = datetime.combine(first, datetime.min.time(), tzinfo=zone)
        return prefix, start, datetime.combine(after, datetime.min.time(), tzinfo=zone)
    except (ValueError, OverflowError):
        raise BadRequest(_("Date invalide.")) from None


def date_filter(field_name: str, raw: str) -> Q:
    """The rows whose `field_name` matches the FHIR date search `raw` (prefix and precision)."""
    prefix, start, end = _date_range(raw)
    within = Q(**{f"{field_name}__gte": start, f"{field_name}__lt": end})
    by_prefix = {
        "eq": within,
        "ne": ~within,
        "lt": Q(**{f"{field_name}__lt": start}),
        "eb": Q(**{f"{field_name}__lt": start}),
        "le": Q(**{f"{field_name}__lt": end}),
        "gt": Q(**{f"{field_name}__gte": end}),
        "sa": Q(**{f"{field_name}__gte": end}),
        "ge": Q(**{f"{field_name}__gte": start}),
    }
    return by_prefix[prefix]


def parse_search(kind: Kind, params: QueryDict) -> Search:
    """Read the query string of a search; anything unknown or malformed is a 400.

    Raises:
        BadRequest: for an unknown parameter or a malformed value.
    """
    allowed = set(kind.search_params) | GENERAL
    unknown = sorted(set(params) - allowed)
    if unknown:
        raise BadRequest(
            _("Paramètre de recherche non pris en charge pour %(type)s : %(names)s")
            % {"type": kind.name, "names": ", ".join(unknown)},
            code="not-supported",
        )
    search = Search()
    raw_ids = _one(params, "_id")
    if raw_ids is not None:
        for raw in raw_ids.split(","):
            parsed = parse_id(kind, raw.strip())
            if parsed is None:
                raise BadRequest(_("Identifiant invalide dans _id."))
            search.ids.append(parsed)
    raw_patient = _one(params, "patient")
    if raw_patient is not None:
        try:
            search.patient_id = UUID(raw_patient.removeprefix("Patient/"))
        except ValueError:
            raise BadRequest(_("Le paramètre patient attend Patient/<id>.")) from None
    if kind.date_field:
        search.filters += [date_filter(kind.date_field, raw) for raw in params.getlist("date")]
    if kind.updated_field:
        search.filters += [
            date_filter(kind.updated_field, raw) for raw in params.getlist("_lastUpdated")
        ]
    raw_count = _one(params, "_count")
    if raw_count is not None:
        if not re.fullmatch(r"[0-9]{1,6}", raw_count) or int(raw_count) < 1:
            raise BadRequest(_("_count attend un entier positif."))
        search.count = min(int(raw_count), MAX_COUNT)
    raw_cursor = _one(params, CURSOR)
    if raw_cursor is not None:
        search.cursor = parse_id(kind, raw_cursor)
        if search.cursor is None:
            raise BadRequest(_("Lien de page invalide."))
    return search


def _ordering(kind: Kind) -> list[str]:
    return [f"-{kind.order_field}", "-pk"] if kind.order_field else ["-pk"]


def page_of(kind: Kind, rows: QuerySet[Any], search: Search) -> Page:
    """One page of `rows` (already limited to what the actor may see), newest first.

    Raises:
        BadRequest: for a cursor that is not a row of this search.
    """
    for condition in search.filters:
        rows = rows.filter(condition)
    if search.ids:
        rows = rows.filter(**{f"{kind.id_field}__in": search.ids})
    if search.cursor is not None:
        columns = [kind.order_field, "pk"] if kind.order_field else ["pk"]
        last = rows.filter(**{kind.id_field: search.cursor}).values_list(*columns).first()
        if last is None:
            raise BadRequest(_("Lien de page invalide."))
        if kind.order_field:
            moment, key = last
            rows = rows.filter(
                Q(**{f"{kind.order_field}__lt": moment})
                | Q(**{kind.order_field: moment, "pk__lt": key})
            )
        else:
            rows = rows.filter(pk__lt=last[0])
    found = list(rows.order_by(*_ordering(kind))[: search.count + 1])
    if len(found) <= search.count:
        return Page(found, None)
    found = found[: search.count]
    return Page(found, str(getattr(found[-1], kind.id_field)))
