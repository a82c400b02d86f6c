"""Reads behind the dashboards: aggregates grouped by month in SQL, never a row per person.

Percentiles (median, 90th) need the durations in order: the database ranks them
(`_timings_by`) and returns only the few at the ranks `cases.services.timing_of_ranked`, the
platform's one percentile helper, reads; the doctor's own few are summed up by
`cases.services.timing`. Both give the same answer, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.postgres.aggregates import ArrayAgg
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Count,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Window,
)
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import RowNumber, TruncMonth
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from maillage.accounts.models import Professional, Role, User
from maillage.accounts.specialties import Specialty
from maillage.billing.models import BilledAct
from maillage.billing.selectors import (
    PARIS,
    WARNING_RATIO,
    CapStatus,
    cap_status,
    count_capped_teleconsultations,
)
from maillage.cases.models import CaseRouting, Comment
from maillage.cases.services import HIGH_PERCENTILE, Timing, timing, timing_of_ranked
from maillage.consultations.models import OnlineRequest, RequestEvent
from maillage.core.fulltext import fold
from maillage.core.models import Commune
from maillage.dashboards.charts import (
    HEIGHT,
    WIDTH,
    Cell,
    Chart,
    Column,
    Gauge,
    Table,
    bar_chart,
    column_chart,
    fingerprint,
    format_number,
    gauge,
    month_label,
    months_between,
    pivot,
)
from maillage.dashboards.models import ActivityDeclaration
from maillage.directory.selectors import communes_by_need, territory_overview_for
from maillage.expertise.models import ExpertiseRequest
from maillage.teleconsultation.models import Appointment

PSYCHIATRY = frozenset({Specialty.PSYCHIATRY, Specialty.CHILD_PSYCHIATRY})
TERRITORY_MONTHS = 12
# The territory's figures span twelve months and cost one pass over them: computed at most once
# per filter and language in this many seconds, and shown with the time they were computed.
TERRITORY_CACHE_SECONDS = 5 * 60
#: How long an older snapshot may still be shown while one request computes the next.
TERRITORY_REBUILD_SECONDS = 2 * 60
# Rows of a commune table on the page, whatever the territory's size: the CSV files hold all.
TERRITORY_TOP_COMMUNES = 20
# The tele-expertise limit: 4 acts a year per patient and requested doctor (REGULATION §2.3).
TELEEXPERTISE_YEARLY_LIMIT = 4
OPEN_EXPERTISE = (
    ExpertiseRequest.Status.SUBMITTED,
    ExpertiseRequest.Status.IN_PROGRESS,
    ExpertiseRequest.Status.AWAITING_INFO,
)
# A promise is the practice's to keep while the request is with the team, not the patient.
WITH_THE_TEAM = (OnlineRequest.Status.SUBMITTED, OnlineRequest.Status.IN_REVIEW)

KIND_COLUMNS = [
    Column(BilledAct.SourceKind.TELECONSULTATION, _("Téléconsultations")),
    Column(BilledAct.SourceKind.TELEEXPERTISE_ANSWER, _("Téléexpertises rendues (TE2)")),
    Column(BilledAct.SourceKind.TELEEXPERTISE_REQUEST, _("Téléexpertises demandées (RQD)")),
]
ONLINE_COLUMN = Column(BilledAct.SourceKind.ONLINE_REQUEST, _("Demandes en ligne terminées"))
TIMING_COLUMNS = [
    Column("count", _("Nombre")),
    Column("median", _("Médiane (h)")),
    Column("p90", _("90e centile (h)")),
]


def _require_doctor(actor: User) -> None:
    if not actor.has_role(Role.GP, Role.SPECIALIST):
        raise Http404


def _require_coordinator(actor: User) -> None:
    if not actor.has_role(Role.COORDINATOR, Role.OPERATOR):
        raise Http404


def _paris_month(moment: datetime) -> date:
    return timezone.localtime(moment, PARIS).date().replace(day=1)


def _start_of(month: date) -> datetime:
    return datetime(month.year, month.month, 1, tzinfo=PARIS)


def _after(month: date) -> datetime:
    return _start_of(
        date(month.year + 1, 1, 1) if month.month == 12 else month.replace(month=month.month + 1)
    )


def _hours(delta: timedelta) -> float:
    return delta.total_seconds() / 3600


def _wait(end: str, start: str) -> ExpressionWrapper[CombinedExpression]:
    return ExpressionWrapper(F(end) - F(start), output_field=DurationField())


def _month(field: str) -> TruncMonth:
    # Months of the French calendar: an act at 00:30 on 1 March in Paris belongs to March.
    return TruncMonth(field, tzinfo=PARIS, output_field=DateTimeField())


def _timing_row(result: Timing) -> list[Cell]:
    return [result.count, result.median_hours, result.p90_hours]


# The high percentile's share in tenths (9), for the integer arithmetic of `_timings_by`.
_HIGH_TENTHS = round(HIGH_PERCENTILE * 10)


def _wanted_ranks(size: Any, divide: Callable[[Any, int], Any] = operator.truediv) -> list[Any]:
    """The ranks (from 1) `timing_of_ranked` may read among `size` values.

    The one or two middle ones, and the two around the percentile's: its rank is
    `round(0.9 * (n - 1))` rounded half to even, hence the floor of `9 * (n - 1) / 10` or the
    next; `timing_of_ranked` picks, in Python. `size` is an SQL expression, whose `/` divides
    integers on either database, or an int with `divide=operator.floordiv`.
    """
    high = divide((size - 1) * _HIGH_TENTHS, 10)
    return [divide(size + 1, 2), divide(size, 2) + 1, high + 1, high + 2]


class _At(Func):
    """`(array)[position]`: one element of an array, from 1 (NULL past its end)."""

    arity = 2
    template = "(%(expressions)s]"
    arg_joiner = ")["


def _ranked_waits(rows: QuerySet[Any], group: str) -> Iterator[tuple[Any, int, int, timedelta]]:
    """(group, its size, rank from 1, wait) at `_wanted_ranks` of each group's sorted waits."""
    if connection.vendor == "postgresql":
        # One sort a group, in the aggregate (as percentile_disc's), and four elements of it.
        ordered = ArrayAgg("wait", order_by=["wait"])
        at = {
            f"at_{i}": _At(ordered, rank, output_field=DurationField())
            for i, rank in enumerate(_wanted_ranks(Count("pk")))
        }
        picked = (
            rows.values(group)
            .annotate(group_size=Count("pk"), **at)
            .values_list(group, "group_size", *at)
            .order_by()
        )
        for key, size, *waits in picked:
            for rank, wait in zip(_wanted_ranks(size, operator.floordiv), waits, strict=True):
                if wait is not None:  # past the end: the next rank of a single value
                    yield key, size, rank, wait
        return
    # Elsewhere (SQLite), window functions: every wait ranked, four rows a group kept.
    size = F("group_size")
    wanted = Q()
    for rank in _wanted_ranks(size):
        wanted |= Q(wait_rank=rank)
    yield from (
        rows.annotate(
            wait_rank=Window(RowNumber(), partition_by=[F(group)], order_by=[F("wait").asc()]),
            group_size=Window(Count("pk"), partition_by=[F(group)]),
        )
        .filter(wanted)
        .values_list(group, "group_size", "wait_rank", "wait")
        .order_by()
    )


