from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.records.models import PrivacyRequest


class PrivacyRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Votre demande"), choices=PrivacyRequest.Kind.choices)
    details = forms.CharField(
        label=_("Précisions (facultatif)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class PrivacyAnswerForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Issue"),
        choices=[
            (PrivacyRequest.Status.ANSWERED, PrivacyRequest.Status.ANSWERED.label),
            (PrivacyRequest.Status.PARTLY, PrivacyRequest.Status.PARTLY.label),
            (PrivacyRequest.Status.REFUSED, PrivacyRequest.Status.REFUSED.label),
        ],
    )
    answer = forms.CharField(
        label=_("Réponse envoyée à la personne"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Pour un effacement refusé en partie, le motif légal est ajouté automatiquement."
        ),
    )
    close_account = forms.BooleanField(label=_("Fermer le compte (effacement)"), required=False)
