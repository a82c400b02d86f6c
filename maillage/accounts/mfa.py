"""Whether this session was opened with a second factor (PGSSI-S: always, for professionals).

Owning a TOTP or a passkey is not enough: the session itself must have used one, or have come
through Pro Santé Connect, whose e-CPS is a second factor of its own.
"""

from __future__ import annotations

from typing import Any

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings

# What a professional must own (recovery codes are only a backup of these).
ENROLLED_SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)
# Recovery codes are a backup second factor: a session opened with one is strongly authenticated.
SESSION_SECOND_FACTORS = frozenset(
    {Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN, Authenticator.Type.RECOVERY_CODES}
)


def session_used_second_factor(request: Any, user: Any) -> bool:
    """Return whether `request.session` records a second factor for `user`."""
    for record in get_authentication_records(request, user):
        method = record.get("method")
        if method == "mfa" and record.get("type") in SESSION_SECOND_FACTORS:
            return True
        if method == "socialaccount" and record.get("provider") == settings.PSC_PROVIDER_ID:
            return True
    return False


def record_second_factor(request: Any, user: Any, authenticator_type: str) -> None:
    """Count a factor proven while enrolling it (its first code) as this session's second factor."""
    from allauth.account.internal.flows.login import record_authentication

    record_authentication(request, user, "mfa", type=authenticator_type, enrolled=True)
