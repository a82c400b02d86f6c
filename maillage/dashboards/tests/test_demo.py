"""The demo territory makes every dashboard say something."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from maillage.accounts.models import User
from maillage.dashboards.selectors import doctor_activity_for, territory_activity_for
from maillage.operations.selectors import system_status_for


@pytest.mark.django_db
def test_the_demo_fills_every_dashboard() -> None:
    call_command("seed_demo", stdout=StringIO())
    gp = User.objects.get(email="claire.thiebaut@demo.maillage.test")
    psychiatrist = User.objects.get(email="nadia.benali@demo.maillage.test")
    coordinator = User.objects.get(email="celine.antoine@demo.maillage.test")
    operator = User.objects.get(email="operateur@demo.maillage.test")
    year = doctor_activity_for(actor=gp, year=timezone.localdate().year)

    # the GP near the 15 % warning, the psychiatrist under her 40 %
    assert year.cap.status is not None
    assert year.cap.status.level == "warning"
    assert year.timings.cells[0][0]  # online requests closed, with their times
    benali = doctor_activity_for(actor=psychiatrist, year=year.year)
    assert benali.cap.psychiatrist
    assert benali.cap.status is not None
    assert benali.cap.status.level == "warning"

    # every month of the territory has acts; requests late, closed with and without a visit
    territory = territory_activity_for(actor=coordinator)
    # about 60 acts a month a year ago, growing to about 100 (the seed study's Lorraine figure)
    assert all(total > 40 for total in territory.acts_by_month.table.row_totals())
    assert len(territory.acts_by_commune.table.rows) >= 8
    assert territory.late_total >= 2
    assert sum(row[1] or 0 for row in territory.visits.table.cells) > 0
    assert len(territory.expertise_times.table.rows) >= 2
    assert sum(row[0] or 0 for row in territory.without_treating_doctor.table.cells) > 0
    assert system_status_for(actor=operator).users_by_role
