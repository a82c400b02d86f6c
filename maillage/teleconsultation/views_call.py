"""The call itself: device check, call page, files shared in the call, third participants.

The doctor and the patient are signed in; a guest (carer, interpreter) is not, and holds a
one-time pass redeemed in this browser session. Every page that touches a call asks
`call_access` first: whoever it refuses gets 404, as for any protected data.
"""

from __future__ import annotations

import os
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseForbidden,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from maillage.core.exceptions import DomainError
from maillage.core.http import AuthedRequest, private_file
from maillage.core.realtime import group_send
from maillage.core.uploads import clean_upload
from maillage.teleconsultation import call_services
from maillage.teleconsultation.consumers import call_group
from maillage.teleconsultation.forms_call import CallFileForm, GuestInviteForm
from maillage.teleconsultation.models import Appointment, CallMessage, GuestPass
from maillage.teleconsultation.selectors import (
    GUEST_SESSION_KEY,
    MAX_TOKEN_LENGTH,
    CallAccess,
    call_access,
    get_appointment_for,
    get_guest_pass_by_token,
    list_call_messages,
    list_guest_passes,
)
from maillage.teleconsultation.turn import ice_servers_for_participant

PROBE_DEFAULT_KIB = 200
PROBE_MAX_KIB = 1024
PROBE_MIN_KIB = 16
DELAY_CHOICES = (5, 10, 15, 20, 30, 45, 60)


def _signed_in_or_guest(request: HttpRequest) -> bool:
    return bool(request.user.is_authenticated or request.session.get(GUEST_SESSION_KEY))


def _access_or_404(request: HttpRequest, appointment_id: UUID) -> CallAccess:
    access = call_access(user=request.user, session=request.session, appointment_id=appointment_id)
    if access is None:
        raise Http404
    return access


def _author_of(message: CallMessage, appointment: Appointment) -> tuple[str, str]:
    """The name and role shown next to a chat line or a file."""
    if message.guest is not None:
        return message.guest.name, "guest"
    if message.author is None:
        return "", ""
    if message.author_id == appointment.doctor_id:
        return message.author.display_name, "doctor"
    return message.author.get_full_name(), "patient"


def _file_payload(message: CallMessage, access: CallAccess) -> dict[str, Any]:
    return {
        "id": str(message.public_id),
        "name": message.original_name or _("document"),
        "url": reverse("teleconsultation:call_file_download", args=[message.public_id]),
        "author": access.name,
        "role": access.role,
        "at": message.created_at.isoformat(),
    }


def _call_strings() -> dict[str, str]:
    """The sentences call.js shows; %(name)s placeholders are filled in the browser."""
    return {
        "connecting": _("Connexion à l'appel…"),
        "connected": _("Vous êtes connecté·e à l'appel."),
        "alone": _("Vous êtes seul·e dans l'appel pour l'instant."),
        "reconnecting": _("Connexion perdue. Nouvelle tentative dans %(seconds)s s…"),
        "refused": _("Vous ne pouvez pas (ou plus) rejoindre cet appel."),
        "replaced": _("L'appel a été ouvert dans un autre onglet ou sur un autre appareil."),
        "left": _("Vous avez quitté l'appel."),
        "peer_joined": _("%(name)s a rejoint l'appel."),
        "peer_left": _("%(name)s a quitté l'appel."),
        "peer_dropped": _("La connexion de %(name)s a été coupée. Elle ou il va revenir."),
        "peer_connecting": _("connexion…"),
        "peer_connected": _("connecté·e"),
        "peer_reconnecting": _("reconnexion…"),
        "peer_audio_only": _("audio seul"),
        "too_many_peers": _("Trop de participants : la vidéo de %(name)s ne peut pas s'afficher."),
        "doctor_here": _("Le médecin est dans l'appel."),
        "waiting_before": _("Le médecin n'est pas encore là. Le rendez-vous commence à %(time)s."),
        "waiting_late": _(
            "Le médecin n'est pas encore là : il a %(minutes)s min de retard sur l'heure "
            "prévue (%(time)s). Restez sur cette page."
        ),
        "waiting_on_time": _("Le médecin n'est pas encore là. C'est l'heure du rendez-vous."),
        "waiting_announced": _(
            "Le médecin a prévenu d'un retard d'environ %(minutes)s min. Restez sur cette page."
        ),
        "patient_waiting": _("%(name)s attend depuis %(time)s."),
        "delay_sent": _("Retard annoncé : %(minutes)s min."),
        "camera_failed": _(
            "La caméra n'est pas disponible : l'appel continue en audio seul. "
            "Vérifiez l'autorisation de la caméra dans votre navigateur."
        ),
        "media_failed": _(
            "Le micro et la caméra ne sont pas disponibles. Vérifiez les autorisations de "
            "votre navigateur, puis rechargez la page."
        ),
        "audio_only_on": _("Audio seul : votre vidéo n'est plus envoyée."),
        "audio_only_auto": _(
            "Votre connexion est faible : passage automatique en audio seul. "
            "Vous pouvez réactiver la vidéo quand le réseau s'améliore."
        ),
        "video_back": _("Votre vidéo est de nouveau envoyée."),
        "mic_off": _("Votre micro est coupé."),
        "mic_on": _("Votre micro est activé."),
        "network_change": _("Changement de réseau : reconnexion du flux…"),
        "sound_blocked": _("Activer le son"),
        "offline": _("Hors ligne : le message n'est pas parti."),
        "file_sent": _("Document partagé."),
        "file_failed": _("Le document n'a pas pu être envoyé. Réessayez."),
        "you": _("Vous"),
        "role_doctor": _("médecin"),
        "role_patient": _("patient·e"),
        "role_guest": _("invité·e"),
    }


