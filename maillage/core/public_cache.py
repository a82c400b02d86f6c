"""Public pages served whole from the cache to anonymous visitors (issue 10).

The health library, an article, the directory search and a doctor's profile cost 6 to 8 ms of
CPU to render, and most of their visitors are anonymous and see the same HTML. A visit is
served from the cache only when nothing in it can be personal:

- a GET or HEAD with no session cookie, no messages cookie and no Authorization header: the
  visitor is anonymous (the session is the only way to be signed in on these pages), has no
  pending message, and their page differs from another anonymous visitor's only by its URL,
  its language and whether htmx asked for it, which form the key;
- a page rendered for the cache carries no CSRF token (`public_page` in the template context:
  base.html leaves `<body hx-headers>` out and the language switch its hidden token; the
  switch checks the Origin of an anonymous visitor instead, `portal.views.set_language`);
  these pages have no other POST form and no htmx POST;
- a response is stored only if it is a 200 that set no cookie, wrote nothing in the session and
  rendered no CSRF token (Django flags every `get_token` call on the request): a token in the
  HTML would hand one visitor's secret to the next.

Why not Django's `cache_page`: as a view decorator it sits inside SessionMiddleware and
LocaleMiddleware, so it never sees their `Vary: Cookie` and `Vary: Accept-Language` and would
serve one visitor's page to another; as middleware it keys on the whole Cookie header, so each
visitor with a CSRF or language cookie gets an entry of their own.

Freshness: entries last PUBLIC_PAGE_CACHE_SECONDS, and every entry is dropped at once when an
article, a profile, a practice or its hours change (`bump_public_pages`, from
`portal.receivers`): each entry carries the generation it was rendered under, read in the same
round trip as the entry. The response says `Cache-Control: public, max-age=…` with the same
lifetime, so nginx and browsers may keep it that long; `Vary: Cookie` keeps a browser from
reusing it once the visitor signs in or switches the language.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any, ParamSpec

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers

P = ParamSpec("P")

GENERATION_KEY = "public-page:generation"
# (generation, status, content, headers) under the page's key.
Entry = tuple[str, int, bytes, list[tuple[str, str]]]


def bump_public_pages() -> None:
    """Drop every cached public page: the next visit of each renders it afresh."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def is_anonymous_visit(request: HttpRequest) -> bool:
    """Whether nothing in this request can make its page differ from another visitor's."""
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    if CookieStorage.cookie_name in request.COOKIES:
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    # Without a session cookie no one can be signed in; asked anyway in case another
    # authentication is added one day (no query: there is no session to read).
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def page_key(request: HttpRequest) -> str:
    # The host is part of the URL: the profile's JSON-LD names the absolute address.
    url = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    htmx = "htmx" if request.headers.get("HX-Request") == "true" else "page"
    return f"public-page:{translation.get_language()}:{htmx}:{url}"


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    # Set by every get_token() call: a CSRF token was rendered somewhere in the page.
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    cache_control = response.get("Cache-Control", "")
    return "private" not in cache_control and "no-store" not in cache_control


def _response_from(entry: Entry) -> HttpResponse:
    _, status, content, headers = entry
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response


def cache_public_page(view: Callable[P, HttpResponse]) -> Callable[P, HttpResponse]:
    """Serve `view`'s page whole from the cache to anonymous visitors (see the module)."""

    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        request = args[0]
        assert isinstance(request, HttpRequest)  # noqa: S101  # a view's first argument
        timeout: int = settings.PUBLIC_PAGE_CACHE_SECONDS
        if not timeout or not is_anonymous_visit(request):
            return view(*args, **kwargs)
        key = page_key(request)
        found: dict[str, Any] = cache.get_many([GENERATION_KEY, key])
        generation: str | None = found.get(GENERATION_KEY)
        entry: Entry | None = found.get(key)
        if generation is not None and entry is not None and entry[0] == generation:
            response = _response_from(entry)
        else:
            request.public_page = True  # type: ignore[attr-defined]  # read by portal's context processor
            response = view(*args, **kwargs)
            if not _storable(request, response):
                return response
            if generation is None:
                # First page since the cache was emptied: agree on one generation.
                cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
                generation = cache.get(GENERATION_KEY)
            if generation is not None:
                headers = [(name, str(value)) for name, value in response.items()]
                stored: Entry = (generation, response.status_code, response.content, headers)
                cache.set(key, stored, timeout)
        patch_cache_control(response, public=True, max_age=timeout)
        # The page changes with the session (signed in) and the language cookie.
        patch_vary_headers(response, ["Cookie"])
        return response

    return wrapped
