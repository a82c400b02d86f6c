"""The retention engine with frozen dates (R.1112-7 CSP; checklist E3)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction

from maillage.accounts.models import User
from maillage.accounts.tests.factories import PatientFactory
from maillage.audit.models import AuditEvent
from maillage.records import retention, services
from maillage.records.models import RecordEntry

PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    ("last_care", "birth", "died", "expected"),
    [
        (date(2000, 5, 10), date(1950, 1, 1), None, date(2020, 5, 10)),  # 20 years
        (date(2000, 5, 10), date(1995, 3, 1), None, date(2023, 3, 1)),  # 28th birthday later
        (date(2000, 5, 10), date(1970, 1, 1), date(2004, 6, 1), date(2014, 6, 1)),  # death
        (date(2000, 5, 10), date(1970, 1, 1), date(2015, 6, 1), date(2020, 5, 10)),  # later death
        (date(2004, 2, 29), date(1950, 1, 1), None, date(2024, 2, 29)),
        (date(2001, 2, 28), date(1996, 2, 29), None, date(2024, 2, 29)),
    ],
)
def test_keep_until(last_care: date, birth: date, died: date | None, expected: date) -> None:
    assert retention.keep_until(last_care=last_care, birth_date=birth, deceased_on=died) == expected


def _care(patient: User, when: datetime) -> None:
    with transaction.atomic():
        services.file_entry(
            patient=patient,
            kind=RecordEntry.Kind.MESSAGE,
            title="Consultation",
            body="…",
            occurred_at=when,
            source_type="tests.source",
            source_id=uuid.uuid4(),
            document=b"%PDF-1.4",
            file_name="x.pdf",
            content_type="application/pdf",
            extension=".pdf",
        )


@pytest.mark.django_db
def test_dry_run_reports_apply_deletes_and_a_hold_protects(operator: User) -> None:
    old = PatientFactory(birth_date=date(1940, 1, 1))
    held = PatientFactory(birth_date=date(1940, 1, 1))
    recent = PatientFactory(birth_date=date(1940, 1, 1))
    _care(old, datetime(2005, 3, 1, 10, tzinfo=PARIS))
    _care(held, datetime(2005, 3, 1, 10, tzinfo=PARIS))
    _care(recent, datetime(2005, 3, 1, 10, tzinfo=PARIS))
    _care(recent, datetime(2010, 3, 1, 10, tzinfo=PARIS))
    retention.place_hold(actor=operator, patient=held, reason="Réclamation amiable en cours")
    with time_machine.travel(datetime(2026, 11, 22, 12, tzinfo=PARIS), tick=False):
        report = retention.run(apply=False)
        assert (report.due, report.held, report.deleted_entries) == (2, 1, 0)
        assert RecordEntry.objects.count() == 4
        out = StringIO()
        call_command("retention", "--apply", stdout=out)
    assert "2 record(s) past retention, 1 held, 1 entries deleted" in out.getvalue()
    assert old.pk not in set(RecordEntry.objects.values_list("patient_id", flat=True))
    assert RecordEntry.objects.filter(patient=held).count() == 1
    assert RecordEntry.objects.filter(patient=recent).count() == 2
    assert AuditEvent.objects.filter(action="records.retention_purged", patient=old).exists()
