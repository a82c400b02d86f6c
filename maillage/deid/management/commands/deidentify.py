from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from maillage.deid.jsonl import run_jsonl
from maillage.deid.text import scrub


class Command(BaseCommand):
    help = (
        "De-identify French clinical text read on stdin. With --jsonl: one "
        '{"id", "text"} object per line in, one {"id", "text", "findings"} per line out.'
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--jsonl", action="store_true", help="Read and write JSON Lines (one text a line)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["jsonl"]:
            failures = run_jsonl(sys.stdin, self.stdout)
            if failures:
                self.stderr.write(f"{failures} line(s) could not be processed")
            return
        text = sys.stdin.read()
        if not text:
            raise CommandError("nothing to de-identify on stdin")
        self.stdout.write(scrub(text).text, ending="")
