"""Failed pages are counted hour by hour and shown to the operator; the count never fails."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import path
from django.utils import timezone

from maillage.accounts.models import User
from maillage.core.errors import page_errors_last_24h


@login_not_required
def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [path("casse/", broken)]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_each_failed_page_is_counted_for_a_day() -> None:
    client = Client(raise_request_exception=False)
    for _ in range(3):
        assert client.get("/casse/").status_code == 500
    assert page_errors_last_24h() == 3
    assert page_errors_last_24h(timezone.now() + timedelta(hours=25)) == 0


@pytest.mark.django_db
def test_the_operator_sees_the_count(client: Client, operator: User) -> None:
    from django.core.cache import cache

    from maillage.core.errors import _key

    cache.set(_key(timezone.now()), 4)
    client.force_login(operator)
    page = client.get("/exploitation/etat/").content.decode()
    assert 'id="page-errors">4<' in page


def test_counting_survives_a_broken_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.cache import cache

    from maillage.core.errors import note_page_error

    def boom(*args: object, **kwargs: object) -> None:
        raise ConnectionError("redis down")

    monkeypatch.setattr(cache, "add", boom)
    note_page_error()  # no exception
