from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from maillage.deid.jsonl import run_jsonl
from maillage.directory.linter import lint_text


def _lint_fields(text: str) -> Mapping[str, object]:
    return {
        "findings": [
            {
                "rule": f.rule,
                "severity": f.severity,
                "start": f.start,
                "end": f.end,
                "message": f.message,
            }
            for f in lint_text(text)
        ]
    }


class Command(BaseCommand):
    help = (
        "Check profile texts against the communication rules (text rules only). With --jsonl: "
        'one {"id", "text"} object per line in, one {"id", "findings"} per line out.'
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--jsonl", action="store_true", help="Read and write JSON Lines (one text a line)."
        )
        parser.add_argument(
            "--language",
            default="fr",
            choices=["fr", "en"],
            help="Language of the messages (default: French).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["jsonl"]:
            # One format only: the batch use of the issue; the pages call lint_text directly.
            raise CommandError("use --jsonl and give one JSON object per line on stdin")
        with translation.override(options["language"]):
            failures = run_jsonl(sys.stdin, self.stdout, _lint_fields)
        if failures:
            self.stderr.write(f"{failures} line(s) could not be processed")
