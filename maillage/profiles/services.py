"""Doctors' public profiles: save a version, lint it, publish with consent, withdraw.

Every save creates a version and runs the communication-rules linter (maillage.directory.linter)
on it. Error-level findings block publication unless the doctor writes why they stand by the
text; that justification is kept with the version and the act is audited. Publishing records
the doctor's consent to show that version (R.4127-20) and copies what the directory searches.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from maillage.accounts.models import DOCTOR_ROLES, User
from maillage.audit.services import log_event
from maillage.billing.fees import FEE_NOTICE
from maillage.consultations.models import RequestEvent
from maillage.core.exceptions import DomainError, NotAllowed
from maillage.core.uploads import CleanUpload
from maillage.deid.images import scrub_image
from maillage.directory import linter
from maillage.directory.models import Practice
from maillage.profiles.models import DoctorProfile, ProfileVersion, PublicationConsent
from maillage.teleconsultation.models import TeleconsultationOffer

CONSENT_STATEMENT = _(
    "J'autorise Maillage à publier ce profil, sous mon nom et ma qualité de médecin, dans "
    "l'annuaire public. Je peux le modifier ou le retirer à tout moment (article R.4127-20 du "
    "code de la santé publique)."
)
# Fewer answered requests than this in 90 days: no response time is shown (it would mislead).
MIN_REQUESTS_FOR_RESPONSE_TIME = 5
ANSWER_KINDS = (
    RequestEvent.Kind.MESSAGE,
    RequestEvent.Kind.INFO_REQUESTED,
    RequestEvent.Kind.CLOSED,
)


class BlockingFindings(DomainError):
    default_message = _(
        "Ce profil contient des formulations contraires aux règles de communication : "
        "corrigez-les, ou expliquez pourquoi vous les maintenez."
    )


@dataclass(frozen=True)
class ProfileDraft:
    presentation: str
    languages: Sequence[str]
    practice: Practice | None
    accepts_new_patients: bool
    accepts_treating: bool
    fees: str
    photo: CleanUpload | None = None
    keep_photo: bool = True


def _require_doctor(actor: User) -> None:
    professional = getattr(actor, "professional", None)
    if actor.role not in DOCTOR_ROLES or professional is None or professional.verified_at is None:
        raise NotAllowed(_("Seuls les médecins vérifiés ont un profil public."))


def _unique_slug(doctor: User) -> str:
    base = slugify(f"{doctor.first_name} {doctor.last_name}")[:60] or "medecin"
    slug, suffix = base, 2
    while DoctorProfile.objects.filter(slug=slug).exists():
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


def profile_of(doctor: User) -> DoctorProfile:
    profile = DoctorProfile.objects.filter(doctor=doctor).first()
    if profile is None:
        profile = DoctorProfile.objects.create(doctor=doctor, slug=_unique_slug(doctor))
    return profile


def _offers_teleconsultation(doctor: User) -> bool:
    return TeleconsultationOffer.objects.filter(doctor=doctor, enabled=True).exists()


def _as_dict(finding: linter.Finding, field: str | None = None) -> dict[str, object]:
    return {
        "rule": finding.rule,
        "severity": finding.severity,
        "start": finding.start,
        "end": finding.end,
        "message": finding.message,
        "field": field or finding.field or "",
    }


def lint_version(version: ProfileVersion) -> list[dict[str, object]]:
    """What the communication rules say of a version: text rules, then required fields."""
    doctor = version.profile.doctor
    professional = doctor.professional
    findings: list[dict[str, object]] = []
    for field, text in (("presentation", version.presentation), ("fees", version.fees)):
        for finding in linter.lint_text(text, own_names=[doctor.first_name, doctor.last_name]):
            findings.append(_as_dict(finding, field))
    practice = version.practice
    offers_video = _offers_teleconsultation(doctor)
    for finding in linter.lint_profile(
        last_name=doctor.last_name,
        first_names=doctor.first_name,
        postal_address=f"{practice.address}, {practice.postcode}" if practice else "",
        email=professional.mssante_address or doctor.email,
        phone=practice.phone if practice else "",
        rpps=professional.rpps,
        specialty=professional.specialty,
        sector=professional.convention_sector,
        # The profile page prints the mandatory sentence under the fees, whatever is typed.
        fees_text=f"{version.fees}\n{FEE_NOTICE}",
        offers_booking=offers_video,
        offers_teleconsultation=offers_video,
        emergency_info_present=True,  # every profile page carries the emergency numbers
        consent_recorded=True,  # asked for at publication, which this linting precedes
    ):
        findings.append(_as_dict(finding))
    return findings


@transaction.atomic
def save_version(*, actor: User, draft: ProfileDraft) -> ProfileVersion:
    """Save the actor's profile as a new version and lint it (nothing is published)."""
    _require_doctor(actor)
    profile = DoctorProfile.objects.select_for_update().get(pk=profile_of(actor).pk)
    if (
        draft.practice is not None
        and not draft.practice.memberships.filter(user=actor, ended_at__isnull=True).exists()
    ):
        raise NotAllowed(_("Choisissez un lieu d'exercice où vous exercez."))
    previous = profile.versions.first()
    version = ProfileVersion(
        profile=profile,
        number=(previous.number + 1) if previous else 1,
        author=actor,
        presentation=draft.presentation.strip(),
        languages=sorted(set(draft.languages)),
        practice=draft.practice,
        accepts_new_patients=draft.accepts_new_patients,
        accepts_treating=draft.accepts_treating,
        fees=draft.fees.strip(),
    )
    if draft.photo is not None:
        cleaned = scrub_image(draft.photo.content)
        version.photo.save("photo", ContentFile(cleaned.content), save=False)
    elif draft.keep_photo and previous is not None and previous.photo:
        version.photo = previous.photo.name
    version.findings = lint_version(version)
    version.save()
    log_event(
        actor=actor,
        action="profiles.version_saved",
        target=profile,
        details={"version": version.number, "errors": len(version.errors)},
    )
    return version


