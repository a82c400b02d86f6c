"""`|label:"field"` says what get_FIELD_display says, in the active language."""

from __future__ import annotations

from django.template import Context, Template
from django.utils import translation

from maillage.accounts.models import Professional
from maillage.accounts.specialties import Specialty
from maillage.core.templatetags.choices import choice_label


def test_the_label_is_get_display_in_each_language() -> None:
    professional = Professional(specialty=Specialty.CARDIOLOGY)
    for language in ("fr", "en"):
        with translation.override(language):
            assert choice_label(professional, "specialty") == (professional.get_specialty_display())


def test_an_unknown_value_is_shown_as_it_is_and_none_as_nothing() -> None:
    template = Template('{% load choices %}{{ p|label:"specialty" }}|{{ missing|label:"x" }}')
    rendered = template.render(Context({"p": Professional(specialty="inconnue")}))
    assert rendered == "inconnue|"
