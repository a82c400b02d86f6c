"""Request id: one id per request, carried into logs and audit events."""

from __future__ import annotations

import ipaddress
import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

_request_id: ContextVar[str] = ContextVar("maillage_request_id", default="-")
_client_ip: ContextVar[str | None] = ContextVar("maillage_client_ip", default=None)
# Accept an upstream id (reverse proxy) only when it looks like one: it lands in logs.
# fullmatch, not `$`: `$` also matches before a trailing newline.
_VALID_UPSTREAM_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


def current_request_id() -> str:
    return _request_id.get()


def current_client_ip() -> str | None:
    return _client_ip.get()


def client_ip(request: HttpRequest) -> str | None:
    """Return the client's address, trusting X-Forwarded-For only from our own proxies.

    With TRUSTED_PROXY_COUNT = n, the n-th address from the right of X-Forwarded-For is the
    one our outermost proxy saw; anything further left was written by the client.
    """
    trusted = settings.AXES_IPWARE_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR") or None
    if not trusted:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    candidate = hops[-trusted] if len(hops) >= trusted else remote
    try:
        return str(ipaddress.ip_address(candidate)) if candidate else None
    except ValueError:
        return remote


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        upstream = request.headers.get("X-Request-ID", "")
        request_id = upstream if _VALID_UPSTREAM_ID.fullmatch(upstream) else uuid.uuid4().hex
        token = _request_id.set(request_id)
        ip_token = _client_ip.set(client_ip(request))
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
            _client_ip.reset(ip_token)
        response["X-Request-ID"] = request_id
        return response


class PrivatePagesNotStoredMiddleware:
    """Pages seen signed in carry personal data: no browser or proxy cache may keep them.

    On a family computer, the back button must not bring a patient's page back after logout.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            patch_cache_control(response, private=True, no_store=True)
        return response


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True
