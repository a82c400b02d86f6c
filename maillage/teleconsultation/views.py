"""Pages of the teleconsultation journey (J3) around the call.

Booking, the appointment, the doctor's day and settings, closing the act, and booking a visit
from an online request.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
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
from maillage.accounts.selectors import can_consent_for, list_patients_actor_acts_for
from maillage.billing.fees import FEE_NOTICE
from maillage.billing.tariffs import UnknownTariff
from maillage.consultations import selectors as consultation_selectors
from maillage.consultations.forms import weekly_hours_initial
from maillage.core.emergency import emergency_numbers
from maillage.core.exceptions import DomainError
from maillage.core.htmx import render_page
from maillage.core.http import AuthedRequest
from maillage.directory.selectors import list_practices_for
from maillage.teleconsultation import selectors, services
from maillage.teleconsultation.forms import (
    ArrivalForm,
    BookingForm,
    CancelForm,
    CloseActForm,
    ConsentForm,
    FromRequestForm,
    MoveForm,
    OfferForm,
)
from maillage.teleconsultation.models import Appointment
from maillage.teleconsultation.services import (
    ConsentRequired,
    RedFlagsStopBooking,
    ReportIncomplete,
    SuitabilityAdvice,
)

# --- patients -----------------------------------------------------------------------------------


@require_safe
def home(request: AuthedRequest) -> HttpResponse:
    """The patient's appointments and the doctors they may book by video."""
    if not list_patients_actor_acts_for(actor=request.user).exists():
        raise Http404
    appointments = list(selectors.list_appointments_for_patient(actor=request.user)[:50])
    now = timezone.now()
    return render(
        request,
        "teleconsultation/home.html",
        {
            "upcoming": [
                item for item in reversed(appointments) if item.ends_at >= now and item.is_open
            ],
            "past": [item for item in appointments if not (item.ends_at >= now and item.is_open)],
            "offers": selectors.list_bookable_offers(patient=request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def book(request: AuthedRequest, offer_id: UUID) -> HttpResponse:
    people = list_patients_actor_acts_for(actor=request.user)
    chosen = request.POST.get("patient") or request.GET.get("pour")
    patient = next((p for p in people if str(p.pk) == str(chosen)), None) or (
        people.first() if people.exists() else None
    )
    if patient is None:
        raise Http404
    offer = selectors.get_bookable_offer(patient=patient, offer_id=offer_id)
    consent = services.consent_text()
    slots = selectors.free_slots(offer=offer)
    form = BookingForm(
        request.POST or None,
        patients=people,
        slots=slots,
        motives=offer.motives,
        consent_statement=consent.statement,
        initial={"patient": patient.pk},
        requested_day=request.GET.get("jour", ""),
    )
    context: dict[str, Any] = {
        "offer": offer,
        "form": form,
        # The day links keep whom the booking is for when the person acts for several.
        "pour_query": f"pour={patient.pk}&" if len(people) > 1 else "",
        "consent": consent,
        "fee": _fee_or_none(offer),
        "parcours": services.preview_parcours(patient=patient, offer=offer),
        "slots_count": len(slots),
        "fee_notice": FEE_NOTICE,
    }
    if request.method == "POST" and form.is_valid():
        try:
            appointment = services.book_teleconsultation(
                actor=request.user,
                patient=form.cleaned_data["patient"],
                offer=offer,
                starts_at=form.cleaned_data["starts_at"],
                motive=form.cleaned_data["motive"],
                note=form.cleaned_data["note"],
                suitability=form.suitability_answers(),
                proceed_despite_advice=form.cleaned_data["proceed_despite_advice"],
                consent_given=form.cleaned_data["consent"],
                idempotency_key=form.cleaned_data["idempotency_key"],
            )
        except RedFlagsStopBooking as stop:
            return render(
                request,
                "teleconsultation/booking_stopped.html",
                {"stop": stop, "numbers": emergency_numbers()},
                status=200,
            )
        except SuitabilityAdvice as advice:
            context["advice"] = advice.advice
            form.add_error(None, str(advice.message))
        except ConsentRequired as refusal:
            form.add_error("consent", str(refusal.message))
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Votre téléconsultation est réservée."))
            return redirect("teleconsultation:appointment", appointment_id=appointment.public_id)
    # A day link followed with htmx gets only the day list and that day's slots, so what the
    # patient has typed in the rest of the form stays.
    return render_page(
        request,
        "teleconsultation/book.html",
        context,
        partial="slot-picker",
        status=400 if form.errors else 200,
    )


def _fee_or_none(offer: Any) -> Any:
    try:
        return services.describe_fee(offer)
    except (DomainError, UnknownTariff):
        return None


@require_http_methods(["GET", "POST"])
def appointment_detail(request: AuthedRequest, appointment_id: UUID) -> HttpResponse:
    """One appointment, for the patient side or the doctor: consent, arrival, move, cancel."""
    appointment = selectors.get_appointment_for(actor=request.user, appointment_id=appointment_id)
    is_doctor = appointment.doctor_id == request.user.pk
    consent = services.consent_text()
    action = request.POST.get("action", "")
    forms: dict[str, Any] = {
        "consent_form": ConsentForm(
            request.POST if action == "consent" else None, consent_statement=consent.statement
        ),
        "arrival_form": ArrivalForm(
            request.POST if action == "arrival" else None,
            initial={
                "location": appointment.patient_location,
                "callback_phone": appointment.callback_phone or appointment.patient.phone,
            },
        ),
        "cancel_form": CancelForm(request.POST if action == "cancel" else None),
    }
    offer = selectors.get_offer_of(doctor=appointment.doctor)
    slots = selectors.free_slots(offer=offer) if offer and offer.enabled else []
    forms["move_form"] = MoveForm(request.POST if action == "move" else None, slots=slots[:60])
    if request.method == "POST":
        response = _appointment_action(request, appointment, action, forms)
        if response is not None:
            return response
    else:
        services.record_appointment_viewed(actor=request.user, appointment=appointment)
    return render(
        request,
        "teleconsultation/appointment.html",
        {
            "appointment": appointment,
            "is_doctor": is_doctor,
            "consent": consent,
            "can_join": appointment.is_video and appointment.is_open,
            "fee": services.fee_of_appointment(appointment),
            "fee_notice": FEE_NOTICE,
            "may_consent": can_consent_for(actor=request.user, patient=appointment.patient),
            "report": getattr(appointment, "report", None)
            if appointment.status == Appointment.Status.COMPLETED
            else None,
            **forms,
        },
        status=400 if request.method == "POST" else 200,
    )


def _appointment_action(
    request: AuthedRequest, appointment: Appointment, action: str, forms: dict[str, Any]
) -> HttpResponse | None:
    form = forms.get(f"{action}_form")
    if form is None or not form.is_valid():
        return None
    try:
        if action == "consent":
            services.give_consent(actor=request.user, appointment=appointment, consent_given=True)
            messages.success(request, _("Votre accord est enregistré."))
        elif action == "arrival":
            services.record_arrival(
                actor=request.user,
                appointment=appointment,
                location=form.cleaned_data["location"],
                callback_phone=form.cleaned_data["callback_phone"],
            )
            return redirect("teleconsultation:call", appointment_id=appointment.public_id)
        elif action == "cancel":
            services.cancel_appointment(
                actor=request.user, appointment=appointment, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("Le rendez-vous est annulé ; l'autre partie est prévenue."))
        elif action == "move":
            services.move_appointment(
                actor=request.user,
                appointment=appointment,
                starts_at=form.cleaned_data["starts_at"],
            )
            messages.success(
                request, _("Le rendez-vous est déplacé ; l'autre partie est prévenue.")
            )
    except DomainError as error:
        form.add_error(None, str(error.message))
        return None
    return redirect("teleconsultation:appointment", appointment_id=appointment.public_id)


@require_safe
def report_detail(request: AuthedRequest, appointment_id: UUID) -> HttpResponse:
    report = selectors.get_report_for(actor=request.user, appointment_id=appointment_id)
    services.record_report_viewed(actor=request.user, report=report)
    return render(request, "teleconsultation/report.html", {"report": report})


@require_safe
def report_document(request: AuthedRequest, appointment_id: UUID, kind: str) -> FileResponse:
    report = selectors.get_report_for(actor=request.user, appointment_id=appointment_id)
    field = {"compte-rendu": report.report_pdf, "ordonnance": report.prescription_pdf}.get(kind)
    if not field:
        raise Http404
    services.record_report_viewed(actor=request.user, report=report, document=kind)
    response = FileResponse(
        field.open("rb"),
        content_type="application/pdf",
        as_attachment=False,
        filename=f"{kind}.pdf",
    )
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# --- doctors ------------------------------------------------------------------------------------


@role_required(Role.GP, Role.SPECIALIST)
@require_safe
def doctor_day(request: AuthedRequest) -> HttpResponse:
    """The doctor's appointments of a day and who is waiting, refreshed every few seconds."""
    try:
        day = date.fromisoformat(request.GET.get("jour", "")) if request.GET.get("jour") else None
    except ValueError:
        day = None
    day = day or timezone.localdate()
    appointments = list(selectors.list_doctor_day(actor=request.user, day=day))
    template = (
        "teleconsultation/_day_list.html" if request.htmx else "teleconsultation/doctor_day.html"
    )
    return render(
        request,
        template,
        {
            "day": day,
            "previous_day": day - timedelta(days=1),
            "next_day": day + timedelta(days=1),
            "appointments": appointments,
            "now": timezone.now(),
            "offer": selectors.get_offer_of(doctor=request.user),
        },
    )


@role_required(Role.GP, Role.SPECIALIST)
@require_http_methods(["GET", "POST"])
def offer_settings(request: AuthedRequest) -> HttpResponse:
    offer = selectors.get_offer_of(doctor=request.user)
    practices = list_practices_for(actor=request.user)
    initial: dict[str, Any] = {"slot_minutes": 15, "motives": [], "fee": None}
    if offer is not None:
        initial = {
            "enabled": offer.enabled,
            "practice": offer.practice_id,
            "motives": offer.motives,
            "slot_minutes": offer.slot_minutes,
            "accepts_new_patients": offer.accepts_new_patients,
            "fee": offer.fee,
            **weekly_hours_initial(offer.weekly_hours),
        }
    else:
        from maillage.teleconsultation.models import default_video_hours

        initial.update(weekly_hours_initial(default_video_hours()))
        initial["fee"] = services.default_fee_for(request.user)
    form = OfferForm(request.POST or None, practices=practices, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_offer(
                actor=request.user,
                practice=data["practice"],
                enabled=data["enabled"],
                motives=list(data["motives"]),
                weekly_hours=data["weekly_hours"],
                slot_minutes=data["slot_minutes"],
                accepts_new_patients=data["accepts_new_patients"],
                fee=data["fee"],
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Vos réglages de téléconsultation sont enregistrés."))
            return redirect("teleconsultation:offer")
    return render(
        request,
        "teleconsultation/offer_settings.html",
        {"form": form, "offer": offer},
        status=400 if form.errors else 200,
    )


@role_required(Role.GP, Role.SPECIALIST)
@require_http_methods(["GET", "POST"])
def close(request: AuthedRequest, appointment_id: UUID) -> HttpResponse:
    """Close the act: R.6316-4 report, prescriptions, PDFs, deliveries and the bill."""
    appointment = selectors.get_appointment_for(actor=request.user, appointment_id=appointment_id)
    if appointment.doctor_id != request.user.pk or not appointment.is_video:
        raise Http404
    if appointment.status == Appointment.Status.COMPLETED:
        return redirect("teleconsultation:report", appointment_id=appointment.public_id)
    defaults = services.closing_defaults(appointment)
    form = CloseActForm(
        request.POST or None, act_codes=services.act_choices(appointment), initial=defaults
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.close_act(
                actor=request.user, appointment=appointment, data=form.report_input()
            )
        except services.AppointmentClosed:
            if appointment.status == Appointment.Status.COMPLETED or (
                Appointment.objects.filter(
                    pk=appointment.pk, status=Appointment.Status.COMPLETED
                ).exists()
            ):  # a double submit: the first one closed it
                return redirect("teleconsultation:report", appointment_id=appointment.public_id)
            form.add_error(None, str(services.AppointmentClosed.default_message))
        except ReportIncomplete as incomplete:
            form.add_error(
                None, _("Il manque : %(items)s.") % {"items": ", ".join(incomplete.missing)}
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("L'acte est clôturé : compte rendu envoyé, acte facturé."))
            return redirect("teleconsultation:report", appointment_id=appointment.public_id)
    return render(
        request,
        "teleconsultation/close.html",
        {
            "appointment": appointment,
            "form": form,
            "professionals": services.professionals_of(appointment),
            "alternance": services.alternance_warning(appointment),
        },
        status=400 if form.errors else 200,
    )


@role_required(Role.GP, Role.SPECIALIST)
@require_http_methods(["GET", "POST"])
def book_from_request(request: AuthedRequest, request_id: UUID) -> HttpResponse:
    online = consultation_selectors.get_request_for(actor=request.user, request_id=request_id)
    if not consultation_selectors.is_team_member(actor=request.user, practice=online.practice):
        raise Http404
    form = FromRequestForm(request.POST or None, initial={"mode": Appointment.Mode.VIDEO})
    if request.method == "POST" and form.is_valid():
        starts_at: datetime = form.cleaned_data["starts_at"]
        try:
            services.book_from_request(
                actor=request.user,
                online_request=online,
                mode=form.cleaned_data["mode"],
                starts_at=starts_at,
                duration_minutes=form.cleaned_data["duration"],
                idempotency_key=form.cleaned_data["idempotency_key"],
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Le rendez-vous est proposé au patient."))
            return redirect("consultations:team_request", request_id=online.public_id)
    return render(
        request,
        "teleconsultation/from_request.html",
        {"online": online, "form": form},
        status=400 if form.errors else 200,
    )
