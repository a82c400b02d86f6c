from __future__ import annotations

from uuid import UUID

from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from maillage.core.htmx import render_page
from maillage.core.http import AuthedRequest
from maillage.core.pagination import parse_cursor
from maillage.notifications import selectors, services


@require_GET
def notification_list(request: AuthedRequest) -> HttpResponse:
    before = parse_cursor(request.GET.get("avant"))
    items = selectors.list_notifications_for(actor=request.user, before=before)
    ctx = {
        "notifications": items,
        "next_cursor": items[-1].pk if len(items) == selectors.PAGE_SIZE else None,
    }
    return render_page(request, "notifications/list.html", ctx, partial="notification-items")


@require_POST
def notification_open(request: AuthedRequest, notification_id: UUID) -> HttpResponse:
    notification = selectors.get_notification_for(
        actor=request.user, notification_id=notification_id
    )
    services.mark_read(actor=request.user, notification=notification)
    safe = url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None)
    return redirect(notification.url if notification.url and safe else "notifications:list")


@require_POST
def notification_read_all(request: AuthedRequest) -> HttpResponse:
    services.mark_all_read(actor=request.user)
    return redirect("notifications:list")
