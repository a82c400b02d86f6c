"""django-axes hooks: allauth passes the e-mail as `email`, not `username`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def username_from_credentials(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    if not credentials:
        return ""
    value = credentials.get("email") or credentials.get("login") or credentials.get("username")
    return str(value or "").strip().lower()


def lockout_response(
    request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/lockout.html", {"cooloff_minutes": minutes}, status=429)
