"""A year of telemedicine for the demo territory, so that every dashboard has something to say.

Acts go through `billing.services.record_act` (tariff of their day, audit entry), so December
shows TE2 at 20 € and January at 23 €. The services of online requests and tele-expertise
stamp "now"; their history is written here with the dates it would have had, as an import of
past activity would.
"""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from maillage.accounts.models import User
from maillage.accounts.specialties import Specialty
from maillage.billing.models import BilledAct
from maillage.billing.parcours import ParcoursFacts, verdict
from maillage.billing.selectors import PARIS, count_capped_teleconsultations
from maillage.billing.services import record_act
from maillage.consultations.models import OnlineRequest, RequestEvent
from maillage.dashboards.models import ActivityDeclaration
from maillage.directory.models import Practice, TreatingDoctorDeclaration
from maillage.expertise.models import ExpertiseRequest
from maillage.expertise.services import TELEEXPERTISE_BILLING
from maillage.teleconsultation.models import Appointment, Motive

MONTHS = 12
# Teleconsultations a month: (doctor, code, own patients, other patients).
TELECONSULTING = [
    ("Thiébaut", "TCG", 12, 6),
    ("Perrin", "TCG", 8, 4),
    ("Grandjean", "TCG", 6, 4),
    ("Lallemand", "TCG", 4, 8),
    ("Benali", "TC", 0, 12),
    ("Masson", "TCS", 0, 6),
]
# Tele-expertise a month: (specialist, specialty, requests).
EXPERTISE = [("Henry", Specialty.DERMATOLOGY, 7), ("Didier", Specialty.CARDIOLOGY, 6)]
REQUESTERS = ["Thiébaut", "Perrin", "Grandjean", "Lallemand"]


def _facts(*, treating: bool, specialty: str) -> ParcoursFacts:
    return ParcoursFacts(
        patient_age=55,
        doctor_is_treating_doctor=treating,
        patient_has_treating_doctor=True,
        referred_by_treating_doctor=not treating,
        doctor_specialty=specialty,
        emergency=False,
        treating_doctor_unavailable=False,
        through_territorial_organisation=True,
        lives_in_care_facility=False,
        is_prisoner=False,
        video=True,
    )


def _moment(rng: random.Random, month_start: datetime, now: datetime) -> datetime:
    """A weekday working hour of the month, never in the future."""
    for _attempt in range(20):
        day = month_start + timedelta(days=rng.randint(0, 27), hours=rng.randint(8, 18))
        if day.weekday() < 5 and day < now:
            return day
    return min(month_start + timedelta(hours=9), now - timedelta(hours=1))


def seed_dashboards(
    *, doctors: dict[str, User], practices: dict[str, Practice], patients: list[User], seed: int = 9
) -> None:
    rng = random.Random(seed)  # noqa: S311  # reproducible demo data, not security
    now = timezone.now()
    here = timezone.localtime(now, PARIS)
    first = here.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    months = []
    for back in range(MONTHS - 1, -1, -1):
        year, month = divmod(first.year * 12 + first.month - 1 - back, 12)
        months.append(first.replace(year=year, month=month + 1))
    treating = dict(
        TreatingDoctorDeclaration.objects.filter(ended_at__isnull=True).values_list(
            "patient_id", "doctor_id"
        )
    )
    # Growth over the year, as a territory adopting telemedicine.
    for index, month_start in enumerate(months):
        scale = 0.6 + 0.4 * index / (MONTHS - 1)
        for name, code, own, other in TELECONSULTING:
            doctor = doctors[name]
            mine = [p for p in patients if treating.get(p.pk) == doctor.pk]
            others = [p for p in patients if treating.get(p.pk) != doctor.pk]
            specialty = doctor.professional.specialty
            for is_own, count in ((True, own), (False, other)):
                pool = mine if is_own else others
                for _act in range(round(count * scale) if pool else 0):
                    record_act(
                        actor=doctor,
                        doctor=doctor,
                        patient=rng.choice(pool),
                        code=code,
                        performed_at=_moment(rng, month_start, now),
                        source_kind="teleconsultation",
                        source_id=uuid.uuid4(),
                        video=True,
                        parcours=verdict(_facts(treating=is_own, specialty=specialty)),
                        counts_toward_cap=not is_own,
                    )
        for name, specialty, count in EXPERTISE:
            for _request in range(round(count * scale)):
                _answered_expertise(
                    rng, doctors, doctors[name], specialty, patients, month_start, now
                )
    _expertise_waiting(doctors, patients, now)
    _request_history(rng, doctors, practices, patients, months, now)
    # The practices' own software holds the other acts: declared so that the cap gauges show.
    year = here.year
    for name, share in (("Thiébaut", 0.17), ("Benali", 0.36)):
        doctor = doctors[name]
        counted = count_capped_teleconsultations(doctor=doctor, year=year)
        teleconsultations = BilledAct.objects.filter(
            doctor=doctor,
            source_kind="teleconsultation",
            performed_at__gte=datetime(year, 1, 1, tzinfo=PARIS),
        ).count()
        other = max(round(counted / share) - teleconsultations, 0)
        ActivityDeclaration.objects.update_or_create(
            doctor=doctor, year=year, defaults={"other_acts": other}
        )


