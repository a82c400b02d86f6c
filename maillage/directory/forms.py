from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.accounts.models import User


class DoctorChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        practices = ", ".join(
            f"{membership.practice.name} ({membership.practice.commune.name})"
            for membership in obj.practice_memberships.all()
        )
        specialty = obj.professional.get_specialty_display()
        return f"{obj.display_name} — {specialty} — {practices}"


class TreatingDoctorForm(forms.Form):
    patient = forms.ModelChoiceField[User](
        label=_("Pour"), queryset=User.objects.none(), empty_label=None
    )
    doctor = DoctorChoiceField(
        label=_("Médecin traitant"),
        queryset=User.objects.none(),
        empty_label=_("Choisissez un médecin"),
        error_messages={"invalid_choice": _("Choisissez un médecin de la liste.")},
    )

    def __init__(self, *args: Any, patients: Any, doctors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["patient"].queryset = patients  # type: ignore[attr-defined]  # ModelChoiceField
        self.fields["patient"].label_from_instance = User.get_full_name  # type: ignore[attr-defined]  # ModelChoiceField
        self.fields["doctor"].queryset = doctors  # type: ignore[attr-defined]  # ModelChoiceField
