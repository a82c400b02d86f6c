"""The FHIR R4 endpoints under /fhir/: read-only, bearer tokens, errors as OperationOutcome.

Each view authenticates the token, checks its scope, parses the query, asks the selectors for
what the actor may see, audits the read, then serialises. Not visible and not existing are one
and the same 404: an outsider never learns that a resource exists.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterator
from functools import wraps
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
)
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from django_ratelimit.core import is_ratelimited  # type: ignore[import-untyped]  # no stubs upstream

from maillage.fhir_api import capability, selectors, services
from maillage.fhir_api.auth import ApiCaller, authenticate
from maillage.fhir_api.errors import BadRequest, FhirError
from maillage.fhir_api.kinds import EVERYTHING, KINDS, Kind
from maillage.fhir_api.openapi import openapi_document
from maillage.fhir_api.resources import Links, Resource
from maillage.fhir_api.scopes import Context
from maillage.fhir_api.search import CURSOR, Page, page_of, parse_id, parse_search
from maillage.fhir_api.selectors import PatientRequired, Visibility, visibility_for

logger = logging.getLogger(__name__)

FHIR_JSON = "application/fhir+json; charset=utf-8"
View = Callable[..., HttpResponseBase]


def _json(body: Any, status: int = 200, content_type: str = FHIR_JSON) -> HttpResponse:
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), content_type=content_type, status=status
    )
    # Health data: no browser or proxy may keep it (the session pages do the same).
    response["Cache-Control"] = "private, no-store"
    return response


def outcome(status: int, code: str, diagnostics: str) -> HttpResponse:
    body = {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": code, "diagnostics": diagnostics}],
    }
    response = _json(body, status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="fhir", error="invalid_token"'
    return response


def _token_key(group: str, request: HttpRequest) -> str:
    # Counted per bearer token (one app for one person); the cache sees a digest, not the token.
    token = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    return hashlib.sha256(token.encode()).hexdigest()


def _over_read_limit(request: HttpRequest) -> bool:
    if not request.headers.get("Authorization", "").startswith("Bearer "):
        return False  # the public documents; the others answer 401 without a token
    return bool(
        is_ratelimited(
            request=request,
            group="fhir_read",
            key=_token_key,
            rate=settings.RATE_LIMITS["fhir_read"],
            increment=True,
        )
    )


def fhir_view(view: View) -> View:
    """No session, no CSRF (bearer tokens only, nothing is written); every error is FHIR."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method not in ("GET", "HEAD"):
            return outcome(405, "not-supported", _("Cette API est en lecture seule."))
        if _over_read_limit(request):
            limited = outcome(
                429, "throttled", _("Trop de requêtes avec ce jeton : réessayez dans une minute.")
            )
            limited["Retry-After"] = "60"
            return limited
        try:
            return view(request, *args, **kwargs)
        except FhirError as error:
            return outcome(error.status, error.code, str(error.diagnostics))
        except PatientRequired:
            return outcome(
                400,
                "required",
                _("Un professionnel recherche dans un dossier à la fois : précisez patient."),
            )
        except Http404:
            return outcome(404, "not-found", _("Ressource introuvable."))
        except Exception:
            # The traceback goes to the error log; the client learns nothing more.
            logger.exception("fhir request failed")
            return outcome(500, "exception", _("Erreur interne."))

    return login_not_required(csrf_exempt(wrapper))


def _links(request: HttpRequest) -> Links:
    return Links(request.build_absolute_uri(reverse("fhir_api:metadata")).removesuffix("metadata"))


def _kind(resource_type: str) -> Kind:
    kind = KINDS.get(resource_type)
    if kind is None:
        raise FhirError(404, "not-supported", _("Type de ressource non pris en charge."))
    return kind


def _context(caller: ApiCaller, resource_type: str) -> Context:
    context = caller.scopes.context_for(resource_type)
    if context is None:
        raise FhirError(
            403,
            "forbidden",
            _("Le jeton ne permet pas de lire les ressources %(type)s.") % {"type": resource_type},
        )
    return context


def _entry(links: Links, kind: Kind, resource: Resource) -> dict[str, Any]:
    return {
        "fullUrl": links.of(kind.name, resource["id"]),
        "resource": resource,
        "search": {"mode": "match"},
    }


def _searchset(request: HttpRequest, entries: list[dict[str, Any]], page: Page | None) -> Any:
    links = [{"relation": "self", "url": request.build_absolute_uri()}]
    if page is not None and page.next_cursor is not None:
        params = request.GET.copy()
        params[CURSOR] = page.next_cursor
        links.append(
            {
                "relation": "next",
                "url": f"{request.build_absolute_uri(request.path)}?{params.urlencode()}",
            }
        )
    return {"resourceType": "Bundle", "type": "searchset", "link": links, "entry": entries}


@fhir_view
def metadata(request: HttpRequest) -> HttpResponse:
    return _json(capability.capability_statement(request.build_absolute_uri))


@fhir_view
def smart_configuration(request: HttpRequest) -> HttpResponse:
    return _json(
        capability.smart_configuration(request.build_absolute_uri), content_type="application/json"
    )


