"""Writes of the dashboards: the doctor's declared activity, the audited export of acts."""

from __future__ import annotations

import csv
import io
from datetime import date

from django.db import transaction
from django.utils import timezone

from maillage.accounts.models import User
from maillage.audit.services import log_event
from maillage.billing.selectors import PARIS
from maillage.dashboards.models import ActivityDeclaration
from maillage.dashboards.selectors import list_acts_to_export_for

# Columns of the export, in the order billing software imports them (one line an act).
EXPORT_HEADER = [
    "date_acte",
    "heure",
    "code_acte",
    "montant",
    "nir",
    "cle_nir",
    "date_naissance",
    "nom",
    "prenom",
    "parcours",
    "reference",
]


@transaction.atomic
def declare_activity(*, actor: User, year: int, other_acts: int) -> ActivityDeclaration:
    """Record how many acts the doctor billed in `year` outside Maillage's teleconsultations.

    Raises:
        ValueError: for a negative count.
    """
    if other_acts < 0:
        raise ValueError("other_acts must be >= 0")
    declaration, _created = ActivityDeclaration.objects.update_or_create(
        doctor=actor, year=year, defaults={"other_acts": other_acts}
    )
    return declaration


@transaction.atomic
def export_acts(*, actor: User, first: date, last: date) -> str:
    """Write the doctor's acts from `first` to `last` as CSV for billing software; audit it.

    One line an act: day and time in France, code, amount with a decimal comma, the patient's
    NIR split into its 13 digits and its key (as FSE software asks for them), birth date and
    names, the parcours verdict and our reference of the act.

    Raises:
        Http404: for anyone but a doctor.
    """
    acts = list(list_acts_to_export_for(actor=actor, first=first, last=last))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(EXPORT_HEADER)
    for act in acts:
        profile = getattr(act.patient, "patient_profile", None)
        nir = profile.nir if profile is not None else ""
        moment = timezone.localtime(act.performed_at, PARIS)
        writer.writerow(
            [
                moment.strftime("%d/%m/%Y"),
                moment.strftime("%H:%M"),
                act.code,
                f"{act.amount:.2f}".replace(".", ","),
                nir[:13],
                nir[13:15],
                profile.birth_date.strftime("%d/%m/%Y") if profile is not None else "",
                act.patient.last_name.upper(),
                act.patient.first_name,
                act.parcours_status,
                str(act.public_id),
            ]
        )
    # Names and NIRs leave the platform: who exported which period is kept (no identifier).
    log_event(
        actor=actor,
        action="dashboards.acts_exported",
        details={"first": first.isoformat(), "last": last.isoformat(), "acts": len(acts)},
    )
    return out.getvalue()
