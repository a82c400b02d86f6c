from __future__ import annotations

from datetime import date
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from factory.declarations import PostGenerationMethodCall, Sequence
from factory.django import DjangoModelFactory
from factory.faker import Faker
from factory.helpers import post_generation

from maillage.accounts import services
from maillage.accounts.models import Role, User
from maillage.accounts.specialties import Specialty
from maillage.core.identifiers import luhn_check_digit

PASSWORD = "correct-horse-battery-staple"
TOTP_SECRET = "JBSWY3DPEHPK3PXPTESTSECRETMAILLA"


def verified(user: User) -> User:
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


# factory_boy ships py.typed but leaves its declarations unannotated: each call names the code.
class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = Sequence(lambda n: f"user{n}@example.test")  # type: ignore[no-untyped-call]
    first_name = Faker("first_name", locale="fr_FR")  # type: ignore[no-untyped-call]
    last_name = Faker("last_name", locale="fr_FR")  # type: ignore[no-untyped-call]
    role = Role.PATIENT
    password = PostGenerationMethodCall("set_password", PASSWORD)  # type: ignore[no-untyped-call]

    @post_generation  # type: ignore[untyped-decorator]
    def email_verified(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:  # noqa: N805  # factory_boy passes the object
        if create:
            obj.save()
            verified(obj)


class _PatientFactory:
    """Patients are created through the registration service, as in real life."""

    _counter = 0

    def __call__(self, **kwargs: Any) -> User:
        self._counter += 1
        n = self._counter
        user = services.register_patient(
            email=kwargs.pop("email", f"patient{n}@example.test"),
            password=kwargs.pop("password", PASSWORD),
            first_name=kwargs.pop("first_name", "Camille"),
            last_name=kwargs.pop("last_name", f"Patient{n}"),
            birth_date=kwargs.pop("birth_date", date(1970, 1, 1)),
            sex=kwargs.pop("sex", "F"),
            **kwargs,
        )
        return verified(user)


def with_totp(user: User, secret: str = TOTP_SECRET) -> User:
    TOTP.activate(user, secret)
    return user


def rpps_for(n: int) -> str:
    partial = f"1{n:09d}"
    return f"{partial}{luhn_check_digit(partial)}"


class _ProfessionalFactory:
    """A verified doctor with a TOTP second factor (created through the service)."""

    _counter = 0

    def __call__(self, **kwargs: Any) -> User:
        self._counter += 1
        n = self._counter + 5000
        role = kwargs.pop("role", Role.GP)
        user = services.create_professional(
            actor=None,
            email=kwargs.pop("email", f"doctor{n}@example.test"),
            password=kwargs.pop("password", PASSWORD),
            first_name=kwargs.pop("first_name", "Claire"),
            last_name=kwargs.pop("last_name", f"Docteur{n}"),
            role=role,
            rpps=kwargs.pop("rpps", rpps_for(n)),
            specialty=kwargs.pop(
                "specialty",
                Specialty.GENERAL_PRACTICE if role == Role.GP else Specialty.CARDIOLOGY,
            ),
            verified=kwargs.pop("verified", True),
        )
        verified(user)
        return with_totp(user) if kwargs.pop("mfa", True) else user


PatientFactory = _PatientFactory()
ProfessionalFactory = _ProfessionalFactory()


class StaffFactory(UserFactory):
    role = Role.STAFF

    @post_generation  # type: ignore[untyped-decorator]
    def mfa(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:  # noqa: N805  # factory_boy passes the object
        if create and extracted is not False:
            with_totp(obj)


class OperatorFactory(StaffFactory):
    role = Role.OPERATOR
    is_staff = True
