"""Reads of billed acts for the teleconsultation cap (Convention 2024, art. 87.7; checklist B4)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Literal
from zoneinfo import ZoneInfo

from maillage.accounts.models import User
from maillage.billing.models import BilledAct

PARIS = ZoneInfo("Europe/Paris")
# At most 20 % of a doctor's yearly activity by teleconsultation, 40 % for psychiatrists.
CAP_LIMIT = Decimal("0.20")
PSYCHIATRY_CAP_LIMIT = Decimal("0.40")
# Checklist B4 warns at 15 % for everyone; psychiatrists are warned early rather than late
# until someone decides on a threshold of their own (e.g. 30 %).
WARNING_RATIO = Decimal("0.15")

CapLevel = Literal["ok", "warning", "over"]


@dataclass(frozen=True)
class CapStatus:
    ratio: Decimal  # capped teleconsultations / all conventioned acts of the year
    limit: Decimal
    level: CapLevel


def cap_status(*, counted_teleconsultations: int, total_acts: int, psychiatrist: bool) -> CapStatus:
    """Compare a doctor's share of teleconsultations with their yearly cap.

    Raises:
        ValueError: for negative counts, or more teleconsultations than acts.
    """
    if counted_teleconsultations < 0 or total_acts < counted_teleconsultations:
        raise ValueError("need 0 <= counted_teleconsultations <= total_acts")
    limit = PSYCHIATRY_CAP_LIMIT if psychiatrist else CAP_LIMIT
    # Exact arithmetic: 15 % must not read as 14.999… at the threshold.
    ratio = Decimal(counted_teleconsultations) / total_acts if total_acts else Decimal(0)
    level: CapLevel = "ok"
    if ratio >= limit:
        level = "over"
    elif ratio >= WARNING_RATIO:
        level = "warning"
    return CapStatus(ratio=ratio, limit=limit, level=level)


def count_capped_teleconsultations(*, doctor: User, year: int) -> int:
    """Count the doctor's teleconsultations that count toward the cap in a calendar year.

    The year is the civil year in France: an act at 00:30 on 1 January in Paris belongs to
    the new year even though it is still 31 December in UTC.
    """
    start = datetime(year, 1, 1, tzinfo=PARIS)
    end = datetime(year + 1, 1, 1, tzinfo=PARIS)
    return BilledAct.objects.filter(
        doctor=doctor,
        source_kind=BilledAct.SourceKind.TELECONSULTATION,
        counts_toward_cap=True,
        performed_at__gte=start,
        performed_at__lt=end,
    ).count()


def count_acts_in_year(*, code: str, doctor: User, patient: User, year: int) -> int:
    """Acts of one code by a doctor for a patient in a calendar year (Paris time).

    The tele-expertise limits count these (4 a year, REGULATION §2.3).
    """
    start = datetime(year, 1, 1, tzinfo=PARIS)
    end = datetime(year + 1, 1, 1, tzinfo=PARIS)
    return BilledAct.objects.filter(
        code=code, doctor=doctor, patient=patient, performed_at__gte=start, performed_at__lt=end
    ).count()
