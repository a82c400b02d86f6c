from __future__ import annotations

import json
import sys
from io import StringIO

import pytest

from maillage.deid.jsonl import run_jsonl
from maillage.deid.management.commands.deidentify import Command


def _run(lines: list[str]) -> tuple[list[dict[str, object]], int]:
    out = StringIO()
    failures = run_jsonl(StringIO("\n".join(lines) + "\n"), out)
    return [json.loads(line) for line in out.getvalue().splitlines()], failures


def test_each_line_is_scrubbed_with_its_findings() -> None:
    text = "Mme Jeanne Moreau, tél. 06 12 34 56 78, maladie de Crohn."
    rows, failures = _run(
        [json.dumps({"id": "a1", "text": text}), json.dumps({"id": 2, "text": ""})]
    )
    assert failures == 0
    assert rows[0] == {
        "id": "a1",
        "text": "Mme [NOM], tél. [TÉLÉPHONE], maladie de Crohn.",
        "findings": [
            {"start": 4, "end": 17, "kind": "name"},
            {"start": 24, "end": 38, "kind": "phone"},
        ],
    }
    assert rows[1] == {"id": 2, "text": "", "findings": []}


def test_a_malformed_line_gives_an_error_line_and_the_run_goes_on() -> None:
    rows, failures = _run(
        [
            '{"id": "ok1", "text": "Vu M. Paul Girard."}',
            '{"id": "broken", "text": "Jeanne Dup',
            "",
            '["not", "an", "object"]',
            '{"id": "no-text"}',
            '{"id": true, "text": "x"}',
            '{"id": "ok2", "text": "RAS"}',
        ]
    )
    assert failures == 4
    assert [row["id"] for row in rows] == ["ok1", None, None, None, None, "ok2"]
    assert rows[1] == {"id": None, "error": "invalid JSON"}
    assert all("error" in row and "Dup" not in str(row["error"]) for row in rows[1:5])
    assert rows[5] == {"id": "ok2", "text": "RAS", "findings": []}


def test_command_wraps_the_runner(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", StringIO('{"id": 1, "text": "Dr Anne Colin"}\nnope\n'))
    out, err = StringIO(), StringIO()
    Command(stdout=out, stderr=err).handle(jsonl=True)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert rows[0]["text"] == "Dr [NOM]"
    assert rows[1] == {"id": None, "error": "invalid JSON"}
    assert "1 line(s)" in err.getvalue()


def test_command_without_jsonl_scrubs_the_whole_input(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", StringIO("Mme Jeanne Moreau\nnée le 12/03/1975\n"))
    out = StringIO()
    Command(stdout=out).handle(jsonl=False)
    assert out.getvalue() == "Mme [NOM]\nnée le [DATE]\n"
