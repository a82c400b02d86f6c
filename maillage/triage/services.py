"""Self-assessment use cases: start, answer, conclude, check in. Audited in their transaction."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from maillage.accounts.models import User
from maillage.accounts.selectors import can_act_for
from maillage.audit.services import log_event
from maillage.core.exceptions import DomainError, NotAllowed
from maillage.notifications.services import notify
from maillage.records import services as records
from maillage.records.models import RecordEntry
from maillage.triage.assessment import (
    MAX_TEXT,
    Outcome,
    Template,
    clean_answers,
    describe_answers,
    evaluate,
    load_templates,
    next_question,
    parse_answer,
    safety_check,
)
from maillage.triage.detector import EMERGENCY, detect
from maillage.triage.models import SelfAssessment

REUSE_WITHIN = timedelta(hours=12)
CHECK_IN_HOUR = time(9, 0)


class UnknownTemplate(DomainError):
    default_message = _("Cette auto-évaluation n'existe pas.")


class AssessmentClosed(DomainError):
    default_message = _("Cette auto-évaluation est terminée.")


def template_of(assessment: SelfAssessment) -> Template:
    try:
        return load_templates()[assessment.template]
    except KeyError:
        raise UnknownTemplate from None


@transaction.atomic
def start_assessment(*, actor: User, patient: User, template: str) -> SelfAssessment:
    """Start (or resume, after a double click) a self-assessment for the patient.

    Raises:
        NotAllowed: when the actor may not act for the patient.
        UnknownTemplate: for a template that does not exist.
    """
    if not can_act_for(actor=actor, patient=patient):
        raise NotAllowed
    found = load_templates().get(template)
    if found is None:
        raise UnknownTemplate
    User.objects.select_for_update().filter(pk=patient.pk).first()
    recent = (
        SelfAssessment.objects.filter(
            patient=patient,
            template=template,
            status=SelfAssessment.Status.IN_PROGRESS,
            created_at__gte=timezone.now() - REUSE_WITHIN,
        )
        .order_by("-created_at")
        .first()
    )
    if recent is not None:
        return recent
    assessment = SelfAssessment.objects.create(
        patient=patient, started_by=actor, template=template, template_version=found.version
    )
    log_event(
        actor=actor,
        action="triage.assessment_started",
        target=assessment,
        patient=patient,
        details={"template": template},
    )
    return assessment


def _locked(assessment: SelfAssessment) -> SelfAssessment:
    locked = SelfAssessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.status != SelfAssessment.Status.IN_PROGRESS:
        raise AssessmentClosed
    return locked


@transaction.atomic
def answer_red_flags(
    *, actor: User, assessment: SelfAssessment, ticked: list[str]
) -> SelfAssessment:
    """Record the red-flag checklist (asked first); a ticked flag concludes at once.

    Raises:
        AssessmentClosed: when it was already concluded.
        ValueError: for a flag the template does not have.
    """
    assessment = _locked(assessment)
    template = template_of(assessment)
    known = {flag.id for flag in template.red_flags}
    if not set(ticked) <= known:
        raise ValueError("unknown red flag")
    assessment.answers = {**assessment.answers, "red_flags": sorted(set(ticked))}
    return _save_and_maybe_conclude(actor, assessment, template)


@transaction.atomic
def answer_question(
    *, actor: User, assessment: SelfAssessment, question_id: str, raw: Any
) -> SelfAssessment:
    """Record one answer, then check the safety net and conclude when nothing is left.

    Raises:
        AssessmentClosed: when it was already concluded.
        ValidationError: with a French message when the answer is not valid.
    """
    assessment = _locked(assessment)
    template = template_of(assessment)
    question = template.question(question_id)
    if question.type == "text" and isinstance(raw, str):
        # The safety net reads the whole text before any length check can refuse it.
        found = detect(raw)
        if found.level == EMERGENCY:
            assessment.answers = {**assessment.answers, question_id: raw[:MAX_TEXT]}
            kind = "suicide" if "3114" in found.numbers else "emergency"
            alarm = Outcome(kind, "", found.numbers, reasons=[m.text for m in found.active_matches])
            return _conclude(actor, assessment, alarm)
    value = parse_answer(question, raw)
    answers = {**assessment.answers, question_id: value}
    assessment.answers = clean_answers(template, answers)
    return _save_and_maybe_conclude(actor, assessment, template)


def _save_and_maybe_conclude(
    actor: User, assessment: SelfAssessment, template: Template
) -> SelfAssessment:
    alarm = safety_check(template, assessment.answers)
    if alarm is not None:
        return _conclude(actor, assessment, alarm)
    if "red_flags" in assessment.answers and next_question(template, assessment.answers) is None:
        return _conclude(actor, assessment, evaluate(template, assessment.answers))
    assessment.save(update_fields=["answers", "updated_at"])
    return assessment


def _check_in_time(days: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return datetime.combine(day, CHECK_IN_HOUR, tzinfo=timezone.get_current_timezone())


def _conclude(actor: User, assessment: SelfAssessment, outcome: Outcome) -> SelfAssessment:
    assessment.status = SelfAssessment.Status.COMPLETED
    assessment.outcome = outcome.kind
    assessment.completed_at = timezone.now()
    if outcome.check_in_days:
        assessment.check_in_at = _check_in_time(outcome.check_in_days)
    assessment.save(
        update_fields=["answers", "status", "outcome", "completed_at", "check_in_at", "updated_at"]
    )
    log_event(
        actor=actor,
        action="triage.assessment_completed",
        target=assessment,
        patient=assessment.patient,
        details={"template": assessment.template, "outcome": outcome.kind},
    )
    _file_in_record(actor, assessment)
    return assessment


def _file_in_record(actor: User, assessment: SelfAssessment) -> None:
    """The questionnaire and its result go into the patient's record (J7)."""
    template = template_of(assessment)
    with translation.override("fr"):
        lines = [
            f"{label} : {value}" for label, value in describe_answers(template, assessment.answers)
        ]
        result = str(SelfAssessment.Outcome(assessment.outcome).label)
    records.file_entry(
        patient=assessment.patient,
        kind=RecordEntry.Kind.QUESTIONNAIRE,
        title=f"{template.title} — {result}",
        body="\n".join(lines),
        occurred_at=assessment.completed_at,
        author=actor,
        source_type="triage.selfassessment",
        source_id=assessment.public_id,
    )


