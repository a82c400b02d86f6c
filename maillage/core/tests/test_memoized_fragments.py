"""`{% memoize %}`: a fragment rendered once per process, language and key, never a token."""

from __future__ import annotations

import pytest
from django.template import Context, Engine, Template
from django.test import override_settings
from django.utils import translation

from maillage.core.templatetags.fragments import MemoizedFragmentError


class Counter:
    """Counts how many times the template asked for its text."""

    def __init__(self) -> None:
        self.renders = 0

    def __str__(self) -> str:
        self.renders += 1
        return f"rendu {self.renders}"


def _template(source: str) -> Template:
    engine = Engine(
        libraries={
            "fragments": "maillage.core.templatetags.fragments",
            "i18n": "django.templatetags.i18n",
        }
    )
    return engine.from_string("{% load fragments %}" + source)


def test_a_fragment_is_rendered_once_per_key() -> None:
    template = _template("{% memoize role %}{{ counter }}{% endmemoize %}")
    counter = Counter()

    first = template.render(Context({"role": "patient", "counter": counter}))
    again = template.render(Context({"role": "patient", "counter": counter}))
    other = template.render(Context({"role": "gp", "counter": counter}))

    assert first == again == "rendu 1"
    assert other == "rendu 2"
    assert counter.renders == 2


def test_a_fragment_is_rendered_again_in_another_language() -> None:
    template = _template("{% load i18n %}{% memoize %}{% translate 'Accueil' %}{% endmemoize %}")

    with translation.override("fr"):
        french = template.render(Context())
    with translation.override("en"):
        english = template.render(Context())
    with translation.override("fr"):
        french_again = template.render(Context())

    assert (french, english, french_again) == ("Accueil", "Home", "Accueil")


def test_a_changed_setting_drops_every_fragment() -> None:
    template = _template("{% memoize %}{{ counter }}{% endmemoize %}")
    counter = Counter()
    template.render(Context({"counter": counter}))

    with override_settings(PDSA_NUMBER="15"):
        changed = template.render(Context({"counter": counter}))

    assert changed == "rendu 2"


def test_a_csrf_token_cannot_be_memoized() -> None:
    template = _template("{% memoize %}<form>{% csrf_token %}</form>{% endmemoize %}")

    with pytest.raises(MemoizedFragmentError):
        template.render(Context({"csrf_token": "secret-of-this-request"}))


def test_the_csrf_token_variable_cannot_be_memoized_either() -> None:
    template = _template("{% memoize %}{{ csrf_token }}{% endmemoize %}")

    with pytest.raises(MemoizedFragmentError):
        template.render(Context({"csrf_token": "secret-of-this-request"}))


def test_outside_a_fragment_the_token_is_the_request_s_own() -> None:
    template = _template("{% memoize %}chrome{% endmemoize %}{{ csrf_token }}")

    first = template.render(Context({"csrf_token": "jeton-1"}))
    second = template.render(Context({"csrf_token": "jeton-2"}))

    assert (first, second) == ("chromejeton-1", "chromejeton-2")
