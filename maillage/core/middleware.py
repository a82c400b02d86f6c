"""Request id: one id per request, carried into logs and audit events."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

_request_id: ContextVar[str] = ContextVar("maillage_request_id", default="-")
_client_ip: ContextVar[str | None] = ContextVar("maillage_client_ip", default=None)
# Accept an upstream id (reverse proxy) only when it looks like one: it lands in logs.
# fullmatch, not `$`: `$` also matches before a trailing newline.
_VALID_UPSTREAM_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


def current_request_id() -> str:
    return _request_id.get()


def current_client_ip() -> str | None:
    return _client_ip.get()


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        upstream = request.headers.get("X-Request-ID", "")
        request_id = upstream if _VALID_UPSTREAM_ID.fullmatch(upstream) else uuid.uuid4().hex
        token = _request_id.set(request_id)
        ip_token = _client_ip.set(request.META.get("REMOTE_ADDR") or None)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
            _client_ip.reset(ip_token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True
