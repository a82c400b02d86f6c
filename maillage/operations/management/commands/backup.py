"""Back up the database and the files into a new directory (see maillage.operations.backup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from maillage.operations.backup import BackupError, make_backup


class Command(BaseCommand):
    help = "Back up the database and the uploaded files, with a manifest of checksums."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("target", type=Path, help="directory where the backup is written")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            folder = make_backup(options["target"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"backup written to {folder}")