def outcome_of(assessment: SelfAssessment) -> Outcome:
    """Recompute the advice of a concluded assessment; the stored outcome's kind always wins."""
    template = template_of(assessment)
    outcome = safety_check(template, assessment.answers) or evaluate(template, assessment.answers)
    if outcome.kind == assessment.outcome or not assessment.outcome:
        return outcome
    numbers = {
        "emergency": ["15", "112", "114"],
        "suicide": ["3114"],
        "see_doctor_today": ["116 117"],
    }
    return Outcome(assessment.outcome, "", numbers.get(assessment.outcome, []))


@transaction.atomic
def record_assessment_viewed(*, actor: User, assessment: SelfAssessment) -> None:
    """Reading answers is an access to health data: it is traced."""
    log_event(
        actor=actor,
        action="triage.assessment_viewed",
        target=assessment,
        patient=assessment.patient,
    )


def send_due_check_ins(*, now: datetime | None = None) -> int:
    """Notify whoever ran a self-care assessment that its check-in day has come."""
    moment = now or timezone.now()
    sent = 0
    due = SelfAssessment.objects.filter(
        check_in_at__lte=moment,
        check_in_sent_at__isnull=True,
        status=SelfAssessment.Status.COMPLETED,
    ).values_list("pk", flat=True)[:500]
    for pk in due:
        with transaction.atomic():
            assessment = (
                SelfAssessment.objects.select_for_update()
                .select_related("started_by")
                .filter(pk=pk, check_in_sent_at__isnull=True)
                .first()
            )
            if assessment is None:
                continue
            assessment.check_in_sent_at = moment
            assessment.save(update_fields=["check_in_sent_at", "updated_at"])
            # Says that a check-in is due, never what it is about (it leaves by e-mail too).
            notify(
                recipient=assessment.started_by,
                kind="triage.check_in",
                title=_("Comment allez-vous ? C'est le jour du point de suivi prévu."),
                url=reverse("triage:assessment", args=[assessment.public_id]),
            )
            log_event(
                actor=None,
                action="triage.check_in_sent",
                target=assessment,
                patient=assessment.patient,
            )
            sent += 1
    return sent
