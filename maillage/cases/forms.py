from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.accounts.specialties import Specialty
from maillage.core.uploads import CleanUpload, clean_upload

TEXT_MAX = 10000


class ImagesField(forms.FileField):
    """Up to six photos (JPEG, PNG, WebP), cleaned then stripped of EXIF and GPS."""

    def __init__(self, **kwargs: Any) -> None:
        from maillage.consultations.forms import MultipleFileInput

        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        )
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[CleanUpload]:
        files = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if len(files) > 6:
            raise forms.ValidationError(_("Six images au plus."))
        cleaned: list[CleanUpload] = []
        for item in files:
            upload = clean_upload(item)
            if not upload.content_type.startswith("image/"):
                raise forms.ValidationError(
                    _("Seules les images (JPEG, PNG, WebP) sont acceptées ici.")
                )
            cleaned.append(upload)
        return cleaned


MAX_DICOM_BYTES = 25 * 1024 * 1024


class DicomFilesField(forms.FileField):
    """Up to four DICOM files (Part 10, "DICM" at byte 128), read whole for de-identification."""

    def __init__(self, **kwargs: Any) -> None:
        from maillage.consultations.forms import MultipleFileInput

        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".dcm,application/dicom"}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[bytes]:
        files = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if len(files) > 4:
            raise forms.ValidationError(_("Quatre fichiers DICOM au plus."))
        contents: list[bytes] = []
        for item in files:
            content = item.read(MAX_DICOM_BYTES + 1)
            if len(content) > MAX_DICOM_BYTES:
                raise forms.ValidationError(_("Un fichier DICOM fait 25 Mo au plus."))
            if content[128:132] != b"DICM":
                raise forms.ValidationError(_("Ce fichier n'est pas un fichier DICOM (.dcm)."))
            contents.append(content)
        return contents


class NewCaseForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=200)
    specialties = forms.MultipleChoiceField(
        label=_("Spécialités concernées"),
        choices=Specialty.choices,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    question = forms.CharField(
        label=_("Votre question"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    body = forms.CharField(
        label=_("Le cas"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Les noms, dates, numéros, adresses et autres identifiants seront retirés "
            "automatiquement ; vous relirez la version anonymisée avant publication."
        ),
    )
    images = ImagesField(label=_("Images (facultatif)"), required=False)
    dicom_files = DicomFilesField(label=_("Fichiers DICOM (facultatif)"), required=False)
    poll_question = forms.CharField(
        label=_("Sondage : question (facultatif)"), max_length=200, required=False
    )
    poll_options = forms.CharField(
        label=_("Sondage : réponses possibles, une par ligne"),
        required=False,
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)


class ReviewForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=200)
    question = forms.CharField(
        label=_("Question"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    body = forms.CharField(
        label=_("Le cas"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 12})
    )
    images_checked = forms.BooleanField(
        label=_("J'ai vérifié qu'aucun nom, date ou numéro n'est écrit dans les images."),
        required=False,
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Votre réponse"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Markdown simple accepté. Citez un confrère avec @Nom."),
    )
