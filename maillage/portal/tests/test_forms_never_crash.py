"""hypothesis on every form's own cleaners: arbitrary text, numbers and dates in each field.

The forms are discovered by importing every module of `maillage` and walking the subclasses of
Django's `BaseForm`, so a form added tomorrow is fuzzed without anyone adding it here. A form
whose constructor needs a keyword this file cannot fill fails `test_every_form_can_be_built`,
naming the keyword to add to `CONSTRUCTOR_VALUES`.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django import forms
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import maillage
from maillage.accounts.models import User
from maillage.accounts.tests.factories import ProfessionalFactory
from maillage.directory.models import Practice

pytestmark = pytest.mark.django_db

FEW = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _import_every_module() -> None:
    for module in pkgutil.walk_packages(maillage.__path__, "maillage."):
        if ".tests" in module.name or ".migrations" in module.name or ".testing" in module.name:
            continue
        importlib.import_module(module.name)


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_subclasses(sub))
    return found


def discover_forms() -> list[type[forms.BaseForm]]:
    """Every concrete form class defined in `maillage` (tests excluded)."""
    _import_every_module()
    classes = {
        cls
        for cls in _subclasses(forms.BaseForm)
        if cls.__module__.startswith("maillage.")
        and ".tests" not in cls.__module__
        and not getattr(getattr(cls, "_meta", None), "abstract", False)
        and (not issubclass(cls, forms.ModelForm) or getattr(cls._meta, "model", None))
    }
    return sorted(classes, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def _slots() -> list[datetime]:
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=1)
    return [start + timedelta(minutes=15 * n) for n in range(4)]


def _doctor() -> User:
    return ProfessionalFactory()


def _nobody() -> Any:
    return User.objects.none()


# What the forms' constructors need besides the data, by keyword (empty choices where a form
# offers a list of people: the cleaners must refuse any value then, never crash).
CONSTRUCTOR_VALUES: dict[str, Callable[[], Any]] = {
    "patients": _nobody,
    "doctors": _nobody,
    "specialists": _nobody,
    "practices": lambda: Practice.objects.none(),
    "doctor": _doctor,
    "user": _doctor,
    "actor": _doctor,
    "slots": _slots,
    "motives": lambda: ["Renouvellement d'ordonnance"],
    "consent_statement": lambda: "J'accepte la téléconsultation.",
    "act_codes": lambda: [("TCG", "Téléconsultation")],
}


def _constructor_kwargs(form_class: type[forms.BaseForm]) -> dict[str, Any]:
    kwargs: dict[str, Any] = {}
    for klass in form_class.__mro__:
        init = klass.__dict__.get("__init__")
        if init is None or klass.__module__.startswith("django."):
            continue
        for name, parameter in inspect.signature(init).parameters.items():
            required = parameter.default is inspect.Parameter.empty and parameter.kind in (
                inspect.Parameter.KEYWORD_ONLY,
                inspect.Parameter.POSITIONAL_OR_KEYWORD,
            )
            if name == "self" or not required or name in kwargs:
                continue
            if name not in CONSTRUCTOR_VALUES:
                raise LookupError(f"{form_class.__qualname__}: add {name!r} to CONSTRUCTOR_VALUES")
            kwargs[name] = CONSTRUCTOR_VALUES[name]()
    return kwargs


FORMS = discover_forms()
_SCALARS = st.one_of(
    st.text(max_size=40),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.dates().map(str),
    st.datetimes().map(lambda moment: moment.isoformat()),
    st.sampled_from(["", " ", "0", "-1", "on", "true", "null", "2026-02-30", "24:61", "1e309"]),
)


def _values(field: forms.Field) -> st.SearchStrategy[Any]:
    choices = [str(value) for value, _label in getattr(field, "choices", []) or []][:20]
    scalar = st.one_of(_SCALARS, st.sampled_from(choices)) if choices else _SCALARS
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return st.lists(scalar, max_size=3)
    return scalar


# Words of an English message (Django's own messages are translated when French is active).
ENGLISH = re.compile(
    r"\b(this field|enter a|ensure|select a valid|is required|must be|please|invalid)\b", re.I
)


def test_forms_are_discovered() -> None:
    names = {cls.__qualname__ for cls in FORMS}
    assert len(FORMS) >= 20
    assert "ConsultationRequestForm" in names or any("Request" in name for name in names)


@pytest.mark.parametrize("form_class", FORMS, ids=lambda cls: f"{cls.__module__}.{cls.__name__}")
def test_every_form_can_be_built(form_class: type[forms.BaseForm]) -> None:
    form_class(data={}, **_constructor_kwargs(form_class))


@pytest.mark.parametrize("form_class", FORMS, ids=lambda cls: f"{cls.__module__}.{cls.__name__}")
def test_cleaners_never_raise_and_speak_french(form_class: type[forms.BaseForm]) -> None:
    kwargs = _constructor_kwargs(form_class)
    fields = form_class(data={}, **kwargs).fields
    data_strategy = st.fixed_dictionaries(
        {},
        optional={
            name: _values(field)
            for name, field in fields.items()
            if not isinstance(field, forms.FileField)
        },
    )

    @FEW
    @given(data=data_strategy)
    def check(data: dict[str, Any]) -> None:
        with translation.override("fr"):
            form = form_class(data=data, **kwargs)
            form.is_valid()
            messages = [str(message) for errors in form.errors.values() for message in errors]
        english = [message for message in messages if ENGLISH.search(message)]
        assert english == [], f"{form_class.__qualname__}: messages not in French: {english}"

    check()
