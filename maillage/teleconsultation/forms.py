from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from maillage.accounts.models import User
from maillage.consultations.forms import add_weekly_hours_fields, weekly_hours_from
from maillage.directory.models import Practice
from maillage.teleconsultation.models import Appointment, Motive
from maillage.teleconsultation.services import (
    SLOT_CHOICES,
    ReportInput,
    suitability_questions,
)

ANSWERS = (("", _("— choisir —")), ("yes", _("Oui")), ("no", _("Non")))


def slot_label(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return formats.date_format(local, "l j F, H\\hi")


class SlotField(forms.TypedChoiceField):
    """A start time among the offered ones; the value is its ISO instant."""

    def __init__(self, slots: list[datetime], **kwargs: Any) -> None:
        choices: list[tuple[str, Any]] = [("", _("— choisir un créneau —"))]
        choices += [(slot.isoformat(), slot_label(slot)) for slot in slots]
        super().__init__(choices=choices, coerce=datetime.fromisoformat, **kwargs)


# A slot starting before this local hour is listed under the morning.
AFTERNOON_FROM_HOUR = 12
# Days listed at once in the day picker: a week fits a phone screen in two or three rows.
DAYS_PER_PAGE = 7


@dataclass(frozen=True)
class SlotDay:
    """A day with free slots, for the day picker."""

    day: date
    count: int


@dataclass(frozen=True)
class SlotChoice:
    """One radio button of the shown day: its position, the ISO instant, the time shown."""

    index: int
    value: str
    time: str
    checked: bool


class BookingForm(forms.Form):
    patient = forms.ModelChoiceField[User](
        label=_("Pour"), queryset=User.objects.none(), empty_label=None
    )
    motive = forms.ChoiceField(label=_("Motif"))
    note = forms.CharField(
        label=_("En quelques mots, pourquoi consultez-vous ?"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Le médecin le lira avant l'appel. N'y mettez rien d'urgent : appelez le 15."),
    )
    proceed_despite_advice = forms.BooleanField(
        label=_("J'ai lu ces conseils et je souhaite tout de même une téléconsultation"),
        required=False,
    )
    consent = forms.BooleanField(label="", required=False)
    # The day whose slots are shown, kept through a submit that fails.
    day = forms.DateField(widget=forms.HiddenInput, required=False)
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(
        self,
        *args: Any,
        patients: Any,
        slots: list[datetime],
        motives: list[str],
        consent_statement: str,
        requested_day: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["patient"].queryset = patients  # type: ignore[attr-defined]  # ModelChoiceField
        # Every free slot validates; only the chosen day's are rendered (see slot_groups).
        self.fields["starts_at"] = SlotField(slots, label=_("Créneau"), widget=forms.RadioSelect)
        self.slots = slots
        self.days = _days_of(slots)
        self.shown_day = self._shown_day(requested_day)
        motive_choices = [(key, label) for key, label in Motive.choices if key in motives]
        self.fields["motive"].choices = motive_choices  # type: ignore[attr-defined]  # ChoiceField
        for question in suitability_questions():
            self.fields[f"q_{question.key}"] = forms.ChoiceField(
                label=question.label, choices=ANSWERS, required=True
            )
        self.fields["consent"].label = consent_statement
        self.order_fields(["patient", "starts_at", "motive", "note"])

    def _shown_day(self, requested: str) -> date | None:
        """The posted slot's day, else the posted or linked day, else the first one with slots."""
        available = {item.day for item in self.days}
        candidates: list[date] = []
        posted_slot = self.data.get("starts_at", "") if self.is_bound else ""
        posted_day = self.data.get("day", "") if self.is_bound else ""
        for text, parse in (
            (posted_slot, lambda text: timezone.localdate(datetime.fromisoformat(text))),
            (posted_day, date.fromisoformat),
            (requested, date.fromisoformat),
        ):
            try:
                candidates.append(parse(str(text)))
            except (TypeError, ValueError, OverflowError):  # absent, or typed by hand
                continue
        for candidate in candidates:
            if candidate in available:
                return candidate
        return self.days[0].day if self.days else None

    @property
    def day_page(self) -> tuple[list[SlotDay], date | None, date | None]:
        """The week of days around the shown one, and the first day of the weeks around it."""
        position = next(
            (index for index, item in enumerate(self.days) if item.day == self.shown_day), 0
        )
        start = position - position % DAYS_PER_PAGE
        page = self.days[start : start + DAYS_PER_PAGE]
        previous = self.days[start - DAYS_PER_PAGE].day if start else None
        following = (
            self.days[start + DAYS_PER_PAGE] if start + DAYS_PER_PAGE < len(self.days) else None
        )
        return page, previous, following.day if following else None

    @property
    def slot_groups(self) -> list[tuple[str, list[SlotChoice]]]:
        """The shown day's slots, as radio buttons under "morning" and "afternoon"."""
        chosen = str(self.data.get("starts_at", "")) if self.is_bound else ""
        morning: list[SlotChoice] = []
        afternoon: list[SlotChoice] = []
        for slot in self.slots:
            local = timezone.localtime(slot)
            if local.date() != self.shown_day:
                continue
            value = slot.isoformat()
            choice = SlotChoice(
                index=len(morning) + len(afternoon),
                value=value,
                time=formats.time_format(local, "H\\hi"),
                checked=value == chosen,
            )
            (morning if local.hour < AFTERNOON_FROM_HOUR else afternoon).append(choice)
        groups = [(str(_("Matin")), morning), (str(_("Après-midi")), afternoon)]
        return [(title, choices) for title, choices in groups if choices]

    @property
    def suitability_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("q_")]

    def suitability_answers(self) -> dict[str, str]:
        return {
            name[2:]: str(value)
            for name, value in self.cleaned_data.items()
            if name.startswith("q_") and value
        }


def _days_of(slots: list[datetime]) -> list[SlotDay]:
    counts: dict[date, int] = {}
    for slot in slots:
        day = timezone.localdate(slot)
        counts[day] = counts.get(day, 0) + 1
    return [SlotDay(day=day, count=count) for day, count in counts.items()]


class ConsentForm(forms.Form):
    consent = forms.BooleanField(label="", required=True)

    def __init__(self, *args: Any, consent_statement: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = consent_statement
        self.fields["consent"].error_messages["required"] = _(
            "Cochez la case pour donner votre accord, ou annulez le rendez-vous."
        )


class ArrivalForm(forms.Form):
    location = forms.CharField(
        label=_("Où êtes-vous en ce moment ?"),
        max_length=200,
        help_text=_(
            "Commune ou adresse : en cas de problème, le médecin saura où envoyer de l'aide."
        ),
    )
    callback_phone = forms.CharField(
        label=_("Un numéro pour vous rappeler si la connexion coupe"), max_length=20
    )

    def clean_callback_phone(self) -> str:
        value: str = self.cleaned_data["callback_phone"]
        digits = "".join(ch for ch in value if ch.isdigit() or ch == "+")
        if len(digits.lstrip("+")) < 9:
            raise ValidationError(_("Indiquez un numéro de téléphone complet (10 chiffres)."))
        return value.strip()


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Raison (facultatif)"), max_length=200, required=False)


class MoveForm(forms.Form):
    def __init__(self, *args: Any, slots: list[datetime], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["starts_at"] = SlotField(slots, label=_("Nouveau créneau"))


class OfferForm(forms.Form):
    enabled = forms.BooleanField(label=_("Je propose la téléconsultation"), required=False)
    practice = forms.ModelChoiceField[Practice](
        label=_("Lieu d'exercice principal"), queryset=Practice.objects.none(), empty_label=None
    )
    motives = forms.MultipleChoiceField(
        label=_("Motifs acceptés"),
        choices=Motive.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    slot_minutes = forms.TypedChoiceField(
        label=_("Durée d'un créneau"),
        choices=[(value, _("%(minutes)s minutes") % {"minutes": value}) for value in SLOT_CHOICES],
        coerce=int,
    )
    accepts_new_patients = forms.BooleanField(
        label=_("Les patients dont je ne suis pas le médecin traitant peuvent réserver"),
        required=False,
    )
    fee = forms.DecimalField(
        label=_("Honoraires demandés (€)"), max_digits=7, decimal_places=2, min_value=Decimal(0)
    )

    def __init__(self, *args: Any, practices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["practice"].queryset = practices  # type: ignore[attr-defined]  # ModelChoiceField
        add_weekly_hours_fields(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["weekly_hours"] = weekly_hours_from(self, data)
        if data.get("enabled") and not data["weekly_hours"]:
            self.add_error(
                None, _("Indiquez au moins une plage pour proposer la téléconsultation.")
            )
        if data.get("enabled") and not data.get("motives"):
            self.add_error("motives", _("Cochez au moins un motif."))
        return data


class FromRequestForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Type de rendez-vous"), choices=Appointment.Mode.choices, widget=forms.RadioSelect
    )
    starts_at = forms.DateTimeField(
        label=_("Date et heure"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    duration = forms.TypedChoiceField(
        label=_("Durée"),
        choices=[(value, _("%(minutes)s minutes") % {"minutes": value}) for value in SLOT_CHOICES],
        coerce=int,
        initial=15,
    )
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)


class CloseActForm(forms.Form):
    report_text = forms.CharField(
        label=_("Compte rendu"), widget=forms.Textarea(attrs={"rows": 8}), max_length=20000
    )
    acts = forms.ChoiceField(label=_("Acte réalisé"))
    video = forms.BooleanField(
        label=_("Réalisée par vidéo (l'audio seul n'est pas facturable en téléconsultation)"),
        required=False,
    )
    prescriptions = forms.CharField(
        label=_("Prescriptions (une ligne par médicament ou examen)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
    )
    no_prescription = forms.BooleanField(label=_("Aucune prescription"), required=False)
    started_at = forms.DateTimeField(
        label=_("Début"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    ended_at = forms.DateTimeField(
        label=_("Fin"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    incidents = forms.CharField(
        label=_("Incidents techniques"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
        help_text=_("Repris du journal de l'appel ; complétez si besoin."),
    )
    sick_note_days = forms.IntegerField(
        label=_("Arrêt de travail prescrit (jours)"), min_value=0, max_value=365, initial=0
    )
    sick_note_ongoing_days = forms.IntegerField(
        label=_("Jours d'arrêt déjà en cours"), min_value=0, max_value=365, initial=0
    )
    sick_note_justification = forms.CharField(
        label=_("Impossibilité de consulter en personne (si plus de 3 jours)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=1000,
    )

    def __init__(self, *args: Any, act_codes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["acts"].choices = act_codes  # type: ignore[attr-defined]  # ChoiceField

    def report_input(self) -> ReportInput:
        data = self.cleaned_data
        return ReportInput(
            report_text=data["report_text"],
            acts=[data["acts"]] if data.get("acts") else [],
            prescriptions=data.get("prescriptions") or "",
            no_prescription=bool(data.get("no_prescription")),
            started_at=data.get("started_at"),
            ended_at=data.get("ended_at"),
            incidents=data.get("incidents") or "",
            video=bool(data.get("video")),
            sick_note_days=data.get("sick_note_days") or 0,
            sick_note_ongoing_days=data.get("sick_note_ongoing_days") or 0,
            sick_note_justification=data.get("sick_note_justification") or "",
        )
