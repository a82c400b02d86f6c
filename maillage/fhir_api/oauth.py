"""django-oauth-toolkit hooks: the SMART launch context in the token response."""

from __future__ import annotations

from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator

from maillage.accounts.models import User
from maillage.accounts.selectors import list_patients_actor_acts_for
from maillage.fhir_api.scopes import LAUNCH_PATIENT


def launch_patient_for(user: User) -> User | None:
    """The patient a standalone SMART launch opens on: oneself, or the only person one acts for.

    With several people and no picker yet, the app chooses with the `patient` search parameter.
    """
    people = list(list_patients_actor_acts_for(actor=user)[:2])
    own = next((person for person in people if person.pk == user.pk), None)
    if own is not None:
        return own
    return people[0] if len(people) == 1 else None


class SmartValidator(OAuth2Validator):  # type: ignore[misc]  # django-oauth-toolkit is untyped
    def save_bearer_token(
        self, token: dict[str, Any], request: Any, *args: Any, **kwargs: Any
    ) -> None:
        super().save_bearer_token(token, request, *args, **kwargs)
        # oauthlib serialises this dict after saving it: keys added here reach the client.
        user = getattr(request, "user", None)
        if isinstance(user, User) and LAUNCH_PATIENT in str(token.get("scope", "")).split():
            patient = launch_patient_for(user)
            if patient is not None:
                token["patient"] = str(patient.public_id)
