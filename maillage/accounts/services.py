"""Use cases on accounts: registration, professionals, proxies. Audited in their transaction."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.accounts.models import (
    CarerInvitation,
    PatientProfile,
    Professional,
    Proxy,
    Role,
    User,
)
from maillage.audit.services import log_event
from maillage.core.exceptions import DomainError, NotAllowed
from maillage.core.identifiers import validate_nir, validate_rpps
from maillage.core.mail import send_email_later

PARIS = ZoneInfo("Europe/Paris")
MAJORITY_AGE = 18


class ProxyNotAllowed(DomainError):
    default_message = _("Cette personne ne peut pas être désignée comme mandataire.")


@transaction.atomic
def register_patient(
    *,
    email: str,
    password: str | None,
    first_name: str,
    last_name: str,
    birth_date: date,
    sex: str,
    nir: str = "",
    **profile: Any,
) -> User:
    """Create a patient account with its civil identity.

    Raises:
        ValidationError: when the NIR is malformed or its key is wrong.
    """
    clean_nir = validate_nir(nir) if nir else ""
    user = User.objects.create_user(
        email, password, first_name=first_name, last_name=last_name, role=Role.PATIENT
    )
    complete_patient_signup(user=user, birth_date=birth_date, sex=sex, nir=clean_nir, **profile)
    return user


@transaction.atomic
def complete_patient_signup(
    *, user: User, birth_date: date, sex: str, **profile: Any
) -> PatientProfile:
    """Attach a patient's civil identity to a freshly saved account (sign-up or registration)."""
    patient_profile = PatientProfile.objects.create(
        user=user, birth_date=birth_date, sex=sex, **profile
    )
    log_event(actor=None, action="accounts.patient_registered", target=user, patient=user)
    return patient_profile


@transaction.atomic
def create_professional(
    *,
    actor: User | None,
    email: str,
    password: str | None,
    first_name: str,
    last_name: str,
    role: Role,
    rpps: str,
    specialty: str,
    verified: bool = False,
) -> User:
    """Create a doctor's account with their RPPS (a wrong Luhn key is kept as a warning).

    Raises:
        ValidationError: when the RPPS is not 11 digits.
    """
    check = validate_rpps(rpps)
    user = User.objects.create_user(
        email, password, first_name=first_name, last_name=last_name, role=role
    )
    Professional.objects.create(
        user=user,
        rpps=check.value,
        rpps_key_ok=check.luhn_ok,
        specialty=specialty,
        verification=Professional.Verification.OPERATOR
        if verified
        else Professional.Verification.PENDING,
        verified_at=timezone.now() if verified else None,
    )
    log_event(
        actor=actor,
        action="accounts.professional_created",
        target=user,
        details={"rpps_key_ok": check.luhn_ok, "specialty": specialty},
    )
    return user


@transaction.atomic
def verify_professional(*, actor: User, professional: Professional) -> None:
    """Record that an operator checked this RPPS in the Annuaire santé."""
    if professional.is_verified:
        return
    professional.verification = Professional.Verification.OPERATOR
    professional.verified_at = timezone.now()
    professional.save(update_fields=["verification", "verified_at"])
    log_event(actor=actor, action="accounts.professional_verified", target=professional.user)


@transaction.atomic
def mark_professional_verified_by_psc(*, professional: Professional) -> None:
    """Record that Pro Santé Connect vouched for this professional's RPPS."""
    if professional.verification == Professional.Verification.PRO_SANTE_CONNECT:
        return
    professional.verification = Professional.Verification.PRO_SANTE_CONNECT
    professional.verified_at = timezone.now()
    professional.save(update_fields=["verification", "verified_at"])
    log_event(
        actor=professional.user,
        action="accounts.professional_verified_psc",
        target=professional.user,
    )


def _eighteenth_birthday(birth_date: date) -> datetime:
    try:
        day = birth_date.replace(year=birth_date.year + MAJORITY_AGE)
    except ValueError:  # born on 29 February
        day = date(birth_date.year + MAJORITY_AGE, 3, 1)
    return datetime.combine(day, time.min, tzinfo=PARIS)


def _lock_patient(patient: User) -> None:
    # Serialises proxy changes of one patient: a double submit must not pass the checks twice.
    User.objects.select_for_update().filter(pk=patient.pk).first()


