from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from maillage.accounts.decorators import role_required
from maillage.accounts.models import Role, User
from maillage.accounts.selectors import list_patients_actor_acts_for
from maillage.consultations import availability as hours
from maillage.consultations import selectors, services
from maillage.consultations.forms import (
    ClosureForm,
    MessageForm,
    NewRequestForm,
    PracticeSettingsForm,
    TeamAnswerForm,
    hours_text,
)
from maillage.consultations.models import OnlineRequest, PracticeAvailability
from maillage.core.exceptions import DomainError
from maillage.core.http import AuthedRequest, private_file
from maillage.core.ratelimit import limit_posts
from maillage.records.selectors import professional_basis
from maillage.triage import selectors as triage_selectors
from maillage.triage.assessment import describe_answers, load_templates
from maillage.triage.detector import detect
from maillage.triage.models import SelfAssessment


def _prefill(request: AuthedRequest) -> tuple[dict[str, Any], SelfAssessment | None]:
    raw = request.GET.get("auto-evaluation") or request.POST.get("self_assessment")
    if not raw:
        return {}, None
    try:
        assessment = triage_selectors.get_assessment_for(
            actor=request.user, assessment_id=UUID(raw)
        )
    except (ValueError, Http404):
        return {}, None
    template = load_templates().get(assessment.template)
    if template is None:
        return {}, None
    lines = "\n".join(
        f"- {label} : {value}" for label, value in describe_answers(template, assessment.answers)
    )
    initial = {
        "patient": assessment.patient_id,
        "route": OnlineRequest.Route.CLINICAL,
        "subject": template.title,
        "message": _("Mes réponses à l'auto-évaluation :") + f"\n{lines}\n\n",
        "after_emergency": assessment.outcome in ("emergency", "suicide"),
    }
    return initial, assessment


@limit_posts("online_request")
@require_http_methods(["GET", "POST"])
def request_new(request: AuthedRequest) -> HttpResponse:
    patients = list_patients_actor_acts_for(actor=request.user)
    people = list(patients)
    if not people:
        raise Http404
    initial, assessment = _prefill(request)
    if not initial:  # back after a dropped connection: what was typed is still there
        draft = services.get_draft_fields(actor=request.user)
        initial = {key: value for key, value in draft.items() if value}
    chosen = request.POST.get("patient") or initial.get("patient") or people[0].pk
    patient: User = next((p for p in people if str(p.pk) == str(chosen)), people[0])
    practices = selectors.list_practices_for_request(actor=request.user, patient=patient)
    form = NewRequestForm(
        request.POST or None,
        request.FILES or None,
        patients=patients,
        practices=practices,
        initial={"patient": patient.pk, **initial},
    )
    ctx: dict[str, Any] = {"form": form, "practices": practices, "assessment": assessment}
    if practices:
        availability = selectors.availability_of(practices[0])
        if availability is not None:
            ctx["capacity"] = services.capacity_of(availability=availability)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.submit_request(
                actor=request.user,
                patient=data["patient"],
                practice=data["practice"],
                route=data["route"],
                subject=data["subject"],
                message=data["message"],
                idempotency_key=data["idempotency_key"],
                self_assessment=assessment,
                after_emergency=bool(data["after_emergency"]),
                attachments=data["attachments"],
            )
        except services.RedFlagsInRequest as alarm:
            ctx["alarm"] = alarm
            status = 422
        except services.CapacityReached as full:
            ctx["full"] = full
            status = 409
        except DomainError as error:
            form.add_error(None, str(error.message))
            status = 422
        else:
            messages.success(request, _("Votre demande a été envoyée au cabinet."))
            return redirect("consultations:request", request_id=created.public_id)
    elif request.method == "POST":
        status = 422
    return render(request, "consultations/request_new.html", ctx, status=status)


@require_safe
def request_list(request: AuthedRequest) -> HttpResponse:
    items = selectors.list_requests_of_patients_for(actor=request.user)
    # Only someone who writes for a patient (themselves, a child, a relative) gets the button.
    may_write = list_patients_actor_acts_for(actor=request.user).exists()
    ctx = {"items": items, "may_write": may_write}
    return render(request, "consultations/request_list.html", ctx)


