"""Deployment checks of our own, run by `manage.py check --deploy`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register


@register(Tags.security, deploy=True)
def health_data_host_declared(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Health data may only be hosted by an HDS-certified host (REGULATION.md checklist E1)."""
    if settings.MAILLAGE_EMBEDDED or settings.HDS_HOSTING_DECLARATION:
        return []
    return [
        Warning(
            "HDS_HOSTING_DECLARATION is empty: name the HDS-certified host of this deployment "
            "(or 'self-hosted by the controller') before storing health data.",
            id="maillage.W001",
        )
    ]