def _timings_by(rows: QuerySet[Any], group: str) -> dict[Any, Timing]:
    """Count, median and high percentile of `rows`' `wait` in each value of `group`, in SQL.

    The database sorts each group's waits and returns only those at `_wanted_ranks`: a few a
    group, however many it holds. Hence the figures of `timing` over every wait, on either
    database, with neither sorting nor converting them in Python. Not `percentile_disc`: its
    rank, `ceil(0.9 * n)`, is not the one `timing` has always used (for 7 values, the 7th
    where `timing` takes the 6th); PostgreSQL sorts into an array instead, at the same cost.
    """
    sizes: dict[Any, int] = {}
    values: dict[Any, dict[int, float]] = defaultdict(dict)
    for key, count, rank, wait in _ranked_waits(rows, group):
        sizes[key] = count
        values[key][rank - 1] = _hours(wait)
    return {key: timing_of_ranked(count, values[key].__getitem__) for key, count in sizes.items()}


# --- A doctor's activity ---------------------------------------------------------------------


@dataclass(frozen=True)
class CapGauge:
    counted: int  # teleconsultations under the cap (not of their médecin-traitant patients)
    teleconsultations: int  # every teleconsultation of the year
    other_acts: int | None  # declared by the doctor; None until they do
    psychiatrist: bool
    status: CapStatus | None
    picture: Gauge | None
    warning: Decimal = WARNING_RATIO

    @property
    def total_acts(self) -> int | None:
        return None if self.other_acts is None else self.other_acts + self.teleconsultations


@dataclass(frozen=True)
class ExpertiseCounters:
    given: int
    requested: int
    waiting_for_me: int
    overdue_for_me: int
    patients_at_limit: int


