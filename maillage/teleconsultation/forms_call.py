"""Input of the call page's own forms (guests, files)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.core.identifiers import validate_rpps
from maillage.teleconsultation.models import GuestPass


class GuestInviteForm(forms.Form):
    kind = forms.ChoiceField(label=_("Qui invitez-vous ?"), choices=GuestPass.Kind.choices)
    name = forms.CharField(
        label=_("Nom affiché dans l'appel"),
        max_length=80,
        help_text=_("Par exemple : « Marie, sa fille » ou « Interprète en arabe »."),
    )
    rpps = forms.CharField(
        label=_("Numéro RPPS"),
        required=False,
        max_length=14,
        help_text=_("Seulement pour un professionnel de santé."),
    )

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Indiquez le nom à afficher."))
        return name

    def clean_rpps(self) -> str:
        raw: str = self.cleaned_data["rpps"]
        return validate_rpps(raw).value if raw.strip() else ""

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if data.get("kind") == GuestPass.Kind.PROFESSIONAL and not data.get("rpps"):
            self.add_error("rpps", _("Indiquez le numéro RPPS du professionnel invité."))
        return data


class CallFileForm(forms.Form):
    file = forms.FileField(label=_("Document à partager (photo ou PDF)"))
