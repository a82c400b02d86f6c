from __future__ import annotations

from django.contrib import admin

from maillage.audit.admin_mixins import AuditedModelAdmin, OperatorPermissions
from maillage.core.models import Commune
from maillage.directory.models import Practice, PracticeMembership


class PracticeMembershipInline(
    OperatorPermissions, admin.TabularInline[PracticeMembership, Practice]
):
    model = PracticeMembership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Practice)
class PracticeAdmin(AuditedModelAdmin):
    list_display = ["name", "kind", "commune"]
    list_filter = ["kind", "commune__department"]
    search_fields = ["name", "commune__name"]
    raw_id_fields = ["commune"]
    inlines = [PracticeMembershipInline]


@admin.register(Commune)
class CommuneAdmin(AuditedModelAdmin):
    list_display = ["name", "insee_code", "postcode", "department"]
    search_fields = ["name", "insee_code", "postcode"]
