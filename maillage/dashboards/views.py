from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from maillage.accounts.decorators import role_required
from maillage.accounts.models import Role
from maillage.billing.selectors import PARIS
from maillage.core.http import AuthedRequest
from maillage.dashboards import selectors, services
from maillage.dashboards.charts import Table, table_csv
from maillage.dashboards.forms import DeclarationForm, ExportForm, TerritoryForm, YearForm

DOCTORS = (Role.GP, Role.SPECIALIST)
COORDINATORS = (Role.COORDINATOR, Role.OPERATOR)


def _today() -> date:
    return timezone.localdate(timezone.now(), PARIS)


def _year(request: AuthedRequest) -> int:
    form = YearForm(request.GET)
    return form.cleaned_data["annee"] if form.is_valid() else _today().year


def _csv(text: str, filename: str) -> HttpResponse:
    # A byte-order mark: spreadsheets in France open UTF-8 CSV correctly only with it.
    response = HttpResponse("\ufeff" + text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _doctor_page(
    request: AuthedRequest, year: int, *, export_form: ExportForm | None = None, status: int = 200
) -> HttpResponse:
    activity = selectors.doctor_activity_for(actor=request.user, year=year)
    first, _last = selectors.doctor_year_bounds(year, _today())
    ctx: dict[str, Any] = {
        "activity": activity,
        "years": list(range(_today().year, year - 2, -1))[:4],
        "declaration_form": DeclarationForm(
            initial={"annee": year, "other_acts": activity.cap.other_acts}
        ),
        "export_form": export_form
        or ExportForm(initial={"du": first, "au": min(_today(), date(year, 12, 31))}),
        "query": f"annee={year}",
    }
    return render(request, "dashboards/doctor.html", ctx, status=status)


@require_GET
@role_required(*DOCTORS)
def doctor_dashboard(request: AuthedRequest) -> HttpResponse:
    return _doctor_page(request, _year(request))


@require_POST
@role_required(*DOCTORS)
def doctor_declaration(request: AuthedRequest) -> HttpResponse:
    form = DeclarationForm(request.POST)
    if not form.is_valid():
        return _doctor_page(request, _year(request), status=422)
    year = form.cleaned_data["annee"]
    services.declare_activity(
        actor=request.user, year=year, other_acts=form.cleaned_data["other_acts"]
    )
    return redirect(f"{reverse('dashboards:doctor')}?annee={year}#plafond")


@require_GET
@role_required(*DOCTORS)
def doctor_table_csv(request: AuthedRequest, slug: str) -> HttpResponse:
    year = _year(request)
    table: Table = selectors.doctor_activity_for(actor=request.user, year=year).table(slug)
    return _csv(table_csv(table), f"maillage-{slug}-{year}.csv")


@require_GET
@role_required(*DOCTORS)
def doctor_export(request: AuthedRequest) -> HttpResponse:
    form = ExportForm(request.GET)
    if not form.is_valid():
        return _doctor_page(request, _today().year, export_form=form, status=422)
    first, last = form.cleaned_data["du"], form.cleaned_data["au"]
    text = services.export_acts(actor=request.user, first=first, last=last)
    return _csv(text, f"maillage-actes-{first:%Y%m%d}-{last:%Y%m%d}.csv")


@require_GET
@role_required(*COORDINATORS)
def territory_dashboard(request: AuthedRequest) -> HttpResponse:
    department, search = TerritoryForm(request.GET).filters()
    snapshot = selectors.territory_page_for(
        actor=request.user, department=department, search=search
    )
    ctx = {
        "territory": snapshot.activity,
        "snapshot": snapshot,
        "cache_seconds": selectors.TERRITORY_CACHE_SECONDS,
        "top_communes": selectors.TERRITORY_TOP_COMMUNES,
        # The CSV files hold every commune of the department: the search narrows the page only.
        "query": f"departement={department}" if department else "",
    }
    return render(request, "dashboards/territory.html", ctx)


@require_GET
@role_required(*COORDINATORS)
def territory_table_csv(request: AuthedRequest, slug: str) -> HttpResponse:
    department, _search = TerritoryForm(request.GET).filters()
    territory = selectors.territory_snapshot_for(actor=request.user, department=department).activity
    suffix = f"-{department}" if department else ""
    return _csv(table_csv(territory.table(slug)), f"maillage-territoire-{slug}{suffix}.csv")
