from __future__ import annotations

from datetime import date
from uuid import UUID

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from maillage.accounts.models import DOCTOR_ROLES, User
from maillage.accounts.selectors import list_patients_actor_acts_for
from maillage.core.exceptions import DomainError
from maillage.core.http import AuthedRequest, private_file
from maillage.records import privacy as privacy_requests
from maillage.records import selectors, services
from maillage.records.export import request_export
from maillage.records.forms import PrivacyRequestForm
from maillage.records.labels import action_label
from maillage.records.models import AccessGrant, EntryMask, RecordEntry


def _date(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


@require_safe
def my_record(request: AuthedRequest) -> HttpResponse:
    """The patient's own record, or a choice when they also act for someone."""
    people = list(list_patients_actor_acts_for(actor=request.user))
    if not people:
        raise Http404
    if len(people) == 1:
        return redirect("records:timeline", patient_id=people[0].public_id)
    return render(request, "records/choose.html", {"people": people})


@require_safe
def timeline(request: AuthedRequest, patient_id: UUID) -> HttpResponse:
    access = selectors.access_to_record(actor=request.user, patient_id=patient_id)
    kind = request.GET.get("type", "")
    since, until = _date(request.GET.get("du")), _date(request.GET.get("au"))
    search = request.GET.get("q", "")[:100]
    page = selectors.list_timeline(
        access=access,
        actor=request.user,
        kind=kind,
        since=since,
        until=until,
        search=search,
        cursor=request.GET.get("apres"),
    )
    services.record_viewed(actor=request.user, patient=access.patient, why=access.basis)
    filters = request.GET.copy()
    filters.pop("apres", None)
    return render(
        request,
        "records/timeline.html",
        {
            "access": access,
            "patient": access.patient,
            "page": page,
            "kinds": RecordEntry.Kind.choices,
            "kind": kind,
            "since": since,
            "until": until,
            "search": search,
            "filters": filters.urlencode(),
            "basis_label": selectors.BASIS_LABELS.get(access.basis, ""),
            "can_manage": not access.professional,
            "professionals": selectors.list_professionals_with_access(patient=access.patient)
            if not access.professional
            else [],
        },
    )


@require_safe
def entry_document(request: AuthedRequest, entry_id: UUID) -> FileResponse:
    entry, access = selectors.get_entry_for(actor=request.user, entry_id=entry_id)
    if not entry.file:
        raise Http404
    services.entry_document_viewed(actor=request.user, entry=entry, why=access.basis)
    return private_file(
        entry.file,
        content_type=entry.content_type,
        filename=entry.file_name or f"document{entry.extension}",
        inline=entry.content_type.startswith(("image/", "application/pdf")),
    )


@require_POST
def mask(request: AuthedRequest, entry_id: UUID) -> HttpResponse:
    entry, access = selectors.get_entry_for(actor=request.user, entry_id=entry_id)
    if access.professional:
        raise Http404
    allowed = {
        str(person.pk): person
        for person, _basis in selectors.list_professionals_with_access(patient=entry.patient)
    }
    professional = allowed.get(request.POST.get("professional", ""))
    if professional is None:
        messages.error(request, _("Choisissez un professionnel dans la liste."))
    else:
        try:
            services.mask_entry(actor=request.user, entry=entry, professional=professional)
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(
                request,
                _("Ce document est masqué pour %(name)s.") % {"name": professional.display_name},
            )
    return redirect("records:timeline", patient_id=entry.patient.public_id)


@require_http_methods(["GET", "POST"])
def privacy(request: AuthedRequest, patient_id: UUID) -> HttpResponse:
    """Who saw my record, who may see it, what I hid: the patient's (or proxy's) page."""
    access = selectors.access_to_record(actor=request.user, patient_id=patient_id)
    if access.professional:
        raise Http404
    patient = access.patient
    if request.method == "POST":
        _privacy_action(request, patient)
        return redirect("records:privacy", patient_id=patient.public_id)
    raw_cursor = request.GET.get("avant", "")
    events, next_cursor = selectors.list_accesses(
        patient=patient, cursor=int(raw_cursor) if raw_cursor.isdigit() else None
    )
    return render(
        request,
        "records/privacy.html",
        {
            "patient": patient,
            "events": [
                (event, action_label(event.action), selectors.BASIS_LABELS.get(event.reason, ""))
                for event in events
            ],
            "next_cursor": next_cursor,
            "professionals": [
                (person, selectors.BASIS_LABELS.get(basis, ""))
                for person, basis in selectors.list_professionals_with_access(patient=patient)
            ],
            "grants": selectors.list_grants(patient=patient),
            "masks": selectors.list_masks(patient=patient),
            "doctors": User.objects.filter(role__in=DOCTOR_ROLES, is_active=True)
            .select_related("professional")
            .order_by("last_name", "first_name")[:500],
        },
    )


def _privacy_action(request: AuthedRequest, patient: User) -> None:
    action = request.POST.get("action")
    try:
        if action == "grant":
            doctor = User.objects.filter(
                pk=request.POST.get("professional") or 0, role__in=DOCTOR_ROLES
            ).first()
            if doctor is None:
                messages.error(request, _("Choisissez un médecin dans la liste."))
                return
            services.grant_access(actor=request.user, patient=patient, professional=doctor)
            messages.success(
                request, _("L'accès est donné ; vous pouvez le retirer à tout moment.")
            )
        elif action == "revoke":
            grant = get_object_or_404(
                AccessGrant, public_id=UUID(request.POST.get("grant", "")), patient=patient
            )
            services.revoke_access(actor=request.user, grant=grant)
            messages.success(request, _("L'accès est retiré."))
        elif action == "unmask":
            mask = get_object_or_404(
                EntryMask, pk=request.POST.get("mask") or 0, entry__patient=patient
            )
            services.unmask_entry(actor=request.user, mask=mask)
            messages.success(request, _("Le document est de nouveau visible."))
    except (DomainError, ValueError) as error:
        messages.error(request, str(getattr(error, "message", _("Demande invalide."))))


@require_http_methods(["GET", "POST"])
def exports(request: AuthedRequest, patient_id: UUID) -> HttpResponse:
    """Download my record: ask for a ZIP, see the ones being built or ready."""
    access = selectors.access_to_record(actor=request.user, patient_id=patient_id)
    if access.professional:
        raise Http404
    if request.method == "POST":
        request_export(actor=request.user, patient=access.patient)
        messages.success(
            request, _("Votre dossier est en préparation : une notification vous préviendra.")
        )
        return redirect("records:exports", patient_id=patient_id)
    return render(
        request,
        "records/exports.html",
        {
            "patient": access.patient,
            "exports": selectors.list_exports(actor=request.user, patient=access.patient),
        },
    )


@require_safe
def export_download(request: AuthedRequest, export_id: UUID) -> FileResponse:
    export = selectors.get_export_for(actor=request.user, export_id=export_id)
    services.export_downloaded(actor=request.user, export=export)
    return private_file(
        export.file,
        content_type="application/zip",
        filename=f"dossier-maillage-{export.created_at:%Y-%m-%d}.zip",
        inline=False,
    )


@require_http_methods(["GET", "POST"])
def rights(request: AuthedRequest, patient_id: UUID) -> HttpResponse:
    """My data-protection rights: access, rectification, erasure, objection, with their clocks."""
    access = selectors.access_to_record(actor=request.user, patient_id=patient_id)
    if access.professional:
        raise Http404
    form = PrivacyRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            privacy_requests.file_request(
                actor=request.user,
                patient=access.patient,
                kind=form.cleaned_data["kind"],
                details=form.cleaned_data["details"],
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(
                request, _("Votre demande est enregistrée ; vous serez prévenu de la réponse.")
            )
            return redirect("records:rights", patient_id=patient_id)
    return render(
        request,
        "records/rights.html",
        {
            "patient": access.patient,
            "form": form,
            "requests": selectors.list_privacy_requests(patient=access.patient),
        },
        status=400 if form.errors else 200,
    )
