from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

FIRST_YEAR = 2022  # avenant 9: the earliest tariffs the platform knows
EXPORT_MAX_DAYS = 366


class YearForm(forms.Form):
    annee = forms.IntegerField(label=_("Année"), min_value=FIRST_YEAR)


class DeclarationForm(forms.Form):
    annee = forms.IntegerField(widget=forms.HiddenInput, min_value=FIRST_YEAR)
    other_acts = forms.IntegerField(
        label=_("Actes facturés hors téléconsultation cette année (logiciel du cabinet)"),
        min_value=0,
        max_value=100_000,
    )


class ExportForm(forms.Form):
    du = forms.DateField(label=_("Du"), widget=forms.DateInput(attrs={"type": "date"}))
    au = forms.DateField(label=_("Au"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("du"), data.get("au")
        if isinstance(first, date) and isinstance(last, date):
            if last < first:
                self.add_error("au", _("La date de fin doit suivre la date de début."))
            elif (last - first).days >= EXPORT_MAX_DAYS:
                self.add_error("au", _("Exportez au plus une année à la fois."))
        return data


class TerritoryForm(forms.Form):
    departement = forms.RegexField(label=_("Département"), regex=r"^[0-9AB]{2,3}$", required=False)
    commune = forms.CharField(label=_("Commune"), max_length=60, required=False)

    def filters(self) -> tuple[str, str]:
        """The department and the commune search; a malformed one is ignored, not the other."""
        self.is_valid()
        data = self.cleaned_data
        return str(data.get("departement") or ""), str(data.get("commune") or "")
