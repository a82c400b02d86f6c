from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.accounts.models import User
from maillage.accounts.specialties import Specialty
from maillage.core.uploads import CleanUpload, clean_upload
from maillage.directory.models import Practice
from maillage.profiles.selectors import LANGUAGES, RADII_KM


class ProfileForm(forms.Form):
    presentation = forms.CharField(
        label=_("Présentation"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Votre parcours, vos compétences et vos conditions d'exercice, sans comparaison ni "
            "promesse : les règles de communication sont vérifiées à chaque enregistrement."
        ),
    )
    practice = forms.ModelChoiceField(
        label=_("Lieu d'exercice affiché"), queryset=Practice.objects.none(), required=False
    )
    languages = forms.MultipleChoiceField(
        label=_("Langues parlées"),
        choices=LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    accepts_new_patients = forms.BooleanField(
        label=_("J'accepte de nouveaux patients"), required=False
    )
    accepts_treating = forms.BooleanField(
        label=_("J'accepte de devenir médecin traitant"), required=False
    )
    fees = forms.CharField(
        label=_("Honoraires"),
        required=False,
        max_length=300,
        help_text=_("Par exemple : consultation 30 € (tarif conventionnel)."),
    )
    photo = forms.FileField(
        label=_("Photo (facultatif)"),
        required=False,
        help_text=_("JPEG, PNG ou WebP ; ses métadonnées sont retirées. Aucun patient dessus."),
    )

    photo_checked = forms.BooleanField(
        label=_("Aucun patient n'est reconnaissable sur cette photo"), required=False
    )

    def __init__(self, *args: Any, doctor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["practice"]
        if isinstance(field, forms.ModelChoiceField):  # always: declared above
            field.queryset = Practice.objects.filter(
                memberships__user=doctor, memberships__ended_at__isnull=True
            ).distinct()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("photo") and not data.get("photo_checked"):
            self.add_error(
                "photo_checked",
                _("Confirmez qu'aucun patient n'est reconnaissable sur la photo (secret médical)."),
            )
        return data

    def clean_photo(self) -> CleanUpload | None:
        photo = self.cleaned_data.get("photo")
        if not photo:
            return None
        upload = clean_upload(photo)
        if not upload.content_type.startswith("image/"):
            raise forms.ValidationError(_("Une photo au format JPEG, PNG ou WebP."))
        return upload


class PublishForm(forms.Form):
    consent = forms.BooleanField(required=False)
    justification = forms.CharField(
        label=_("Pourquoi maintenez-vous ces formulations ?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SearchForm(forms.Form):
    specialite = forms.ChoiceField(
        label=_("Spécialité"), choices=[("", _("Toutes")), *list(Specialty.choices)], required=False
    )
    commune = forms.CharField(label=_("Commune ou code postal"), max_length=80, required=False)
    rayon = forms.TypedChoiceField(
        label=_("Distance"),
        choices=[(str(r), _("%(km)s km") % {"km": r}) for r in RADII_KM],
        coerce=int,
        initial="25",
        required=False,
    )
    langue = forms.ChoiceField(
        label=_("Langue parlée"), choices=[("", _("Toutes")), *LANGUAGES], required=False
    )
    teleconsultation = forms.BooleanField(label=_("Propose la téléconsultation"), required=False)
    nouveaux = forms.BooleanField(label=_("Accepte de nouveaux patients"), required=False)
    traitant = forms.BooleanField(label=_("Accepte de devenir médecin traitant"), required=False)
    ouvert = forms.BooleanField(label=_("Ouvert maintenant"), required=False)