@dataclass(frozen=True)
class DoctorActivity:
    year: int
    months: list[date]
    acts: Chart
    amounts: Chart
    tariffs: Table
    amounts_total: Decimal
    cap: CapGauge
    expertise: ExpertiseCounters
    timings: Table

    @property
    def fingerprint(self) -> str:
        """What the cached HTML of the charts and tables is keyed on: their figures."""
        return fingerprint(
            self.year,
            *(
                t.content()
                for t in (self.acts.table, self.amounts.table, self.tariffs, self.timings)
            ),
        )

    def table(self, slug: str) -> Table:
        tables = {
            t.slug: t for t in (self.acts.table, self.amounts.table, self.tariffs, self.timings)
        }
        if slug not in tables:
            raise Http404
        return tables[slug]


def doctor_year_bounds(year: int, today: date) -> tuple[date, date]:
    """The months a doctor's year shows: January to December, or to this month this year."""
    last = date(year, 12, 1) if year < today.year else today.replace(day=1)
    return date(year, 1, 1), last


def doctor_activity_for(*, actor: User, year: int) -> DoctorActivity:
    """Return a doctor's telemedicine activity of a calendar year (Paris time), by month.

    Raises:
        Http404: for anyone but a doctor, or a year after this one.
    """
    _require_doctor(actor)
    today = timezone.localdate(timezone.now(), PARIS)
    if year > today.year:
        raise Http404
    first, last = doctor_year_bounds(year, today)
    months = months_between(first, last)
    start, end = _start_of(first), _after(last)
    keys = [m.isoformat() for m in months]
    labels = [month_label(m) for m in months]

    acts = list(
        BilledAct.objects.filter(doctor=actor, performed_at__gte=start, performed_at__lt=end)
        .annotate(month=_month("performed_at"))
        .values("month", "source_kind", "code", "tariff_from")
        .annotate(acts=Count("id"), total=Sum("amount"), unit=Min("amount"))
        .order_by()
    )
    closed = (
        RequestEvent.objects.filter(
            kind=RequestEvent.Kind.CLOSED, author=actor, created_at__gte=start, created_at__lt=end
        )
        .annotate(month=_month("created_at"))
        .values_list("month")
        .annotate(total=Count("id"))
        .order_by()
    )
    by_kind = [(_paris_month(r["month"]).isoformat(), r["source_kind"], r["acts"]) for r in acts]
    by_kind += [
        (_paris_month(month).isoformat(), ONLINE_COLUMN.key, total) for month, total in closed
    ]
    kind_columns = [*KIND_COLUMNS, ONLINE_COLUMN]
    acts_table = Table(
        slug="actes",
        title=_("Actes de télémédecine par mois"),
        row_header=_("Mois"),
        rows=labels,
        columns=kind_columns,
        cells=pivot(by_kind, row_keys=keys, columns=kind_columns),
        total=True,
    )

    # One column per tariff period: a month that crosses a change shows both amounts.
    periods = sorted({(r["code"], r["tariff_from"], r["unit"]) for r in acts})
    tariff_columns = [
        Column(
            f"{code}@{since.isoformat()}",
            _("%(code)s à %(amount)s €")
            % {"code": code, "amount": f"{Decimal(unit):.2f}".replace(".", ",")},
        )
        for code, since, unit in periods
    ]
    amounts_table = Table(
        slug="montants",
        title=_("Montants facturés par mois et par tarif (€)"),
        row_header=_("Mois"),
        rows=labels,
        columns=tariff_columns,
        cells=pivot(
            [
                (
                    _paris_month(r["month"]).isoformat(),
                    f"{r['code']}@{r['tariff_from'].isoformat()}",
                    r["total"],
                )
                for r in acts
            ],
            row_keys=keys,
            columns=tariff_columns,
        ),
        unit="€",
        total=True,
    )
    per_period: dict[str, list[Decimal | int]] = defaultdict(lambda: [0, Decimal(0)])
    for r in acts:
        key = f"{r['code']}@{r['tariff_from'].isoformat()}"
        per_period[key][0] += r["acts"]
        per_period[key][1] += r["total"]
    tariffs = Table(
        slug="tarifs",
        title=_("Actes et montants par tarif"),
        row_header=_("Tarif"),
        rows=[str(column.label) for column in tariff_columns],
        columns=[Column("acts", _("Actes")), Column("amount", _("Montant (€)"))],
        cells=[list(per_period[column.key]) for column in tariff_columns],
    )
    amounts_total = sum((Decimal(r["total"]) for r in acts), start=Decimal(0))

    teleconsultations = sum(
        r["acts"] for r in acts if r["source_kind"] == BilledAct.SourceKind.TELECONSULTATION
    )
    counted = count_capped_teleconsultations(doctor=actor, year=year)
    specialty = Professional.objects.filter(user=actor).values_list("specialty", flat=True).first()
    psychiatrist = specialty in PSYCHIATRY
    other_acts = (
        ActivityDeclaration.objects.filter(doctor=actor, year=year)
        .values_list("other_acts", flat=True)
        .first()
    )
    status = picture = None
    if other_acts is not None:
        status = cap_status(
            counted_teleconsultations=counted,
            total_acts=other_acts + teleconsultations,
            psychiatrist=psychiatrist,
        )
        picture = gauge(ratio=status.ratio, warning=WARNING_RATIO, limit=status.limit)
    cap = CapGauge(counted, teleconsultations, other_acts, psychiatrist, status, picture)

    now = timezone.now()
    mine = ExpertiseRequest.objects.filter(
        Q(assigned_to=actor) | Q(requested_specialist=actor, assigned_to__isnull=True),
        status__in=OPEN_EXPERTISE,
    ).aggregate(waiting=Count("id"), overdue=Count("id", filter=Q(due_at__lt=now)))
    at_limit = (
        BilledAct.objects.filter(
            doctor=actor,
            code="TE2",
            performed_at__gte=_start_of(date(year, 1, 1)),
            performed_at__lt=end,
        )
        .values("patient_id")
        .annotate(total=Count("id"))
        .filter(total__gte=TELEEXPERTISE_YEARLY_LIMIT)
        .count()
    )
    expertise = ExpertiseCounters(
        given=sum(
            r["acts"] for r in acts if r["source_kind"] == BilledAct.SourceKind.TELEEXPERTISE_ANSWER
        ),
        requested=sum(
            r["acts"]
            for r in acts
            if r["source_kind"] == BilledAct.SourceKind.TELEEXPERTISE_REQUEST
        ),
        waiting_for_me=mine["waiting"],
        overdue_for_me=mine["overdue"],
        patients_at_limit=at_limit,
    )

    closed_by_me = RequestEvent.objects.filter(kind=RequestEvent.Kind.CLOSED, author=actor).values(
        "request_id"
    )
    request_waits = (
        OnlineRequest.objects.filter(pk__in=closed_by_me, closed_at__gte=start, closed_at__lt=end)
        .annotate(wait=_wait("closed_at", "submitted_at"))
        .values_list("wait", flat=True)
    )
    expertise_waits = (
        ExpertiseRequest.objects.filter(
            assigned_to=actor, answered_at__gte=start, answered_at__lt=end
        )
        .annotate(wait=_wait("answered_at", "submitted_at"))
        .values_list("wait", flat=True)
    )
    # Case discussions sent to this doctor: from the routing to their first answer.
    first_answer = (
        Comment.objects.filter(case=OuterRef("case"), author=actor)
        .order_by("created_at")
        .values("created_at")[:1]
    )
    case_waits = (
        CaseRouting.objects.filter(doctor=actor, routed_at__gte=start, routed_at__lt=end)
        .annotate(first=Subquery(first_answer))
        .filter(first__isnull=False)
        .annotate(wait=_wait("first", "routed_at"))
        .values_list("wait", flat=True)
    )
    timings = Table(
        slug="delais",
        title=_("Délais de réponse (heures)"),
        row_header=_("Demandes"),
        rows=[
            str(_("Demandes en ligne terminées")),
            str(_("Téléexpertises rendues")),
            str(_("Cas cliniques (première réponse)")),
        ],
        columns=TIMING_COLUMNS,
        cells=[
            _timing_row(timing([_hours(w) for w in request_waits])),
            _timing_row(timing([_hours(w) for w in expertise_waits])),
            _timing_row(timing([_hours(w) for w in case_waits])),
        ],
    )
    return DoctorActivity(
        year=year,
        months=months,
        acts=column_chart(acts_table),
        amounts=column_chart(amounts_table),
        tariffs=tariffs,
        amounts_total=amounts_total,
        cap=cap,
        expertise=expertise,
        timings=timings,
    )


