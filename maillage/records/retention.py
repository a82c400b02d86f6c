"""The retention engine of the medical record (REGULATION §5.1, checklist E3).

20 years after the last care event; at least until the patient's 28th birthday; 10 years after
death when the patient died less than 10 years after the last care; never while a legal hold is
in force. A dry run reports what would go; only an explicit run deletes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from maillage.accounts.models import PatientProfile, User
from maillage.audit.services import log_event
from maillage.records.models import LegalHold, RecordEntry, RecordExport, RetentionRun

YEARS_AFTER_LAST_CARE = 20
KEEP_UNTIL_AGE = 28
YEARS_AFTER_DEATH = 10


def _plus_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def keep_until(*, last_care: date, birth_date: date, deceased_on: date | None) -> date:
    """The last day the record must be kept (R.1112-7 CSP, CNOM recommendation)."""
    if deceased_on is not None and deceased_on < _plus_years(last_care, YEARS_AFTER_DEATH):
        return _plus_years(deceased_on, YEARS_AFTER_DEATH)
    return max(
        _plus_years(last_care, YEARS_AFTER_LAST_CARE), _plus_years(birth_date, KEEP_UNTIL_AGE)
    )


@dataclass(frozen=True)
class Decision:
    patient_id: int
    last_care: date
    keep_until: date
    held: bool


def review(*, today: date | None = None) -> list[Decision]:
    """Every patient whose record has passed its retention date (held ones included, flagged)."""
    day = today or timezone.localdate()
    last_care = dict(
        RecordEntry.objects.values("patient_id")
        .annotate(last=Max("occurred_at"))
        .values_list("patient_id", "last")
    )
    held = set(
        LegalHold.objects.filter(lifted_at__isnull=True).values_list("patient_id", flat=True)
    )
    profiles = PatientProfile.objects.filter(user_id__in=list(last_care)).values_list(
        "user_id", "birth_date", "deceased_on"
    )
    decisions = []
    for patient_id, birth_date, deceased_on in profiles:
        last = timezone.localtime(last_care[patient_id]).date()
        until = keep_until(last_care=last, birth_date=birth_date, deceased_on=deceased_on)
        if until < day:
            decisions.append(Decision(patient_id, last, until, patient_id in held))
    return decisions


def run(*, apply: bool, today: date | None = None) -> RetentionRun:
    """Report (dry run) or delete the records past retention; held records are never deleted."""
    decisions = review(today=today)
    deleted = 0
    if apply:
        for decision in decisions:
            if not decision.held:
                deleted += _purge(decision)
    return RetentionRun.objects.create(
        dry_run=not apply,
        due=len(decisions),
        held=sum(1 for decision in decisions if decision.held),
        deleted_entries=deleted,
    )


@transaction.atomic
def _purge(decision: Decision) -> int:
    patient = User.objects.select_for_update().get(pk=decision.patient_id)
    if LegalHold.objects.filter(patient=patient, lifted_at__isnull=True).exists():
        return 0  # a hold placed since the review
    entries = list(RecordEntry.objects.filter(patient=patient))
    for entry in entries:
        if entry.file:
            entry.file.delete(save=False)
    for export in RecordExport.objects.filter(patient=patient):
        if export.file:
            export.file.delete(save=False)
        export.delete()
    RecordEntry.objects.filter(pk__in=[entry.pk for entry in entries]).delete()
    log_event(
        actor=None,
        action="records.retention_purged",
        patient=patient,
        details={"entries": len(entries), "kept_until": decision.keep_until.isoformat()},
    )
    return len(entries)


@transaction.atomic
def place_hold(*, actor: User, patient: User, reason: str) -> LegalHold:
    hold = LegalHold.objects.create(patient=patient, reason=reason.strip()[:200], placed_by=actor)
    log_event(actor=actor, action="records.legal_hold_placed", target=hold, patient=patient)
    return hold
