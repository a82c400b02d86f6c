"""Reads about practices and care relationships, scoped to the actor."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from maillage.accounts.models import PatientProfile, Role, User
from maillage.accounts.selectors import list_represented_patients_for
from maillage.core.models import Commune
from maillage.directory.models import Practice, PracticeMembership, TreatingDoctorDeclaration


def get_treating_doctor_for(*, actor: User) -> TreatingDoctorDeclaration | None:
    """Return the actor's current médecin traitant declaration, with the doctor's practices."""
    return (
        TreatingDoctorDeclaration.objects.filter(patient=actor, ended_at__isnull=True)
        .select_related("doctor", "doctor__professional")
        .prefetch_related("doctor__practice_memberships__practice__commune")
        .first()
    )


def list_practices_for(*, actor: User) -> QuerySet[Practice]:
    """Return the practices where the actor currently works."""
    return (
        Practice.objects.filter(memberships__user=actor, memberships__ended_at__isnull=True)
        .select_related("commune")
        .order_by("name")
        .distinct()
    )


def count_declared_patients_for(*, actor: User) -> int:
    """Return how many patients currently declare the actor as their médecin traitant."""
    return TreatingDoctorDeclaration.objects.filter(doctor=actor, ended_at__isnull=True).count()


def list_practice_colleagues_for(*, actor: User) -> QuerySet[User]:
    """Return the doctors and staff working with the actor in any of their practices."""
    return (
        User.objects.filter(
            practice_memberships__ended_at__isnull=True,
            practice_memberships__practice__memberships__user=actor,
            practice_memberships__practice__memberships__ended_at__isnull=True,
        )
        .exclude(pk=actor.pk)
        .select_related("professional")
        .order_by("last_name")
        .distinct()
    )


@dataclass(frozen=True)
class CommuneFigures:
    commune: str
    department: str
    practices: int
    doctors: int
    patients: int
    patients_without_treating_doctor: int


def communes_by_need(row: CommuneFigures) -> tuple[int, int, str, str]:
    """The territory's order of communes: most patients without a médecin traitant first.

    Then most patients, then by name and department.
    """
    return (-row.patients_without_treating_doctor, -row.patients, row.commune, row.department)


def territory_overview_for(*, actor: User) -> list[CommuneFigures]:
    """Return counts per commune for a coordinator: aggregates only, never a person.

    Raises:
        Http404: for anyone but a coordinator or an operator.
    """
    if not actor.has_role(Role.COORDINATOR, Role.OPERATOR):
        raise Http404
    # Distinct people, not memberships: a doctor may work in two practices of one commune.
    doctors = Count(
        "practices__memberships__user",
        filter=Q(
            practices__memberships__kind="doctor", practices__memberships__ended_at__isnull=True
        ),
        distinct=True,
    )
    communes = (
        Commune.objects.annotate(
            practice_count=Count("practices", distinct=True), doctor_count=doctors
        )
        .filter(practice_count__gt=0)
        .values("id", "name", "department", "practice_count", "doctor_count")
    )
    patients = dict(
        PatientProfile.objects.filter(commune__isnull=False)
        .values_list("commune_id")
        .annotate(total=Count("id"))
        .values_list("commune_id", "total")
    )
    # NOT EXISTS, not exclude(user_id__in=…): PostgreSQL cannot turn NOT IN into an anti-join
    # (NULL semantics), and once the declarations outgrow work_mem it rescans them for every
    # patient: minutes at 1,000,000 patients, where the hash anti-join takes about a second.
    current = TreatingDoctorDeclaration.objects.filter(
        patient_id=OuterRef("user_id"), ended_at__isnull=True
    )
    without = dict(
        PatientProfile.objects.filter(commune__isnull=False)
        .filter(~Exists(current))
        .values_list("commune_id")
        .annotate(total=Count("id"))
        .values_list("commune_id", "total")
    )
    figures = {
        row["id"]: CommuneFigures(
            commune=row["name"],
            department=row["department"],
            practices=row["practice_count"],
            doctors=row["doctor_count"],
            patients=patients.get(row["id"], 0),
            patients_without_treating_doctor=without.get(row["id"], 0),
        )
        for row in communes
    }
    for commune_id, name, department in Commune.objects.filter(
        id__in=set(patients) - set(figures)
    ).values_list("id", "name", "department"):
        figures[commune_id] = CommuneFigures(
            name, department, 0, 0, patients.get(commune_id, 0), without.get(commune_id, 0)
        )
    return sorted(figures.values(), key=lambda row: (row.department, row.commune))


def territory_head_for(*, actor: User, limit: int) -> tuple[list[CommuneFigures], int]:
    """Return the first `limit` communes in `communes_by_need` order, and how many there are.

    Raises:
        Http404: for anyone but a coordinator or an operator.
    """
    rows = sorted(territory_overview_for(actor=actor), key=communes_by_need)
    return rows[:limit], len(rows)


# Who may be declared: general practitioners, and paediatricians for children.
DECLARABLE_SPECIALTIES = ("medecine-generale", "pediatrie")


def list_declarable_doctors_for(*, actor: User) -> QuerySet[User]:
    """Return the doctors the actor may choose as médecin traitant, nearest department first.

    Doctors working in a practice, of the actor's department when it is known. A search by
    name and distance replaces this list when the directory lands (issue 8).
    """
    working = PracticeMembership.objects.filter(ended_at__isnull=True, kind="doctor")
    doctors = User.objects.filter(
        is_active=True,
        professional__specialty__in=DECLARABLE_SPECIALTIES,
        pk__in=working.values("user_id"),
    )
    department = (
        PatientProfile.objects.filter(user=actor, commune__isnull=False)
        .values_list("commune__department", flat=True)
        .first()
    )
    if department:
        doctors = doctors.filter(
            practice_memberships__ended_at__isnull=True,
            practice_memberships__practice__commune__department=department,
        )
    return (
        doctors.select_related("professional")
        .prefetch_related(
            Prefetch(
                "practice_memberships",
                queryset=working.select_related("practice__commune"),
            )
        )
        .order_by("last_name", "first_name", "pk")
        .distinct()
    )


def list_treating_declarations_for(*, actor: User) -> dict[int, TreatingDoctorDeclaration]:
    """Return the current declaration of the actor and of each person they represent."""
    people = [actor.pk, *list_represented_patients_for(actor=actor).values_list("pk", flat=True)]
    return {
        declaration.patient_id: declaration
        for declaration in TreatingDoctorDeclaration.objects.filter(
            patient_id__in=people, ended_at__isnull=True
        ).select_related("doctor")
    }
