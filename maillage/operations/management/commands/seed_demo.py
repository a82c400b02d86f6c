from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from maillage.accounts.models import User
from maillage.operations.demo import (
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    DemoLogin,
    build_demo_territory,
)


def print_logins(write: Any, logins: list[DemoLogin]) -> None:
    write("")
    write(f"Comptes de démonstration (mot de passe pour tous : {DEMO_PASSWORD})")
    for login in logins:
        note = f"  — {login.note}" if login.note else ""
        write(f"  {login.role:<34} {login.email}{note}")
    write("")
    write(f"Code TOTP des professionnels : secret {DEMO_TOTP_SECRET}")
    write("  (ajoutez-le à une application d'authentification, ou : python manage.py demo_totp)")
    write("")


class Command(BaseCommand):
    help = "Load the demo territory (Vosges and Meuse) into an empty database. Never in production."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.MAILLAGE_EMBEDDED:
            raise CommandError(
                "seed_demo refuses to run outside the embedded mode (production settings)."
            )
        if User.objects.exists():
            self.stdout.write("The database already holds accounts: demo data not loaded.")
            return
        logins = build_demo_territory()
        self.stdout.write(self.style.SUCCESS("Demo territory loaded."))
        print_logins(self.stdout.write, logins)
