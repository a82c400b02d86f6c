from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from maillage.accounts.models import User
from maillage.core.server import EmbeddedServer


class Command(BaseCommand):
    help = (
        "Embedded mode: migrate, load demo data into an empty database, then serve pages, "
        "websockets, task workers and the scheduler in one process. Ctrl-C stops everything."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=1, help="task worker threads")
        parser.add_argument("--no-demo", action="store_true", help="do not load demo data")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database migrated.")
        if not options["no_demo"] and settings.MAILLAGE_EMBEDDED and not User.objects.exists():
            call_command("seed_demo")
        elif (
            settings.MAILLAGE_EMBEDDED
            and User.objects.filter(email__endswith="@demo.maillage.test").exists()
        ):
            from maillage.operations.demo import DEMO_PASSWORD

            self.stdout.write(
                f"Demo accounts present (password {DEMO_PASSWORD}); see README for the list."
            )
        server = EmbeddedServer(
            host=options["host"], port=options["port"], workers=options["workers"]
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Maillage on http://{options['host']}:{options['port']}/ "
                f"(pages + websockets, {options['workers']} task worker(s), scheduler). Ctrl-C to stop."
            )
        )
        # Ctrl-C: uvicorn shuts down cleanly, the workers with it, then re-raises the signal.
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(server.serve())
        self.stdout.write("Stopped.")
