"""Operator use cases."""

from __future__ import annotations

from django.db import transaction

from maillage.accounts.models import User
from maillage.audit.models import AuditEvent
from maillage.audit.services import log_event
from maillage.operations.selectors import AuditFilters, search_audit_events_for


@transaction.atomic
def search_audit_trail(
    *, actor: User, filters: AuditFilters, before: int | None = None
) -> list[AuditEvent]:
    """Return a page of audit events and record the search itself in the trail.

    Reading the trail is an access to data about patients: every criterion is recorded, the
    object searched for included (it may be a patient's id).

    Raises:
        Http404: for anyone but an operator.
    """
    found = search_audit_events_for(actor=actor, filters=filters, before=before)
    log_event(
        actor=actor,
        action="operations.audit_searched",
        details={
            "actor": str(filters.actor or ""),
            "patient": str(filters.patient or ""),
            "action": filters.action,
            "target": filters.target,
            "since": filters.since.isoformat() if filters.since else "",
            "until": filters.until.isoformat() if filters.until else "",
            "before": before,
            "results": len(found),
        },
    )
    return found
