"""The only way to write the audit trail (STYLE rule 4)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.db import connection, models
from django.utils import timezone

from maillage.audit.models import AuditEvent
from maillage.core.middleware import current_client_ip, current_request_id

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from maillage.accounts.models import User

_ACTION = re.compile(r"[a-z][a-z_]*(\.[a-z][a-z_]*)+")
_ACTION_MAX_LENGTH = 64  # AuditEvent.action: a longer name fails on PostgreSQL, not on SQLite
_DETAIL_VALUE = (str, int, float, bool, type(None))


class AuditOutsideTransaction(RuntimeError):
    """An audit event must commit or roll back with the change it describes."""


def describe_target(target: models.Model) -> tuple[str, str]:
    """Return (type, id) for a row: its public UUID when it has one, never its content."""
    public_id = getattr(target, "public_id", None)
    return target._meta.label_lower, str(public_id if public_id is not None else target.pk)


def log_event(
    *,
    actor: User | AnonymousUser | None,
    action: str,
    target: models.Model | None = None,
    patient: User | None = None,
    reason: str = "",
    details: Mapping[str, str | int | float | bool | None] | None = None,
) -> AuditEvent:
    """Append an event to the audit trail, inside the caller's transaction.

    `action` is a dotted name (`accounts.proxy_granted`); `details` holds identifiers and codes
    only, never names or clinical text.

    Raises:
        AuditOutsideTransaction: when called outside `transaction.atomic`.
        ValueError: for a malformed action or a non-scalar detail.
    """
    if not connection.in_atomic_block:
        raise AuditOutsideTransaction(action)
    if len(action) > _ACTION_MAX_LENGTH or not _ACTION.fullmatch(action):
        raise ValueError(f"malformed audit action {action!r}")
    clean_details = dict(details or {})
    if not all(isinstance(value, _DETAIL_VALUE) for value in clean_details.values()):
        raise ValueError("audit details must be scalars (identifiers and codes only)")
    target_type, target_id = describe_target(target) if target is not None else ("", "")
    real_actor = actor if actor is not None and not actor.is_anonymous else None
    return AuditEvent.objects.create(
        occurred_at=timezone.now(),
        actor=real_actor,
        actor_role=getattr(real_actor, "role", ""),
        action=action,
        target_type=target_type,
        target_id=target_id,
        patient=patient,
        reason=reason[:255],
        request_id=current_request_id() if current_request_id() != "-" else "",
        ip_address=current_client_ip(),
        details=clean_details,
    )
