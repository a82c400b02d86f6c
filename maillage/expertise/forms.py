from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.accounts.models import User
from maillage.accounts.specialties import Specialty
from maillage.consultations.forms import AttachmentsField
from maillage.expertise.models import ExpertiseRequest

TEXT_MAX = 8000


class PersonChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        profile = getattr(obj, "patient_profile", None)
        born = f" ({profile.birth_date:%d/%m/%Y})" if profile is not None else ""
        return f"{obj.get_full_name()}{born}"


class SpecialistChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.display_name} — {obj.professional.get_specialty_display()}"


class NewExpertiseForm(forms.Form):
    patient = PersonChoiceField(label=_("Patient"), queryset=User.objects.none())
    specialty = forms.ChoiceField(
        label=_("Spécialité"),
        choices=[("", _("— choisir —"))]
        + [(key, label) for key, label in Specialty.choices if key != Specialty.GENERAL_PRACTICE],
    )
    specialist = SpecialistChoiceField(
        label=_("Un spécialiste en particulier"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Tout spécialiste disponible de cette spécialité"),
    )
    question = forms.CharField(
        label=_("Votre question"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
    context = forms.CharField(
        label=_("Contexte clinique (antécédents, traitements, examens)"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    attachments = AttachmentsField(
        label=_("Photos ou documents (facultatif)"),
        required=False,
        help_text=_(
            "JPEG, PNG, WebP ou PDF, 10 Mo au plus chacun ; les métadonnées sont retirées."
        ),
    )
    consent = forms.ChoiceField(
        label=_("Accord du patient"),
        choices=ExpertiseRequest.Consent.choices,
        widget=forms.RadioSelect,
        help_text=_("Le patient doit être informé et donner son accord avant l'envoi."),
    )
    consent_note = forms.CharField(
        label=_("Si le patient n'a pas pu être consulté : pourquoi"), max_length=300, required=False
    )
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args: Any, patients: Any, specialists: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["patient"].queryset = patients  # type: ignore[attr-defined]  # ModelChoiceField
        self.fields["specialist"].queryset = specialists  # type: ignore[attr-defined]  # ModelChoiceField

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("consent") == ExpertiseRequest.Consent.IMPOSSIBLE
            and not (data.get("consent_note") or "").strip()
        ):
            self.add_error(
                "consent_note", _("Expliquez pourquoi l'accord n'a pas pu être recueilli.")
            )
        specialist = data.get("specialist")
        if specialist is not None and specialist.professional.specialty != data.get("specialty"):
            self.add_error("specialist", _("Ce médecin n'exerce pas la spécialité choisie."))
        return data


class ExpertiseActionForm(forms.Form):
    body = forms.CharField(
        label=_("Message"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 6})
    )
    attachments = AttachmentsField(label=_("Documents (facultatif)"), required=False)
