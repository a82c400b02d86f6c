from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.operations.selectors import AuditFilters


class AuditSearchForm(forms.Form):
    actor = forms.UUIDField(label=_("Auteur (identifiant public)"), required=False)
    patient = forms.UUIDField(label=_("Patient concerné (identifiant public)"), required=False)
    action = forms.RegexField(
        label=_("Action (début du nom, ex. « accounts. »)"),
        regex=r"^[a-z_.]*$",
        max_length=64,
        required=False,
        error_messages={"invalid": _("Lettres minuscules, points et tirets bas uniquement.")},
    )
    target = forms.CharField(label=_("Identifiant de l'objet"), max_length=64, required=False)
    since = forms.DateField(
        label=_("Du"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Au"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("La date de fin doit suivre la date de début."))
        return data

    def to_filters(self) -> AuditFilters:
        data = self.cleaned_data
        return AuditFilters(
            actor=data.get("actor"),
            patient=data.get("patient"),
            action=data.get("action") or "",
            target=(data.get("target") or "").strip(),
            since=data.get("since"),
            until=data.get("until"),
        )
