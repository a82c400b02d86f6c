"""Batch de-identification over JSON Lines, for the ``deidentify`` command and tests.

Each input line is ``{"id": ..., "text": "..."}``; each output line is
``{"id": ..., "text": "<scrubbed>", "findings": [{"start", "end", "kind"}, ...]}``.
A line that cannot be processed gives ``{"id": null, "error": "..."}`` and the run goes
on. Error messages never quote the input: it is health data.

Other batch commands (``lint_profile``) reuse the runner with their own ``process``: the
output line is then ``{"id": ..., **process(text)}``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Final, Protocol

from maillage.deid.text import scrub

__all__ = ["TextProcessor", "TextSink", "run_jsonl"]

_NOT_JSON: Final = "invalid JSON"
_NOT_OBJECT: Final = 'expected a JSON object with a string "text"'
_BAD_ID: Final = '"id" must be a string, an integer or null'


class TextSink(Protocol):
    def write(self, text: str, /) -> object: ...

    def flush(self) -> object: ...


TextProcessor = Callable[[str], Mapping[str, object]]


def _scrubbed(text: str) -> Mapping[str, object]:
    result = scrub(text)
    return {
        "text": result.text,
        "findings": [{"start": f.start, "end": f.end, "kind": f.kind} for f in result.findings],
    }


def run_jsonl(stdin: Iterable[str], stdout: TextSink, process: TextProcessor = _scrubbed) -> int:
    """Run ``process`` (by default: scrub) on every line of ``stdin`` into ``stdout``.

    Return the number of failed lines.
    """
    failures = 0
    for line in stdin:
        if not line.strip():
            continue
        output = _process(line, process)
        if "error" in output:
            failures += 1
        stdout.write(json.dumps(output, ensure_ascii=False) + "\n")
        stdout.flush()
    return failures


def _process(line: str, process: TextProcessor) -> dict[str, object]:
    try:
        record = json.loads(line)
    except ValueError:
        return {"id": None, "error": _NOT_JSON}
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        return {"id": None, "error": _NOT_OBJECT}
    record_id = record.get("id")
    if record_id is not None and (
        isinstance(record_id, bool) or not isinstance(record_id, str | int)
    ):
        return {"id": None, "error": _BAD_ID}
    return {"id": record_id, **process(record["text"])}