def _works_with_treating_doctor_of(*, staff: User, patient: User) -> bool:
    # Raw table names keep accounts below directory in the layering (docs/architecture.md).
    return User.objects.filter(
        pk=staff.pk,
        practice_memberships__ended_at__isnull=True,
        practice_memberships__practice__memberships__ended_at__isnull=True,
        practice_memberships__practice__memberships__user__treated_declarations__patient=patient,
        practice_memberships__practice__memberships__user__treated_declarations__ended_at__isnull=True,
    ).exists()


@transaction.atomic
def add_parent_proxy(*, actor: User, child: User, parent: User) -> Proxy:
    """Let a parent act for their minor child until the child's 18th birthday.

    Parental authority is checked on papers at the front desk, so only an operator or the
    staff of a practice where the child's médecin traitant works may record it.

    Raises:
        NotAllowed: for anyone else, the parent themself included.
        ProxyNotAllowed: when the child is not a minor patient or the parent is the child.
    """
    if actor == parent:
        raise NotAllowed  # nobody records their own parental authority
    if not actor.has_role(Role.OPERATOR) and not (
        actor.has_role(Role.STAFF) and _works_with_treating_doctor_of(staff=actor, patient=child)
    ):
        raise NotAllowed
    profile = PatientProfile.objects.filter(user=child).first()
    today = timezone.localdate()
    if profile is None or child == parent or profile.age_on(today) >= MAJORITY_AGE:
        raise ProxyNotAllowed(_("Seul un patient mineur peut être représenté par un parent."))
    _lock_patient(child)
    if Proxy.objects.filter(patient=child, proxy=parent, revoked_at__isnull=True).exists():
        raise ProxyNotAllowed(_("Ce parent peut déjà agir pour cet enfant."))
    proxy = Proxy.objects.create(
        patient=child,
        proxy=parent,
        kind=Proxy.Kind.PARENT,
        granted_by=actor,
        ends_at=_eighteenth_birthday(profile.birth_date),
    )
    log_event(
        actor=actor,
        action="accounts.proxy_granted",
        target=proxy,
        patient=child,
        details={"kind": "parent"},
    )
    return proxy


INVITATION_VALIDITY = timedelta(days=14)


class InvitationNotAllowed(DomainError):
    default_message = _("Cette invitation n'est plus valable.")


@transaction.atomic
def invite_carer(*, actor: User, email: str, consent_statement: str) -> CarerInvitation:
    """Invite someone, by e-mail, to become the actor's carer; the actor's consent is recorded.

    The answer is the same whether or not the address has an account, so that inviting
    reveals nothing about who uses Maillage.

    Raises:
        ProxyNotAllowed: when the actor is not a patient, invites themself, or states no consent.
        InvitationNotAllowed: when an invitation to this address is already waiting.
    """
    address = email.strip().lower()
    if not actor.is_patient or not consent_statement.strip() or address == actor.email.lower():
        raise ProxyNotAllowed
    _lock_patient(actor)
    now = timezone.now()
    waiting = CarerInvitation.objects.filter(
        patient=actor, email__iexact=address, answered_at__isnull=True, cancelled_at__isnull=True
    )
    waiting.filter(expires_at__lte=now).update(cancelled_at=now)
    if waiting.filter(expires_at__gt=now).exists():
        raise InvitationNotAllowed(_("Une invitation attend déjà la réponse de cette adresse."))
    invitation = CarerInvitation.objects.create(
        patient=actor,
        email=address,
        consent_statement=consent_statement.strip(),
        created_at=now,
        expires_at=now + INVITATION_VALIDITY,
    )
    log_event(actor=actor, action="accounts.carer_invited", target=invitation, patient=actor)
    link = settings.SITE_URL + reverse("accounts:invitation", args=[invitation.public_id])
    context = {"inviter": actor.get_full_name(), "link": link, "expires_at": invitation.expires_at}
    send_email_later(
        to=[address],
        subject=str(_("[Maillage] Une invitation à devenir aidant")),
        body=render_to_string("accounts/email/carer_invitation.txt", context),
    )
    return invitation


