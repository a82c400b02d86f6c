"""Tariffs of the acts we bill, as versioned data, and the choice of teleconsultation code.

The amounts change with each convention médicale (REGULATION.md §2): they live in
`data/tariffs.json`, one row per period, each with its source. A row marked `verify` holds an
amount that no primary text confirmed yet.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Literal, cast, get_args

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from maillage.accounts.models import ConventionSector
from maillage.accounts.specialties import Specialty
from maillage.core.exceptions import DomainError

TARIFFS_FILE = Path(__file__).with_name("data") / "tariffs.json"
CODE_MAX_LENGTH = 8  # BilledAct.code
_CENT = Decimal("0.01")
_AMOUNT_LIMIT = Decimal("1000000")

TariffKind = Literal[
    "teleconsultation",
    "in_person",
    "teleexpertise_answer",
    "teleexpertise_request",
    "assisted",
]
_KINDS: frozenset[str] = frozenset(get_args(TariffKind))
_FIELDS = frozenset(
    {
        "code",
        "label",
        "amount",
        "effective_from",
        "effective_to",
        "kind",
        "video_required",
        "source",
        "verify",
    }
)


class UnknownTariff(DomainError):
    """No period of the tariff table covers this code on this day."""


class NotConventioned(UnknownTariff):
    """A doctor outside the convention has no conventional teleconsultation code.

    A kind of UnknownTariff: callers that cannot price an act handle both the same way.
    """

    default_message = _(
        "Un médecin non conventionné ne facture pas de code de téléconsultation de "
        "l'Assurance Maladie."
    )


@dataclass(frozen=True)
class Tariff:
    code: str
    label: str
    amount: Decimal
    effective_from: date
    effective_to: date | None  # inclusive last day; None while in force
    kind: TariffKind
    video_required: bool
    source: str
    verify: bool

    def covers(self, day: date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )


def read_tariffs(path: Path) -> tuple[Tariff, ...]:
    """Read and validate a tariff table.

    Raises:
        ImproperlyConfigured: if the file is unreadable, a row is malformed, or two periods
            of one code overlap.
    """
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ImproperlyConfigured(f"{path.name}: unreadable tariff table ({error})") from error
    if not isinstance(rows, list):
        raise ImproperlyConfigured(f"{path.name}: expected a list of tariff periods")
    tariffs = tuple(_parse_row(row, f"{path.name}, row {index}") for index, row in enumerate(rows))
    _check_no_overlap(tariffs, path.name)
    return tariffs


@cache
def load_tariffs() -> tuple[Tariff, ...]:
    """Return the shipped tariff table, validated once per process."""
    return read_tariffs(TARIFFS_FILE)


def tariff_on(code: str, day: date) -> Tariff:
    """Return the tariff period of `code` in force on `day`.

    Raises:
        UnknownTariff: if no period of that code covers the day.
    """
    for tariff in load_tariffs():
        if tariff.code == code and tariff.covers(day):
            return tariff
    raise UnknownTariff(
        _("Aucun tarif connu pour l'acte %(code)s au %(day)s.")
        % {"code": code, "day": day.strftime("%d/%m/%Y")}
    )


def teleconsultation_code(*, specialty: str, sector: str, optam: bool) -> str:
    """Return the teleconsultation code a doctor bills (REGULATION.md §2.1).

    Raises:
        NotConventioned: for a doctor outside the convention.
        ValueError: for an unknown sector.
    """
    if sector == ConventionSector.NOT_CONVENTIONED:
        raise NotConventioned
    if sector not in (ConventionSector.SECTOR_1, ConventionSector.SECTOR_2):
        raise ValueError(f"unknown convention sector {sector!r}")
    # TC is the code of sector-2 doctors who did not sign OPTAM, whatever their specialty.
    if sector == ConventionSector.SECTOR_2 and not optam:
        return "TC"
    return "TCG" if specialty == Specialty.GENERAL_PRACTICE else "TCS"


def _parse_row(row: object, where: str) -> Tariff:
    if not isinstance(row, Mapping):
        raise ImproperlyConfigured(f"{where}: expected an object")
    row = cast(Mapping[str, object], row)
    if set(row) != _FIELDS:
        missing, extra = sorted(_FIELDS - set(row)), sorted(set(row) - _FIELDS)
        raise ImproperlyConfigured(f"{where}: missing fields {missing}, unknown fields {extra}")
    code = _text(row, "code", where)
    if len(code) > CODE_MAX_LENGTH:
        raise ImproperlyConfigured(f"{where}: code {code!r} is longer than {CODE_MAX_LENGTH}")
    where = f"{where} ({code})"
    kind = row["kind"]
    if kind not in _KINDS:
        raise ImproperlyConfigured(f"{where}: unknown kind {kind!r}")
    effective_from = _day(row["effective_from"], where)
    effective_to = None if row["effective_to"] is None else _day(row["effective_to"], where)
    if effective_to is not None and effective_to < effective_from:
        raise ImproperlyConfigured(f"{where}: effective_to is before effective_from")
    return Tariff(
        code=code,
        label=_text(row, "label", where),
        amount=_amount(row["amount"], where),
        effective_from=effective_from,
        effective_to=effective_to,
        kind=cast(TariffKind, kind),
        video_required=_flag(row, "video_required", where),
        source=_text(row, "source", where),
        verify=_flag(row, "verify", where),
    )


def _text(row: Mapping[str, object], key: str, where: str) -> str:
    value = row[key]
    if not isinstance(value, str) or not value.strip():
        raise ImproperlyConfigured(f"{where}: {key} must be a non-empty string")
    return value


def _flag(row: Mapping[str, object], key: str, where: str) -> bool:
    value = row[key]
    if not isinstance(value, bool):
        raise ImproperlyConfigured(f"{where}: {key} must be true or false")
    return value


def _amount(value: object, where: str) -> Decimal:
    # A string, never a JSON number: 26.5 as a float is not exactly 26.50.
    if not isinstance(value, str):
        raise ImproperlyConfigured(f'{where}: amount must be a string such as "25.00"')
    try:
        amount = Decimal(value)
    except InvalidOperation as error:
        raise ImproperlyConfigured(f"{where}: amount {value!r} is not a number") from error
    # BilledAct.amount holds 8 digits, 2 of them decimals.
    if not (amount.is_finite() and 0 <= amount < _AMOUNT_LIMIT) or amount != amount.quantize(_CENT):
        raise ImproperlyConfigured(
            f"{where}: amount {value!r} must be between 0 and 999999.99, with at most 2 decimals"
        )
    return amount


def _day(value: object, where: str) -> date:
    if not isinstance(value, str):
        raise ImproperlyConfigured(f"{where}: dates must be strings YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{where}: {value!r} is not a date YYYY-MM-DD") from error


def _check_no_overlap(tariffs: tuple[Tariff, ...], where: str) -> None:
    # Two periods covering one day would make the amount depend on the order of the rows.
    by_code: dict[str, list[Tariff]] = {}
    for tariff in tariffs:
        by_code.setdefault(tariff.code, []).append(tariff)
    for code, periods in by_code.items():
        periods.sort(key=lambda tariff: tariff.effective_from)
        for earlier, later in pairwise(periods):
            if earlier.effective_to is None or earlier.effective_to >= later.effective_from:
                raise ImproperlyConfigured(
                    f"{where}: periods of {code} overlap "
                    f"(one from {earlier.effective_from}, one from {later.effective_from})"
                )
