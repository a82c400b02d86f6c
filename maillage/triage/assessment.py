"""Self-assessment: condition templates as data, with the safety net first and at every step.

Pure functions over plain answers; storage and pages live elsewhere.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from maillage.triage.detector import EMERGENCY, detect

TEMPLATES_DIR = Path(__file__).with_name("templates_data")
QUESTION_TYPES = {"yes_no", "choice", "multi", "number", "scale", "text"}
OUTCOMES = ("emergency", "suicide", "see_doctor_today", "online_request", "self_care")
_COMPARATORS = {"eq", "ne", "gte", "lte", "gt", "lt", "in", "contains"}
MAX_TEXT = 2000

Answers = dict[str, Any]
Condition = dict[str, Any]


class TemplateError(ValueError):
    """A template file does not follow the format (the message names the file and the field)."""


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    label: str
    required: bool = True
    help: str = ""
    options: tuple[tuple[Any, str], ...] = ()
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    unit: str = ""
    show_if: Condition | None = None


@dataclass(frozen=True)
class RedFlag:
    id: str
    label: str
    outcome: str = "emergency"


@dataclass(frozen=True)
class OutcomeRule:
    outcome: str
    advice: str
    when: Condition | None = None
    check_in_days: int | None = None


@dataclass(frozen=True)
class Template:
    slug: str
    title: str
    article: str
    version: str
    sources: tuple[str, ...]
    red_flags: tuple[RedFlag, ...]
    questions: tuple[Question, ...]
    scores: dict[str, tuple[str, ...]]
    outcomes: tuple[OutcomeRule, ...]

    def question(self, question_id: str) -> Question:
        return next(question for question in self.questions if question.id == question_id)


@dataclass(frozen=True)
class Outcome:
    kind: str
    advice: str
    numbers: list[str] = field(default_factory=list)
    check_in_days: int | None = None
    reasons: list[str] = field(default_factory=list)


# --- Loading ---------------------------------------------------------------------------------


def _check_condition(condition: Any, where: str, ids: set[str], scores: set[str]) -> None:
    if not isinstance(condition, dict) or not condition:
        raise TemplateError(f"{where}: a condition must be a non-empty object")
    if "all" in condition or "any" in condition:
        parts = condition.get("all", condition.get("any"))
        if not isinstance(parts, list) or not parts:
            raise TemplateError(f"{where}: all/any need a non-empty list")
        for part in parts:
            _check_condition(part, where, ids, scores)
        return
    if "not" in condition:
        _check_condition(condition["not"], where, ids, scores)
        return
    if "answered" in condition:
        if condition["answered"] not in ids:
            raise TemplateError(f"{where}: unknown question {condition['answered']!r}")
        return
    subject = condition.get("q", condition.get("score"))
    known = ids if "q" in condition else scores
    if subject not in known:
        raise TemplateError(f"{where}: unknown question or score {subject!r}")
    operators = set(condition) - {"q", "score"}
    if len(operators) != 1 or not operators <= _COMPARATORS:
        raise TemplateError(f"{where}: one comparison among {sorted(_COMPARATORS)} expected")


def parse_template(data: dict[str, Any], origin: str) -> Template:
    """Build a template from its JSON, or raise TemplateError naming `origin` and the fault."""
    try:
        questions = tuple(
            Question(
                id=raw["id"],
                type=raw["type"],
                label=raw["label"],
                required=raw.get("required", True),
                help=raw.get("help", ""),
                options=tuple(
                    (option["value"], option["label"]) for option in raw.get("options", [])
                ),
                minimum=Decimal(str(raw["min"])) if "min" in raw else None,
                maximum=Decimal(str(raw["max"])) if "max" in raw else None,
                unit=raw.get("unit", ""),
                show_if=raw.get("show_if"),
            )
            for raw in data["questions"]
        )
        red_flags = tuple(
            RedFlag(id=raw["id"], label=raw["label"], outcome=raw.get("outcome", "emergency"))
            for raw in data.get("red_flags", [])
        )
        outcomes = tuple(
            OutcomeRule(
                outcome=raw["outcome"],
                advice=raw["advice"],
                when=raw.get("when"),
                check_in_days=raw.get("check_in_days"),
            )
            for raw in data["outcomes"]
        )
        scores = {raw["id"]: tuple(raw["sum"]) for raw in data.get("scores", [])}
        template = Template(
            slug=data["slug"],
            title=data["title"],
            article=data.get("article", ""),
            version=data["version"],
            sources=tuple(data.get("sources", [])),
            red_flags=red_flags,
            questions=questions,
            scores=scores,
            outcomes=outcomes,
        )
    except (KeyError, TypeError, InvalidOperation) as error:
        raise TemplateError(f"{origin}: missing or malformed field ({error})") from None
    ids = [question.id for question in questions]
    if len(set(ids)) != len(ids):
        raise TemplateError(f"{origin}: two questions share an id")
    for question in questions:
        where = f"{origin}, question {question.id}"
        if question.type not in QUESTION_TYPES:
            raise TemplateError(f"{where}: unknown type {question.type!r}")
        if question.type in {"choice", "multi", "scale"} and not question.options:
            raise TemplateError(f"{where}: options are required")
        if question.show_if is not None:
            earlier = set(ids[: ids.index(question.id)])
            _check_condition(question.show_if, where, earlier, set(template.scores))
    for score, parts in template.scores.items():
        if not set(parts) <= set(ids):
            raise TemplateError(f"{origin}, score {score}: unknown questions")
    if not outcomes or outcomes[-1].when is not None:
        raise TemplateError(f"{origin}: the last outcome must have no condition (never a dead end)")
    for rule in outcomes:
        if rule.outcome not in OUTCOMES:
            raise TemplateError(f"{origin}: unknown outcome {rule.outcome!r}")
        if rule.when is not None:
            _check_condition(rule.when, f"{origin}, outcome", set(ids), set(template.scores))
        if rule.outcome == "self_care" and not rule.check_in_days:
            raise TemplateError(f"{origin}: self-care needs check_in_days (a dated check-in)")
    for flag in red_flags:
        if flag.outcome not in {"emergency", "suicide"}:
            raise TemplateError(
                f"{origin}, red flag {flag.id}: outcome must be emergency or suicide"
            )
    return template


@lru_cache(maxsize=1)
def load_templates(directory: Path = TEMPLATES_DIR) -> dict[str, Template]:
    """Read every template of the directory (cached per process)."""
    templates = {}
    for path in sorted(directory.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            raise TemplateError(
                f"{path.name}: invalid JSON ({error.msg}, line {error.lineno})"
            ) from None
        template = parse_template(data, path.name)
        if template.slug != path.stem:
            raise TemplateError(f"{path.name}: slug {template.slug!r} differs from the file name")
        templates[template.slug] = template
    return templates


# --- Conditions and visibility ---------------------------------------------------------------


def _compare(value: Any, operator: str, expected: Any) -> bool:
    if value is None:
        return False
    if operator in {"gte", "lte", "gt", "lt"}:
        try:
            left, right = Decimal(str(value)), Decimal(str(expected))
        except InvalidOperation:
            return False
        return {"gte": left >= right, "lte": left <= right, "gt": left > right, "lt": left < right}[
            operator
        ]
    if operator == "eq":
        return bool(value == expected)
    if operator == "ne":
        return bool(value != expected)
    if operator == "in":
        return value in expected
    return expected in value  # contains: a value ticked among several


def scores_of(template: Template, answers: Answers) -> dict[str, int]:
    return {
        score: sum(int(answers.get(part) or 0) for part in parts)
        for score, parts in template.scores.items()
    }


def holds(condition: Condition, answers: Answers, scores: dict[str, int]) -> bool:
    """Evaluate a condition of the template language on the answers so far."""
    if "all" in condition:
        return all(holds(part, answers, scores) for part in condition["all"])
    if "any" in condition:
        return any(holds(part, answers, scores) for part in condition["any"])
    if "not" in condition:
        return not holds(condition["not"], answers, scores)
    if "answered" in condition:
        return answers.get(condition["answered"]) not in (None, "", [])
    value = answers.get(condition["q"]) if "q" in condition else scores.get(condition["score"])
    (operator,) = set(condition) - {"q", "score"}
    return _compare(value, operator, condition[operator])


def visible_questions(template: Template, answers: Answers) -> list[Question]:
    scores = scores_of(template, answers)
    return [
        question
        for question in template.questions
        if question.show_if is None or holds(question.show_if, answers, scores)
    ]


def clean_answers(template: Template, answers: Answers) -> Answers:
    """Drop answers to questions that are no longer shown (a changed earlier answer)."""
    shown = {question.id for question in visible_questions(template, answers)}
    return {key: value for key, value in answers.items() if key in shown or key == "red_flags"}


def next_question(template: Template, answers: Answers) -> Question | None:
    """Return the first shown question not answered yet, or None when the form is complete."""
    for question in visible_questions(template, answers):
        if question.id not in answers:
            return question
    return None


# --- Answers ---------------------------------------------------------------------------------


def parse_answer(question: Question, raw: Any) -> Any:
    """Turn what the person typed or ticked into a value, or explain in French what to fix.

    Raises:
        ValidationError: with a message for the person.
    """
    empty = raw is None or raw == "" or raw == []
    if empty:
        if question.required:
            raise ValidationError(_("Merci de répondre à cette question."), code="required")
        return None
    if question.type == "yes_no":
        if raw in (True, "oui", "yes", "true", "1", 1):
            return True
        if raw in (False, "non", "no", "false", "0", 0):
            return False
        raise ValidationError(_("Répondez par oui ou par non."), code="invalid")
    if question.type == "number":
        try:
            number = Decimal(str(raw).replace(",", ".").strip())
        except InvalidOperation:
            raise ValidationError(
                _("Écrivez un nombre, par exemple 38,5."), code="invalid"
            ) from None
        if (
            not number.is_finite()
            or (question.minimum is not None and number < question.minimum)
            or (question.maximum is not None and number > question.maximum)
        ):
            raise ValidationError(
                _("Indiquez un nombre entre %(min)s et %(max)s.")
                % {"min": question.minimum, "max": question.maximum},
                code="range",
            )
        return float(number)
    values = [value for value, _label in question.options]
    if question.type == "multi":
        chosen = raw if isinstance(raw, list) else [raw]
        typed = [_typed_option(values, item) for item in chosen]
        if any(item is None for item in typed):
            raise ValidationError(_("Choisissez parmi les réponses proposées."), code="invalid")
        return typed
    if question.type in {"choice", "scale"}:
        value = _typed_option(values, raw)
        if value is None:
            raise ValidationError(_("Choisissez parmi les réponses proposées."), code="invalid")
        return value
    text = str(raw).strip()
    if len(text) > MAX_TEXT:
        raise ValidationError(
            _("Votre texte est trop long (%(max)s caractères au plus).") % {"max": MAX_TEXT},
            code="too_long",
        )
    return text


def _typed_option(values: list[Any], raw: Any) -> Any:
    for value in values:
        if raw == value or str(raw) == str(value):
            return value
    return None


# --- Outcome ---------------------------------------------------------------------------------

_EMERGENCY_NUMBERS = ["15", "112", "114"]


def safety_check(template: Template, answers: Answers) -> Outcome | None:
    """The safety net, checked first and after every answer: ticked red flags, then free text."""
    ticked = set(answers.get("red_flags") or [])
    flags = [flag for flag in template.red_flags if flag.id in ticked]
    if any(flag.outcome == "suicide" for flag in flags):
        return Outcome("suicide", "", ["3114"], reasons=[flag.label for flag in flags])
    if flags:
        return Outcome("emergency", "", list(_EMERGENCY_NUMBERS), reasons=[f.label for f in flags])
    # Alarm outcomes of the template (PHQ-9 item 9, an infant's age…) fire as soon as they hold,
    # not only once the last question is answered: a closed tab must not hide them.
    scores = scores_of(template, answers)
    for rule in template.outcomes:
        if (
            rule.outcome in {"emergency", "suicide"}
            and rule.when
            and holds(rule.when, answers, scores)
        ):
            numbers = list(_EMERGENCY_NUMBERS) if rule.outcome == "emergency" else ["3114"]
            return Outcome(rule.outcome, rule.advice, numbers)
    texts = [
        str(answers[question.id])
        for question in template.questions
        if question.type == "text" and answers.get(question.id)
    ]
    for text in texts:
        found = detect(text)
        if found.level == EMERGENCY:
            kind = "suicide" if "3114" in found.numbers else "emergency"
            return Outcome(kind, "", found.numbers, reasons=[m.text for m in found.active_matches])
    return None


def evaluate(template: Template, answers: Answers) -> Outcome:
    """Return the outcome of a complete (or stopped) self-assessment: never a dead end."""
    answers = clean_answers(template, answers)
    alarm = safety_check(template, answers)
    if alarm is not None:
        return alarm
    scores = scores_of(template, answers)
    for rule in template.outcomes:
        if rule.when is None or holds(rule.when, answers, scores):
            numbers = {"emergency": _EMERGENCY_NUMBERS, "suicide": ["3114"]}.get(rule.outcome, [])
            if rule.outcome == "see_doctor_today":
                numbers = ["116 117"]
            return Outcome(rule.outcome, rule.advice, list(numbers), rule.check_in_days)
    raise AssertionError("unreachable: the last outcome has no condition (checked at load)")


def describe_answers(template: Template, answers: Answers) -> list[tuple[str, str]]:
    """Return (question, answer) pairs in plain words, for a request to the GP."""
    lines: list[tuple[str, str]] = []
    ticked = set(answers.get("red_flags") or [])
    flags = [flag.label for flag in template.red_flags if flag.id in ticked]
    lines.append((_("Signes d'alerte cochés"), ", ".join(flags) if flags else _("aucun")))
    for question in visible_questions(template, answers):
        if question.id not in answers or answers[question.id] in (None, "", []):
            continue
        value = answers[question.id]
        labels = dict(question.options)
        if question.type == "yes_no":
            text = _("oui") if value else _("non")
        elif question.type == "multi":
            text = ", ".join(str(labels.get(item, item)) for item in value)
        elif question.options:
            text = str(labels.get(value, value))
        else:
            text = f"{value} {question.unit}".strip()
        lines.append((question.label, text))
    return lines
