"""Restore a backup into a NEW database and an empty files directory, then compare counts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from maillage.operations.backup import BackupError, restore_postgresql, restore_sqlite


class Command(BaseCommand):
    help = "Restore a backup made by `backup` and check it against its manifest."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("backup", type=Path, help="the backup's directory")
        parser.add_argument("--files-to", type=Path, required=True, help="an empty directory")
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--database-url", help="an empty PostgreSQL database")
        target.add_argument("--sqlite-path", type=Path, help="a new SQLite file")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["database_url"]:
                restored = restore_postgresql(
                    options["backup"],
                    database_url=options["database_url"],
                    files_root=options["files_to"],
                )
            else:
                restored = restore_sqlite(
                    options["backup"],
                    database_path=options["sqlite_path"],
                    files_root=options["files_to"],
                )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"restored {restored.tables} tables, {restored.rows} rows, {restored.files} files; "
            "counts match the manifest"
        )