def list_acts_to_export_for(*, actor: User, first: date, last: date) -> QuerySet[BilledAct]:
    """Return the doctor's billed acts from `first` to `last` (days in Paris), oldest first.

    Raises:
        Http404: for anyone but a doctor.
    """
    _require_doctor(actor)
    start = datetime(first.year, first.month, first.day, tzinfo=PARIS)
    end = datetime(last.year, last.month, last.day, tzinfo=PARIS) + timedelta(days=1)
    return (
        BilledAct.objects.filter(doctor=actor, performed_at__gte=start, performed_at__lt=end)
        .select_related("patient__patient_profile")
        .order_by("performed_at", "id")
    )


# --- The territory ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TerritoryActivity:
    department: str
    departments: list[str]
    months: list[date]
    acts_by_month: Chart
    acts_by_commune: Chart
    commune_months: Table
    without_treating_doctor: Chart
    late_requests: Table
    late_total: int
    answer_times: Chart
    visits: Chart
    expertise_times: Chart
    search: str = ""  # the page's commune search, which `territory_excerpt` applied
    # Every commune's name folded once a snapshot (lower case, no accents), for the search.
    folded_names: dict[str, str] = field(default_factory=dict)

    def table(self, slug: str) -> Table:
        charts = (
            self.acts_by_month,
            self.acts_by_commune,
            self.without_treating_doctor,
            self.answer_times,
            self.visits,
            self.expertise_times,
        )
        tables = {
            t.slug: t for t in (*(c.table for c in charts), self.commune_months, self.late_requests)
        }
        if slug not in tables:
            raise Http404
        return tables[slug]


