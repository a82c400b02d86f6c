"""The admin is for the team's accounts and practices, and every change it makes is audited."""

from __future__ import annotations

import pytest
from django.test import Client

from maillage.accounts.models import Professional, Role, User
from maillage.accounts.tests.factories import PatientFactory, ProfessionalFactory, StaffFactory
from maillage.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_changing_a_role_in_the_admin_is_audited_with_the_field_names(
    client: Client, operator: User
) -> None:
    # given an operator in the admin and a staff member
    member = StaffFactory.create(role=Role.STAFF)
    client.force_login(operator)
    url = f"/admin/accounts/user/{member.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    # when the operator makes them a coordinator
    data = {
        "email": member.email,
        "first_name": member.first_name,
        "last_name": "Nouveau-Nom",
        "phone": "",
        "language": "fr",
        "role": Role.COORDINATOR,
        "is_active": "on",
        "role_assignments-TOTAL_FORMS": "0",
        "role_assignments-INITIAL_FORMS": "0",
        "professional-TOTAL_FORMS": "0",
        "professional-INITIAL_FORMS": "0",
    }
    response = client.post(url, data)
    # then the change is made and recorded, with field names but not values
    assert response.status_code == 302, response.content.decode()[:2000]
    member.refresh_from_db()
    assert member.role == Role.COORDINATOR
    event = AuditEvent.objects.get(action="admin.user_changed")
    assert event.actor == operator
    assert event.target_id == str(member.public_id)
    assert event.details == {"fields": "last_name,role"}
    assert "Nouveau-Nom" not in str(event.details)


def test_patients_are_not_listed_in_the_admin(client: Client, operator: User) -> None:
    patient = PatientFactory(last_name="Invisible")
    client.force_login(operator)

    listing = client.get("/admin/accounts/user/").content.decode()

    assert "Invisible" not in listing
    assert client.get(f"/admin/accounts/user/{patient.pk}/change/").status_code == 302


def test_verifying_an_rpps_is_an_audited_action(client: Client, operator: User) -> None:
    doctor = ProfessionalFactory(role=Role.GP, verified=False)
    client.force_login(operator)

    client.post(
        "/admin/accounts/user/",
        {"action": "verify_rpps", "_selected_action": [str(doctor.pk)]},
    )

    professional = Professional.objects.get(user=doctor)
    assert professional.verification == Professional.Verification.OPERATOR
    assert AuditEvent.objects.filter(
        action="accounts.professional_verified", actor=operator, target_id=str(doctor.public_id)
    ).exists()
