"""A parent acts for their minor child until the child's 18th birthday (add_parent_proxy)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from maillage.accounts import services
from maillage.accounts.models import Proxy, Role, User
from maillage.accounts.selectors import can_act_for, list_represented_patients_for
from maillage.accounts.services import ProxyNotAllowed
from maillage.accounts.tests.factories import (
    OperatorFactory,
    PatientFactory,
    ProfessionalFactory,
    StaffFactory,
)
from maillage.audit.models import AuditEvent
from maillage.core.exceptions import NotAllowed
from maillage.directory.models import Practice
from maillage.directory.services import add_practice_member, declare_treating_doctor

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture(autouse=True)
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(datetime(2026, 2, 10, 12, 0, tzinfo=PARIS), tick=False) as clock:
        yield clock


@pytest.fixture
def parent() -> User:
    return PatientFactory(first_name="Camille", birth_date=date(1990, 5, 1))


@pytest.fixture
def operator() -> User:
    return OperatorFactory.create()


@pytest.fixture
def child() -> User:
    return PatientFactory(first_name="Emma", birth_date=date(2019, 6, 15))


def test_parent_proxy_ends_on_the_eighteenth_birthday(
    operator: User, parent: User, child: User
) -> None:
    proxy = services.add_parent_proxy(actor=operator, child=child, parent=parent)

    assert proxy.kind == Proxy.Kind.PARENT
    assert proxy.patient == child
    assert proxy.proxy == parent
    assert proxy.granted_by == operator
    assert proxy.ends_at == datetime(2037, 6, 15, 0, 0, tzinfo=PARIS)


def test_parent_proxy_is_audited_with_the_child_as_patient(
    operator: User, parent: User, child: User
) -> None:
    proxy = services.add_parent_proxy(actor=operator, child=child, parent=parent)

    event = AuditEvent.objects.get(action="accounts.proxy_granted")
    assert event.actor == operator
    assert event.patient == child
    assert event.target_id == str(proxy.public_id)
    assert event.details == {"kind": "parent"}


def test_the_parent_can_act_for_the_child(operator: User, parent: User, child: User) -> None:
    services.add_parent_proxy(actor=operator, child=child, parent=parent)

    assert can_act_for(actor=parent, patient=child)
    assert list(list_represented_patients_for(actor=parent)) == [child]
    assert not can_act_for(actor=child, patient=parent)


def test_the_staff_of_the_childs_doctor_and_operators_may_record_the_parent(
    operator: User, parent: User, child: User, practice: Practice, treating_clinician: User
) -> None:
    # given a child followed at `practice`, whose front desk checks the papers
    declare_treating_doctor(actor=child, patient=child, doctor=treating_clinician)
    front_desk = StaffFactory.create()
    add_practice_member(actor=None, practice=practice, user=front_desk)
    other_child = PatientFactory(birth_date=date(2015, 1, 1))
    # when
    services.add_parent_proxy(actor=front_desk, child=child, parent=parent)
    services.add_parent_proxy(actor=operator, child=other_child, parent=parent)
    # then
    assert Proxy.objects.filter(proxy=parent).count() == 2


def test_staff_of_another_practice_cannot_record_the_parent(
    parent: User, child: User, treating_clinician: User
) -> None:
    declare_treating_doctor(actor=child, patient=child, doctor=treating_clinician)

    with pytest.raises(NotAllowed):
        services.add_parent_proxy(actor=StaffFactory.create(), child=child, parent=parent)


def test_the_parent_cannot_record_themself(parent: User, child: User) -> None:
    with pytest.raises(NotAllowed):
        services.add_parent_proxy(actor=parent, child=child, parent=parent)

    assert not Proxy.objects.exists()


@pytest.mark.parametrize("role", [Role.PATIENT, Role.GP])
def test_someone_else_cannot_record_a_parent(parent: User, child: User, role: str) -> None:
    stranger = PatientFactory() if role == Role.PATIENT else ProfessionalFactory(role=role)

    with pytest.raises(NotAllowed):
        services.add_parent_proxy(actor=stranger, child=child, parent=parent)

    assert not Proxy.objects.exists()
    assert not AuditEvent.objects.filter(action="accounts.proxy_granted").exists()


def test_an_adult_cannot_get_a_parent_proxy(operator: User, parent: User) -> None:
    eighteen_today = PatientFactory(birth_date=date(2008, 2, 10))

    with pytest.raises(ProxyNotAllowed):
        services.add_parent_proxy(actor=operator, child=eighteen_today, parent=parent)

    assert not Proxy.objects.exists()


def test_a_minor_the_day_before_their_eighteenth_birthday_may_get_one(
    operator: User, parent: User
) -> None:
    almost_adult = PatientFactory(birth_date=date(2008, 2, 11))

    proxy = services.add_parent_proxy(actor=operator, child=almost_adult, parent=parent)

    assert proxy.ends_at == datetime(2026, 2, 11, 0, 0, tzinfo=PARIS)


def test_a_person_cannot_be_their_own_parent(operator: User, child: User) -> None:
    with pytest.raises(ProxyNotAllowed):
        services.add_parent_proxy(actor=operator, child=child, parent=child)


def test_a_professional_without_patient_profile_cannot_be_the_child(
    operator: User, parent: User
) -> None:
    doctor = ProfessionalFactory(role=Role.GP)

    with pytest.raises(ProxyNotAllowed):
        services.add_parent_proxy(actor=operator, child=doctor, parent=parent)


def test_recording_the_same_parent_twice_is_refused(
    operator: User, parent: User, child: User
) -> None:
    services.add_parent_proxy(actor=operator, child=child, parent=parent)

    with pytest.raises(ProxyNotAllowed):
        services.add_parent_proxy(actor=operator, child=child, parent=parent)

    assert Proxy.objects.filter(patient=child).count() == 1


def test_the_proxy_stops_at_midnight_on_the_eighteenth_birthday(
    operator: User, parent: User, clock: time_machine.Traveller
) -> None:
    # given
    child = PatientFactory(birth_date=date(2008, 3, 20))
    services.add_parent_proxy(actor=operator, child=child, parent=parent)

    # when / then
    clock.move_to(datetime(2026, 3, 19, 23, 59, tzinfo=PARIS))
    assert can_act_for(actor=parent, patient=child)
    clock.move_to(datetime(2026, 3, 20, 0, 0, tzinfo=PARIS))
    assert not can_act_for(actor=parent, patient=child)
    assert list(list_represented_patients_for(actor=parent)) == []


def test_born_on_29_february_the_proxy_ends_on_1_march_of_a_common_year(
    operator: User, parent: User, clock: time_machine.Traveller
) -> None:
    # given: born in a leap year; the 18th birthday falls in 2026, a common year
    child = PatientFactory(birth_date=date(2008, 2, 29))

    # when
    proxy = services.add_parent_proxy(actor=operator, child=child, parent=parent)

    # then
    assert proxy.ends_at == datetime(2026, 3, 1, 0, 0, tzinfo=PARIS)
    clock.move_to(datetime(2026, 2, 28, 23, 59, tzinfo=PARIS))
    assert can_act_for(actor=parent, patient=child)
    clock.move_to(datetime(2026, 3, 1, 0, 0, tzinfo=PARIS))
    assert not can_act_for(actor=parent, patient=child)


def test_born_on_29_february_still_a_minor_on_28_february_of_the_eighteenth_year(
    operator: User, parent: User, clock: time_machine.Traveller
) -> None:
    child = PatientFactory(birth_date=date(2008, 2, 29))
    clock.move_to(datetime(2026, 2, 28, 12, 0, tzinfo=PARIS))

    proxy = services.add_parent_proxy(actor=operator, child=child, parent=parent)

    assert proxy.ends_at == datetime(2026, 3, 1, 0, 0, tzinfo=PARIS)


def test_born_on_29_february_an_adult_on_1_march(
    operator: User, parent: User, clock: time_machine.Traveller
) -> None:
    child = PatientFactory(birth_date=date(2008, 2, 29))
    clock.move_to(datetime(2026, 3, 1, 0, 30, tzinfo=PARIS))

    with pytest.raises(ProxyNotAllowed):
        services.add_parent_proxy(actor=operator, child=child, parent=parent)


def test_two_parents_may_each_act_for_the_child(operator: User, parent: User, child: User) -> None:
    other_parent = PatientFactory(first_name="Julien")

    services.add_parent_proxy(actor=operator, child=child, parent=parent)
    services.add_parent_proxy(actor=operator, child=child, parent=other_parent)

    assert can_act_for(actor=parent, patient=child)
    assert can_act_for(actor=other_parent, patient=child)


def test_staff_cannot_record_themself_as_the_parent(
    child: User, practice: Practice, treating_clinician: User
) -> None:
    # given a front-desk member of the practice that follows the child
    declare_treating_doctor(actor=child, patient=child, doctor=treating_clinician)
    front_desk = StaffFactory.create()
    add_practice_member(actor=None, practice=practice, user=front_desk)
    # when they name themself the parent
    with pytest.raises(NotAllowed):
        services.add_parent_proxy(actor=front_desk, child=child, parent=front_desk)
    # then nothing is recorded
    assert not Proxy.objects.exists()
