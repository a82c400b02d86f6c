from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from maillage.accounts import selectors, services
from maillage.accounts.forms import CarerProxyForm
from maillage.core.exceptions import DomainError
from maillage.core.http import AuthedRequest


def _account_page(request: AuthedRequest, form: CarerProxyForm, status: int = 200) -> HttpResponse:
    user = request.user
    ctx = {
        "proxies": selectors.list_proxies_for(actor=user),
        "represented": selectors.list_represented_patients_for(actor=user),
        "invitations_sent": selectors.list_invitations_sent_by(actor=user),
        "invitations_received": selectors.list_invitations_for(actor=user),
        "has_second_factor": selectors.has_strong_second_factor(user=user),
        "carer_form": form,
    }
    return render(request, "accounts/account.html", ctx, status=status)


@require_GET
def account(request: AuthedRequest) -> HttpResponse:
    return _account_page(request, CarerProxyForm())


@require_POST
def proxy_add(request: AuthedRequest) -> HttpResponse:
    form = CarerProxyForm(request.POST)
    if not form.is_valid():
        return _account_page(request, form, status=422)
    email = form.cleaned_data["email"]
    try:
        services.invite_carer(
            actor=request.user, email=email, consent_statement=str(form.fields["consent"].label)
        )
    except DomainError as error:
        form.add_error(None, str(error.message))
        return _account_page(request, form, status=422)
    # The same answer for every address: it must not reveal who has an account.
    messages.success(
        request,
        _(
            "Invitation envoyée à %(email)s. Cette personne pourra agir pour vous quand elle "
            "l'aura acceptée."
        )
        % {"email": email},
    )
    return redirect("accounts:account")


@require_GET
def invitation(request: AuthedRequest, invitation_id: UUID) -> HttpResponse:
    found = selectors.get_invitation_for(actor=request.user, invitation_id=invitation_id)
    ctx = {
        "invitation": found,
        "addressed_to_me": found.patient_id != request.user.pk,
        "is_open": found.is_open_at(timezone.now()),
    }
    return render(request, "accounts/invitation.html", ctx)


def _answer(request: AuthedRequest, invitation_id: UUID, answer: str) -> HttpResponse:
    found = selectors.get_invitation_for(actor=request.user, invitation_id=invitation_id)
    try:
        if answer == "accept":
            services.accept_carer_invitation(actor=request.user, invitation=found)
            messages.success(
                request,
                _("Vous pouvez désormais agir pour %(name)s.")
                % {"name": found.patient.get_full_name()},
            )
        elif answer == "decline":
            services.decline_carer_invitation(actor=request.user, invitation=found)
            messages.info(request, _("Invitation refusée."))
        else:
            services.cancel_carer_invitation(actor=request.user, invitation=found)
            messages.info(request, _("Invitation retirée."))
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("accounts:account")


@require_POST
def invitation_accept(request: AuthedRequest, invitation_id: UUID) -> HttpResponse:
    return _answer(request, invitation_id, "accept")


@require_POST
def invitation_decline(request: AuthedRequest, invitation_id: UUID) -> HttpResponse:
    return _answer(request, invitation_id, "decline")


@require_POST
def invitation_cancel(request: AuthedRequest, invitation_id: UUID) -> HttpResponse:
    return _answer(request, invitation_id, "cancel")


@require_POST
def proxy_revoke(request: AuthedRequest, proxy_id: UUID) -> HttpResponse:
    proxy = selectors.get_proxy_for(actor=request.user, proxy_id=proxy_id)
    try:
        services.revoke_proxy(actor=request.user, proxy=proxy)
    except DomainError as error:
        raise Http404 from error
    messages.success(request, _("L'autorisation a été retirée."))
    return redirect("accounts:account")
