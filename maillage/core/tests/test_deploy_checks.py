from __future__ import annotations

from django.test import override_settings

from maillage.core.checks import health_data_host_declared


@override_settings(MAILLAGE_EMBEDDED=False, HDS_HOSTING_DECLARATION="")
def test_a_deployment_without_a_declared_health_data_host_is_warned() -> None:
    messages = health_data_host_declared(None)

    assert [message.id for message in messages] == ["maillage.W001"]


@override_settings(
    MAILLAGE_EMBEDDED=False, HDS_HOSTING_DECLARATION="Hébergeur HDS, certificat 2026-001"
)
def test_a_declared_host_passes() -> None:
    assert health_data_host_declared(None) == []


@override_settings(MAILLAGE_EMBEDDED=True, HDS_HOSTING_DECLARATION="")
def test_the_laptop_demo_is_not_asked_for_one() -> None:
    assert health_data_host_declared(None) == []
