from __future__ import annotations

from collections.abc import Sequence

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from maillage.audit.models import AuditEvent, AuditTrailIsAppendOnly
from maillage.audit.services import log_event


@pytest.fixture
def event(db: None) -> AuditEvent:
    return log_event(actor=None, action="records.opened", reason="original")


def _reloaded(event: AuditEvent) -> AuditEvent:
    return AuditEvent.objects.get(pk=event.pk)


def _run_raw(sql: str, params: Sequence[int | str]) -> None:
    # In a savepoint: the refused statement must not break the test's transaction.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_an_event_cannot_be_saved_again(event: AuditEvent) -> None:
    event.reason = "rewritten"
    with pytest.raises(AuditTrailIsAppendOnly):
        event.save()
    assert _reloaded(event).reason == "original"


def test_an_event_cannot_be_deleted(event: AuditEvent) -> None:
    with pytest.raises(AuditTrailIsAppendOnly):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_events_cannot_be_updated_in_bulk(event: AuditEvent) -> None:
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(reason="rewritten")
    # bulk_update opens its own atomic block: give it a savepoint to roll back to.
    with pytest.raises(AuditTrailIsAppendOnly), transaction.atomic():
        AuditEvent.objects.bulk_update([event], ["reason"])
    assert _reloaded(event).reason == "original"


def test_events_cannot_be_deleted_in_bulk(event: AuditEvent) -> None:
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_a_new_instance_with_the_id_of_an_event_does_not_overwrite_it(event: AuditEvent) -> None:
    forged = AuditEvent(pk=event.pk, occurred_at=timezone.now(), action="records.forged")

    with pytest.raises(IntegrityError), transaction.atomic():
        forged.save()

    assert _reloaded(event).action == "records.opened"


@pytest.mark.postgres
def test_on_postgresql_the_trigger_refuses_a_raw_update_and_delete(event: AuditEvent) -> None:
    # given an event, and SQL that bypasses every Python-level guard
    update = "UPDATE audit_auditevent SET reason = %s WHERE id = %s"
    delete = "DELETE FROM audit_auditevent WHERE id = %s"

    # when they are run
    with pytest.raises(DatabaseError, match="append-only") as update_error:
        _run_raw(update, ["rewritten", event.pk])
    with pytest.raises(DatabaseError, match="append-only") as delete_error:
        _run_raw(delete, [event.pk])

    # then both are refused by the database, and the row is intact
    assert "UPDATE" in str(update_error.value)
    assert "DELETE" in str(delete_error.value)
    assert _reloaded(event).reason == "original"


@pytest.mark.postgres
def test_on_postgresql_new_events_are_still_accepted(event: AuditEvent) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_auditevent'::regclass "
            "AND NOT tgisinternal"
        )
        triggers = [row[0] for row in cursor.fetchall()]
    assert triggers == ["audit_event_no_update_delete"]
    assert log_event(actor=None, action="records.opened").pk > event.pk
