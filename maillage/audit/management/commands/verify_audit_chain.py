"""Recompute the audit trail's hash chain; exit 1 if any link is broken."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from maillage.audit.chain import seal_pending, verify_chain


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain (tamper evidence)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--seal-first", action="store_true", help="seal pending events before verifying"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["seal_first"]:
            self.stdout.write(f"sealed: {seal_pending()}")
        result = verify_chain()
        self.stdout.write(f"seals checked: {result.checked}")
        if result.unsealed:
            self.stdout.write(
                f"events waiting to be sealed for over ten minutes: {result.unsealed}"
            )
        for problem in result.problems:
            self.stderr.write(problem)
        if not result.intact:
            raise CommandError(f"audit chain broken: {len(result.problems)} problem(s)")
        self.stdout.write("audit chain intact")
