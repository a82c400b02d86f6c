"""OpenAPI 3 description of the JSON endpoints outside FHIR.

The FHIR API has its own CapabilityStatement at /fhir/metadata. Written by hand: there are two such endpoints, and a generator would need a framework we do
not otherwise use. The schemathesis test fuzzes every operation listed here.
"""

from __future__ import annotations

from typing import Any

_ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {"type": "string"}},
}
_SHARED_FILE = {
    "type": "object",
    "required": ["id", "name", "url", "author", "role", "at"],
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "name": {"type": "string"},
        "url": {"type": "string"},
        "author": {"type": "string"},
        "role": {"type": "string", "enum": ["doctor", "patient", "guest"]},
        "at": {"type": "string", "format": "date-time"},
    },
}


def openapi_document() -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Maillage — JSON endpoints (outside FHIR)",
            "version": "1",
            "description": (
                "The FHIR R4 API is described by its CapabilityStatement at /fhir/metadata."
            ),
        },
        "paths": {
            "/healthz": {
                "get": {
                    "operationId": "healthz",
                    "summary": "Liveness and database check, for the load balancer.",
                    "security": [],
                    "responses": {
                        "200": {
                            "description": "The process answers and the database too.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["status"],
                                        "properties": {
                                            "status": {"type": "string", "enum": ["ok"]}
                                        },
                                    }
                                }
                            },
                        }
                    },
                }
            },
            "/teleconsultation/{appointment_id}/appel/fichiers/": {
                "post": {
                    "operationId": "shareCallFile",
                    "summary": "Share a photo or a PDF in a video call (filed in the record).",
                    "description": (
                        "For the doctor, the patient or a guest of the call (session cookie and "
                        "CSRF token). JSON is answered when the request accepts "
                        "application/json; otherwise the call page is redisplayed."
                    ),
                    "security": [{"session": [], "csrf": []}],
                    "parameters": [
                        {
                            "name": "appointment_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "format": "uuid"},
                        },
                        {
                            "name": "Accept",
                            "in": "header",
                            "required": True,
                            "schema": {"type": "string", "enum": ["application/json"]},
                        },
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "multipart/form-data": {
                                "schema": {
                                    "type": "object",
                                    "required": ["file"],
                                    "properties": {"file": {"type": "string", "format": "binary"}},
                                }
                            }
                        },
                    },
                    "responses": {
                        "201": {
                            "description": "Shared; the other participants see it at once.",
                            "content": {"application/json": {"schema": _SHARED_FILE}},
                        },
                        "400": {
                            "description": "Not a photo or a PDF, too large, or damaged.",
                            "content": {"application/json": {"schema": _ERROR}},
                        },
                        "302": {
                            "description": "Without `Accept: application/json`: back to the "
                            "call page, with the outcome as a message."
                        },
                        "403": {"description": "Missing or wrong CSRF token."},
                        "404": {
                            "description": "No such call, or the requester does not take part "
                            "in it (the same answer)."
                        },
                    },
                }
            },
        },
        "components": {
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": "sessionid"},
                "csrf": {"type": "apiKey", "in": "header", "name": "X-CSRFToken"},
            }
        },
    }
