from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

QUERY_MAX_LENGTH = 200


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Rechercher un article"),
        help_text=_("Par exemple : mal de gorge, fièvre de l'enfant, brûlure."),
        max_length=QUERY_MAX_LENGTH,
        required=False,
        widget=forms.SearchInput(attrs={"autocomplete": "off", "enterkeyhint": "search"}),
        error_messages={
            "max_length": _("Écrivez moins de %(limit_value)d caractères."),
        },
    )
