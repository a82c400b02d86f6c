from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from maillage.accounts import services
from maillage.accounts.models import Professional, Role, RoleAssignment, User
from maillage.audit.admin_mixins import AuditedModelAdmin, OperatorPermissions


class RoleAssignmentInline(OperatorPermissions, admin.TabularInline[RoleAssignment, User]):
    model = RoleAssignment
    extra = 0


class ProfessionalInline(OperatorPermissions, admin.StackedInline[Professional, User]):
    model = Professional
    extra = 0
    # The RPPS is verified with the action below (audited), or by Pro Santé Connect.
    readonly_fields = ["rpps", "rpps_key_ok", "verification", "verified_at"]


@admin.action(description=_("Marquer le RPPS comme vérifié dans l'Annuaire santé"))
def verify_rpps(modeladmin: Any, request: HttpRequest, queryset: QuerySet[User]) -> None:
    for professional in Professional.objects.filter(user__in=queryset):
        services.verify_professional(actor=request.user, professional=professional)  # type: ignore[arg-type]  # admin views are signed in


@admin.register(User)
class UserAdmin(AuditedModelAdmin):
    """Accounts of the team, not of patients (their data is handled in the app, audited).

    Accounts are created by sign-up, `manage.py create_professional` or Pro Santé Connect.
    """

    actions = [verify_rpps]

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return super().get_queryset(request).exclude(role=Role.PATIENT)

    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "role", "is_active"]
    list_filter = ["role", "is_active", "is_staff"]
    search_fields = ["email", "last_name"]
    readonly_fields = ["public_id", "date_joined", "last_login"]
    inlines = [RoleAssignmentInline, ProfessionalInline]
    fieldsets = (
        (None, {"fields": ("public_id", "email")}),
        (_("Identité"), {"fields": ("first_name", "last_name", "phone", "language")}),
        (_("Rôle"), {"fields": ("role", "is_active", "is_staff", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        # Accounts are deactivated, never deleted: the audit trail refers to them.
        return False
