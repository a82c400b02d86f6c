"""A doctor's year: acts by Paris month and type, amounts by tariff, the cap, response times."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.http import Http404

from maillage.accounts.models import Role, User
from maillage.accounts.specialties import Specialty
from maillage.accounts.tests.factories import PatientFactory, ProfessionalFactory
from maillage.cases.models import Case, CaseRouting, Comment
from maillage.cases.services import timing
from maillage.dashboards.selectors import doctor_activity_for
from maillage.dashboards.services import declare_activity
from maillage.dashboards.tests.activity import (
    online_request,
    paris,
    teleconsultation,
    teleexpertise,
)
from maillage.directory.models import Practice

pytestmark = pytest.mark.django_db

MID_MARCH_2026 = paris(2026, 3, 15)


def test_acts_fall_in_the_month_of_paris_and_by_type(
    treating_clinician: User, patient: User, practice: Practice
) -> None:
    # given acts in January, one at 00:30 on 1 March in Paris (still February in UTC)
    specialist = ProfessionalFactory(role=Role.SPECIALIST)
    with time_machine.travel(MID_MARCH_2026, tick=False):
        teleconsultation(treating_clinician, patient, paris(2026, 1, 10))
        teleconsultation(treating_clinician, patient, paris(2026, 3, 1, 0, 30))
        teleexpertise(specialist, treating_clinician, patient, paris(2026, 1, 20))
        online_request(
            practice,
            patient,
            paris(2026, 2, 2),
            closed_after=timedelta(hours=5),
            closed_by=treating_clinician,
        )
        # when
        activity = doctor_activity_for(actor=treating_clinician, year=2026)

    # then: three months, January to March; the RQD is the requester's, the TE2 not
    table = activity.acts.table
    assert [m.month for m in activity.months] == [1, 2, 3]
    assert table.column("teleconsultation") == [1, 0, 1]
    assert table.column("teleexpertise_request") == [1, 0, 0]
    assert table.column("teleexpertise_answer") == [0, 0, 0]
    assert table.column("online_request") == [0, 1, 0]
    assert activity.expertise.requested == 1
    assert activity.amounts_total == Decimal("60.00")  # 2 TCG at 25 € + RQD at 10 €


def test_the_new_years_night_act_is_billed_at_the_new_tariff_in_january(
    treating_clinician: User, patient: User
) -> None:
    # given a TE2 at 23:30 on 31 December in Paris, and one at 00:30 on 1 January
    specialist = ProfessionalFactory(role=Role.SPECIALIST)
    with time_machine.travel(paris(2026, 2, 10), tick=False):
        teleexpertise(specialist, treating_clinician, patient, paris(2025, 12, 31, 23, 30))
        teleexpertise(specialist, treating_clinician, patient, paris(2026, 1, 1, 0, 30))
        last_year = doctor_activity_for(actor=specialist, year=2025)
        this_year = doctor_activity_for(actor=specialist, year=2026)

    # then each month has the tariff of its days: 20 € in December, 23 € in January
    assert [str(c.label) for c in last_year.amounts.table.columns] == ["TE2 à 20,00 €"]
    assert last_year.amounts.table.cells[-1] == [Decimal("20.00")]
    assert [str(c.label) for c in this_year.amounts.table.columns] == ["TE2 à 23,00 €"]
    assert this_year.amounts.table.cells[0] == [Decimal("23.00")]
    assert this_year.tariffs.cells == [[1, Decimal("23.00")]]


def test_a_month_with_two_tariffs_shows_both(treating_clinician: User, patient: User) -> None:
    # given the same month billed at two tariff periods (a table edited mid-month, say)
    with time_machine.travel(MID_MARCH_2026, tick=False):
        teleconsultation(treating_clinician, patient, paris(2026, 3, 2))
        act = teleconsultation(treating_clinician, patient, paris(2026, 3, 3))
        type(act).objects.filter(pk=act.pk).update(
            amount=Decimal("23.00"), tariff_from=paris(2026, 3, 3).date()
        )
        activity = doctor_activity_for(actor=treating_clinician, year=2026)

    # then one column per period, each with its own amount
    assert [str(c.label) for c in activity.amounts.table.columns] == [
        "TCG à 25,00 €",
        "TCG à 23,00 €",
    ]
    assert activity.amounts.table.cells[2] == [Decimal("25.00"), Decimal("23.00")]


def _cap_activity(
    doctor: User, *, capped: int, uncapped: int, other_acts: int | None, expertise: int = 0
) -> object:
    patient = PatientFactory()
    with time_machine.travel(MID_MARCH_2026, tick=False):
        for day in range(capped):
            teleconsultation(doctor, patient, paris(2026, 1, day + 1))
        for day in range(uncapped):
            teleconsultation(doctor, patient, paris(2026, 2, day + 1), capped=False)
        for day in range(expertise):
            teleexpertise(doctor, ProfessionalFactory(), patient, paris(2026, 3, day + 1))
        if other_acts is not None:
            declare_activity(actor=doctor, year=2026, other_acts=other_acts)
        return doctor_activity_for(actor=doctor, year=2026).cap


@pytest.mark.parametrize(
    ("specialty", "capped", "uncapped", "other_acts", "ratio", "level"),
    [
        pytest.param(Specialty.GENERAL_PRACTICE, 3, 1, 17, "0.14285", "ok", id="14.3%"),
        pytest.param(Specialty.GENERAL_PRACTICE, 3, 1, 16, "0.15", "warning", id="15%"),
        pytest.param(Specialty.GENERAL_PRACTICE, 4, 1, 15, "0.20", "over", id="20%"),
        pytest.param(Specialty.PSYCHIATRY, 4, 1, 15, "0.20", "warning", id="20%-psychiatry"),
        pytest.param(Specialty.PSYCHIATRY, 4, 0, 7, "0.3636", "warning", id="36%-psychiatry"),
        pytest.param(Specialty.PSYCHIATRY, 4, 0, 6, "0.40", "over", id="40%-psychiatry"),
        pytest.param(Specialty.CHILD_PSYCHIATRY, 4, 0, 6, "0.40", "over", id="40%-child"),
    ],
)
def test_cap_ratio_at_the_boundaries(
    specialty: str, capped: int, uncapped: int, other_acts: int, ratio: str, level: str
) -> None:
    role = Role.GP if specialty == Specialty.GENERAL_PRACTICE else Role.SPECIALIST
    doctor = ProfessionalFactory(role=role, specialty=specialty)
    cap = _cap_activity(doctor, capped=capped, uncapped=uncapped, other_acts=other_acts)
    assert cap.status is not None  # type: ignore[attr-defined]
    assert cap.status.ratio == pytest.approx(Decimal(ratio), abs=Decimal("0.0001"))  # type: ignore[attr-defined]
    assert cap.status.level == level  # type: ignore[attr-defined]


def test_tele_expertise_and_treating_doctor_patients_stay_out_of_the_cap() -> None:
    doctor = ProfessionalFactory()
    # 3 capped of 20 (3 + 2 uncapped + 15 declared) = 15 %, whatever the 5 tele-expertises
    cap = _cap_activity(doctor, capped=3, uncapped=2, other_acts=15, expertise=5)
    assert (cap.counted, cap.teleconsultations, cap.total_acts) == (3, 5, 20)  # type: ignore[attr-defined]
    assert cap.status.ratio == Decimal("0.15")  # type: ignore[attr-defined]


def test_without_a_declaration_there_is_no_ratio() -> None:
    cap = _cap_activity(ProfessionalFactory(), capped=2, uncapped=0, other_acts=None)
    assert (cap.counted, cap.status, cap.picture) == (2, None, None)  # type: ignore[attr-defined]


def test_response_times_use_the_platform_percentiles(
    treating_clinician: User, patient: User, practice: Practice
) -> None:
    hours = [1, 2, 3, 4, 30]
    with time_machine.travel(MID_MARCH_2026, tick=False):
        for index, wait in enumerate(hours):
            online_request(
                practice,
                patient,
                paris(2026, 2, index + 1),
                closed_after=timedelta(hours=wait),
                closed_by=treating_clinician,
            )
        # closed by someone else: not this doctor's answer time
        online_request(
            practice,
            patient,
            paris(2026, 2, 9),
            closed_after=timedelta(hours=99),
            closed_by=patient,
        )
        activity = doctor_activity_for(actor=treating_clinician, year=2026)
    expected = timing([float(h) for h in hours])
    assert activity.timings.cells[0] == [5, expected.median_hours, expected.p90_hours]
    assert activity.timings.cells[0] == [5, 3.0, 30.0]


@pytest.mark.parametrize("persona", ["patient", "staff", "operator"])
def test_only_doctors_have_an_activity(persona: str, request: pytest.FixtureRequest) -> None:
    with pytest.raises(Http404):
        doctor_activity_for(actor=request.getfixturevalue(persona), year=2026)


def test_next_year_does_not_exist_yet(treating_clinician: User) -> None:
    with time_machine.travel(MID_MARCH_2026, tick=False), pytest.raises(Http404):
        doctor_activity_for(actor=treating_clinician, year=2027)


def test_case_discussion_response_time_runs_from_routing_to_the_first_answer(
    treating_clinician: User,
) -> None:
    author = ProfessionalFactory()
    with time_machine.travel(MID_MARCH_2026, tick=False):
        for hours in (1, 5, 9):
            case = Case.objects.create(
                author=author,
                status=Case.Status.PUBLISHED,
                title="Cas",
                published_at=paris(2026, 3, 1),
            )
            CaseRouting.objects.create(
                case=case,
                doctor=treating_clinician,
                channel=CaseRouting.Channel.LIVE,
                routed_at=paris(2026, 3, 1),
            )
            for offset in (hours, hours + 20):  # only the first answer counts
                comment = Comment.objects.create(case=case, author=treating_clinician, body="Avis")
                Comment.objects.filter(pk=comment.pk).update(
                    created_at=paris(2026, 3, 1) + timedelta(hours=offset)
                )
        unanswered = Case.objects.create(author=author, status=Case.Status.PUBLISHED, title="Cas")
        CaseRouting.objects.create(
            case=unanswered,
            doctor=treating_clinician,
            channel=CaseRouting.Channel.DIGEST,
            routed_at=paris(2026, 3, 2),
        )
        activity = doctor_activity_for(actor=treating_clinician, year=2026)
    assert activity.timings.cells[2] == [3, 5.0, 9.0]
