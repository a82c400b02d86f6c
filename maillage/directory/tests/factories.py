from __future__ import annotations

from decimal import Decimal

import factory

from maillage.core.models import Commune
from maillage.directory.models import Practice


class CommuneFactory(factory.django.DjangoModelFactory[Commune]):
    class Meta:
        model = Commune
        django_get_or_create = ("insee_code",)

    insee_code = factory.Sequence(lambda n: f"88{n:03d}")
    name = factory.Sequence(lambda n: f"Commune {n}")
    postcode = "88300"
    department = "88"
    latitude = Decimal("48.35560")
    longitude = Decimal("5.69610")


class PracticeFactory(factory.django.DjangoModelFactory[Practice]):
    class Meta:
        model = Practice

    name = factory.Sequence(lambda n: f"Maison de santé {n}")
    kind = Practice.Kind.MSP
    address = "1 rue de l'Église"
    postcode = "88300"
    commune = factory.SubFactory(CommuneFactory)
    latitude = Decimal("48.35560")
    longitude = Decimal("5.69610")
