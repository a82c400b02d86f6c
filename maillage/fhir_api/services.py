"""Writes of the FHIR API: the audit of every read (the API itself never changes data)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from maillage.accounts.models import User
from maillage.audit.services import log_event
from maillage.records.selectors import RecordAccess

# In the records' namespace on purpose: an API read is a read of the record, and the
# patient's "who saw my record" page labels every `records.` action.
ACTIONS = {
    "read": "records.fhir_read",
    "search": "records.fhir_search",
    "everything": "records.fhir_everything",
}


def record_api_read(
    *,
    actor: User,
    accesses: Iterable[RecordAccess],
    client_id: str,
    interaction: str,
    resource_type: str,
    resource_id: str = "",
    returned: int,
) -> None:
    """Trace a read of records through the API: one event per record reached, as pages do.

    Called before the response is built: when the audit cannot be written, nothing is sent.
    """
    with transaction.atomic():
        for access in accesses:
            log_event(
                actor=actor,
                action=ACTIONS[interaction],
                patient=access.patient,
                reason=access.basis,
                details={
                    "channel": "fhir",
                    "resource_type": resource_type,
                    "resource_id": resource_id,
                    "returned": returned,
                    "client_id": client_id,
                },
            )
