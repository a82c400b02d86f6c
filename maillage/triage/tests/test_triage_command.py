from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command


def run(lines: list[str]) -> tuple[list[dict[str, object]], str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("triage", "--jsonl", stdin=io.StringIO("\n".join(lines)), stdout=out, stderr=err)
    return [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue()


def test_each_line_gets_its_answer_in_order() -> None:
    results, errors = run(
        [
            json.dumps({"id": "a", "text": "Je n'arrive plus à respirer"}),
            json.dumps({"id": 7, "text": "Pas de douleur thoracique"}),
        ]
    )

    assert errors == ""
    assert results == [
        {
            "id": "a",
            "level": "emergency",
            "numbers": ["15", "112", "114"],
            "matches": ["Je n'arrive plus à respirer"],
        },
        {"id": 7, "level": "routine", "numbers": [], "matches": []},
    ]


def test_bad_lines_get_an_error_in_place_and_the_command_fails_at_the_end() -> None:
    out, err = io.StringIO(), io.StringIO()
    lines = [
        "not json",
        json.dumps({"id": 2}),
        json.dumps([1]),
        json.dumps({"id": 4, "text": "rhume"}),
    ]

    with pytest.raises(CommandError) as failure:
        call_command(
            "triage", "--jsonl", stdin=io.StringIO("\n".join(lines)), stdout=out, stderr=err
        )

    results = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [result.get("error") is not None for result in results] == [True, True, True, False]
    assert results[1]["id"] == 2
    assert results[3]["level"] == "routine"
    assert failure.value.returncode == 2
    assert "line 1" in err.getvalue()


def test_a_single_text_without_jsonl() -> None:
    out = io.StringIO()
    call_command("triage", "I want to die", stdout=out)

    assert json.loads(out.getvalue())["numbers"] == ["3114"]