@transaction.atomic
def accept_carer_invitation(*, actor: User, invitation: CarerInvitation) -> Proxy:
    """Accept an invitation addressed to the actor: they may now act for the patient.

    Raises:
        InvitationNotAllowed: when it was answered, cancelled, expired, or is not addressed to
            the actor's e-mail.
        ProxyNotAllowed: when the actor already acts for the patient.
    """
    invitation = CarerInvitation.objects.select_for_update().get(pk=invitation.pk)
    now = timezone.now()
    if not invitation.is_open_at(now) or invitation.email.lower() != actor.email.lower():
        raise InvitationNotAllowed
    patient = invitation.patient
    if actor.pk == patient.pk:
        raise ProxyNotAllowed
    _lock_patient(patient)
    pair = Proxy.objects.select_for_update().filter(
        patient=patient, proxy=actor, revoked_at__isnull=True
    )
    if pair.filter(Proxy.active_at_q(now)).exists():
        raise ProxyNotAllowed(_("Vous agissez déjà pour cette personne."))
    # A parent proxy that ended at the patient's majority still holds the pair's place in the
    # one-active-proxy constraint: close it at the moment it ended, so the carer can be named.
    for ended in pair.filter(ends_at__lte=now):
        ended.revoked_at = ended.ends_at
        ended.save(update_fields=["revoked_at"])
    proxy = Proxy.objects.create(
        patient=patient,
        proxy=actor,
        kind=Proxy.Kind.CARER,
        granted_by=patient,
        consent_recorded_at=invitation.created_at,
        consent_statement=invitation.consent_statement,
    )
    invitation.answered_at = now
    invitation.accepted = True
    invitation.proxy = proxy
    invitation.save(update_fields=["answered_at", "accepted", "proxy"])
    log_event(
        actor=actor,
        action="accounts.proxy_granted",
        target=proxy,
        patient=patient,
        details={"kind": "carer", "invitation": str(invitation.public_id)},
    )
    return proxy


@transaction.atomic
def decline_carer_invitation(*, actor: User, invitation: CarerInvitation) -> None:
    """Decline an invitation addressed to the actor.

    Raises:
        InvitationNotAllowed: when it is no longer open or not addressed to the actor.
    """
    invitation = CarerInvitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open_at(timezone.now()) or invitation.email.lower() != actor.email.lower():
        raise InvitationNotAllowed
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["answered_at"])
    log_event(
        actor=actor, action="accounts.carer_declined", target=invitation, patient=invitation.patient
    )


@transaction.atomic
def cancel_carer_invitation(*, actor: User, invitation: CarerInvitation) -> None:
    """Withdraw an invitation the actor sent and that is still waiting.

    Raises:
        InvitationNotAllowed: when it was already answered or cancelled, or is someone else's.
    """
    invitation = CarerInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.patient_id != actor.pk or invitation.answered_at or invitation.cancelled_at:
        raise InvitationNotAllowed
    invitation.cancelled_at = timezone.now()
    invitation.save(update_fields=["cancelled_at"])
    log_event(
        actor=actor, action="accounts.carer_invitation_cancelled", target=invitation, patient=actor
    )


@transaction.atomic
def revoke_proxy(*, actor: User, proxy: Proxy) -> Proxy:
    """End a proxy. The patient, the proxy themself or an operator may do it.

    Raises:
        NotAllowed: for anyone else, or a parent proxy revoked by the child before majority.
    """
    proxy = Proxy.objects.select_for_update().get(pk=proxy.pk)
    allowed = actor.pk in (proxy.proxy_id, proxy.patient_id) or actor.has_role(Role.OPERATOR)
    if proxy.kind == Proxy.Kind.PARENT and actor.pk == proxy.patient_id:
        allowed = False  # a minor cannot dismiss the holder of parental authority
    if not allowed:
        raise NotAllowed
    if proxy.revoked_at is None:
        proxy.revoked_at = timezone.now()
        proxy.save(update_fields=["revoked_at"])
        log_event(actor=actor, action="accounts.proxy_revoked", target=proxy, patient=proxy.patient)
    return proxy


def set_preferred_language(*, actor: User, language: str) -> None:
    """Remember the interface language on the account (e-mails and new browsers follow it)."""
    if language in dict(settings.LANGUAGES) and actor.language != language:
        User.objects.filter(pk=actor.pk).update(language=language)
        actor.language = language
