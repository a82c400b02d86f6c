from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from maillage.core.middleware import (
    RequestIdLogFilter,
    RequestIdMiddleware,
    client_ip,
    current_client_ip,
    current_request_id,
)

HEX_ID = re.compile(r"[0-9a-f]{32}")


def _middleware(seen: dict[str, object]) -> RequestIdMiddleware:
    def view(request: HttpRequest) -> HttpResponse:
        seen["request_id"] = current_request_id()
        seen["client_ip"] = current_client_ip()
        return HttpResponse("ok")

    return RequestIdMiddleware(view)


@pytest.mark.django_db
def test_every_response_carries_a_fresh_request_id(client: Client) -> None:
    first = client.get(reverse("portal:home"))
    second = client.get(reverse("portal:home"))
    assert HEX_ID.fullmatch(first["X-Request-ID"])
    assert HEX_ID.fullmatch(second["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]


@pytest.mark.django_db
def test_a_well_formed_upstream_id_is_kept(client: Client) -> None:
    response = client.get(reverse("portal:home"), HTTP_X_REQUEST_ID="proxy-req.0042_abc")
    assert response["X-Request-ID"] == "proxy-req.0042_abc"


@pytest.mark.parametrize(
    "upstream",
    [
        "short",
        "x" * 65,
        "with space inside",
        "semi;colon;value",
        "<script>alert(1)</script>",
        "abcdefgh12\n",
        "abcdefgh12\nforged log line",
    ],
)
def test_a_malformed_upstream_id_is_replaced(upstream: str) -> None:
    seen: dict[str, object] = {}
    request = RequestFactory().get("/", HTTP_X_REQUEST_ID=upstream)

    response = _middleware(seen)(request)

    assert HEX_ID.fullmatch(response["X-Request-ID"])
    assert seen["request_id"] == response["X-Request-ID"]


def test_the_request_id_and_client_ip_are_visible_during_the_request_only() -> None:
    seen: dict[str, object] = {}
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7")

    response = _middleware(seen)(request)

    assert seen == {"request_id": response["X-Request-ID"], "client_ip": "203.0.113.7"}
    assert current_request_id() == "-"
    assert current_client_ip() is None


def test_log_records_carry_the_request_id() -> None:
    records: list[logging.LogRecord] = []

    def view(request: HttpRequest) -> HttpResponse:
        record = logging.LogRecord("maillage", logging.INFO, __file__, 1, "hello", None, None)
        RequestIdLogFilter().filter(record)
        records.append(record)
        return HttpResponse()

    response = RequestIdMiddleware(view)(RequestFactory().get("/"))
    outside = logging.LogRecord("maillage", logging.INFO, __file__, 1, "hello", None, None)
    RequestIdLogFilter().filter(outside)

    assert records[0].__dict__["request_id"] == response["X-Request-ID"]
    assert outside.__dict__["request_id"] == "-"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "127.0.0.1"),  # no trusted proxy: the header is the client's word
        (1, "198.51.100.7, 203.0.113.9", "203.0.113.9"),  # what our proxy saw
        (2, "198.51.100.7, 203.0.113.9", "198.51.100.7"),
        (1, "not-an-address", "127.0.0.1"),
        (2, "203.0.113.9", "127.0.0.1"),  # fewer hops than proxies: fall back
    ],
)
def test_client_ip_trusts_only_our_own_proxies(
    rf: RequestFactory, settings: Any, proxies: int, forwarded: str, expected: str
) -> None:
    settings.AXES_IPWARE_PROXY_COUNT = proxies
    request = rf.get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="127.0.0.1")
    assert client_ip(request) == expected
