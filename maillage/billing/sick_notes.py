"""Work stoppages prescribed during a telemedicine act (REGULATION.md §1.4, checklist A9)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from maillage.core.exceptions import DomainError

# LFSS 2024 (loi du 26 décembre 2023), in force 1 January 2024: at most 3 days, counting the
# days of a stoppage already in progress (hopitalex.com; larevuedupraticien.fr).
TELEMEDICINE_SICK_NOTE_MAX_DAYS = 3


class SickNoteTooLong(DomainError):
    """The work stoppage exceeds the telemedicine limit and no exception applies."""


def check_sick_note(
    *,
    days: int,
    ongoing_days: int,
    prescriber_is_treating_doctor: bool,
    impossibility_justification: str,
) -> None:
    """Refuse a telemedicine work stoppage longer than the law allows.

    Raises:
        SickNoteTooLong: above the limit, unless the prescriber is the treating doctor or the
            impossibility to see a doctor in person is justified.
        ValueError: for a negative number of days.
    """
    if days < 0 or ongoing_days < 0:
        raise ValueError("days and ongoing_days cannot be negative")
    if days + ongoing_days <= TELEMEDICINE_SICK_NOTE_MAX_DAYS:
        return
    if prescriber_is_treating_doctor:
        return
    # The second exception is for a prolongation only: the patient cannot see a doctor in
    # person to extend a stoppage already in progress (LFSS 2024) [VERIFY the codified text].
    if ongoing_days > 0 and impossibility_justification.strip():
        return
    raise SickNoteTooLong(
        _(
            "Lors d'un acte de télémédecine, un arrêt de travail ne peut pas dépasser "
            "%(max_days)d jours, arrêt en cours compris, sauf s'il est prescrit par le médecin "
            "traitant ou, pour prolonger un arrêt en cours, si l'impossibilité pour le patient "
            "de consulter en présentiel est justifiée."
        )
        % {"max_days": TELEMEDICINE_SICK_NOTE_MAX_DAYS}
    )
