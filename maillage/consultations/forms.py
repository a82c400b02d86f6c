from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from maillage.accounts.models import User
from maillage.consultations.models import OnlineRequest
from maillage.directory.models import Practice

MESSAGE_MAX = 4000


class PracticeChoiceField(forms.ModelChoiceField[Practice]):
    def label_from_instance(self, obj: Practice) -> str:
        return f"{obj.name} — {obj.commune.name}"


class NewRequestForm(forms.Form):
    patient = forms.ModelChoiceField[User](
        label=_("Pour"), queryset=User.objects.none(), empty_label=None
    )
    practice = PracticeChoiceField(
        label=_("Cabinet"),
        queryset=Practice.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Choisissez un cabinet de la liste.")},
    )
    route = forms.ChoiceField(
        label=_("Votre demande concerne"), choices=OnlineRequest.Route.choices
    )
    subject = forms.CharField(label=pgettext_lazy("message subject", "Objet"), max_length=120)
    message = forms.CharField(
        label=_("Votre message"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Décrivez ce qui se passe, depuis quand, et ce que vous attendez du cabinet."),
    )
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    after_emergency = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, patients: Any, practices: list[Practice], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["patient"].queryset = patients  # type: ignore[attr-defined]  # ModelChoiceField
        self.fields["patient"].label_from_instance = User.get_full_name  # type: ignore[attr-defined]  # ModelChoiceField
        self.fields["practice"].queryset = Practice.objects.filter(  # type: ignore[attr-defined]  # ModelChoiceField
            pk__in=[practice.pk for practice in practices]
        ).select_related("commune")


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Votre message"), max_length=MESSAGE_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )


class TeamAnswerForm(forms.Form):
    ACTIONS = [
        ("answer", _("Répondre")),
        ("ask", _("Demander une précision au patient")),
        ("close", _("Répondre et terminer la demande")),
    ]
    body = forms.CharField(
        label=_("Message au patient"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    action = forms.ChoiceField(
        label=_("Action"), choices=ACTIONS, widget=forms.RadioSelect, initial="answer"
    )
