"""`manage.py retention`: report the records past their retention date; `--apply` deletes."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from maillage.records import retention


class Command(BaseCommand):
    help = "Report (or, with --apply, delete) medical records past their retention date."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--apply", action="store_true", help="delete, not only report")

    def handle(self, *args: Any, **options: Any) -> None:
        decisions = retention.review()
        for decision in decisions:
            status = "held (legal hold)" if decision.held else "due"
            # Internal ids and dates only: no name or health data in the output.
            self.stdout.write(
                f"patient #{decision.patient_id}: last care {decision.last_care}, "
                f"kept until {decision.keep_until}: {status}"
            )
        outcome = retention.run(apply=options["apply"])
        mode = "deleted" if options["apply"] else "dry run, nothing deleted"
        self.stdout.write(
            f"{outcome.due} record(s) past retention, {outcome.held} held, "
            f"{outcome.deleted_entries} entries {mode}."
        )
