"""One view, one template, named partials (STYLE rule 7)."""

from __future__ import annotations

from collections.abc import Mapping

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from maillage.core.http import HtmxRequest


def render_page(
    request: HtmxRequest,
    template: str,
    ctx: Mapping[str, object],
    *,
    partial: str,
    status: int = 200,
) -> HttpResponse:
    """Render the whole page, or only `partial` for htmx requests."""
    name = f"{template}#{partial}" if request.htmx else template
    response = render(request, name, dict(ctx), status=status)
    patch_vary_headers(response, ["HX-Request"])  # caches must not mix page and fragment
    return response
