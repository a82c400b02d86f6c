from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.accounts.models import PatientProfile, User

# Below 15, a child's account is opened by a parent (digital consent age in France).
MIN_SELF_SIGNUP_AGE = 15


class SignupForm(forms.Form):
    """Extra fields for allauth's sign-up: who the patient is (saved by AccountAdapter)."""

    first_name = forms.CharField(label=_("Prénom"), max_length=150, strip=True)
    last_name = forms.CharField(label=_("Nom"), max_length=150, strip=True)
    birth_date = forms.DateField(
        label=_("Date de naissance"),
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}),
    )
    sex = forms.ChoiceField(label=_("Sexe (état civil)"), choices=PatientProfile.Sex.choices)

    field_order = ["first_name", "last_name", "birth_date", "sex"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"

    def clean_birth_date(self) -> date:
        value: date = self.cleaned_data["birth_date"]
        today = timezone.localdate()
        if value > today:
            raise forms.ValidationError(_("La date de naissance ne peut pas être dans le futur."))
        if value.year < today.year - 125:
            raise forms.ValidationError(_("Vérifiez l'année de naissance."))
        age = today.year - value.year - ((today.month, today.day) < (value.month, value.day))
        if age < MIN_SELF_SIGNUP_AGE:
            raise forms.ValidationError(
                _(
                    "Avant 15 ans, le compte est ouvert par un parent depuis son propre compte "
                    "(rubrique « Mon compte »)."
                )
            )
        return value

    def signup(self, request: Any, user: User) -> None:
        """Nothing left to do: AccountAdapter.save_user stored these fields atomically."""


class CarerProxyForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse e-mail du compte Maillage de votre aidant"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    consent = forms.BooleanField(
        label=_(
            "J'autorise cette personne à consulter mes informations de santé et à faire des "
            "démarches en mon nom. Je peux retirer cette autorisation à tout moment."
        ),
        error_messages={"required": _("Cochez la case pour donner votre accord.")},
    )
