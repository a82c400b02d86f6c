"""The self-assessment engine: branching, the safety net first and at every step, outcomes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from maillage.triage.assessment import (
    TemplateError,
    evaluate,
    load_templates,
    next_question,
    parse_answer,
    parse_template,
    safety_check,
    visible_questions,
)

THROAT = "mal-de-gorge"


def throat(**answers: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "red_flags": [],
        "age": 30,
        "fever": False,
        "days": "lt3",
        "cough": True,
        "one_side": False,
    }
    base.update(answers)
    return base


def test_every_shipped_template_loads() -> None:
    templates = load_templates()
    assert {"mal-de-gorge", "phq-9", "gad-7"} <= set(templates)


def test_a_question_shown_only_after_a_given_answer() -> None:
    template = load_templates()[THROAT]

    without_fever = [q.id for q in visible_questions(template, {"fever": False})]
    with_fever = [q.id for q in visible_questions(template, {"fever": True})]

    assert "temperature" not in without_fever
    assert "temperature" in with_fever


def test_the_next_question_follows_the_branching() -> None:
    template = load_templates()[THROAT]

    assert next_question(template, {"red_flags": [], "age": 40})
    question = next_question(template, {"red_flags": [], "age": 40, "fever": True})
    assert question is not None
    assert question.id == "temperature"
    done = throat(details="")
    assert next_question(template, done) is None


def test_a_ticked_red_flag_gives_the_emergency_outcome_whatever_the_rest() -> None:
    outcome = evaluate(load_templates()[THROAT], throat(red_flags=["saliva"]))

    assert outcome.kind == "emergency"
    assert outcome.numbers == ["15", "112", "114"]
    assert outcome.reasons


def test_free_text_is_checked_by_the_detector_at_every_step() -> None:
    template = load_templates()[THROAT]

    partial = {"red_flags": [], "details": "et là je n'arrive plus à respirer"}

    alarm = safety_check(template, partial)
    assert alarm is not None
    assert alarm.kind == "emergency"


def test_a_negated_alarm_in_free_text_is_left_alone() -> None:
    outcome = evaluate(load_templates()[THROAT], throat(details="pas de difficulté à respirer"))

    assert outcome.kind == "self_care"


def test_outcomes_follow_the_rules_in_order() -> None:
    template = load_templates()[THROAT]

    assert evaluate(template, throat(one_side=True)).kind == "see_doctor_today"
    assert evaluate(template, throat(fever=True, temperature=39.8)).kind == "see_doctor_today"
    assert (
        evaluate(template, throat(fever=True, temperature=38.4, cough=False)).kind
        == "online_request"
    )
    self_care = evaluate(template, throat())
    assert self_care.kind == "self_care"
    assert self_care.check_in_days == 3


def test_an_answer_to_a_question_no_longer_shown_is_ignored() -> None:
    # the temperature typed before "fever" was changed to "no" must not count
    outcome = evaluate(load_templates()[THROAT], throat(fever=False, temperature=40.5))

    assert outcome.kind == "self_care"


def test_see_doctor_today_shows_the_duty_doctor_number() -> None:
    assert evaluate(load_templates()[THROAT], throat(one_side=True)).numbers == ["116 117"]


@pytest.mark.parametrize(("item9", "kind"), [(0, "self_care"), (1, "suicide"), (3, "suicide")])
def test_phq9_item_9_leads_to_3114(item9: int, kind: str) -> None:
    answers: dict[str, Any] = {f"q{i}": 0 for i in range(1, 9)}
    answers |= {"q9": item9, "red_flags": []}

    outcome = evaluate(load_templates()["phq-9"], answers)

    assert outcome.kind == kind
    if kind == "suicide":
        assert outcome.numbers == ["3114"]


@pytest.mark.parametrize(("each", "kind"), [(1, "self_care"), (2, "see_doctor_today")])
def test_phq9_score_bands(each: int, kind: str) -> None:
    answers: dict[str, Any] = {f"q{i}": each for i in range(1, 9)} | {"q9": 0, "red_flags": []}

    assert evaluate(load_templates()["phq-9"], answers).kind == kind


def test_gad7_ticked_dark_thoughts_give_3114() -> None:
    answers: dict[str, Any] = {f"q{i}": 0 for i in range(1, 8)} | {"red_flags": ["dark"]}

    outcome = evaluate(load_templates()["gad-7"], answers)

    assert (outcome.kind, outcome.numbers) == ("suicide", ["3114"])


@pytest.mark.parametrize(("raw", "expected"), [("38,5", 38.5), ("38.5", 38.5), (" 39 ", 39.0)])
def test_numbers_are_read_the_french_way(raw: str, expected: float) -> None:
    question = load_templates()[THROAT].question("temperature")

    assert parse_answer(question, raw) == expected


@pytest.mark.parametrize(
    ("raw", "code"), [("", "required"), ("chaud", "invalid"), ("45", "range"), ("nan", "range")]
)
def test_a_bad_answer_is_explained_in_french(raw: str, code: str) -> None:
    question = load_templates()[THROAT].question("temperature")

    with pytest.raises(ValidationError) as refused:
        parse_answer(question, raw)

    assert refused.value.code == code


def test_a_choice_outside_the_options_is_refused() -> None:
    with pytest.raises(ValidationError):
        parse_answer(load_templates()[THROAT].question("days"), "forever")


def _template(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (Path(__file__).parents[1] / "templates_data" / "mal-de-gorge.json").read_text("utf-8")
    )
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        (
            {
                "outcomes": [
                    {
                        "when": {"q": "fever", "eq": True},
                        "outcome": "self_care",
                        "advice": "x",
                        "check_in_days": 2,
                    }
                ]
            },
            "no condition",
        ),
        ({"outcomes": [{"outcome": "self_care", "advice": "x"}]}, "check_in_days"),
        ({"outcomes": [{"outcome": "magic", "advice": "x"}]}, "unknown outcome"),
        ({"questions": [{"id": "a", "type": "slider", "label": "x"}]}, "unknown type"),
        (
            {
                "questions": [
                    {"id": "a", "type": "yes_no", "label": "x", "show_if": {"q": "b", "eq": True}}
                ]
            },
            "unknown question",
        ),
        ({"questions": [{"id": "a", "type": "choice", "label": "x"}]}, "options are required"),
    ],
)
def test_a_malformed_template_is_refused_with_a_clear_error(
    overrides: dict[str, Any], fragment: str
) -> None:
    with pytest.raises(TemplateError) as refused:
        parse_template(_template(**overrides), "broken.json")

    assert "broken.json" in str(refused.value)
    assert fragment in str(refused.value)


def test_phq9_item_9_concludes_at_once_without_waiting_for_the_last_question() -> None:
    template = load_templates()["phq-9"]
    answers: dict[str, Any] = {f"q{i}": 0 for i in range(1, 9)} | {"q9": 2, "red_flags": []}

    alarm = safety_check(template, answers)  # "details" is not answered yet

    assert alarm is not None
    assert (alarm.kind, alarm.numbers) == ("suicide", ["3114"])
