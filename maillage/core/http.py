"""Typed requests for views behind LoginRequiredMiddleware."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.files import File
from django.http import FileResponse, HttpRequest
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
    from maillage.accounts.models import User


class HtmxRequest(HttpRequest):
    htmx: HtmxDetails


class AuthedRequest(HtmxRequest):
    user: User  # guaranteed by LoginRequiredMiddleware


def private_file(
    file: File[bytes], *, content_type: str, filename: str, inline: bool
) -> FileResponse:
    """Serve an uploaded or generated file to someone allowed to see it, never executable.

    Whatever the bytes, the browser may neither run nor sniff them, and nobody caches them.
    A PDF gets the sandbox alone: a `default-src 'none'` stops Chromium's viewer from showing
    it inline.
    """
    response = FileResponse(
        file.open("rb"),
        content_type=content_type or "application/octet-stream",
        as_attachment=not inline,
        filename=filename,
    )
    response["Content-Security-Policy"] = (
        "sandbox"
        if content_type == "application/pdf"
        else "default-src 'none'; img-src 'self'; sandbox"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