def territory_window(today: date) -> tuple[date, date]:
    """The last twelve months, this one included."""
    last = today.replace(day=1)
    first_year, first_month = divmod(last.year * 12 + last.month - 1 - (TERRITORY_MONTHS - 1), 12)
    return date(first_year, first_month + 1, 1), last


def list_departments_for(*, actor: User) -> list[str]:
    """Return the departments where practices work, for the coordinator's filter.

    Raises:
        Http404: for anyone but a coordinator or an operator.
    """
    _require_coordinator(actor)
    return list(
        Commune.objects.filter(practices__isnull=False)
        .values_list("department", flat=True)
        .distinct()
        .order_by("department")
    )


def territory_activity_for(*, actor: User, department: str = "") -> TerritoryActivity:
    """Return the territory's telemedicine figures of the last twelve months, by month.

    Aggregates only: counts and durations, never a person. `department` narrows to one
    department ("" for the whole territory): acts and tele-expertise by the patient's commune,
    online requests by the practice's.

    Raises:
        Http404: for anyone but a coordinator or an operator, or an unknown department.
    """
    departments = list_departments_for(actor=actor)
    if department and department not in departments:
        raise Http404
    now = timezone.now()
    first, last = territory_window(timezone.localdate(now, PARIS))
    months = months_between(first, last)
    start, end = _start_of(first), _after(last)
    keys = [m.isoformat() for m in months]
    labels = [month_label(m) for m in months]
    patient_place = (
        Q(patient__patient_profile__commune__department=department) if department else Q()
    )
    practice_place = Q(practice__commune__department=department) if department else Q()
    unknown = str(_("Commune non renseignée"))

    acts = list(
        BilledAct.objects.filter(patient_place, performed_at__gte=start, performed_at__lt=end)
        .annotate(month=_month("performed_at"))
        .values(
            "month",
            "source_kind",
            commune_name=F("patient__patient_profile__commune__name"),
            commune_department=F("patient__patient_profile__commune__department"),
        )
        .annotate(total=Count("id"))
        .order_by()
    )
    overview = sorted(
        (
            row
            for row in territory_overview_for(actor=actor)
            if not department or row.department == department
        ),
        key=communes_by_need,
    )
    late = list(
        OnlineRequest.objects.filter(practice_place, status__in=WITH_THE_TEAM, promised_by__lt=now)
        .values(
            commune_name=F("practice__commune__name"),
            commune_department=F("practice__commune__department"),
        )
        .annotate(total=Count("id"), oldest=Min("promised_by"))
        .order_by()
    )
    # A commune is its name and department: two Saint-Amand are two rows, each named with
    # its department.
    label_of = _commune_labels(
        {(r["commune_name"], r["commune_department"]) for r in (*acts, *late)}
        | {(row.commune, row.department) for row in overview},
        unknown,
    )
    acts_by_month = Table(
        slug="actes-par-mois",
        title=_("Actes de télémédecine par mois et par type"),
        row_header=_("Mois"),
        rows=labels,
        columns=KIND_COLUMNS,
        cells=pivot(
            [(_paris_month(r["month"]).isoformat(), r["source_kind"], r["total"]) for r in acts],
            row_keys=keys,
            columns=KIND_COLUMNS,
        ),
        total=True,
    )
    commune_of = [label_of[r["commune_name"], r["commune_department"]] for r in acts]
    acts_of: dict[str, int] = defaultdict(int)
    for name, r in zip(commune_of, acts, strict=True):
        acts_of[name] += r["total"]
    # Most acts first: the page shows the head of these tables, the CSV files all of them.
    communes = sorted(acts_of, key=lambda name: (-acts_of[name], name))
    acts_by_commune = Table(
        slug="actes-par-commune",
        title=_("Actes des douze mois par commune du patient et par type"),
        row_header=_("Commune"),
        rows=communes,
        columns=KIND_COLUMNS,
        cells=pivot(
            [
                (name, r["source_kind"], r["total"])
                for name, r in zip(commune_of, acts, strict=True)
            ],
            row_keys=communes,
            columns=KIND_COLUMNS,
        ),
        total=True,
    )
    month_columns = [Column(key, label) for key, label in zip(keys, labels, strict=True)]
    commune_months = Table(
        slug="actes-commune-mois",
        title=_("Actes par commune du patient et par mois"),
        row_header=_("Commune"),
        rows=communes,
        columns=month_columns,
        cells=pivot(
            [
                (name, _paris_month(r["month"]).isoformat(), r["total"])
                for name, r in zip(commune_of, acts, strict=True)
            ],
            row_keys=communes,
            columns=month_columns,
        ),
        total=True,
    )

    without = Table(
        slug="sans-medecin-traitant",
        title=_("Patients inscrits sans médecin traitant, par commune"),
        row_header=_("Commune"),
        rows=[label_of[row.commune, row.department] for row in overview],
        columns=[
            Column("without", _("Sans médecin traitant")),
            Column("patients", _("Patients inscrits")),
        ],
        cells=[[row.patients_without_treating_doctor, row.patients] for row in overview],
    )

    late.sort(key=lambda r: (-r["total"], label_of[r["commune_name"], r["commune_department"]]))
    late_requests = Table(
        slug="demandes-en-retard",
        title=_("Demandes en ligne en attente au-delà du délai promis"),
        row_header=_("Commune du lieu d'exercice"),
        rows=[label_of[r["commune_name"], r["commune_department"]] for r in late],
        columns=[Column("count", _("Demandes")), Column("late", _("Plus grand retard (h)"))],
        cells=[[r["total"], round(_hours(now - r["oldest"]), 1)] for r in late],
    )

    closed = OnlineRequest.objects.filter(practice_place, closed_at__gte=start, closed_at__lt=end)
    by_month = {
        _paris_month(month).isoformat(): result
        for month, result in _timings_by(
            closed.annotate(month=_month("closed_at"), wait=_wait("closed_at", "submitted_at")),
            "month",
        ).items()
    }
    answer_times = Table(
        slug="delais-demandes",
        title=_("Délai entre l'envoi et la fin d'une demande en ligne, par mois (heures)"),
        row_header=_("Mois"),
        rows=labels,
        columns=TIMING_COLUMNS[1:],
        cells=[_timing_row(by_month.get(key) or timing([]))[1:] for key in keys],
        unit="h",
    )
    visit = Appointment.objects.filter(online_request=OuterRef("pk")).exclude(
        status=Appointment.Status.CANCELLED
    )
    visit_rows = (
        closed.annotate(month=_month("closed_at"))
        .values("month")
        .annotate(
            with_visit=Count("id", filter=Q(Exists(visit))),
            without_visit=Count("id", filter=~Q(Exists(visit))),
        )
        .order_by()
    )
    visit_columns = [
        Column("without_visit", _("Terminées sans rendez-vous")),
        Column("with_visit", _("Suivies d'un rendez-vous")),
    ]
    visits = Table(
        slug="demandes-sans-rendez-vous",
        title=_("Demandes en ligne terminées, avec ou sans rendez-vous, par mois"),
        row_header=_("Mois"),
        rows=labels,
        columns=visit_columns,
        cells=pivot(
            [
                (_paris_month(r["month"]).isoformat(), column.key, r[column.key])
                for r in visit_rows
                for column in visit_columns
            ],
            row_keys=keys,
            columns=visit_columns,
        ),
        total=True,
    )

    expertise_place = (
        Q(patient__patient_profile__commune__department=department) if department else Q()
    )
    by_specialty = _timings_by(
        ExpertiseRequest.objects.filter(
            expertise_place, answered_at__gte=start, answered_at__lt=end
        ).annotate(wait=_wait("answered_at", "submitted_at")),
        "specialty",
    )
    overdue = dict(
        ExpertiseRequest.objects.filter(expertise_place, status__in=OPEN_EXPERTISE, due_at__lt=now)
        .values_list("specialty")
        .annotate(total=Count("id"))
        .values_list("specialty", "total")
    )
    specialties = sorted(set(by_specialty) | set(overdue), key=lambda s: str(Specialty(s).label))
    expertise_times = Table(
        slug="delais-teleexpertise",
        title=_("Délais de réponse des téléexpertises par spécialité (heures)"),
        row_header=_("Spécialité"),
        rows=[str(Specialty(s).label) for s in specialties],
        columns=[
            Column("median", _("Médiane (h)")),
            Column("p90", _("90e centile (h)")),
            Column("count", _("Avis rendus")),
            Column("overdue", _("En retard (plus de 7 jours)")),
        ],
        cells=[
            [*_timing_row(result)[1:], result.count, overdue.get(s, 0)]
            for s in specialties
            for result in [by_specialty.get(s) or timing([])]
        ],
        unit="h",
    )
    expertise_chart = bar_chart(
        Table(
            slug=expertise_times.slug,
            title=expertise_times.title,
            row_header=expertise_times.row_header,
            rows=expertise_times.rows,
            columns=expertise_times.columns[:2],
            cells=[row[:2] for row in expertise_times.cells],
            unit="h",
        )
    )
    # Labels translated now, not lazily: the figures are kept in a cache, one copy a language.
    return TerritoryActivity(
        department=department,
        departments=departments,
        months=months,
        acts_by_month=column_chart(acts_by_month).settled(),
        acts_by_commune=_undrawn(acts_by_commune.settled()),
        commune_months=commune_months.settled(),
        without_treating_doctor=_undrawn(without.settled()),
        late_requests=late_requests.settled(),
        late_total=sum(r["total"] for r in late),
        answer_times=bar_chart(answer_times).settled(),
        visits=column_chart(visits).settled(),
        expertise_times=_with_full_table(expertise_chart, expertise_times).settled(),
        folded_names={name: fold(name) for name in {*communes, *without.rows, *late_requests.rows}},
    )


