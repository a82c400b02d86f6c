"""Admin changes go to the audit trail, in the admin's own transaction."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.forms import BaseFormSet, ModelForm
from django.http import HttpRequest

from maillage.audit.services import log_event


class OperatorPermissions:
    """Operators run the admin by role, not by Django's per-model permissions."""

    def _is_operator(self, request: HttpRequest) -> bool:
        has_role = getattr(request.user, "has_role", None)
        return bool(
            request.user.is_active and request.user.is_staff and has_role and has_role("operator")
        )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._is_operator(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._is_operator(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._is_operator(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._is_operator(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._is_operator(request)


class AuditedModelAdmin(OperatorPermissions, admin.ModelAdmin[Any]):
    """Record who changed which fields (names only, never values) of which row."""

    def save_model(
        self, request: HttpRequest, obj: Any, form: ModelForm[Any], change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        log_event(
            actor=request.user,
            action=f"admin.{obj._meta.model_name}_{'changed' if change else 'added'}",
            target=obj,
            details={"fields": ",".join(sorted(form.changed_data))},
        )

    def save_formset(
        self, request: HttpRequest, form: ModelForm[Any], formset: BaseFormSet[Any], change: bool
    ) -> None:
        super().save_formset(request, form, formset, change)
        for inline_form in formset.forms:
            if inline_form.has_changed() and isinstance(inline_form.instance, models.Model):
                log_event(
                    actor=request.user,
                    action=f"admin.{inline_form.instance._meta.model_name}_changed",
                    target=form.instance,
                    details={"fields": ",".join(sorted(inline_form.changed_data))},
                )
