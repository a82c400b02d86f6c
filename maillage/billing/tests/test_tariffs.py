"""The tariff table: amounts by date, its validation at load, and the teleconsultation code."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from maillage.accounts.specialties import Specialty
from maillage.billing import tariffs
from maillage.billing.checks import tariff_table_loads
from maillage.billing.tariffs import (
    NotConventioned,
    UnknownTariff,
    load_tariffs,
    read_tariffs,
    tariff_on,
    teleconsultation_code,
)

GP = Specialty.GENERAL_PRACTICE
CARDIOLOGY = Specialty.CARDIOLOGY


def period(**overrides: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "code": "TCG",
        "label": "Téléconsultation",
        "amount": "25.00",
        "effective_from": "2022-04-01",
        "effective_to": None,
        "kind": "teleconsultation",
        "video_required": True,
        "source": "test",
        "verify": False,
    }
    row.update(overrides)
    return row


def write_table(tmp_path: Path, rows: object) -> Path:
    path = tmp_path / "tariffs.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    return path


@pytest.fixture
def _fresh_tariff_cache() -> Iterator[None]:
    load_tariffs.cache_clear()
    yield
    load_tariffs.cache_clear()


@pytest.mark.parametrize(
    ("code", "day", "amount"),
    [
        ("G", date(2024, 12, 21), "26.50"),
        ("G", date(2024, 12, 22), "30.00"),
        ("TE2", date(2025, 12, 31), "20.00"),
        ("TE2", date(2026, 1, 1), "23.00"),
        ("TCG", date(2022, 4, 1), "25.00"),
        ("TCG", date(2026, 11, 22), "25.00"),
        ("RQD", date(2026, 1, 1), "10.00"),
        ("TLM", date(2025, 6, 1), "1.00"),
    ],
)
def test_the_amount_is_the_one_in_force_on_the_day(code: str, day: date, amount: str) -> None:
    assert tariff_on(code, day).amount == Decimal(amount)


def test_a_period_ends_on_its_last_day_inclusive() -> None:
    assert tariff_on("TE2", date(2025, 12, 31)).effective_to == date(2025, 12, 31)
    assert tariff_on("TE2", date(2026, 1, 1)).effective_from == date(2026, 1, 1)


@pytest.mark.parametrize(
    ("code", "day"),
    [
        ("XYZ", date(2025, 1, 1)),
        ("TCG", date(2022, 3, 31)),  # the day before the first period
        ("G", date(2023, 10, 31)),  # before 26.50 €: unknown rather than wrong
    ],
)
def test_no_covering_period_is_an_unknown_tariff(code: str, day: date) -> None:
    with pytest.raises(UnknownTariff, match=code):
        tariff_on(code, day)


def test_placeholder_amounts_are_flagged_for_verification() -> None:
    placeholders = {t.code for t in load_tariffs() if t.verify}
    assert {"TC", "TCS"} <= placeholders
    assert "TCG" not in placeholders


def test_a_well_formed_table_is_read(tmp_path: Path) -> None:
    rows = [
        period(effective_to="2025-12-31"),
        period(amount="30.00", effective_from="2026-01-01"),
    ]
    table = read_tariffs(write_table(tmp_path, rows))
    assert [(t.amount, t.effective_to) for t in table] == [
        (Decimal("25.00"), date(2025, 12, 31)),
        (Decimal("30.00"), None),
    ]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([period(), period(amount="30.00", effective_from="2026-01-01")], "overlap"),
        (
            [
                period(effective_to="2026-01-01"),
                period(amount="30.00", effective_from="2026-01-01"),
            ],
            "overlap",
        ),
        (
            [  # listed out of order: the check sorts by start date
                period(effective_from="2026-01-01"),
                period(effective_from="2022-04-01", effective_to="2026-06-30"),
            ],
            "overlap",
        ),
        ([period(amount="-1.00")], "amount"),
        ([period(amount=25.0)], "amount"),
        ([period(amount="25.001")], "amount"),
        ([period(amount="douze")], "amount"),
        ([period(amount="NaN")], "amount"),
        ([period(effective_from="2024-02-30")], "date"),
        ([period(effective_from="2025-01-02", effective_to="2025-01-01")], "before"),
        ([period(kind="visio")], "kind"),
        ([period(code="TOOLONGCODE")], "longer"),
        ([period(verify="no")], "verify"),
        ([{k: v for k, v in period().items() if k != "source"}], "missing"),
        ({"TCG": period()}, "list"),
    ],
)
def test_a_broken_table_is_refused_with_a_clear_message(
    tmp_path: Path, rows: object, message: str
) -> None:
    with pytest.raises(ImproperlyConfigured, match=message):
        read_tariffs(write_table(tmp_path, rows))


def test_periods_of_different_codes_may_share_dates(tmp_path: Path) -> None:
    table = read_tariffs(write_table(tmp_path, [period(), period(code="TCS")]))
    assert {t.code for t in table} == {"TCG", "TCS"}


def test_unreadable_json_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "tariffs.json"
    path.write_text("[{", encoding="utf-8")
    with pytest.raises(ImproperlyConfigured, match="unreadable"):
        read_tariffs(path)


@pytest.mark.usefixtures("_fresh_tariff_cache")
def test_the_system_check_reports_a_broken_shipped_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = write_table(tmp_path, [period(), period(effective_from="2023-01-01")])
    monkeypatch.setattr(tariffs, "TARIFFS_FILE", broken)

    errors = tariff_table_loads(None)

    assert [error.id for error in errors] == ["billing.E001"]
    assert "overlap" in errors[0].msg


@pytest.mark.usefixtures("_fresh_tariff_cache")
def test_the_system_check_accepts_the_shipped_table() -> None:
    assert tariff_table_loads(None) == []


@pytest.mark.parametrize(
    ("specialty", "sector", "optam", "code"),
    [
        (GP, "1", False, "TCG"),
        (GP, "2", True, "TCG"),
        (GP, "2", False, "TC"),
        (CARDIOLOGY, "1", False, "TCS"),
        (CARDIOLOGY, "2", True, "TCS"),
        (CARDIOLOGY, "2", False, "TC"),
        (Specialty.PSYCHIATRY, "1", False, "TCS"),
    ],
)
def test_the_teleconsultation_code_follows_specialty_sector_and_optam(
    specialty: str, sector: str, optam: bool, code: str
) -> None:
    assert teleconsultation_code(specialty=specialty, sector=sector, optam=optam) == code


def test_every_teleconsultation_code_has_a_video_only_tariff() -> None:
    for code in ("TCG", "TCS", "TC"):
        tariff = tariff_on(code, date(2026, 1, 1))
        assert (tariff.kind, tariff.video_required) == ("teleconsultation", True)


def test_a_doctor_outside_the_convention_has_no_teleconsultation_code() -> None:
    with pytest.raises(NotConventioned):
        teleconsultation_code(specialty=GP, sector="nc", optam=False)


def test_an_unknown_sector_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="sector"):
        teleconsultation_code(specialty=GP, sector="3", optam=False)


def test_outside_the_convention_is_handled_as_an_unknown_tariff() -> None:
    # Views that catch UnknownTariff also show this refusal instead of a server error.
    with pytest.raises(UnknownTariff):
        teleconsultation_code(specialty=CARDIOLOGY, sector="nc", optam=True)
