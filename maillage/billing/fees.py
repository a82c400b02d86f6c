"""Fee information given to the patient before any telemedicine act (REGULATION.md §2.4)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from maillage.accounts.models import ConventionSector
from maillage.billing.tariffs import Tariff
from maillage.core.exceptions import DomainError

# Arrêté du 30 mai 2018 (L.1111-3 ff., R.1111-21 ff. CSP): this exact sentence must be shown.
FEE_NOTICE = _(
    "Seuls peuvent vous être facturés des frais correspondant à une prestation de soins rendue. "
    "Le paiement d'une prestation qui ne correspond pas directement à une prestation de soins "
    "ne peut vous être imposé."
)
# Arrêté du 30 mai 2018: written information beforehand once the overrun reaches 70 €.
WRITTEN_ESTIMATE_THRESHOLD = Decimal("70.00")
_TELEEXPERTISE_KINDS = frozenset({"teleexpertise_answer", "teleexpertise_request"})


class FeeNotAllowed(DomainError):
    """The charged amount is above what this doctor may charge for this act."""


@dataclass(frozen=True)
class FeeInformation:
    charged_amount: Decimal
    tariff_amount: Decimal  # the base of reimbursement by the Assurance Maladie
    overrun: Decimal  # dépassement d'honoraires, never negative
    needs_written_estimate: bool
    sector_description: Promise


def fee_information(
    *, sector: str, optam: bool, charged_amount: Decimal, tariff: Tariff
) -> FeeInformation:
    """Describe what the patient pays for an act, and whether a written estimate is due.

    Raises:
        FeeNotAllowed: if a sector-1 doctor charges above the tariff, or anyone charges a
            téléexpertise above it (REGULATION.md §2.3: no dépassement).
        ValueError: for a negative amount or an unknown sector.
    """
    if charged_amount < 0:
        raise ValueError("a charged amount cannot be negative")
    description = sector_description(sector, optam)
    if charged_amount > tariff.amount:
        if tariff.kind in _TELEEXPERTISE_KINDS:
            raise FeeNotAllowed(
                _("Une téléexpertise ne permet aucun dépassement : le tarif est de %(amount)s €.")
                % {"amount": number_format(tariff.amount, 2)}
            )
        if sector == ConventionSector.SECTOR_1:
            raise FeeNotAllowed(
                _(
                    "En secteur 1, vous ne pouvez pas facturer plus que le tarif conventionnel "
                    "(%(amount)s € pour l'acte %(code)s)."
                )
                % {"amount": number_format(tariff.amount, 2), "code": tariff.code}
            )
    overrun = max(charged_amount - tariff.amount, Decimal("0.00"))
    return FeeInformation(
        charged_amount=charged_amount,
        tariff_amount=tariff.amount,
        overrun=overrun,
        needs_written_estimate=overrun >= WRITTEN_ESTIMATE_THRESHOLD,
        sector_description=description,
    )


def sector_description(sector: str, optam: bool) -> Promise:
    if sector == ConventionSector.SECTOR_1:
        return _("Médecin conventionné secteur 1 : tarif conventionnel, sans dépassement.")
    if sector == ConventionSector.SECTOR_2 and optam:
        return _(
            "Médecin conventionné secteur 2, adhérent à l'OPTAM : dépassements d'honoraires "
            "maîtrisés."
        )
    if sector == ConventionSector.SECTOR_2:
        return _("Médecin conventionné secteur 2 : honoraires libres, fixés avec tact et mesure.")
    if sector == ConventionSector.NOT_CONVENTIONED:
        return _(
            "Médecin non conventionné : honoraires libres, remboursés sur la base du tarif "
            "d'autorité, très inférieur au tarif conventionnel."
        )
    raise ValueError(f"unknown convention sector {sector!r}")
