"""Writes of billed acts: recorded once per source, audited in the same transaction."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from maillage.accounts.models import User
from maillage.audit.services import log_event
from maillage.billing.models import BilledAct
from maillage.billing.parcours import ParcoursVerdict
from maillage.billing.tariffs import tariff_on
from maillage.core.exceptions import DomainError

# The tariff in force is the one of the day in France, not of the UTC day.
PARIS = ZoneInfo("Europe/Paris")


class VideoRequired(DomainError):
    default_message = _("Cet acte n'est facturable que s'il a été réalisé en vidéo.")


@transaction.atomic
def record_act(
    *,
    actor: User,
    doctor: User,
    patient: User,
    code: str,
    performed_at: datetime,
    source_kind: str,
    source_id: UUID,
    video: bool,
    parcours: ParcoursVerdict,
    counts_toward_cap: bool,
) -> BilledAct:
    """Record an act at the tariff of its day; recording the same act again returns the first.

    Raises:
        UnknownTariff: if no tariff period of `code` covers the day of the act.
        VideoRequired: if the code is billable only by video and the act was not.
        ValueError: if `performed_at` is naive or `source_kind` unknown.
    """
    if source_kind not in BilledAct.SourceKind.values:
        raise ValueError(f"unknown source kind {source_kind!r}")
    existing = BilledAct.objects.filter(
        source_kind=source_kind, source_id=source_id, code=code
    ).first()
    if existing is not None:
        return existing
    tariff = tariff_on(code, timezone.localtime(performed_at, PARIS).date())
    if tariff.video_required and not video:
        raise VideoRequired
    # The billing record is kept in French, the language of the Assurance Maladie, whatever
    # the language of the screen that triggered it.
    with translation.override("fr"):
        reason = str(parcours.reason)
    try:
        with transaction.atomic():
            act = BilledAct.objects.create(
                doctor=doctor,
                patient=patient,
                code=code,
                amount=tariff.amount,
                tariff_from=tariff.effective_from,
                performed_at=performed_at,
                source_kind=source_kind,
                source_id=source_id,
                video=video,
                parcours_status=parcours.status,
                parcours_rule=parcours.rule,
                parcours_reason=reason,
                counts_toward_cap=counts_toward_cap,
            )
    except IntegrityError:
        # A concurrent call recorded the same act first: the constraint keeps one row.
        return BilledAct.objects.get(source_kind=source_kind, source_id=source_id, code=code)
    log_event(
        actor=actor,
        action="billing.act_recorded",
        target=act,
        patient=patient,
        details={"code": code},
    )
    return act
