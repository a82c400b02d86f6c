from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from maillage.accounts.models import Role, User
from maillage.accounts.specialties import Specialty
from maillage.accounts.tests.factories import ProfessionalFactory
from maillage.core.models import Commune
from maillage.directory import services as directory
from maillage.directory.models import Practice
from maillage.profiles import services

# (INSEE, name, postcode, latitude, longitude)
TOWNS = {
    "nancy": ("54395", "Nancy", "54000", "48.69210", "6.18440"),
    "luneville": ("54329", "Lunéville", "54300", "48.58940", "6.49670"),
    "metz": ("57463", "Metz", "57000", "49.11930", "6.17570"),
}


@pytest.fixture
def towns(db: None) -> dict[str, Commune]:
    return {
        key: Commune.objects.create(
            insee_code=insee,
            name=name,
            postcode=postcode,
            department=insee[:2],
            latitude=Decimal(lat),
            longitude=Decimal(lon),
        )
        for key, (insee, name, postcode, lat, lon) in TOWNS.items()
    }


CLEAN = "Cardiologue à Nancy. Échocardiographie, suivi de l'insuffisance cardiaque."


@pytest.fixture
def make_doctor(towns: dict[str, Commune]) -> Callable[..., User]:
    def make(
        town: str = "nancy",
        specialty: str = Specialty.CARDIOLOGY,
        last_name: str = "Durand",
        publish: bool = True,
        presentation: str = CLEAN,
        **draft: object,
    ) -> User:
        commune = towns[town]
        practice = Practice.objects.create(
            name=f"Cabinet de {commune.name}",
            kind=Practice.Kind.CABINET,
            address="1 rue de la Gare",
            postcode=commune.postcode,
            commune=commune,
            latitude=commune.latitude,
            longitude=commune.longitude,
            phone="03 83 00 00 00",
        )
        doctor = ProfessionalFactory(
            role=Role.GP if specialty == Specialty.GENERAL_PRACTICE else Role.SPECIALIST,
            specialty=specialty,
            last_name=last_name,
        )
        directory.add_practice_member(actor=None, practice=practice, user=doctor)
        if publish:
            values: dict[str, object] = {
                "presentation": presentation,
                "languages": ["fr"],
                "practice": practice,
                "accepts_new_patients": True,
                "accepts_treating": False,
                "fees": "Consultation au tarif conventionnel.",
                **draft,
            }
            version = services.save_version(actor=doctor, draft=services.ProfileDraft(**values))  # type: ignore[arg-type]
            services.publish(actor=doctor, version=version, consent=True, justification="test")
        return doctor

    return make
