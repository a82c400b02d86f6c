from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from maillage.accounts.models import Professional, RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline[RoleAssignment, User]):
    model = RoleAssignment
    extra = 0


class ProfessionalInline(admin.StackedInline[Professional, User]):
    model = Professional
    extra = 0
    readonly_fields = ["rpps_key_ok", "verified_at"]


@admin.register(User)
class UserAdmin(admin.ModelAdmin[User]):
    """Accounts are created by sign-up, `manage.py create_professional` or Pro Santé Connect."""

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

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        # Accounts are deactivated, never deleted: the audit trail refers to them.
        return False
