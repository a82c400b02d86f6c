"""Rate limits on what people create (requests, cases, posts, reports) and on token endpoints.

django-ratelimit counts in the default cache: Redis when several processes serve, the
in-memory cache in embedded mode where one process does. Past the limit, a 429 page says
what happened; nothing was saved, and the browser's Back button brings the text back.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited  # type: ignore[import-untyped]  # no stubs upstream

View = TypeVar("View", bound=Callable[..., HttpResponse])


def limit_posts(group: str) -> Callable[[View], View]:
    """Refuse one person's (or, signed out, one address's) POSTs beyond `RATE_LIMITS[group]`."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST" and is_ratelimited(
                request=request,
                group=group,
                key="user_or_ip",
                rate=settings.RATE_LIMITS[group],
                method="POST",
                increment=True,
            ):
                return render(request, "429.html", status=429)
            return view(request, *args, **kwargs)

        return wrapper  # type: ignore[return-value]  # wraps keeps the signature

    return decorator
