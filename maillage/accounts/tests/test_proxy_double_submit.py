"""Two identical requests at the same moment record one proxy and answer the other cleanly."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from maillage.accounts import services
from maillage.accounts.models import Proxy
from maillage.accounts.services import ProxyNotAllowed
from maillage.accounts.tests.factories import PatientFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_double_submitted_carer_grant_creates_one_proxy() -> None:
    patient = PatientFactory()
    carer = PatientFactory()
    start = threading.Barrier(2)

    def grant() -> str:
        start.wait()
        try:
            services.grant_carer_proxy(actor=patient, carer=carer, consent_statement="J'autorise.")
        except ProxyNotAllowed:
            return "refused"
        finally:
            connection.close()
        return "granted"

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = sorted(pool.map(lambda _: grant(), range(2)))

    assert outcomes == ["granted", "refused"]
    assert Proxy.objects.filter(patient=patient, proxy=carer).count() == 1