def _commune_labels(
    places: set[tuple[str | None, str | None]], unknown: str
) -> dict[tuple[str | None, str | None], str]:
    """Each commune's row name: its name, or with its department where a name is shared.

    A commune is its name and department: two communes of one name in two departments are
    two rows, never merged.
    """
    departments: dict[str, set[str | None]] = defaultdict(set)
    for name, department in places:
        if name is not None:
            departments[name].add(department)
    labels: dict[tuple[str | None, str | None], str] = {}
    for name, department in places:
        if name is None:
            labels[name, department] = unknown
        elif len(departments[name]) == 1:
            labels[name, department] = name
        else:
            labels[name, department] = str(
                _("%(commune)s (%(department)s)") % {"commune": name, "department": department}
            )
    return labels


def _undrawn(table: Table) -> Chart:
    # Every commune is for the CSV files; only the page's head of the table is drawn.
    return Chart(table, "bars", WIDTH, HEIGHT)


def _rank_note(table: Table, shown: int, ranked_by: str) -> str:
    if shown == len(table.rows):
        return ""
    return str(
        _(
            "Les %(shown)s premières communes %(ranked_by)s, sur %(total)s ; "
            "le fichier CSV les contient toutes."
        )
        % {"shown": shown, "ranked_by": ranked_by, "total": format_number(len(table.rows))}
    )


