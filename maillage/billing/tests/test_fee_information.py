"""Fee information before a telemedicine act (arrêté du 30 mai 2018; checklist B6)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from maillage.billing.fees import FEE_NOTICE, FeeNotAllowed, fee_information
from maillage.billing.tariffs import tariff_on

TCG = tariff_on("TCG", date(2026, 1, 1))  # 25 €
TE2 = tariff_on("TE2", date(2026, 1, 1))  # 23 €


def test_the_mandatory_sentence_is_the_exact_text_of_the_arrete() -> None:
    with translation.override("fr"):
        assert str(FEE_NOTICE) == (
            "Seuls peuvent vous être facturés des frais correspondant à une prestation de soins "
            "rendue. Le paiement d'une prestation qui ne correspond pas directement à une "
            "prestation de soins ne peut vous être imposé."
        )


def test_sector_1_at_the_tariff_has_no_overrun() -> None:
    info = fee_information(sector="1", optam=False, charged_amount=Decimal("25.00"), tariff=TCG)
    assert (info.charged_amount, info.tariff_amount, info.overrun) == (
        Decimal("25.00"),
        Decimal("25.00"),
        Decimal("0.00"),
    )
    assert not info.needs_written_estimate
    assert "secteur 1" in str(info.sector_description)


def test_charging_less_than_the_tariff_is_no_negative_overrun() -> None:
    info = fee_information(sector="1", optam=False, charged_amount=Decimal("0.00"), tariff=TCG)
    assert info.overrun == Decimal("0.00")


def test_sector_1_may_not_charge_above_the_tariff() -> None:
    with translation.override("fr"), pytest.raises(FeeNotAllowed) as refused:
        fee_information(sector="1", optam=False, charged_amount=Decimal("25.01"), tariff=TCG)
    assert "secteur 1" in str(refused.value.message)
    assert "25,00 €" in str(refused.value.message)


def test_sector_2_overrun_is_charged_minus_tariff() -> None:
    info = fee_information(sector="2", optam=False, charged_amount=Decimal("60.00"), tariff=TCG)
    assert info.overrun == Decimal("35.00")
    assert info.tariff_amount == Decimal("25.00")
    assert not info.needs_written_estimate
    assert "tact et mesure" in str(info.sector_description)


@pytest.mark.parametrize(
    ("charged", "estimate"),
    [("94.99", False), ("95.00", True), ("120.00", True)],
)
def test_a_written_estimate_is_due_from_70_euros_of_overrun(charged: str, estimate: bool) -> None:
    info = fee_information(sector="2", optam=False, charged_amount=Decimal(charged), tariff=TCG)
    assert info.needs_written_estimate is estimate


def test_optam_is_described_as_controlled_fees() -> None:
    info = fee_information(sector="2", optam=True, charged_amount=Decimal("30.00"), tariff=TCG)
    assert "OPTAM" in str(info.sector_description)
    assert info.overrun == Decimal("5.00")


def test_a_doctor_outside_the_convention_is_described_as_such() -> None:
    info = fee_information(sector="nc", optam=False, charged_amount=Decimal("50.00"), tariff=TCG)
    assert "non conventionné" in str(info.sector_description)


def test_no_overrun_on_a_teleexpertise_even_in_sector_2() -> None:
    with pytest.raises(FeeNotAllowed):
        fee_information(sector="2", optam=False, charged_amount=Decimal("30.00"), tariff=TE2)


@pytest.mark.parametrize(("sector", "charged"), [("1", "-1.00"), ("3", "25.00")])
def test_a_negative_amount_or_unknown_sector_is_a_programming_error(
    sector: str, charged: str
) -> None:
    with pytest.raises(ValueError):  # noqa: PT011  # two distinct messages, one error type
        fee_information(sector=sector, optam=False, charged_amount=Decimal(charged), tariff=TCG)
