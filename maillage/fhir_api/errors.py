"""Errors of the API, answered as an OperationOutcome with their HTTP status."""

from __future__ import annotations

from django.utils.functional import Promise


class FhirError(Exception):
    """A refused request: `code` is from the FHIR issue-type value set."""

    def __init__(self, status: int, code: str, diagnostics: str | Promise) -> None:
        self.status = status
        self.code = code
        self.diagnostics = diagnostics
        super().__init__(code)


class BadRequest(FhirError):
    def __init__(self, diagnostics: str | Promise, code: str = "invalid") -> None:
        super().__init__(400, code, diagnostics)