def _search_note(table: Table, found: int, shown: int, search: str) -> str:
    note = str(
        _("Communes dont le nom contient « %(search)s » : %(found)s sur %(total)s.")
        % {"search": search, "found": found, "total": format_number(len(table.rows))}
    )
    if shown < found:
        note += " " + str(
            _(
                "Les %(shown)s premières sont affichées ; le fichier CSV contient toutes les communes."
            )
            % {"shown": shown}
        )
    return note


def _head(table: Table, search: str, ranked_by: str, folded_names: dict[str, str]) -> Table:
    """The first rows of a ranked table, or of its rows whose name contains `search`."""
    if not search:
        head = range(min(len(table.rows), TERRITORY_TOP_COMMUNES))
        return table.excerpt(head, _rank_note(table, len(head), ranked_by))
    folded = fold(search)
    found = [
        index
        for index, name in enumerate(table.rows)
        if folded in (folded_names.get(name) or fold(name))
    ]
    shown = found[:TERRITORY_TOP_COMMUNES]
    return table.excerpt(shown, _search_note(table, len(found), len(shown), search))


def territory_excerpt(activity: TerritoryActivity, *, search: str = "") -> TerritoryActivity:
    """Cut the commune tables to what the page shows: their head, or the communes searched.

    The page's size and cost stay the same however many communes the territory has: at most
    `TERRITORY_TOP_COMMUNES` rows a table, the ones that matter most first (most acts, most
    patients without a médecin traitant, most late requests). The CSV files hold every commune.
    """
    names = activity.folded_names
    by_acts = _head(activity.acts_by_commune.table, search, str(_("par nombre d'actes")), names)
    # The months of the same communes, in the same order.
    months = activity.commune_months
    rows = {name: index for index, name in enumerate(months.rows)}
    commune_months = months.excerpt([rows[name] for name in by_acts.rows], by_acts.note)
    without = _head(
        activity.without_treating_doctor.table,
        search,
        str(_("par nombre de patients sans médecin traitant")),
        names,
    )
    late = _head(activity.late_requests, search, str(_("par nombre de demandes en retard")), names)
    return replace(
        activity,
        acts_by_commune=bar_chart(by_acts),
        commune_months=commune_months,
        without_treating_doctor=bar_chart(without),
        late_requests=late,
        search=search,
        folded_names={},  # the page's excerpt is searched no more
    )


