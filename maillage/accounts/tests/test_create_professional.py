"""create_professional: RPPS is 11 digits; a wrong Luhn key warns but never blocks."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from maillage.accounts import services
from maillage.accounts.models import Professional, Role, User
from maillage.accounts.specialties import Specialty
from maillage.accounts.tests.factories import OperatorFactory
from maillage.audit.models import AuditEvent
from maillage.core.identifiers import luhn_ok

pytestmark = pytest.mark.django_db

LUHN_OK_RPPS = "10005173140"  # passes Luhn (REGULATION.md §6.2)
LUHN_FAILING_RPPS = "10101201234"  # the FR Core example, fails Luhn


def _create(rpps: str, **overrides: Any) -> User:
    arguments: dict[str, Any] = {
        "actor": None,
        "email": "claire.thiebaut@example.test",
        "password": "Une-phrase-de-passe-2026",
        "first_name": "Claire",
        "last_name": "Thiébaut",
        "role": Role.GP,
        "rpps": rpps,
        "specialty": Specialty.GENERAL_PRACTICE,
    }
    arguments.update(overrides)
    return services.create_professional(**arguments)


def test_the_reference_numbers_are_what_the_tests_assume() -> None:
    assert luhn_ok(LUHN_OK_RPPS)
    assert not luhn_ok(LUHN_FAILING_RPPS)


def test_a_valid_rpps_is_stored_with_its_key_ok() -> None:
    user = _create(LUHN_OK_RPPS)

    professional = Professional.objects.get(user=user)
    assert professional.rpps == LUHN_OK_RPPS
    assert professional.rpps_key_ok is True
    assert user.role == Role.GP
    assert user.check_password("Une-phrase-de-passe-2026")


def test_a_luhn_failing_rpps_is_kept_with_a_warning_flag() -> None:
    user = _create(LUHN_FAILING_RPPS)

    professional = Professional.objects.get(user=user)
    assert professional.rpps == LUHN_FAILING_RPPS
    assert professional.rpps_key_ok is False
    event = AuditEvent.objects.get(action="accounts.professional_created")
    assert event.details == {"rpps_key_ok": False, "specialty": Specialty.GENERAL_PRACTICE}


@pytest.mark.parametrize("rpps", ["1000517314", "100051731400", "1000517314A", ""])
def test_an_rpps_that_is_not_eleven_digits_is_rejected(rpps: str) -> None:
    with pytest.raises(ValidationError) as rejected:
        _create(rpps)

    assert rejected.value.code == "rpps_format"
    assert not User.objects.exists()
    assert not AuditEvent.objects.exists()


def test_spaces_typed_in_the_rpps_are_removed() -> None:
    user = _create("100 051 731 40")

    assert Professional.objects.get(user=user).rpps == LUHN_OK_RPPS


def test_creation_by_an_operator_is_audited_with_the_operator() -> None:
    operator = OperatorFactory.create()

    user = _create(LUHN_OK_RPPS, actor=operator)

    event = AuditEvent.objects.get(action="accounts.professional_created")
    assert event.actor == operator
    assert event.target_id == str(user.public_id)


def test_verified_by_an_operator_or_pending() -> None:
    checked = _create(LUHN_OK_RPPS, verified=True)
    pending = _create("10000000008", email="autre@example.test", verified=False)

    assert checked.professional.verification == Professional.Verification.OPERATOR
    assert checked.professional.is_verified
    assert pending.professional.verification == Professional.Verification.PENDING
    assert not pending.professional.is_verified
