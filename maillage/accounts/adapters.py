"""allauth adapters.

Patients sign up themselves; professionals are created by an operator or linked on their first
Pro Santé Connect login through their RPPS.
"""

from __future__ import annotations

import re
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from maillage.accounts import services
from maillage.accounts.mfa import ENROLLED_SECOND_FACTORS
from maillage.accounts.models import Professional, Role, User
from maillage.core.mail import send_email_later

STRONG_AUTHENTICATORS = ENROLLED_SECOND_FACTORS


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return bool(settings.MAILLAGE_SIGNUP_OPEN)

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """Let django-axes answer for an account it has locked out.

        allauth's own per-account limit on failed logins counts the same attempts; checked
        first, it would turn axes' lockout (HTTP 429 and the page that explains the 15-minute
        wait) into a generic form error. Once axes has locked the account, the attempt goes
        on to axes' backend, which refuses it whatever the password.
        """
        if not AxesProxyHandler.is_allowed(request, credentials):
            return
        super().pre_authenticate(request, **credentials)

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Queue allauth's e-mails (confirmation, reset, security notices) in the outbox."""
        message = self.render_mail(template_prefix, email, context)
        html = next(
            (
                content
                for content, mimetype in getattr(message, "alternatives", [])
                if mimetype == "text/html"
            ),
            "",
        )
        send_email_later(to=list(message.to), subject=message.subject, body=message.body, html=html)

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        """Sign-up creates patients only, with their civil identity, in one transaction."""
        with transaction.atomic():
            user = super().save_user(request, user, form, commit=False)
            user.role = Role.PATIENT
            if commit:
                user.save()
                data = form.cleaned_data
                services.complete_patient_signup(
                    user=user, birth_date=data["birth_date"], sex=data["sex"]
                )
        return user


class MfaAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """A professional may replace a second factor but never be left without one."""
        user = authenticator.user
        if not isinstance(user, User) or not user.requires_mfa:
            return True
        if authenticator.type not in STRONG_AUTHENTICATORS:
            return True
        others = Authenticator.objects.filter(user=user, type__in=STRONG_AUTHENTICATORS).exclude(
            pk=authenticator.pk
        )
        return bool(others.exists())


# str.isdigit() also accepts non-ASCII digits ("٣", "²"): the IDNPS is ASCII only.
_IDNPS_OF_RPPS = re.compile(r"8([0-9]{11})")


def idnps_to_rpps(subject: str) -> str | None:
    """Pro Santé Connect's SubjectNameID is the IDNPS: "8" followed by the RPPS number."""
    match = _IDNPS_OF_RPPS.fullmatch(subject)
    return match.group(1) if match else None


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return False

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        extra: dict[str, Any] = sociallogin.account.extra_data or {}
        if sociallogin.account.provider == settings.PSC_PROVIDER_ID:
            # Every login, linked or not: the level asked for must be the level obtained.
            acr = (extra.get("id_token") or {}).get("acr")
            if acr != settings.PSC_REQUIRED_ACR:
                messages.error(
                    request,
                    _(
                        "Cette connexion Pro Santé Connect n'a pas le niveau de sécurité requis "
                        "(carte CPS ou e-CPS). Reconnectez-vous avec l'une d'elles."
                    ),
                )
                raise ImmediateHttpResponse(redirect(settings.LOGIN_URL))
        if sociallogin.is_existing:
            return
        userinfo = extra.get("userinfo", extra)
        subject = str(userinfo.get("SubjectNameID") or sociallogin.account.uid)
        rpps = idnps_to_rpps(subject)
        professional = (
            Professional.objects.select_related("user").filter(rpps=rpps).first() if rpps else None
        )
        if professional is None:
            messages.error(
                request,
                _(
                    "Aucun compte Maillage ne correspond à ce numéro RPPS. Demandez à "
                    "l'opérateur de votre territoire de créer votre compte."
                ),
            )
            raise ImmediateHttpResponse(redirect(settings.LOGIN_URL))
        sociallogin.connect(request, professional.user)
        services.mark_professional_verified_by_psc(professional=professional)
