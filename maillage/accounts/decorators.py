from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

from maillage.accounts.models import User

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponseBase])


def role_required(*roles: str) -> Callable[[ViewFunc], ViewFunc]:
    """Restrict a view to some roles; everyone else gets 404, so the page's existence stays private."""

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            user = request.user
            if not isinstance(user, User) or not user.has_role(*roles):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper  # type: ignore[return-value]  # wraps keeps the signature

    return decorator
