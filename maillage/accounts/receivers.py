"""Security events go to the audit trail: logins, failures, second factors."""

from __future__ import annotations

from typing import Any

from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import receiver

from maillage.accounts.mfa import record_second_factor
from maillage.audit.services import log_event


@receiver(user_logged_in)
def audit_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    with transaction.atomic():
        log_event(actor=user, action="accounts.logged_in", target=user)


@receiver(user_logged_out)
def audit_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        with transaction.atomic():
            log_event(actor=user, action="accounts.logged_out", target=user)


@receiver(user_login_failed)
def audit_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    # The typed e-mail is not stored: it may be someone else's, or a mistyped password.
    with transaction.atomic():
        log_event(actor=None, action="accounts.login_failed")


@receiver(authenticator_added)
def audit_authenticator_added(
    sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any
) -> None:
    # Enrolling proved the factor (a valid first code or a passkey ceremony): it counts as this
    # session's second factor, so a professional is not sent back to the login page.
    if request is not None:
        record_second_factor(request, user, authenticator.type)
    with transaction.atomic():
        log_event(
            actor=user,
            action="accounts.mfa_added",
            target=user,
            details={"type": authenticator.type},
        )


@receiver(authenticator_removed)
def audit_authenticator_removed(
    sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any
) -> None:
    with transaction.atomic():
        log_event(
            actor=user,
            action="accounts.mfa_removed",
            target=user,
            details={"type": authenticator.type},
        )
