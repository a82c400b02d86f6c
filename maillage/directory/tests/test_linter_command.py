from __future__ import annotations

import json
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def _run(
    monkeypatch: pytest.MonkeyPatch, lines: list[str], *args: str
) -> tuple[list[dict[str, object]], str]:
    monkeypatch.setattr(sys, "stdin", StringIO("\n".join(lines) + "\n"))
    out, err = StringIO(), StringIO()
    call_command("lint_profile", "--jsonl", *args, stdout=out, stderr=err)
    return [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue()


def test_each_line_gets_its_findings_and_a_bad_line_does_not_stop_the_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rows, err = _run(
        monkeypatch,
        [
            json.dumps({"id": "p1", "text": "Le meilleur cardiologue de Nancy."}),
            "{not json",
            json.dumps({"id": 2, "text": "Parking gratuit, tiers payant."}),
            json.dumps({"id": "p3"}),
        ],
    )
    assert rows[0]["id"] == "p1"
    findings = rows[0]["findings"]
    assert isinstance(findings, list)
    (finding,) = findings
    assert isinstance(finding, dict)
    assert {k: finding[k] for k in ("rule", "severity", "start", "end")} == {
        "rule": "L04",
        "severity": "error",
        "start": 0,
        "end": 32,  # "Le meilleur cardiologue de Nancy": the claim with its scope
    }
    assert "comparaison" in finding["message"]
    assert rows[1] == {"id": None, "error": "invalid JSON"}
    assert rows[2] == {"id": 2, "findings": []}
    assert rows[3]["id"] is None
    assert "error" in rows[3]
    assert "2 line(s)" in err


def test_messages_in_english_on_request(monkeypatch: pytest.MonkeyPatch) -> None:
    rows, _ = _run(
        monkeypatch, [json.dumps({"id": 1, "text": "Résultats garantis."})], "--language", "en"
    )
    assert "guarantee" in rows[0]["findings"][0]["message"]  # type: ignore[index]


def test_without_jsonl_the_command_refuses() -> None:
    with pytest.raises(CommandError):
        call_command("lint_profile")
