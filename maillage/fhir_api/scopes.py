"""SMART-style scopes (SMART App Launch v1): `patient/*.read`, `user/*.read`, per type too.

`patient/…` reaches the token user's own record and the records of those they act for;
`user/…` reaches what the user could see in the pages. The records app decides who sees a
record in both cases: a scope only narrows, it never opens an access.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from django.utils.translation import gettext_lazy as _
from oauth2_provider.scopes import BaseScopes

Context = Literal["patient", "user"]

# Every type the API serves, in the order of the CapabilityStatement.
RESOURCE_TYPES = (
    "Patient",
    "Practitioner",
    "PractitionerRole",
    "Organization",
    "Encounter",
    "Composition",
    "DocumentReference",
    "Binary",
    "MedicationRequest",
    "QuestionnaireResponse",
    "Consent",
    "AuditEvent",
)
LAUNCH_PATIENT = "launch/patient"
_SCOPE = re.compile(r"(patient|user)/(\*|[A-Za-z]+)\.(read|\*)")


@dataclass(frozen=True)
class SmartScopes:
    """What a token may read: per resource type, the widest context granted."""

    granted: frozenset[tuple[Context, str]]
    launch_patient: bool = False

    @classmethod
    def parse(cls, raw: str) -> SmartScopes:
        granted: set[tuple[Context, str]] = set()
        launch = False
        for scope in raw.split():
            if scope == LAUNCH_PATIENT:
                launch = True
                continue
            match = _SCOPE.fullmatch(scope)
            if match is None:
                continue
            context: Context = "patient" if match.group(1) == "patient" else "user"
            granted.add((context, match.group(2)))
        return cls(frozenset(granted), launch)

    def context_for(self, resource_type: str) -> Context | None:
        """The widest context in which the token may read this type (None: not at all)."""
        allowed = {context for context, kind in self.granted if kind in ("*", resource_type)}
        if "user" in allowed:
            return "user"
        if "patient" in allowed:
            return "patient"
        return None


def all_scopes() -> dict[str, str]:
    scopes: dict[str, str] = {
        "patient/*.read": str(_("Lire votre dossier et celui des personnes que vous représentez")),
        "user/*.read": str(_("Lire ce que vous pouvez voir sur Maillage")),
        LAUNCH_PATIENT: str(_("Savoir de quel patient il s'agit")),
    }
    for kind in RESOURCE_TYPES:
        scopes[f"patient/{kind}.read"] = str(
            _("Lire, dans votre dossier : %(type)s") % {"type": kind}
        )
        scopes[f"user/{kind}.read"] = str(
            _("Lire, parmi ce que vous pouvez voir : %(type)s") % {"type": kind}
        )
    return scopes


class SmartScopesBackend(BaseScopes):  # type: ignore[misc]  # django-oauth-toolkit is untyped
    """Scopes known to django-oauth-toolkit: every read scope of every served type."""

    def get_all_scopes(self) -> dict[str, str]:
        return all_scopes()

    def get_available_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        return list(all_scopes())

    def get_default_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        # The least the token could be: the user's own record.
        return ["patient/*.read"]


def describe(scopes: Iterable[str]) -> list[str]:
    known = all_scopes()
    return [known.get(scope, scope) for scope in scopes]