@transaction.atomic
def publish(
    *, actor: User, version: ProfileVersion, consent: bool, justification: str = ""
) -> DoctorProfile:
    """Publish a version with the doctor's consent; blocking findings need a justification."""
    _require_doctor(actor)
    profile = DoctorProfile.objects.select_for_update().get(pk=version.profile_id)
    if profile.doctor_id != actor.pk:
        raise NotAllowed
    if not consent:
        raise DomainError(_("Cochez la case d'accord : rien n'est publié sans votre accord."))
    if version.practice is None:
        raise DomainError(_("Choisissez le lieu d'exercice à afficher."))
    justification = justification.strip()
    if version.errors and not justification:
        raise BlockingFindings
    if version.errors:
        ProfileVersion.objects.filter(pk=version.pk).update(override_justification=justification)
    PublicationConsent.objects.create(
        version=version, doctor=actor, statement=str(CONSENT_STATEMENT)
    )
    practice = version.practice
    profile.status = DoctorProfile.Status.PUBLISHED
    profile.published_version = version
    profile.published_at = timezone.now()
    profile.sort_name = f"{actor.last_name} {actor.first_name}".casefold()
    profile.specialty = actor.professional.specialty
    profile.latitude = float(practice.latitude)
    profile.longitude = float(practice.longitude)
    profile.languages = version.languages
    profile.accepts_new_patients = version.accepts_new_patients
    profile.accepts_treating = version.accepts_treating
    profile.save()
    log_event(
        actor=actor,
        action="profiles.published",
        target=profile,
        details={
            "version": version.number,
            "overridden_errors": len(version.errors) if justification else 0,
        },
    )
    return profile


@transaction.atomic
def withdraw(*, actor: User) -> DoctorProfile:
    """Take the profile out of the directory at once; its versions are kept."""
    profile = DoctorProfile.objects.select_for_update().get(doctor=actor)
    profile.status = DoctorProfile.Status.WITHDRAWN
    profile.save(update_fields=["status", "updated_at"])
    log_event(actor=actor, action="profiles.withdrawn", target=profile)
    return profile


def refresh_response_times(now: datetime | None = None) -> int:
    """Each published doctor's median time to answer an online request, over 90 days."""
    moment = now or timezone.now()
    since = moment - timedelta(days=90)
    # The first answer of each request: its earliest message, question or closing by a doctor.
    first: dict[int, tuple[object, int, float]] = {}
    rows = (
        RequestEvent.objects.filter(
            kind__in=ANSWER_KINDS,
            author__role__in=DOCTOR_ROLES,
            request__submitted_at__gte=since,
        )
        .values("request_id", "author_id", "request__submitted_at")
        .annotate(at=Min("created_at"))
        .values_list("request_id", "author_id", "request__submitted_at", "at")
    )
    for request_id, doctor_id, submitted, answered in rows:
        delay = (answered - submitted).total_seconds() / 3600
        if request_id not in first or delay < first[request_id][2]:
            first[request_id] = (request_id, doctor_id, delay)
    hours: dict[int, list[float]] = {}
    for _request, doctor_id, delay in first.values():
        hours.setdefault(doctor_id, []).append(delay)
    updated = 0
    for profile in DoctorProfile.objects.filter(status=DoctorProfile.Status.PUBLISHED).only(
        "pk", "doctor_id", "response_hours"
    ):
        values = hours.get(profile.doctor_id, [])
        value = round(median(values), 1) if len(values) >= MIN_REQUESTS_FOR_RESPONSE_TIME else None
        if value != profile.response_hours:
            DoctorProfile.objects.filter(pk=profile.pk).update(response_hours=value)
            updated += 1
    return updated
