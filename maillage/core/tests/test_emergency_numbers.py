from __future__ import annotations

from django.test import override_settings

from maillage.core.emergency import emergency_numbers


def test_the_national_emergency_numbers_are_listed_in_order() -> None:
    numbers = emergency_numbers()
    assert [entry.number for entry in numbers] == ["15", "112", "114", "3114", "116 117"]


def test_114_is_reached_by_text_message_and_the_others_by_phone() -> None:
    schemes = {entry.number: entry.scheme for entry in emergency_numbers()}
    assert schemes.pop("114") == "sms"
    assert set(schemes.values()) == {"tel"}


def test_the_duty_doctor_number_is_dialled_without_spaces() -> None:
    duty = emergency_numbers()[-1]
    assert duty.number == "116 117"
    assert duty.dial == "116117"


@override_settings(PDSA_NUMBER="03 83 32 00 00")
def test_the_duty_doctor_number_is_a_deployment_setting() -> None:
    duty = emergency_numbers()[-1]
    assert duty.number == "03 83 32 00 00"
    assert duty.dial == "0383320000"


def test_every_number_says_when_to_call_it() -> None:
    for entry in emergency_numbers():
        assert str(entry.label)
        assert str(entry.when)
