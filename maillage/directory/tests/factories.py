from __future__ import annotations

from decimal import Decimal

from factory.declarations import Sequence, SubFactory
from factory.django import DjangoModelFactory

from maillage.core.models import Commune
from maillage.directory.models import Practice


# factory_boy ships py.typed but leaves its declarations unannotated: each call names the code.
class CommuneFactory(DjangoModelFactory[Commune]):
    class Meta:
        model = Commune
        django_get_or_create = ("insee_code",)

    insee_code = Sequence(lambda n: f"88{n:03d}")  # type: ignore[no-untyped-call]
    name = Sequence(lambda n: f"Commune {n}")  # type: ignore[no-untyped-call]
    postcode = "88300"
    department = "88"
    latitude = Decimal("48.35560")
    longitude = Decimal("5.69610")


class PracticeFactory(DjangoModelFactory[Practice]):
    class Meta:
        model = Practice

    name = Sequence(lambda n: f"Maison de santé {n}")  # type: ignore[no-untyped-call]
    kind = Practice.Kind.MSP
    address = "1 rue de l'Église"
    postcode = "88300"
    commune = SubFactory(CommuneFactory)  # type: ignore[no-untyped-call]
    latitude = Decimal("48.35560")
    longitude = Decimal("5.69610")
