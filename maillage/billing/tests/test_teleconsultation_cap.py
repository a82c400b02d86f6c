"""The yearly teleconsultation cap: 20 %, 40 % for psychiatrists (Convention 2024, art. 87.7)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from maillage.accounts.tests.factories import PatientFactory, ProfessionalFactory
from maillage.billing.models import BilledAct
from maillage.billing.selectors import cap_status, count_capped_teleconsultations
from maillage.billing.tests.factories import record_teleconsultation

PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    ("counted", "total", "psychiatrist", "level"),
    [
        pytest.param(1499, 10000, False, "ok", id="14.99%"),
        pytest.param(15, 100, False, "warning", id="15%"),
        pytest.param(1999, 10000, False, "warning", id="19.99%"),
        pytest.param(20, 100, False, "over", id="20%"),
        pytest.param(20, 100, True, "warning", id="20%-psychiatrist"),
        pytest.param(3999, 10000, True, "warning", id="39.99%-psychiatrist"),
        pytest.param(40, 100, True, "over", id="40%-psychiatrist"),
        pytest.param(14, 100, True, "ok", id="14%-psychiatrist"),
    ],
)
def test_cap_level(counted: int, total: int, psychiatrist: bool, level: str) -> None:
    status = cap_status(
        counted_teleconsultations=counted, total_acts=total, psychiatrist=psychiatrist
    )
    assert status.level == level
    assert status.ratio == Decimal(counted) / Decimal(total)


@pytest.mark.parametrize(("psychiatrist", "limit"), [(False, "0.20"), (True, "0.40")])
def test_the_limit_depends_on_psychiatry(psychiatrist: bool, limit: str) -> None:
    status = cap_status(counted_teleconsultations=1, total_acts=10, psychiatrist=psychiatrist)
    assert status.limit == Decimal(limit)


def test_no_activity_is_a_zero_ratio() -> None:
    status = cap_status(counted_teleconsultations=0, total_acts=0, psychiatrist=False)
    assert (status.ratio, status.level) == (Decimal(0), "ok")


@pytest.mark.parametrize(("counted", "total"), [(-1, 10), (11, 10)])
def test_impossible_counts_are_a_programming_error(counted: int, total: int) -> None:
    with pytest.raises(ValueError, match="total_acts"):
        cap_status(counted_teleconsultations=counted, total_acts=total, psychiatrist=False)


@pytest.mark.django_db
def test_the_year_is_the_civil_year_in_paris() -> None:
    # given: acts around midnight on New Year's Eve, Paris time (UTC+1 in winter)
    doctor, other_doctor, patient = ProfessionalFactory(), ProfessionalFactory(), PatientFactory()
    for at in [
        datetime(2025, 12, 31, 23, 59, tzinfo=PARIS),  # 22:59 UTC: 2025
        datetime(2026, 1, 1, 0, 0, tzinfo=PARIS),  # 23:00 UTC on 31 Dec: already 2026
        datetime(2026, 12, 31, 23, 59, tzinfo=PARIS),  # 2026
        datetime(2027, 1, 1, 0, 0, tzinfo=PARIS),  # 2027
    ]:
        record_teleconsultation(doctor=doctor, patient=patient, performed_at=at)
    # and acts that never count toward the cap
    june = datetime(2026, 6, 1, 10, tzinfo=PARIS)
    record_teleconsultation(
        doctor=doctor, patient=patient, performed_at=june, counts_toward_cap=False
    )
    record_teleconsultation(
        doctor=doctor,
        patient=patient,
        performed_at=june,
        code="TE2",
        source_kind=BilledAct.SourceKind.TELEEXPERTISE_ANSWER,
        video=False,
    )
    record_teleconsultation(doctor=other_doctor, patient=patient, performed_at=june)

    # when / then
    assert count_capped_teleconsultations(doctor=doctor, year=2025) == 1
    assert count_capped_teleconsultations(doctor=doctor, year=2026) == 2
    assert count_capped_teleconsultations(doctor=doctor, year=2027) == 1
    assert count_capped_teleconsultations(doctor=other_doctor, year=2026) == 1