@require_http_methods(["GET", "POST"])
def request_detail(request: AuthedRequest, request_id: UUID) -> HttpResponse:
    online = selectors.get_request_for(actor=request.user, request_id=request_id)
    if not list_patients_actor_acts_for(actor=request.user).filter(pk=online.patient_id).exists():
        raise Http404  # the practice's team has its own page
    form = MessageForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.reply_as_patient(
                    actor=request.user, request=online, body=form.cleaned_data["body"]
                )
            except DomainError as error:
                messages.error(request, str(error.message))
            else:
                if detect(form.cleaned_data["body"]).level == "emergency":
                    messages.error(
                        request,
                        _(
                            "Ce que vous décrivez peut être une urgence : appelez le 15 (ou le 112) "
                            "sans attendre la réponse du cabinet."
                        ),
                    )
            return redirect("consultations:request", request_id=online.public_id)
    else:
        services.record_request_viewed(actor=request.user, request=online)
    ctx = {
        "online": online,
        "events": list(online.events.select_related("author")),
        "attachments": list(online.attachments.all()),
        "form": form,
        "promise": hours.describe_promise(online.promised_by, timezone.now()),
    }
    return render(
        request, "consultations/request_detail.html", ctx, status=422 if form.errors else 200
    )


_NIL_UUID = UUID(int=0)


@require_safe
@role_required(Role.GP, Role.SPECIALIST, Role.STAFF)
def team_queue(request: AuthedRequest) -> HttpResponse:
    status = request.GET.get("statut", "")
    route = request.GET.get("type", "")
    rows = selectors.list_queue_for(
        actor=request.user,
        status=status if status in OnlineRequest.Status.values else "",
        route=route if route in OnlineRequest.Route.values else "",
        mine_only=request.GET.get("moi") == "1",
        after=request.GET.get("apres", "")[:80],
        limit=selectors.QUEUE_PAGE + 1,
    )
    more = len(rows) > selectors.QUEUE_PAGE
    rows = rows[: selectors.QUEUE_PAGE]
    ctx = {
        "rows": rows,
        "next_page": selectors.queue_cursor(rows[-1]) if more else "",
        "statuses": OnlineRequest.Status.choices,
        "routes": OnlineRequest.Route.choices,
        "status": status,
        "route": route,
        "mine_only": request.GET.get("moi") == "1",
        # Reversed once, not per row (50 rows): each row appends its request's public id.
        "request_url_prefix": reverse("consultations:team_request", args=[_NIL_UUID]).removesuffix(
            f"{_NIL_UUID}/"
        ),
    }
    return render(request, "consultations/team_queue.html", ctx)


@require_http_methods(["GET", "POST"])
@role_required(Role.GP, Role.SPECIALIST, Role.STAFF)
def team_request(request: AuthedRequest, request_id: UUID) -> HttpResponse:
    online = selectors.get_request_for(actor=request.user, request_id=request_id)
    if not selectors.is_team_member(actor=request.user, practice=online.practice):
        raise Http404
    form = TeamAnswerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        try:
            if "assign" in request.POST:
                clinician = next(
                    (
                        c
                        for c in selectors.list_team_clinicians(practice=online.practice)
                        if str(c.pk) == request.POST.get("assign")
                    ),
                    None,
                )
                if clinician is None:
                    raise Http404
                services.assign_request(actor=request.user, request=online, clinician=clinician)
                return redirect("consultations:team_request", request_id=online.public_id)
            if form.is_valid():
                action, body = form.cleaned_data["action"], form.cleaned_data["body"]
                if action in services.DOCUMENT_TITLES:
                    services.issue_document(
                        actor=request.user, request=online, kind=action, text=body
                    )
                elif action == "close":
                    services.close_request(actor=request.user, request=online, body=body)
                else:
                    services.answer_request(
                        actor=request.user, request=online, body=body, ask_for_more=action == "ask"
                    )
                messages.success(request, _("Votre message a été envoyé au patient."))
                return redirect("consultations:team_request", request_id=online.public_id)
            status = 422
        except DomainError as error:
            messages.error(request, str(error.message))
            return redirect("consultations:team_request", request_id=online.public_id)
    else:
        services.record_request_viewed(actor=request.user, request=online)
    answers: list[tuple[str, str]] = []
    if online.self_assessment is not None:
        template = load_templates().get(online.self_assessment.template)
        if template is not None:
            answers = describe_answers(template, online.self_assessment.answers)
    ctx = {
        "online": online,
        "events": list(online.events.select_related("author")),
        "form": form,
        "clinicians": selectors.list_team_clinicians(practice=online.practice),
        "attachments": list(online.attachments.all()),
        "clock": selectors.clock_of(online, timezone.now()),
        "assessment_answers": answers,
        # The link to the record only for those who may open it (treating doctor, care, grant).
        "record_open": professional_basis(professional=request.user, patient=online.patient)
        is not None,
    }
    return render(request, "consultations/team_request.html", ctx, status=status)


