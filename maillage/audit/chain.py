"""Tamper evidence for the audit trail: every event sealed into a SHA-256 hash chain.

A periodic task seals the events a minute old, in id order, each seal hashing the event's
content with the previous seal's hash. `manage.py verify_audit_chain` recomputes the chain:
an event changed, a seal removed or reordered, or a hash rewritten shows as a broken link. The
minute's margin lets transactions still open when the task runs commit first; an event that
commits later is sealed at the next run (the chain follows the seals' order, not the ids').
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from maillage.audit.models import AuditChainHead, AuditEvent, AuditSeal

GENESIS = "0" * 64
SEAL_AFTER = timedelta(minutes=1)
BATCH = 5000


def canonical(event: AuditEvent) -> bytes:
    """The event's content, byte for byte as it is hashed."""
    content = {
        "id": event.pk,
        "occurred_at": event.occurred_at.isoformat(),
        "actor": event.actor_id,
        "actor_role": event.actor_role,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "patient": event.patient_id,
        "reason": event.reason,
        "request_id": event.request_id,
        "ip_address": event.ip_address,
        "details": event.details,
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), default=str).encode()


def link(previous_hash: str, event: AuditEvent) -> str:
    return hashlib.sha256(previous_hash.encode() + canonical(event)).hexdigest()


def seal_pending(*, now: datetime | None = None) -> int:
    """Seal the unsealed events older than a minute; return how many were sealed."""
    moment = now or timezone.now()
    with transaction.atomic():
        head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        events = list(
            AuditEvent.objects.filter(
                seal__isnull=True, occurred_at__lt=moment - SEAL_AFTER
            ).order_by("id")[:BATCH]
        )
        seals = []
        sequence, previous = head.last_sequence, head.last_hash
        for event in events:
            sequence += 1
            current = link(previous, event)
            seals.append(
                AuditSeal(sequence=sequence, event=event, previous_hash=previous, hash=current)
            )
            previous = current
        AuditSeal.objects.bulk_create(seals)
        if seals:
            head.last_sequence, head.last_hash = sequence, previous
            head.save(update_fields=["last_sequence", "last_hash"])
    return len(seals)


@dataclass
class Verification:
    checked: int = 0
    problems: list[str] = field(default_factory=list)
    unsealed: int = 0  # events past the margin not sealed yet: the task is late, not tampering

    @property
    def intact(self) -> bool:
        return not self.problems


def verify_chain(*, now: datetime | None = None) -> Verification:
    """Recompute the whole chain; describe every broken link (sequence numbers only)."""
    result = Verification()
    expected_sequence, previous = 1, GENESIS
    seals = AuditSeal.objects.select_related("event").order_by("sequence").iterator(2000)
    for seal in seals:
        if seal.sequence != expected_sequence:
            result.problems.append(
                f"seal {expected_sequence}: missing (the chain jumps to {seal.sequence})"
            )
        if seal.previous_hash != previous:
            result.problems.append(f"seal {seal.sequence}: does not follow the previous seal")
        if link(seal.previous_hash, seal.event) != seal.hash:
            result.problems.append(f"seal {seal.sequence}: event {seal.event_id} was changed")
        previous, expected_sequence = seal.hash, seal.sequence + 1
        result.checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_sequence, head.last_hash) != (
        expected_sequence - 1,
        previous,
    ):
        result.problems.append("the chain's end does not match its last seal")
    moment = now or timezone.now()
    result.unsealed = AuditEvent.objects.filter(
        seal__isnull=True, occurred_at__lt=moment - 10 * SEAL_AFTER
    ).count()
    return result
