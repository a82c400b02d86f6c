from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from maillage.accounts import services
from maillage.accounts.models import DOCTOR_ROLES, Role
from maillage.accounts.specialties import Specialty


class Command(BaseCommand):
    help = (
        "Create a doctor's account from their RPPS. They set their password with "
        "'Mot de passe oublié' and must activate a second factor at first login."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--first-name", required=True)
        parser.add_argument("--last-name", required=True)
        parser.add_argument("--rpps", required=True)
        parser.add_argument("--role", choices=sorted(DOCTOR_ROLES), default=Role.GP)
        parser.add_argument(
            "--specialty", choices=Specialty.values, default=Specialty.GENERAL_PRACTICE
        )
        parser.add_argument(
            "--verified", action="store_true", help="RPPS checked in the Annuaire santé"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with transaction.atomic():
                user = services.create_professional(
                    actor=None,
                    email=options["email"],
                    password=None,
                    first_name=options["first_name"],
                    last_name=options["last_name"],
                    role=Role(options["role"]),
                    rpps=options["rpps"],
                    specialty=options["specialty"],
                    verified=options["verified"],
                )
                EmailAddress.objects.create(
                    user=user, email=user.email, verified=True, primary=True
                )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        professional = user.professional
        if not professional.rpps_key_ok:
            self.stdout.write(
                self.style.WARNING(
                    "RPPS key does not match: check the number in the Annuaire santé."
                )
            )
        self.stdout.write(
            self.style.SUCCESS(f"Created {user.public_id} ({user.get_role_display()}).")
        )