@dataclass(frozen=True)
class TerritorySnapshot:
    activity: TerritoryActivity
    computed_at: datetime

    @property
    def version(self) -> str:
        """What a cached fragment of this snapshot is keyed on."""
        return f"{self.activity.department}:{self.computed_at.timestamp()}:{self.activity.search}"


def _is_fresh(snapshot: TerritorySnapshot) -> bool:
    return (timezone.now() - snapshot.computed_at).total_seconds() < TERRITORY_CACHE_SECONDS


def _territory_key(department: str, part: str) -> str:
    return f"dashboards:territory:{department or '-'}:{get_language()}:{part}"


def territory_snapshot_for(*, actor: User, department: str = "") -> TerritorySnapshot:
    """Return every figure of the territory, every commune, as computed in the last few minutes.

    What the CSV files hold. The page reads an excerpt of the same snapshot, computed and
    stored with it, so the two agree. Labels are translated when computed, hence one snapshot
    per language.

    Raises:
        Http404: for anyone but a coordinator or an operator, or an unknown department.
    """
    _require_coordinator(actor)
    key = _territory_key(department, "all")
    snapshot = cache.get(key)
    if isinstance(snapshot, TerritorySnapshot):
        # A rebuild takes seconds at regional scale: one request makes it, the others keep
        # showing the previous snapshot meanwhile instead of all rebuilding it at once.
        refreshing = _territory_key(department, "refreshing")
        if _is_fresh(snapshot) or not cache.add(refreshing, True, TERRITORY_REBUILD_SECONDS):
            return snapshot
    try:
        snapshot = TerritorySnapshot(
            activity=territory_activity_for(actor=actor, department=department),
            computed_at=timezone.now(),
        )
        page = replace(snapshot, activity=territory_excerpt(snapshot.activity))
        cache.set(key, snapshot, TERRITORY_CACHE_SECONDS + TERRITORY_REBUILD_SECONDS)
        cache.set(_territory_key(department, "page"), page, TERRITORY_CACHE_SECONDS)
    finally:
        cache.delete(_territory_key(department, "refreshing"))
    return snapshot


def territory_page_for(*, actor: User, department: str = "", search: str = "") -> TerritorySnapshot:
    """Return what the territory page shows: the snapshot with its commune tables cut short.

    Without a search, this reads only the excerpt stored with the snapshot, whose size does
    not grow with the number of communes. A search reads the whole snapshot.

    Raises:
        Http404: for anyone but a coordinator or an operator, or an unknown department.
    """
    _require_coordinator(actor)
    key = _territory_key(department, "page")
    if not search:
        page = cache.get(key)
        # Its age checked too, not only the cache's expiry: an excerpt of an old snapshot
        # is never shown once the snapshot is due to be rebuilt.
        if isinstance(page, TerritorySnapshot) and _is_fresh(page):
            return page
    snapshot = territory_snapshot_for(actor=actor, department=department)
    page = replace(snapshot, activity=territory_excerpt(snapshot.activity, search=search))
    age = (timezone.now() - snapshot.computed_at).total_seconds()
    if not search and age < TERRITORY_CACHE_SECONDS:
        # Evicted alone: stored again until the snapshot it comes from is old (an old one,
        # shown while another request rebuilds it, is not stored).
        cache.set(key, page, int(TERRITORY_CACHE_SECONDS - age))
    return page


def _with_full_table(chart: Chart, table: Table) -> Chart:
    """Draw some columns of a table, but show and export all of them."""
    return replace(chart, table=table, drawn=chart.table.columns)