@fhir_view
def search(request: HttpRequest, resource_type: str) -> HttpResponse:
    caller = authenticate(request)
    kind = _kind(resource_type)
    context = _context(caller, kind.name)
    query = parse_search(kind, request.GET)
    visibility: Visibility | None = None
    if kind.rows is not None:
        patient_id = query.patient_id
        if kind.name == "Patient" and len(query.ids) == 1:
            patient_id = UUID(query.ids[0])
        visibility = visibility_for(actor=caller.user, context=context, patient_id=patient_id)
        rows = kind.rows(visibility)
    else:
        assert kind.directory is not None  # noqa: S101  # every kind has one source
        rows = kind.directory()
    page = page_of(kind, rows, query)
    if visibility is not None:
        services.record_api_read(
            actor=caller.user,
            accesses=visibility.accesses,
            client_id=caller.client_id,
            interaction="search",
            resource_type=kind.name,
            returned=len(page.rows),
        )
    links = _links(request)
    entries = [_entry(links, kind, kind.render(row, links)) for row in page.rows]
    return _json(_searchset(request, entries, page))


def _owner(kind: Kind, resource_id: str) -> UUID:
    if kind.name == "Patient":
        return UUID(resource_id)
    assert kind.owner is not None  # noqa: S101  # every clinical kind names its owner
    return kind.owner(int(resource_id) if kind.numeric_id else UUID(resource_id))


@fhir_view
def read(request: HttpRequest, resource_type: str, resource_id: str) -> HttpResponseBase:
    caller = authenticate(request)
    kind = _kind(resource_type)
    context = _context(caller, kind.name)
    parsed = parse_id(kind, resource_id)
    if parsed is None:
        raise Http404
    if kind.rows is not None:
        visibility = visibility_for(
            actor=caller.user, context=context, patient_id=_owner(kind, parsed)
        )
        row = kind.rows(visibility).filter(**{kind.id_field: parsed}).first()
        if row is None:
            raise Http404
        services.record_api_read(
            actor=caller.user,
            accesses=visibility.accesses,
            client_id=caller.client_id,
            interaction="read",
            resource_type=kind.name,
            resource_id=parsed,
            returned=1,
        )
    else:
        assert kind.directory is not None  # noqa: S101  # every kind has one source
        row = kind.directory().filter(**{kind.id_field: parsed}).first()
        if row is None:
            raise Http404
    if kind.name == "Binary" and not _wants_json(request):
        return _raw_binary(row)
    return _json(kind.render(row, _links(request)))


def _wants_json(request: HttpRequest) -> bool:
    wanted = f"{request.headers.get('Accept', '')} {request.GET.get('_format', '')}"
    return "json" in wanted


def _raw_binary(entry: Any) -> FileResponse:
    response = FileResponse(
        entry.file.open("rb"), content_type=entry.content_type or "application/octet-stream"
    )
    response["Content-Security-Policy"] = "sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _references(value: Any, resource_type: str) -> Iterator[str]:
    """Ids of every `<resource_type>/<id>` reference inside a resource."""
    if isinstance(value, dict):
        reference = value.get("reference")
        if isinstance(reference, str) and reference.startswith(f"{resource_type}/"):
            yield reference.removeprefix(f"{resource_type}/")
        for item in value.values():
            yield from _references(item, resource_type)
    elif isinstance(value, list):
        for item in value:
            yield from _references(item, resource_type)


@fhir_view
def everything(request: HttpRequest, resource_id: str) -> HttpResponse:
    """Patient/<id>/$everything: the patient, their record's resources and whom they cite."""
    caller = authenticate(request)
    context = _context(caller, "Patient")
    if request.GET.keys() - {"_format"}:
        raise BadRequest(_("$everything ne prend pas de paramètre."), code="not-supported")
    parsed = parse_id(KINDS["Patient"], resource_id)
    if parsed is None:
        raise Http404
    visibility = visibility_for(actor=caller.user, context=context, patient_id=UUID(parsed))
    links = _links(request)
    entries: list[dict[str, Any]] = []
    for name in ("Patient", *EVERYTHING):
        kind = KINDS[name]
        if kind.rows is None or caller.scopes.context_for(name) is None:
            continue
        ordering = [f"-{kind.order_field}", "-pk"] if kind.order_field else ["-pk"]
        entries += [
            _entry(links, kind, kind.render(row, links))
            for row in kind.rows(visibility).order_by(*ordering)
        ]
    cited = [
        ("Practitioner", selectors.practitioners()),
        ("Organization", selectors.organizations()),
    ]
    for name, rows in cited:
        ids = {ref for entry in entries for ref in _references(entry["resource"], name)}
        if ids and caller.scopes.context_for(name) is not None:
            kind = KINDS[name]
            entries += [
                _entry(links, kind, kind.render(row, links))
                for row in rows.filter(public_id__in=ids).order_by("pk")
            ]
    services.record_api_read(
        actor=caller.user,
        accesses=visibility.accesses,
        client_id=caller.client_id,
        interaction="everything",
        resource_type="Patient",
        resource_id=parsed,
        returned=len(entries),
    )
    return _json(_searchset(request, entries, None))


@fhir_view
def unknown(request: HttpRequest, rest: str = "") -> HttpResponse:
    return outcome(404, "not-found", _("Ressource introuvable."))


@login_not_required
@require_safe
def openapi_json(request: HttpRequest) -> JsonResponse:
    """The OpenAPI document of the JSON endpoints outside FHIR (public, like /fhir/metadata)."""
    return JsonResponse(openapi_document())