def _waiting_text(appointment: Appointment) -> str:
    """The waiting room's first sentence; call.js keeps it current afterwards."""
    start = timezone.localtime(appointment.starts_at).strftime("%H:%M")
    if appointment.announced_delay_minutes:
        return _(
            "Le médecin a prévenu d'un retard d'environ %(minutes)s min. Restez sur cette page."
        ) % {"minutes": appointment.announced_delay_minutes}
    late = int((timezone.now() - appointment.starts_at).total_seconds() // 60)
    if late > 0:
        return _(
            "Le médecin n'est pas encore là : il a %(minutes)s min de retard sur l'heure "
            "prévue (%(time)s). Restez sur cette page."
        ) % {"minutes": late, "time": start}
    return _("Le médecin n'est pas encore là. Le rendez-vous commence à %(time)s.") % {
        "time": start
    }


def _leave_url(access: CallAccess) -> str:
    appointment_id = access.appointment.public_id
    if access.role == "doctor":
        return reverse("teleconsultation:close", args=[appointment_id])
    if access.role == "patient":
        return reverse("teleconsultation:appointment", args=[appointment_id])
    return reverse("portal:home")


def _guest_context(
    request: HttpRequest, appointment: Appointment, form: GuestInviteForm | None = None
) -> dict[str, Any]:
    return {
        "appointment": appointment,
        "guests": list(list_guest_passes(appointment=appointment)),
        "guest_form": form or GuestInviteForm(),
        "now": timezone.now(),
    }


@login_not_required
@require_safe
def call_page(request: HttpRequest, appointment_id: UUID) -> HttpResponse:
    access = _access_or_404(request, appointment_id)
    appointment = access.appointment
    call_services.record_call_page_viewed(access=access)
    lines = []
    for message in list_call_messages(appointment=appointment):
        author, role = _author_of(message, appointment)
        lines.append({"message": message, "author": author, "role": role})
    other = (
        appointment.patient.get_full_name()
        if access.role == "doctor"
        else appointment.doctor.display_name
    )
    ctx: dict[str, Any] = {
        "access": access,
        "appointment": appointment,
        "other": other,
        "lines": lines,
        "socket_path": f"/ws/teleconsultation/{appointment.public_id}/",
        "leave_url": _leave_url(access),
        # Minted for this participant only (turn.py): the page may not be stored by any cache.
        "ice_servers": ice_servers_for_participant(),
        "strings": _call_strings(),
        "waiting_text": _waiting_text(appointment),
        "file_form": CallFileForm(),
        "delay_choices": DELAY_CHOICES,
    }
    if access.role == "doctor":
        ctx.update(_guest_context(request, appointment))
    response = render(request, "teleconsultation/call.html", ctx)
    response["Cache-Control"] = "private, no-store"
    return response


@login_not_required
@require_POST
def call_file_upload(request: HttpRequest, appointment_id: UUID) -> HttpResponse:
    """Share a photo or a PDF in the call; it is filed with the consultation."""
    access = _access_or_404(request, appointment_id)
    wants_json = "application/json" in request.headers.get("Accept", "")
    form = CallFileForm(request.POST, request.FILES)
    error: str | None = None
    message: CallMessage | None = None
    if not form.is_valid():
        error = _("Choisissez un document à partager (photo ou PDF).")
    else:
        try:
            upload = clean_upload(form.cleaned_data["file"])
            message = call_services.share_file(access=access, upload=upload)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        except DomainError as refusal:
            error = str(refusal.message)
    if error is not None or message is None:
        text = error or _("Le document n'a pas pu être enregistré.")
        if wants_json:
            return JsonResponse({"error": text}, status=400)
        messages.error(request, text)
        return redirect("teleconsultation:call", appointment_id=appointment_id)
    payload = _file_payload(message, access)
    group = call_group(access.appointment.public_id)
    transaction.on_commit(lambda: group_send(group, {"type": "call.file", **payload}))
    if wants_json:
        return JsonResponse(payload, status=201)
    messages.success(request, _("Document partagé."))
    return redirect("teleconsultation:call", appointment_id=appointment_id)


def _file_message_for(request: HttpRequest, message_id: UUID) -> tuple[CallMessage, str]:
    """A shared file of a call the requester takes part in, and their role; 404 otherwise.

    The doctor and the patient keep access after the call (the file is filed with the
    consultation); a guest only while their pass opens the call.
    """
    user = request.user
    if user.is_authenticated:
        try:
            appointment = get_appointment_for(
                actor=user, appointment_id=_appointment_of(message_id)
            )
        except Http404:
            pass
        else:
            role = "doctor" if appointment.doctor_id == user.pk else "patient"
            return _file_in(appointment, message_id), role
    access = _access_or_404(request, _appointment_of(message_id))
    return _file_in(access.appointment, message_id), access.role


def _appointment_of(message_id: UUID) -> UUID:
    appointment_id = (
        CallMessage.objects.filter(public_id=message_id)
        .values_list("appointment__public_id", flat=True)
        .first()
    )
    if appointment_id is None:
        raise Http404
    return appointment_id


def _file_in(appointment: Appointment, message_id: UUID) -> CallMessage:
    message = list_call_messages(appointment=appointment).filter(public_id=message_id).first()
    if message is None or not message.file:
        raise Http404
    return message


@login_not_required
@require_safe
def call_file_download(request: HttpRequest, message_id: UUID) -> FileResponse:
    """Serve a file shared in a call to its participants, never executable; audited."""
    message, role = _file_message_for(request, message_id)
    call_services.record_call_file_opened(user=request.user, message=message, role=role)
    return private_file(
        message.file,
        content_type=message.content_type,
        filename=f"document{message.extension}",
        inline=message.content_type.startswith("image/"),
    )


@require_http_methods(["GET", "POST"])
def guest_passes(request: AuthedRequest, appointment_id: UUID) -> HttpResponse:
    """The doctor's third-participant panel: list, invite (the link is shown once), revoke."""
    access = _access_or_404(request, appointment_id)
    if access.role != "doctor":
        raise Http404
    appointment = access.appointment
    form: GuestInviteForm | None = None
    link: str | None = None
    status = 200
    if request.method == "POST" and request.POST.get("action") == "revoke":
        try:
            guest_id = UUID(request.POST.get("guest", ""))
        except ValueError as bad_id:
            raise Http404 from bad_id
        guest = list_guest_passes(appointment=appointment).filter(public_id=guest_id).first()
        if guest is None:
            raise Http404
        call_services.revoke_guest(actor=request.user, guest=guest)
        group = call_group(appointment.public_id)
        transaction.on_commit(
            lambda: group_send(group, {"type": "call.revoked", "guest": str(guest_id)})
        )
    elif request.method == "POST":
        form = GuestInviteForm(request.POST)
        if form.is_valid():
            try:
                _guest, token = call_services.invite_guest(
                    actor=request.user,
                    appointment=appointment,
                    kind=form.cleaned_data["kind"],
                    name=form.cleaned_data["name"],
                    rpps=form.cleaned_data["rpps"],
                )
            except DomainError as refusal:
                form.add_error(None, str(refusal.message))
                status = 422
            else:
                link = request.build_absolute_uri(reverse("teleconsultation:guest", args=[token]))
                form = None
        else:
            status = 422
    ctx = {**_guest_context(request, appointment, form), "link": link}
    template = (
        "teleconsultation/_guests.html" if _is_htmx(request) else "teleconsultation/guests.html"
    )
    response = render(request, template, ctx, status=status)
    response["Cache-Control"] = "private, no-store"  # the link is shown once
    return response


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _guest_pass_usable(guest: GuestPass | None, request: HttpRequest) -> bool:
    if guest is None or guest.revoked_at is not None or guest.expires_at <= timezone.now():
        return False
    if not guest.appointment.is_open:
        return False
    mine = str(guest.public_id) in (request.session.get(GUEST_SESSION_KEY) or [])
    return guest.redeemed_at is None or mine


@login_not_required
@require_http_methods(["GET", "POST"])
def guest_entry(request: HttpRequest, token: str) -> HttpResponse:
    """A third participant's one-time link: GET only shows it, POST opens the call."""
    if request.method == "POST":
        try:
            guest = call_services.redeem_guest_pass(
                token=token[:MAX_TOKEN_LENGTH], session=request.session
            )
        except call_services.GuestPassInvalid as invalid:
            return render(
                request,
                "teleconsultation/guest_invalid.html",
                {"reason": invalid.message},
                status=410,
            )
        request.session.cycle_key()  # a fresh session id once it opens a call
        return redirect("teleconsultation:call", appointment_id=guest.appointment.public_id)
    guest_pass = get_guest_pass_by_token(token=token)
    if guest_pass is None or not _guest_pass_usable(guest_pass, request):
        return render(
            request,
            "teleconsultation/guest_invalid.html",
            {"reason": call_services.GuestPassInvalid.default_message},
            status=410,
        )
    return render(
        request,
        "teleconsultation/guest_entry.html",
        {"guest": guest_pass, "appointment": guest_pass.appointment},
    )


@login_not_required
@require_safe
def device_check(request: HttpRequest) -> HttpResponse:
    """Camera, microphone, speaker and bandwidth, checked before the call."""
    if not _signed_in_or_guest(request):
        return redirect_to_login(request.get_full_path())
    call_url = None
    raw = request.GET.get("appel", "")
    if raw:
        try:
            call_url = reverse("teleconsultation:call", args=[UUID(raw)])
        except ValueError:
            call_url = None
    strings = {
        "checking": _("Test en cours…"),
        "camera_ok": _("Caméra : fonctionne (%(width)s × %(height)s)."),  # noqa: RUF001  # the multiplication sign is meant
        "camera_failed": _(
            "Caméra : indisponible. Autorisez la caméra dans votre navigateur ; "
            "sinon, la téléconsultation pourra se faire en audio seul."
        ),
        "microphone_ok": _("Micro : fonctionne."),
        "microphone_heard": _("Micro : fonctionne, votre voix est bien captée."),
        "microphone_failed": _(
            "Micro : indisponible. Autorisez le micro dans votre navigateur, "
            "il est indispensable pour la téléconsultation."
        ),
        "speaker_question": _("Avez-vous entendu le son ?"),
        "speaker_ok": _("Haut-parleur : fonctionne."),
        "speaker_failed": _(
            "Haut-parleur : pas de son. Montez le volume ou branchez un casque, puis réessayez."
        ),
        "bandwidth_measuring": _("Débit : mesure en cours…"),
        "bandwidth_result": _("Débit : environ %(kbps)s kbit/s."),
        "bandwidth_failed": _("Débit : la mesure a échoué. Vérifiez votre connexion."),
        "advice_good": _("Votre connexion permet la vidéo."),
        "advice_fair": _(
            "Votre connexion est juste : la vidéo sera de qualité réduite. "
            "Rapprochez-vous de votre box ou évitez les autres usages pendant l'appel."
        ),
        "advice_poor": _(
            "Votre connexion est faible : nous vous conseillons l'audio seul. "
            "Le médecin pourra vous rappeler au téléphone si la connexion coupe."
        ),
        "summary_ok": _("Tout est prêt pour votre téléconsultation."),
        "summary_problem": _(
            "Un point est à régler avant votre téléconsultation (voir ci-dessus)."
        ),
    }
    return render(
        request,
        "teleconsultation/device_check.html",
        {"strings": strings, "call_url": call_url},
    )


@login_not_required
@require_safe
def bandwidth_probe(request: HttpRequest) -> HttpResponse:
    """Random bytes the device check downloads to estimate the downlink; never cached."""
    if not _signed_in_or_guest(request):
        return HttpResponseForbidden()
    try:
        size = int(request.GET.get("taille", PROBE_DEFAULT_KIB))
    except ValueError:
        size = PROBE_DEFAULT_KIB
    size = max(PROBE_MIN_KIB, min(size, PROBE_MAX_KIB))
    # Random, so no proxy or compression along the way can make the link look faster.
    response = HttpResponse(os.urandom(size * 1024), content_type="application/octet-stream")
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
