from __future__ import annotations

import re
from datetime import UTC, datetime
from io import StringIO

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, validate_totp_code
from django.core.management import CommandError, call_command
from django.test import override_settings

from maillage.operations.demo import DEMO_TOTP_SECRET

# 20 seconds into a 30-second TOTP period.
MOMENT = datetime.fromtimestamp(1_800_000_000 + 20, tz=UTC)


def _printed_code() -> tuple[str, int]:
    out = StringIO()
    call_command("demo_totp", stdout=out)
    match = re.fullmatch(r"(\d{6})  \(valable encore (\d+) s\)\n", out.getvalue())
    assert match, out.getvalue()
    return match[1], int(match[2])


def test_demo_totp_prints_the_current_code_and_how_long_it_lasts() -> None:
    with time_machine.travel(MOMENT, tick=False):
        code, remaining = _printed_code()
        assert validate_totp_code(DEMO_TOTP_SECRET, code)
    assert remaining == 10


def test_the_code_is_no_longer_valid_two_periods_later() -> None:
    with time_machine.travel(MOMENT, tick=False):
        code, _ = _printed_code()
    with time_machine.travel(MOMENT.timestamp() + 90, tick=False):
        assert not validate_totp_code(DEMO_TOTP_SECRET, code)


@pytest.mark.django_db
def test_the_printed_code_opens_a_seeded_professionals_second_factor() -> None:
    call_command("seed_demo", stdout=StringIO())
    authenticator = Authenticator.objects.get(
        user__email="claire.thiebaut@demo.maillage.test", type=Authenticator.Type.TOTP
    )
    with time_machine.travel(MOMENT, tick=False):
        code, _ = _printed_code()
        assert TOTP(authenticator).validate_code(code)


@override_settings(MAILLAGE_EMBEDDED=False)
def test_demo_totp_refuses_outside_the_embedded_mode() -> None:
    with pytest.raises(CommandError, match="demo only"):
        call_command("demo_totp", stdout=StringIO())
