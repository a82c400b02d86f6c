from __future__ import annotations

import json
import sys
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError

from maillage.triage.detector import detect


class Command(BaseCommand):
    help = (
        'Red-flag triage of free texts. With --jsonl, reads {"id", "text"} a line on stdin and '
        'writes {"id", "level", "numbers", "matches"} a line; a bad line gives {"id", "error"}.'
    )

    stealth_options = ("stdin",)  # tests pass the input as a stream

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--jsonl", action="store_true", help="one JSON object a line")
        parser.add_argument("text", nargs="?", help="a single text (without --jsonl)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["jsonl"]:
            if not options["text"]:
                raise CommandError("give a text, or --jsonl and lines on stdin")
            self.stdout.write(json.dumps(detect(options["text"]).as_json(), ensure_ascii=False))
            return
        source: TextIO = options.get("stdin") or sys.stdin
        errors = 0
        for number, line in enumerate(source, start=1):
            if not line.strip():
                continue
            result = self._one(line)
            if "error" in result:
                errors += 1
                self.stderr.write(f"line {number}: {result['error']}")
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        if errors:
            raise CommandError(f"{errors} line(s) could not be read", returncode=2)

    @staticmethod
    def _one(line: str) -> dict[str, Any]:
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            return {"id": None, "error": f"invalid JSON ({error.msg})"}
        if not isinstance(item, dict):
            return {"id": None, "error": 'expected an object {"id", "text"}'}
        text = item.get("text")
        if not isinstance(text, str):
            return {"id": item.get("id"), "error": '"text" must be a string'}
        return detect(text).as_json(item.get("id"))
