from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from maillage.accounts.models import User
from maillage.consultations.models import OnlineRequest
from maillage.consultations.services import MAX_ATTACHMENTS
from maillage.core.uploads import CleanUpload, clean_upload
from maillage.directory.models import Practice

MESSAGE_MAX = 4000


class PracticeChoiceField(forms.ModelChoiceField[Practice]):
    def label_from_instance(self, obj: Practice) -> str:
        return f"{obj.name} — {obj.commune.name}"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several photos or PDFs, each cleaned (type from its bytes, metadata stripped)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}),
        )
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[CleanUpload]:
        files = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if len(files) > MAX_ATTACHMENTS:
            raise forms.ValidationError(
                _("Joignez %(max)s fichiers au plus.") % {"max": MAX_ATTACHMENTS}, code="too_many"
            )
        cleaned: list[CleanUpload] = []
        errors: list[str] = []
        for item in files:
            try:
                cleaned.append(clean_upload(item))
            except forms.ValidationError as error:
                name = str(getattr(item, "name", ""))[:60]
                errors.extend(f"{name} : {message}" for message in error.messages)
        if errors:
            raise forms.ValidationError(errors)
        return cleaned


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
    attachments = AttachmentsField(
        label=_("Photos ou documents"),
        required=False,
        help_text=_(
            "Jusqu'à 5 fichiers : photo JPEG, PNG ou WebP, document PDF, 10 Mo chacun. "
            "Les informations cachées des photos (lieu, appareil) sont retirées."
        ),
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
        ("prescription", _("Rédiger une ordonnance (PDF) avec ce texte")),
        ("certificate", _("Rédiger un certificat médical (PDF) avec ce texte")),
    ]
    body = forms.CharField(
        label=_("Message au patient"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    action = forms.ChoiceField(
        label=_("Action"), choices=ACTIONS, widget=forms.RadioSelect, initial="answer"
    )


WEEKDAYS = [
    _("Lundi"),
    _("Mardi"),
    _("Mercredi"),
    _("Jeudi"),
    _("Vendredi"),
    _("Samedi"),
    _("Dimanche"),
]
HOURS_HELP = _("Par exemple « 08:30-12:00, 14:00-18:30 ». Laissez vide si le cabinet est fermé.")


def hours_text(periods: list[list[str]]) -> str:
    return ", ".join(f"{opens}-{closes}" for opens, closes in periods)


def add_weekly_hours_fields(form: forms.Form) -> None:
    """One text field per weekday ("08:30-12:00, 14:00-18:30"), as people write hours."""
    for weekday, name in enumerate(WEEKDAYS):
        form.fields[f"hours_{weekday}"] = forms.CharField(
            label=name,
            required=False,
            max_length=80,
            help_text=HOURS_HELP if weekday == 0 else "",
        )


def weekly_hours_from(form: forms.Form, data: dict[str, Any]) -> dict[str, list[list[str]]]:
    """Read the weekday fields into the stored shape; problems become form errors."""
    from maillage.consultations.availability import parse_opening_hours

    raw: dict[str, list[list[str]]] = {}
    for weekday in range(7):
        text = (data.get(f"hours_{weekday}") or "").strip()
        periods = []
        for chunk in filter(None, (part.strip() for part in text.split(","))):
            opens, _dash, closes = chunk.partition("-")
            periods.append([opens.strip(), closes.strip()])
        if periods:
            raw[str(weekday)] = periods
    try:
        parse_opening_hours(raw)
    except forms.ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
    return raw


def weekly_hours_initial(weekly: dict[str, list[list[str]]]) -> dict[str, str]:
    return {f"hours_{day}": hours_text(periods) for day, periods in weekly.items()}


class PracticeSettingsForm(forms.Form):
    accepts_online_requests = forms.BooleanField(
        label=_("Le cabinet reçoit des demandes en ligne"), required=False
    )
    accepts_other_patients = forms.BooleanField(
        label=_("Il accepte aussi les patients dont le médecin traitant exerce ailleurs"),
        required=False,
    )
    daily_capacity = forms.IntegerField(
        label=_("Nombre de demandes par jour ouvré"),
        min_value=1,
        max_value=500,
        help_text=_(
            "Au-delà, le formulaire indique quand il rouvre et propose d'autres solutions."
        ),
    )
    answer_within_working_hours = forms.IntegerField(
        label=_("Délai de réponse promis, en heures d'ouverture"), min_value=1, max_value=120
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_weekly_hours_fields(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        raw = weekly_hours_from(self, data)
        if data.get("accepts_online_requests") and not raw:
            self.add_error(
                None, _("Indiquez au moins une plage d'ouverture pour recevoir des demandes.")
            )
        data["opening_hours"] = raw
        return data


class ClosureForm(forms.Form):
    starts_on = forms.DateField(label=_("Fermé du"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("au"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Motif (facultatif)"), required=False, max_length=120)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("La date de fin doit suivre la date de début."))
        return data
