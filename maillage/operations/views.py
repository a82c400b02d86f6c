from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from maillage.accounts.decorators import role_required
from maillage.accounts.models import Role
from maillage.core.htmx import render_page
from maillage.core.http import AuthedRequest
from maillage.core.pagination import parse_cursor
from maillage.operations import selectors, services
from maillage.operations.forms import AuditSearchForm


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
