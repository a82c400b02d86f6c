"""Recording a billed act: tariff of the day in Paris, once per source, audited atomically."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction

from maillage.accounts.models import User
from maillage.accounts.tests.factories import PatientFactory, ProfessionalFactory
from maillage.audit.models import AuditEvent
from maillage.billing import services
from maillage.billing.models import BilledAct
from maillage.billing.services import VideoRequired
from maillage.billing.tariffs import UnknownTariff
from maillage.billing.tests.factories import record_teleconsultation, treating_doctor_verdict

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def doctor(db: None) -> User:
    return ProfessionalFactory()


@pytest.fixture
def patient(db: None) -> User:
    return PatientFactory()


@pytest.mark.parametrize(
    ("performed_at", "amount", "tariff_from"),
    [
        # 23:30 in Paris on 31 December 2025 is 22:30 UTC: still the old tariff.
        (datetime(2025, 12, 31, 23, 30, tzinfo=PARIS), "20.00", date(2022, 4, 1)),
        # 00:30 in Paris on 1 January 2026 is still 31 December in UTC: the new tariff.
        (datetime(2025, 12, 31, 23, 30, tzinfo=UTC), "23.00", date(2026, 1, 1)),
    ],
)
def test_the_amount_is_the_tariff_of_the_day_in_paris(
    doctor: User, patient: User, performed_at: datetime, amount: str, tariff_from: date
) -> None:
    act = record_teleconsultation(
        doctor=doctor,
        patient=patient,
        performed_at=performed_at,
        code="TE2",
        source_kind=BilledAct.SourceKind.TELEEXPERTISE_ANSWER,
        video=False,
        counts_toward_cap=False,
    )
    act.refresh_from_db()
    assert act.amount == Decimal(amount)
    assert act.tariff_from == tariff_from


def test_the_act_keeps_the_parcours_verdict(doctor: User, patient: User) -> None:
    act = record_teleconsultation(
        doctor=doctor, patient=patient, performed_at=datetime(2026, 3, 2, 10, tzinfo=PARIS)
    )
    act.refresh_from_db()
    assert (act.code, act.amount, act.video) == ("TCG", Decimal("25.00"), True)
    assert (act.parcours_status, act.parcours_rule) == ("reimbursable", "treating_doctor")
    assert act.parcours_reason == "Le médecin est le médecin traitant."


def test_recording_the_same_act_twice_returns_the_first(doctor: User, patient: User) -> None:
    source_id = uuid.uuid4()
    at = datetime(2026, 3, 2, 10, tzinfo=PARIS)
    first = record_teleconsultation(
        doctor=doctor, patient=patient, performed_at=at, source_id=source_id
    )
    second = record_teleconsultation(
        doctor=doctor, patient=patient, performed_at=at, source_id=source_id
    )
    assert second.pk == first.pk
    assert BilledAct.objects.count() == 1
    assert AuditEvent.objects.filter(action="billing.act_recorded").count() == 1


def test_two_codes_for_one_source_are_two_acts(doctor: User, patient: User) -> None:
    source_id = uuid.uuid4()
    at = datetime(2026, 3, 2, 10, tzinfo=PARIS)
    record_teleconsultation(doctor=doctor, patient=patient, performed_at=at, source_id=source_id)
    record_teleconsultation(
        doctor=doctor, patient=patient, performed_at=at, source_id=source_id, code="TLM"
    )
    assert BilledAct.objects.filter(source_id=source_id).count() == 2


def test_the_database_refuses_a_duplicate(doctor: User, patient: User) -> None:
    act = record_teleconsultation(
        doctor=doctor, patient=patient, performed_at=datetime(2026, 3, 2, 10, tzinfo=PARIS)
    )
    act.pk = None
    act.public_id = uuid.uuid4()
    with pytest.raises(IntegrityError), transaction.atomic():
        act.save()


def test_recording_writes_an_audit_event_without_health_data(doctor: User, patient: User) -> None:
    act = record_teleconsultation(
        doctor=doctor, patient=patient, performed_at=datetime(2026, 3, 2, 10, tzinfo=PARIS)
    )
    event = AuditEvent.objects.get(action="billing.act_recorded")
    assert (event.actor, event.patient) == (doctor, patient)
    assert (event.target_type, event.target_id) == ("billing.billedact", str(act.public_id))
    assert event.details == {"code": "TCG"}


@pytest.mark.django_db(transaction=True)
def test_recording_opens_its_own_transaction() -> None:
    # No surrounding atomic block: log_event refuses to run outside one.
    doctor, patient = ProfessionalFactory(), PatientFactory()
    services.record_act(
        actor=doctor,
        doctor=doctor,
        patient=patient,
        code="TCG",
        performed_at=datetime(2026, 3, 2, 10, tzinfo=PARIS),
        source_kind="teleconsultation",
        source_id=uuid.uuid4(),
        video=True,
        parcours=treating_doctor_verdict(),
        counts_toward_cap=True,
    )
    assert AuditEvent.objects.filter(action="billing.act_recorded").count() == 1


def test_a_failed_audit_leaves_no_act(
    doctor: User, patient: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    class AuditFailed(Exception):
        pass

    def failing_log_event(**kwargs: object) -> None:
        raise AuditFailed

    monkeypatch.setattr(services, "log_event", failing_log_event)
    with pytest.raises(AuditFailed):
        record_teleconsultation(
            doctor=doctor, patient=patient, performed_at=datetime(2026, 3, 2, 10, tzinfo=PARIS)
        )
    assert not BilledAct.objects.exists()


def test_a_video_only_code_is_refused_without_video(doctor: User, patient: User) -> None:
    with pytest.raises(VideoRequired):
        record_teleconsultation(
            doctor=doctor,
            patient=patient,
            performed_at=datetime(2026, 3, 2, 10, tzinfo=PARIS),
            video=False,
        )
    assert not BilledAct.objects.exists()


def test_an_act_before_any_tariff_period_is_refused(doctor: User, patient: User) -> None:
    with pytest.raises(UnknownTariff):
        record_teleconsultation(
            doctor=doctor, patient=patient, performed_at=datetime(2022, 3, 31, 12, tzinfo=PARIS)
        )
    assert not BilledAct.objects.exists()


@pytest.mark.parametrize(
    ("performed_at", "source_kind"),
    [
        (datetime(2026, 3, 2, 10), "teleconsultation"),  # noqa: DTZ001  # naive on purpose
        (datetime(2026, 3, 2, 10, tzinfo=PARIS), "visio"),
    ],
)
def test_a_naive_time_or_unknown_source_is_a_programming_error(
    doctor: User, patient: User, performed_at: datetime, source_kind: str
) -> None:
    with pytest.raises(ValueError):  # noqa: PT011  # Django's and ours: two messages
        record_teleconsultation(
            doctor=doctor, patient=patient, performed_at=performed_at, source_kind=source_kind
        )


def test_str_holds_no_health_data(doctor: User, patient: User) -> None:
    act = record_teleconsultation(
        doctor=doctor, patient=patient, performed_at=datetime(2026, 3, 2, 10, tzinfo=PARIS)
    )
    assert str(act) == f"BilledAct {act.public_id}"
