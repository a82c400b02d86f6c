"""System checks: a broken tariff table fails `manage.py check`, not the first billed act."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, register
from django.core.exceptions import ImproperlyConfigured

from maillage.billing.tariffs import load_tariffs


@register()
def tariff_table_loads(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """The tariff table parses, its amounts are valid and its periods do not overlap."""
    try:
        load_tariffs()
    except ImproperlyConfigured as error:
        return [Error(str(error), id="billing.E001")]
    return []
