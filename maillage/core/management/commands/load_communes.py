from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from maillage.core.communes import load_communes


class Command(BaseCommand):
    help = (
        "Load the bundled French communes and their coordinates into the Commune table "
        "(creates the missing ones, relocates the others; safe to run again)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--existing-only",
            action="store_true",
            help="Only refresh the coordinates of the communes already in the table.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            loaded = load_communes(create=not options["existing_only"])
        self.stdout.write(f"communes: {loaded.created} created, {loaded.updated} relocated")
