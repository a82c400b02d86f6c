from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.cases.forms import ImagesField
from maillage.communities.models import Report
from maillage.communities.services import BODY_MAX, ModerationAction, Sanction


class PseudonymForm(forms.Form):
    pseudonym = forms.CharField(
        label=_("Votre pseudonyme"),
        max_length=30,
        help_text=_(
            "Il sera votre seul nom dans les communautés : ni votre nom ni votre prénom. "
            "De 3 à 30 caractères."
        ),
    )


class PostForm(forms.Form):
    body = forms.CharField(
        label=_("Votre message"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Mise en forme simple possible : **gras**, *italique*, listes."),
    )
    images = ImagesField(
        label=_("Photos (facultatif)"),
        required=False,
        help_text=_("Quatre au plus ; leurs métadonnées (lieu, appareil) sont retirées."),
    )
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)


class ThreadForm(PostForm):
    title = forms.CharField(label=_("Titre de la discussion"), min_length=3, max_length=150)
    field_order = ["title", "body", "images", "idempotency_key"]


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Pourquoi signalez-vous ce message ?"),
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Précisez (facultatif)"), max_length=300, required=False)


class ModerationForm(forms.Form):
    action = forms.ChoiceField(choices=[(choice, choice) for choice in ModerationAction.CHOICES])
    note = forms.CharField(label=_("Note visible sous le message"), max_length=300, required=False)
    body = forms.CharField(
        label=_("Message corrigé"), max_length=BODY_MAX, required=False, widget=forms.Textarea
    )


class SanctionForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Sanction"),
        choices=[
            (Sanction.WARN, _("Avertir")),
            (Sanction.SUSPEND, _("Suspendre sept jours")),
            (Sanction.BAN, _("Exclure")),
        ],
    )
    note = forms.CharField(label=_("Motif, envoyé au membre"), max_length=300)
