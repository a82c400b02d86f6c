"""Reads about accounts, scoped to the actor who asks."""

from __future__ import annotations

from uuid import UUID

from allauth.mfa.models import Authenticator
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from maillage.accounts.mfa import ENROLLED_SECOND_FACTORS
from maillage.accounts.models import CarerInvitation, Proxy, User


def has_strong_second_factor(*, user: User) -> bool:
    """Return whether the user has a TOTP or a passkey (recovery codes alone do not count)."""
    return bool(Authenticator.objects.filter(user=user, type__in=ENROLLED_SECOND_FACTORS).exists())


def list_represented_patients_for(*, actor: User) -> QuerySet[User]:
    """Return the patients the actor may act for today (active proxies only)."""
    # One subquery on the actor's own proxies: conditions spread over a join and an exclude()
    # would test *any* proxy of the patient (a parent proxy ended at 18 hid the carer's one).
    active = Proxy.objects.filter(Proxy.active_at_q(timezone.now()), proxy=actor)
    return (
        User.objects.filter(pk__in=active.values("patient_id"))
        .select_related("patient_profile")
        .order_by("first_name", "pk")
    )


def list_proxies_for(*, actor: User) -> QuerySet[Proxy]:
    """Return the active proxies of the actor's own account (who may act for me)."""
    return (
        Proxy.objects.filter(Proxy.active_at_q(timezone.now()), patient=actor)
        .select_related("proxy")
        .order_by("starts_at")
    )


def get_proxy_for(*, actor: User, proxy_id: UUID) -> Proxy:
    """Return a proxy the actor is part of (as patient or as proxy); anyone else gets 404."""
    visible = Proxy.objects.filter(Q(patient=actor) | Q(proxy=actor), revoked_at__isnull=True)
    return get_object_or_404(visible.select_related("patient", "proxy"), public_id=proxy_id)


def can_act_for(*, actor: User, patient: User) -> bool:
    """Return whether the actor is the patient or holds an active proxy for them."""
    if actor.pk == patient.pk:
        return True
    return list_represented_patients_for(actor=actor).filter(pk=patient.pk).exists()


def can_consent_for(*, actor: User, patient: User) -> bool:
    """Whether the actor may give medical consent for the patient (L.1111-4).

    The patient themself, or a parent for a minor; never a carer: a carer may book, the
    patient agrees.
    """
    if actor.pk == patient.pk:
        return True
    return Proxy.objects.filter(
        Proxy.active_at_q(timezone.now()),
        proxy=actor,
        patient=patient,
        kind=Proxy.Kind.PARENT,
    ).exists()


def list_invitations_sent_by(*, actor: User) -> QuerySet[CarerInvitation]:
    """Return the carer invitations the actor sent that still wait for an answer."""
    return CarerInvitation.objects.filter(
        patient=actor,
        answered_at__isnull=True,
        cancelled_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).order_by("-created_at")


def list_invitations_for(*, actor: User) -> QuerySet[CarerInvitation]:
    """Return the open carer invitations addressed to the actor's e-mail."""
    return (
        CarerInvitation.objects.filter(
            email__iexact=actor.email,
            answered_at__isnull=True,
            cancelled_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .exclude(patient=actor)
        .select_related("patient")
        .order_by("-created_at")
    )


def get_invitation_for(*, actor: User, invitation_id: UUID) -> CarerInvitation:
    """Return an invitation the actor sent or that is addressed to them; others get 404."""
    visible = CarerInvitation.objects.filter(Q(patient=actor) | Q(email__iexact=actor.email))
    return get_object_or_404(visible.select_related("patient"), public_id=invitation_id)


def list_patients_actor_acts_for(*, actor: User) -> QuerySet[User]:
    """Return the actor (when a patient) and every patient they may act for today."""
    represented = list_represented_patients_for(actor=actor).values("pk")
    own = Q(pk=actor.pk) if actor.is_patient else Q(pk__in=[])
    return User.objects.filter(own | Q(pk__in=represented)).order_by("first_name", "pk")
