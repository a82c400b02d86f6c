"""The hash chain: sealed events verify; a changed event, a removed seal or a rewritten hash
shows; young events wait for the margin; the command says so with its exit code."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper
from django.utils import timezone

from maillage.audit.chain import SEAL_AFTER, seal_pending, verify_chain
from maillage.audit.models import AuditEvent, AuditSeal
from maillage.audit.services import log_event

pytestmark = pytest.mark.django_db


def events(count: int) -> None:
    with transaction.atomic():
        for n in range(count):
            log_event(actor=None, action="tests.chained", details={"n": n})


@contextmanager
def tampering() -> Iterator[CursorWrapper]:
    """Raw SQL, as an attacker with database access would; PostgreSQL's append-only triggers
    are switched off for the occasion (the verifier is what is under test here)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")  # user triggers off
        try:
            yield cursor
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("SET session_replication_role = DEFAULT")


def later() -> datetime:
    return timezone.now() + SEAL_AFTER + timedelta(seconds=5)


def test_sealed_events_verify_and_young_ones_wait() -> None:
    events(5)
    assert seal_pending() == 0, "younger than the margin"
    assert seal_pending(now=later()) == 5
    assert seal_pending(now=later()) == 0, "each event is sealed once"
    events(2)
    assert seal_pending(now=later()) == 2
    result = verify_chain()
    assert result.intact, result.problems
    assert result.checked == 7
    assert list(AuditSeal.objects.values_list("sequence", flat=True)) == list(range(1, 8))


def test_a_changed_event_breaks_its_link() -> None:
    events(3)
    seal_pending(now=later())
    victim = AuditEvent.objects.order_by("id")[1]
    with tampering() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET action = %s WHERE id = %s", ["tests.innocent", victim.pk]
        )
    result = verify_chain()
    assert result.problems == [f"seal 2: event {victim.pk} was changed"]


def test_a_removed_seal_and_a_rewritten_hash_show() -> None:
    events(4)
    seal_pending(now=later())
    with tampering() as cursor:
        cursor.execute("DELETE FROM audit_auditseal WHERE sequence = 2")
    assert "seal 2: missing (the chain jumps to 3)" in verify_chain().problems
    with tampering() as cursor:
        cursor.execute("UPDATE audit_auditseal SET hash = %s WHERE sequence = 4", ["f" * 64])
    assert "seal 4: event" in " ".join(verify_chain().problems)


def test_the_command_exits_with_an_error_when_the_chain_is_broken() -> None:
    events(2)
    seal_pending(now=later())
    call_command("verify_audit_chain")
    with tampering() as cursor:
        cursor.execute("UPDATE audit_auditevent SET reason = 'réécrit'")
    with pytest.raises(CommandError, match="audit chain broken"):
        call_command("verify_audit_chain")


@pytest.mark.postgres
def test_on_postgresql_seals_cannot_be_rewritten() -> None:
    events(1)
    seal_pending(now=later())
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        AuditSeal.objects.filter(sequence=1).update(hash="0" * 64)
