from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from maillage.accounts.decorators import role_required
from maillage.accounts.models import Role
from maillage.core.exceptions import DomainError
from maillage.core.htmx import render_page
from maillage.core.http import AuthedRequest
from maillage.core.pagination import parse_cursor
from maillage.operations import selectors, services
from maillage.operations.forms import AuditSearchForm
from maillage.records import privacy
from maillage.records import selectors as records
from maillage.records.forms import PrivacyAnswerForm


@require_GET
@role_required(Role.OPERATOR)
def audit_search(request: AuthedRequest) -> HttpResponse:
    form = AuditSearchForm(request.GET or None)
    events: list[object] = []
    next_cursor = None
    status = 200
    if form.is_bound and not form.is_valid():
        status = 422
    else:
        filters = form.to_filters() if form.is_bound else selectors.AuditFilters()
        before = parse_cursor(request.GET.get("avant"))
        found = services.search_audit_trail(actor=request.user, filters=filters, before=before)
        events = list(found)
        if len(found) == selectors.AUDIT_PAGE_SIZE:
            next_cursor = found[-1].pk
    query = request.GET.copy()
    query.pop("avant", None)
    ctx = {"form": form, "events": events, "next_cursor": next_cursor, "query": query.urlencode()}
    return render_page(
        request, "operations/audit_search.html", ctx, partial="audit-results", status=status
    )


@require_GET
@role_required(Role.OPERATOR)
def system_status(request: AuthedRequest) -> HttpResponse:
    return render(
        request,
        "operations/status.html",
        {"status": selectors.system_status_for(actor=request.user)},
    )


@login_not_required
def admin_login(request: HttpRequest, extra_context: object = None) -> HttpResponse:
    """Replace the admin's own login form, which would skip the second factor.

    Visitors sign in through allauth (password, then TOTP or passkey); signed-in staff go on to
    the admin; anyone else gets 404, as for every page they may not see.
    """
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
    if not user.is_staff:
        raise Http404
    target = request.GET.get("next", "")
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    return redirect(target if target and safe else "admin:index")


@require_http_methods(["GET", "POST"])
@role_required(Role.OPERATOR)
def privacy_queue(request: AuthedRequest) -> HttpResponse:
    """Data-protection requests by legal deadline; answer one at a time."""
    form = PrivacyAnswerForm(request.POST or None)
    if request.method == "POST":
        target = records.get_privacy_request(request_id=_uuid_or_404(request.POST.get("request")))
        if form.is_valid():
            try:
                privacy.answer_request(
                    actor=request.user,
                    request=target,
                    status=form.cleaned_data["status"],
                    answer=form.cleaned_data["answer"],
                    close_account=form.cleaned_data["close_account"],
                )
            except DomainError as error:
                messages.error(request, str(error.message))
            else:
                messages.success(request, _("La réponse est enregistrée et la personne prévenue."))
        return redirect("operations:privacy_queue")
    return render(
        request,
        "operations/privacy_queue.html",
        {
            "requests": list(records.list_open_privacy_requests()[:200]),
            "form": form,
            "now": timezone.now(),
        },
    )


def _uuid_or_404(raw: str | None) -> UUID:
    try:
        return UUID(raw or "")
    except ValueError:
        raise Http404 from None
