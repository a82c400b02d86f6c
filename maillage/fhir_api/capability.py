"""What the server can do: the CapabilityStatement and the SMART configuration."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from maillage.fhir_api.kinds import KINDS
from maillage.fhir_api.scopes import all_scopes

SMART_OAUTH_URIS = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris"
SEARCH_PARAM_TYPES = {
    "_id": "token",
    "patient": "reference",
    "date": "date",
    "_lastUpdated": "date",
}
# When the statement was last changed by hand (a release date, not "now": it is cacheable).
PUBLISHED = "2026-11-21"


def oauth_endpoints(absolute: Any) -> dict[str, str]:
    return {
        "authorize": absolute(reverse("fhir_oauth:authorize")),
        "token": absolute(reverse("fhir_oauth:token")),
        "revoke": absolute(reverse("fhir_oauth:revoke")),
        "introspect": absolute(reverse("fhir_oauth:introspect")),
    }


def capability_statement(absolute: Any) -> dict[str, Any]:
    """The server's CapabilityStatement; `absolute` turns a path into an absolute URL."""
    endpoints = oauth_endpoints(absolute)
    resources = []
    for kind in KINDS.values():
        resource: dict[str, Any] = {
            "type": kind.name,
            "interaction": [{"code": "read"}, {"code": "search-type"}],
            "searchParam": [
                {"name": name, "type": SEARCH_PARAM_TYPES[name]} for name in kind.search_params
            ],
        }
        if kind.name == "Patient":
            resource["operation"] = [
                {
                    "name": "everything",
                    "definition": "http://hl7.org/fhir/OperationDefinition/Patient-everything",
                }
            ]
        resources.append(resource)
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": PUBLISHED,
        "publisher": "Maillage",
        "kind": "instance",
        "software": {"name": "Maillage"},
        "implementation": {
            "description": "Maillage FHIR R4 API (read-only)",
            "url": absolute(reverse("fhir_api:metadata")).removesuffix("metadata"),
        },
        "fhirVersion": "4.0.1",
        "format": ["json"],
        "rest": [
            {
                "mode": "server",
                "security": {
                    "service": [
                        {
                            "coding": [
                                {
                                    "system": "http://terminology.hl7.org/CodeSystem/restful-security-service",
                                    "code": "SMART-on-FHIR",
                                }
                            ]
                        }
                    ],
                    "extension": [
                        {
                            "url": SMART_OAUTH_URIS,
                            "extension": [
                                {"url": name, "valueUri": url} for name, url in endpoints.items()
                            ],
                        }
                    ],
                },
                "resource": resources,
            }
        ],
    }


def smart_configuration(absolute: Any) -> dict[str, Any]:
    endpoints = oauth_endpoints(absolute)
    return {
        "authorization_endpoint": endpoints["authorize"],
        "token_endpoint": endpoints["token"],
        "revocation_endpoint": endpoints["revoke"],
        "introspection_endpoint": endpoints["introspect"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "scopes_supported": list(all_scopes()),
        "response_types_supported": ["code"],
        "capabilities": [
            "launch-standalone",
            "client-public",
            "client-confidential-symmetric",
            "context-standalone-patient",
            "permission-patient",
            "permission-user",
        ],
    }