def _answered_expertise(
    rng: random.Random,
    doctors: dict[str, User],
    specialist: User,
    specialty: str,
    patients: list[User],
    month_start: datetime,
    now: datetime,
) -> None:
    submitted = _moment(rng, month_start, now)
    answered = min(submitted + timedelta(hours=rng.choice([3, 8, 20, 30, 50, 70, 120])), now)
    requester = doctors[rng.choice(REQUESTERS)]
    request = ExpertiseRequest.objects.create(
        requester=requester,
        patient=rng.choice(patients),
        specialty=specialty,
        requested_specialist=specialist,
        assigned_to=specialist,
        question="Avis demandé (historique de démonstration).",
        status=ExpertiseRequest.Status.ANSWERED,
        consent=ExpertiseRequest.Consent.GIVEN,
        consent_recorded_at=submitted,
        submitted_at=submitted,
        due_at=submitted + timedelta(days=7),
        answered_at=answered,
    )
    for code, doctor, kind in [
        ("TE2", specialist, "teleexpertise_answer"),
        ("RQD", requester, "teleexpertise_request"),
    ]:
        record_act(
            actor=specialist,
            doctor=doctor,
            patient=request.patient,
            code=code,
            performed_at=answered,
            source_kind=kind,
            source_id=request.public_id,
            video=False,
            parcours=TELEEXPERTISE_BILLING,
            counts_toward_cap=False,
        )


def _expertise_waiting(doctors: dict[str, User], patients: list[User], now: datetime) -> None:
    """Two requests past their seven days, for the specialty table."""
    for specialty, days in ((Specialty.CARDIOLOGY, 9), (Specialty.PSYCHIATRY, 8)):
        submitted = now - timedelta(days=days)
        ExpertiseRequest.objects.create(
            requester=doctors["Perrin"],
            patient=patients[5],
            specialty=specialty,
            question="Avis demandé (historique de démonstration).",
            consent=ExpertiseRequest.Consent.GIVEN,
            consent_recorded_at=submitted,
            submitted_at=submitted,
            due_at=submitted + timedelta(days=7),
        )


def _request_history(
    rng: random.Random,
    doctors: dict[str, User],
    practices: dict[str, Practice],
    patients: list[User],
    months: list[datetime],
    now: datetime,
) -> None:
    """Online requests of the last six months, closed by their doctors, some with a visit."""
    handlers = {
        "lamarche": [doctors["Thiébaut"], doctors["Perrin"]],
        "neufchateau": [doctors["Grandjean"]],
        "commercy": [doctors["Lallemand"]],
    }
    closed: list[tuple[OnlineRequest, User]] = []
    for month_start in months[-6:]:
        for key, per_month in (("lamarche", 14), ("neufchateau", 6), ("commercy", 8)):
            for _request in range(per_month):
                submitted = _moment(rng, month_start, now)
                wait = timedelta(hours=rng.choice([1, 2, 3, 5, 8, 20, 26, 40, 70]))
                if submitted + wait >= now:
                    continue
                request = OnlineRequest(
                    practice=practices[key],
                    patient=rng.choice(patients),
                    submitted_by=None,
                    route=rng.choice(list(OnlineRequest.Route.values)),
                    subject="Demande (historique de démonstration)",
                    message="Historique de démonstration.",
                    status=OnlineRequest.Status.CLOSED,
                    submitted_at=submitted,
                    promised_by=submitted + timedelta(hours=48),
                    closed_at=submitted + wait,
                )
                request.submitted_by = request.patient
                closed.append((request, rng.choice(handlers[key])))
    OnlineRequest.objects.bulk_create([request for request, _doctor in closed])
    RequestEvent.objects.bulk_create(
        RequestEvent(request=request, kind=RequestEvent.Kind.CLOSED, author=doctor)
        for request, doctor in closed
    )
    RequestEvent.objects.filter(
        kind=RequestEvent.Kind.CLOSED, request__in=[request for request, _doctor in closed]
    ).update(
        created_at=Subquery(
            OnlineRequest.objects.filter(pk=OuterRef("request_id")).values("closed_at")[:1]
        )
    )
    # One request in four led to a visit at the practice.
    Appointment.objects.bulk_create(
        Appointment(
            doctor=doctor,
            patient=request.patient,
            booked_by=doctor,
            practice=request.practice,
            mode=Appointment.Mode.IN_PERSON,
            motive=Motive.FOLLOW_UP,
            online_request=request,
            starts_at=request.submitted_at + timedelta(days=2, minutes=15 * index),
            ends_at=request.submitted_at + timedelta(days=2, minutes=15 * index + 15),
            status=Appointment.Status.COMPLETED,
        )
        for index, (request, doctor) in enumerate(closed)
        if index % 4 == 0
    )
    # Two requests waiting past their promise, at Neufchâteau and Commercy.
    for key, hours in (("neufchateau", 60), ("commercy", 75)):
        submitted = now - timedelta(hours=hours)
        OnlineRequest.objects.create(
            practice=practices[key],
            patient=patients[6],
            submitted_by=patients[6],
            route=OnlineRequest.Route.RENEWAL,
            subject="Renouvellement (historique de démonstration)",
            message="Historique de démonstration.",
            submitted_at=submitted,
            promised_by=submitted + timedelta(hours=48),
        )
