"""Emergency numbers shown on every patient page (REGULATION.md §7, checklist G1)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class EmergencyNumber:
    number: str
    dial: str  # what goes in the tel:/sms: link
    label: str | Promise
    when: str | Promise
    scheme: str = "tel"


def emergency_numbers() -> list[EmergencyNumber]:
    # Each ARS chooses 116 117 or 15 for the out-of-hours duty doctor: a deployment setting.
    pdsa: str = settings.PDSA_NUMBER
    return [
        EmergencyNumber(
            "15",
            "15",
            _("SAMU"),
            _(
                "Urgence vitale : malaise, douleur dans la poitrine, difficulté à respirer, saignement abondant."
            ),
        ),
        EmergencyNumber(
            "112",
            "112",
            _("Urgences européen"),
            _("Depuis n'importe quel pays de l'Union européenne."),
        ),
        EmergencyNumber(
            "114",
            "114",
            _("Personnes sourdes, malentendantes ou ne pouvant pas parler"),
            _("Par SMS ou par l'application Urgence 114."),
            scheme="sms",
        ),
        EmergencyNumber(
            "3114",
            "3114",
            _("Prévention du suicide"),
            _(
                "Idées suicidaires, vous-même ou un proche : écoute 24 h/24, gratuite et confidentielle."
            ),
        ),
        EmergencyNumber(
            pdsa,
            pdsa.replace(" ", ""),
            _("Médecin de garde"),
            _(
                "Le soir après 20 h, le week-end et les jours fériés, quand votre cabinet est fermé."
            ),
        ),
    ]
