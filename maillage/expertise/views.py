from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from maillage.accounts.decorators import role_required
from maillage.accounts.models import Role
from maillage.core.exceptions import DomainError
from maillage.core.http import AuthedRequest, private_file
from maillage.expertise import selectors, services
from maillage.expertise.forms import ExpertiseActionForm, NewExpertiseForm
from maillage.expertise.models import ExpertiseRequest

DOCTORS = (Role.GP, Role.SPECIALIST)


@role_required(*DOCTORS)
@require_safe
def queue(request: AuthedRequest) -> HttpResponse:
    """Requests to answer (by due date) and requests sent, with their response times."""
    return render(
        request,
        "expertise/queue.html",
        {
            "received": list(selectors.list_received(actor=request.user)),
            "sent": list(selectors.list_sent(actor=request.user)),
            "answered": list(selectors.list_answered_for(actor=request.user)),
            "now": timezone.now(),
        },
    )


@role_required(*DOCTORS)
@require_http_methods(["GET", "POST"])
def new(request: AuthedRequest) -> HttpResponse:
    patients = selectors.list_patients_for_expertise(actor=request.user)
    initial: dict[str, Any] = {}
    wanted = request.GET.get("patient")
    if wanted:
        chosen = patients.filter(public_id=wanted).first() if len(wanted) == 36 else None
        if chosen is not None:
            initial["patient"] = chosen.pk
    form = NewExpertiseForm(
        request.POST or None,
        request.FILES or None,
        patients=patients,
        specialists=selectors.list_specialists().exclude(pk=request.user.pk),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            expertise = services.request_expertise(
                actor=request.user,
                patient=data["patient"],
                specialty=data["specialty"],
                specialist=data["specialist"],
                question=data["question"],
                context=data["context"],
                consent=data["consent"],
                consent_note=data["consent_note"],
                idempotency_key=data["idempotency_key"],
                attachments=data["attachments"] or [],
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Votre demande de téléexpertise est envoyée."))
            return redirect("expertise:detail", request_id=expertise.public_id)
    return render(request, "expertise/new.html", {"form": form}, status=400 if form.errors else 200)


@role_required(*DOCTORS)
@require_http_methods(["GET", "POST"])
def detail(request: AuthedRequest, request_id: UUID) -> HttpResponse:
    expertise = selectors.get_request_for(actor=request.user, request_id=request_id)
    form = ExpertiseActionForm(request.POST or None, request.FILES or None)
    action = request.POST.get("action", "")
    if request.method == "POST":
        try:
            done = _act(request, expertise, action, form)
        except DomainError as error:
            form.add_error(None, str(error.message))
            done = False
        if done:
            return redirect("expertise:detail", request_id=expertise.public_id)
    else:
        services.record_viewed(actor=request.user, request=expertise)
    is_requester = expertise.requester_id == request.user.pk
    return render(
        request,
        "expertise/detail.html",
        {
            "expertise": expertise,
            "form": form,
            "is_requester": is_requester,
            "is_holder": expertise.assigned_to_id == request.user.pk,
            "may_take": not is_requester and expertise.assigned_to_id is None,
            "messages_list": list(expertise.messages.select_related("author")),
            "attachments": list(expertise.attachments.all()),
            "response_hours": _hours(expertise),
        },
        status=400 if form.errors else 200,
    )


def _hours(expertise: ExpertiseRequest) -> float | None:
    if expertise.answered_at is None:
        return None
    return round((expertise.answered_at - expertise.submitted_at).total_seconds() / 3600, 1)


def _act(
    request: AuthedRequest, expertise: ExpertiseRequest, action: str, form: ExpertiseActionForm
) -> bool:
    actor = request.user
    if action == "take":
        services.take_request(actor=actor, request=expertise)
        return True
    if action == "cancel":
        services.cancel_request(actor=actor, request=expertise)
        messages.success(request, _("La demande est annulée."))
        return True
    if action not in ("ask", "give", "answer") or not form.is_valid():
        return False
    body = form.cleaned_data["body"]
    if action == "ask":
        services.ask_for_more(actor=actor, request=expertise, body=body)
    elif action == "give":
        services.give_more(
            actor=actor,
            request=expertise,
            body=body,
            attachments=form.cleaned_data["attachments"] or [],
        )
    else:
        services.answer_request(actor=actor, request=expertise, body=body)
        messages.success(request, _("Votre avis est envoyé et classé dans le dossier du patient."))
    return True


@role_required(*DOCTORS)
@require_safe
def attachment(request: AuthedRequest, attachment_id: UUID) -> FileResponse:
    item = selectors.get_attachment_for(actor=request.user, attachment_id=attachment_id)
    if not item.file:
        raise Http404
    services.record_attachment_opened(actor=request.user, attachment=item)
    return private_file(
        item.file,
        content_type=item.content_type,
        filename=f"document{item.extension}",
        inline=item.content_type.startswith("image/"),
    )
