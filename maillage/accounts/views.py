from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from maillage.accounts import selectors, services
from maillage.accounts.forms import CarerProxyForm
from maillage.accounts.models import User
from maillage.core.exceptions import DomainError
from maillage.core.http import AuthedRequest


def _account_page(request: AuthedRequest, form: CarerProxyForm, status: int = 200) -> HttpResponse:
    user = request.user
    ctx = {
        "proxies": selectors.list_proxies_for(actor=user),
        "represented": selectors.list_represented_patients_for(actor=user),
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
    carer = User.objects.filter(email__iexact=form.cleaned_data["email"], is_active=True).first()
    if carer is None:
        form.add_error(
            "email",
            _(
                "Aucun compte Maillage n'utilise cette adresse. Votre aidant doit d'abord créer son compte."
            ),
        )
        return _account_page(request, form, status=422)
    try:
        services.grant_carer_proxy(
            actor=request.user, carer=carer, consent_statement=str(form.fields["consent"].label)
        )
    except DomainError as error:
        form.add_error(None, str(error.message))
        return _account_page(request, form, status=422)
    messages.success(request, _("Votre aidant peut désormais agir pour vous."))
    return redirect("accounts:account")


@require_POST
def proxy_revoke(request: AuthedRequest, proxy_id: UUID) -> HttpResponse:
    proxy = selectors.get_proxy_for(actor=request.user, proxy_id=proxy_id)
    try:
        services.revoke_proxy(actor=request.user, proxy=proxy)
    except DomainError as error:
        raise Http404 from error
    messages.success(request, _("L'autorisation a été retirée."))
    return redirect("accounts:account")