@require_http_methods(["GET", "POST"])
@role_required(Role.GP, Role.SPECIALIST, Role.STAFF)
def team_settings(request: AuthedRequest) -> HttpResponse:
    """Opening hours, capacity, promised delay and closures of one of the actor's practices."""
    practices = selectors.list_team_practices_for(actor=request.user)
    chosen = request.GET.get("cabinet") or request.POST.get("cabinet")
    if chosen:
        practice = next((p for p in practices if str(p.public_id) == chosen), None)
    else:
        practice = practices[0] if practices else None
    if practice is None:
        raise Http404
    current = selectors.availability_of(practice)
    defaults = PracticeAvailability(practice=practice) if current is None else current
    initial: dict[str, Any] = {
        "accepts_online_requests": current is not None and current.accepts_online_requests,
        "accepts_other_patients": defaults.accepts_other_patients,
        "daily_capacity": defaults.daily_capacity,
        "answer_within_working_hours": defaults.answer_within_working_hours,
    }
    for weekday in range(7):
        initial[f"hours_{weekday}"] = hours_text(defaults.opening_hours.get(str(weekday), []))
    if request.method == "POST" and "remove" in request.POST:
        closure = next(
            (
                c
                for c in selectors.list_closures_for(practice=practice)
                if str(c.pk) == request.POST["remove"]
            ),
            None,
        )
        if closure is None:
            raise Http404
        services.remove_closure(actor=request.user, closure=closure)
        messages.success(request, _("La fermeture est supprimée."))
        return redirect(f"{request.path}?cabinet={practice.public_id}")
    is_settings = request.method == "POST" and "closure" not in request.POST
    is_closure = request.method == "POST" and "closure" in request.POST
    form = PracticeSettingsForm(request.POST if is_settings else None, initial=initial)
    closure_form = ClosureForm(request.POST if is_closure else None)
    status = 200
    if is_settings:
        if form.is_valid():
            data = form.cleaned_data
            services.configure_availability(
                actor=request.user,
                practice=practice,
                accepts_online_requests=data["accepts_online_requests"],
                accepts_other_patients=data["accepts_other_patients"],
                opening_hours=data["opening_hours"],
                daily_capacity=data["daily_capacity"],
                answer_within_working_hours=data["answer_within_working_hours"],
            )
            messages.success(request, _("Les réglages du cabinet sont enregistrés."))
            return redirect(f"{request.path}?cabinet={practice.public_id}")
        status = 422
    if is_closure:
        if closure_form.is_valid():
            data = closure_form.cleaned_data
            services.add_closure(
                actor=request.user,
                practice=practice,
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                reason=data["reason"],
            )
            messages.success(request, _("La fermeture est enregistrée."))
            return redirect(f"{request.path}?cabinet={practice.public_id}")
        status = 422
    ctx = {
        "practice": practice,
        "practices": practices,
        "form": form,
        "closure_form": closure_form,
        "closures": selectors.list_closures_for(practice=practice),
    }
    return render(request, "consultations/team_settings.html", ctx, status=status)


@require_http_methods(["POST"])
def request_draft(request: AuthedRequest) -> HttpResponse:
    """Autosave of the request form (htmx, every pause in typing)."""
    services.save_draft(actor=request.user, fields=request.POST.dict())
    return HttpResponse(_("Brouillon enregistré"), content_type="text/plain; charset=utf-8")


@require_safe
def attachment_download(request: AuthedRequest, attachment_id: UUID) -> FileResponse:
    """Serve a request's photo or PDF to those who may see the request, never executable."""
    attachment = selectors.get_attachment_for(actor=request.user, attachment_id=attachment_id)
    services.record_attachment_opened(actor=request.user, attachment=attachment)
    return private_file(
        attachment.file,
        content_type=attachment.content_type,
        filename=f"piece-jointe{attachment.extension}",
        inline=attachment.is_image,
    )
