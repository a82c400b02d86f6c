"""Every page of the shell, as each role, passes axe-core's WCAG 2.1 AA rules in Chromium and
fits a 360-px-wide phone without horizontal scrolling."""

from __future__ import annotations

import pytest

from maillage.accounts.models import Role, User
from maillage.accounts.tests.factories import OperatorFactory, StaffFactory
from maillage.testing.browser import BrowserSession

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = [
    "/",
    "/urgences/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
]


def check_page(session: BrowserSession, path: str) -> None:
    session.page.set_viewport_size({"width": 360, "height": 740})
    session.goto(path)
    assert session.page.locator("main").count() == 1, f"{path}: no <main> landmark"
    assert session.accessibility_violations() == [], path
    assert session.horizontal_overflow() <= 0, f"{path} is wider than a 360-px screen"


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_is_accessible(browser_session: BrowserSession, path: str) -> None:
    check_page(browser_session, path)


def test_patient_pages_are_accessible(browser_session: BrowserSession, patient: User) -> None:
    browser_session.login_as(patient)
    for path in ["/", "/compte/", "/notifications/", "/urgences/", "/annuaire/medecin-traitant/"]:
        check_page(browser_session, path)


def test_gp_pages_are_accessible(browser_session: BrowserSession, treating_clinician: User) -> None:
    browser_session.login_as(treating_clinician)
    for path in ["/", "/compte/", "/notifications/", "/accounts/2fa/"]:
        check_page(browser_session, path)


@pytest.mark.parametrize("role", [Role.STAFF, Role.MODERATOR, Role.EDITOR, Role.COORDINATOR])
def test_team_home_is_accessible(browser_session: BrowserSession, role: Role) -> None:
    browser_session.login_as(StaffFactory.create(role=role))
    check_page(browser_session, "/")


def test_operator_pages_are_accessible(browser_session: BrowserSession) -> None:
    browser_session.login_as(OperatorFactory.create())
    for path in ["/", "/exploitation/audit/", "/exploitation/etat/"]:
        check_page(browser_session, path)


def test_the_checker_catches_a_real_violation(browser_session: BrowserSession) -> None:
    # The checks above are only worth something if axe really runs on the page.
    browser_session.goto("/")
    browser_session.page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', '<input type=text>')"
    )
    violations = browser_session.accessibility_violations()
    assert any(violation.startswith("label") for violation in violations), violations


def test_the_carer_invitation_pages_are_accessible(
    browser_session: BrowserSession, patient: User
) -> None:
    from maillage.accounts.services import invite_carer
    from maillage.accounts.tests.factories import PatientFactory

    inviter = PatientFactory(first_name="Gérard")
    invitation = invite_carer(actor=inviter, email=patient.email, consent_statement="J'autorise.")
    invite_carer(actor=patient, email="aidant@example.test", consent_statement="J'autorise.")
    browser_session.login_as(patient)
    for path in ["/compte/", f"/compte/invitations/{invitation.public_id}/"]:
        check_page(browser_session, path)
