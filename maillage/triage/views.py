from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from maillage.accounts.models import User
from maillage.accounts.selectors import list_patients_actor_acts_for
from maillage.core.exceptions import DomainError
from maillage.core.http import AuthedRequest
from maillage.triage import selectors, services
from maillage.triage.assessment import load_templates, next_question
from maillage.triage.models import SelfAssessment


@require_safe
def assessment_index(request: AuthedRequest) -> HttpResponse:
    templates = sorted(load_templates().values(), key=lambda template: template.title)
    ctx = {
        "templates": templates,
        "people": list(list_patients_actor_acts_for(actor=request.user)),
        "recent": selectors.list_recent_assessments_for(actor=request.user),
    }
    return render(request, "triage/index.html", ctx)


@require_http_methods(["GET", "POST"])
def assessment_start(request: AuthedRequest, template: str) -> HttpResponse:
    """GET: choose for whom (links from articles land here); POST: start, or resume."""
    found = load_templates().get(template)
    if found is None:
        raise Http404
    people_list = list(list_patients_actor_acts_for(actor=request.user))
    if request.method == "GET":
        ctx = {"item": found, "people": people_list}
        return render(request, "triage/start.html", ctx)
    people = {str(person.pk): person for person in people_list}
    chosen = request.POST.get("patient")
    patient: User | None = people.get(chosen or "")
    if chosen is None and len(people) == 1:  # nobody to choose: the form sends no field
        patient = next(iter(people.values()))
    if patient is None:
        raise Http404
    try:
        assessment = services.start_assessment(
            actor=request.user, patient=patient, template=template
        )
    except DomainError as error:
        raise Http404 from error
    return redirect("triage:assessment", assessment_id=assessment.public_id)


@require_http_methods(["GET", "POST"])
def assessment_step(request: AuthedRequest, assessment_id: UUID) -> HttpResponse:
    assessment = selectors.get_assessment_for(actor=request.user, assessment_id=assessment_id)
    if assessment.status == SelfAssessment.Status.COMPLETED:
        return _outcome_page(request, assessment)
    template = services.template_of(assessment)
    error, typed = "", ""
    if request.method == "POST":
        try:
            if "red_flags" not in assessment.answers:
                assessment = services.answer_red_flags(
                    actor=request.user,
                    assessment=assessment,
                    ticked=request.POST.getlist("red_flag"),
                )
            else:
                question_id = request.POST.get("question", "")
                question = next_question(template, assessment.answers)
                if question is None or question.id != question_id:
                    return redirect("triage:assessment", assessment_id=assessment.public_id)
                raw: Any = (
                    request.POST.getlist("answer")
                    if question.type == "multi"
                    else request.POST.get("answer", "")
                )
                typed = raw if isinstance(raw, str) else ""
                assessment = services.answer_question(
                    actor=request.user, assessment=assessment, question_id=question_id, raw=raw
                )
        except ValidationError as invalid:
            error = invalid.messages[0]
        except (DomainError, ValueError):
            return redirect("triage:assessment", assessment_id=assessment.public_id)
        else:
            return redirect("triage:assessment", assessment_id=assessment.public_id)
    first_step = "red_flags" not in assessment.answers
    question = None if first_step else next_question(template, assessment.answers)
    answered = len([key for key in assessment.answers if key != "red_flags"])
    ctx = {
        "assessment": assessment,
        "template": template,
        "first_step": first_step,
        "question": question,
        "error": error,
        "typed": typed,
        "answered": answered,
    }
    return render(request, "triage/step.html", ctx, status=422 if error else 200)


def _outcome_page(request: AuthedRequest, assessment: SelfAssessment) -> HttpResponse:
    services.record_assessment_viewed(actor=request.user, assessment=assessment)
    outcome = services.outcome_of(assessment)
    template = services.template_of(assessment)
    ctx = {"assessment": assessment, "outcome": outcome, "template": template}
    return render(request, "triage/outcome.html", ctx)
