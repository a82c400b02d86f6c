from __future__ import annotations

import time
from typing import Any

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from maillage.operations.demo import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Print the current TOTP code of the demo professionals (embedded mode only)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.MAILLAGE_EMBEDDED:
            raise CommandError("demo_totp exists for the demo only.")
        counter = int(time.time()) // 30
        remaining = 30 - int(time.time()) % 30
        code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counter))
        self.stdout.write(f"{code}  (valable encore {remaining} s)")
