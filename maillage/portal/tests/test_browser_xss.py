"""Stored XSS, proven in Chromium: payloads kept in every text field shown to someone else
(request and answer, patient names, case and comment, community post, reply and pseudonym,
profile presentation, search queries) are shown as text on the pages that display them. No
dialog opens, no console error, and no element or attribute of the payloads reaches the DOM.

test_injection_sweep checks the HTML the server sends; this checks what the browser builds from
it, Markdown renderers and htmx swaps included. The DOM check does not rely on the
Content-Security-Policy: it would also catch a payload that the policy stops from running.
"""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Dialog

from maillage.accounts.models import User
from maillage.accounts.specialties import Specialty
from maillage.cases import services as cases
from maillage.communities import services as communities
from maillage.communities.models import Community, Member
from maillage.consultations import services as consultations
from maillage.directory.models import Practice
from maillage.operations.demo import build_demo_territory
from maillage.profiles import services as profiles
from maillage.testing.browser import BrowserSession

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
SVG = "<svg onload=alert(1)>"
LINK = "[lien](javascript:alert(1))"
ALL = f"Bonjour {SCRIPT} {IMG} {SVG} {LINK} merci"
# Whatever the payloads could have become in the DOM. Our own scripts are files (CSP); data
# for them, and a profile's schema.org description, travel in JSON script elements, which never
# run (their escaping is checked by profiles' own tests).
INJECTED = (
    "script:not([src]):not([type='application/json']):not([type='application/ld+json']), "
    "img[src='x'], svg[onload], "
    "[onerror], [onload], a[href^='javascript:' i], iframe, object, embed"
)


def _check(session: BrowserSession, path: str, shown: list[str], dialogs: list[str]) -> None:
    session.goto(path)
    page = session.page
    page.wait_for_load_state("networkidle")
    text = page.locator("main").inner_text()
    missing = [payload for payload in shown if payload not in text]
    assert missing == [], f"{path}: payload not shown as text: {missing}"
    injected: list[str] = page.eval_on_selector_all(
        INJECTED, "nodes => nodes.map(node => node.outerHTML.slice(0, 120))"
    )
    assert injected == [], f"{path}: payload became markup"
    assert dialogs == [], f"{path}: a dialog opened"


def test_stored_payloads_are_shown_as_text_and_never_run(
    browser_session: BrowserSession,
) -> None:
    # given the demo territory, with payloads in everything people write for others to read
    logins = {login.role: login.email for login in build_demo_territory()}
    patient = User.objects.get(email=logins["Patient"])
    gp = User.objects.get(email=logins["Médecin généraliste"])
    cardiologist = User.objects.get(email=logins["Cardiologue"])
    other_gp = User.objects.get(email=logins["Médecin généraliste (outsider)"])
    # names are checked by the sign-up form, not by the model: a payload stands for whatever
    # an import or the admin could store.
    User.objects.filter(pk=patient.pk).update(first_name=SCRIPT, last_name=IMG)
    patient.refresh_from_db()
    request = consultations.submit_request(
        actor=patient,
        patient=patient,
        practice=Practice.objects.get(name__contains="Lamarche"),
        route="renewal",
        subject=f"Objet {SCRIPT}",
        message=ALL,
        idempotency_key=uuid.uuid4(),
    )
    consultations.answer_request(actor=gp, request=request, body=ALL, ask_for_more=True)
    case = cases.start_case(
        actor=gp,
        title=f"Titre {SCRIPT}",
        question=f"Question {IMG}",
        body=ALL,
        specialties=[Specialty.CARDIOLOGY],
        poll_question="",
        poll_options=[],
        images=[],
        idempotency_key=uuid.uuid4(),
    )
    case = cases.publish_case(
        actor=gp, case=case, title=case.title, question=case.question, body=case.body
    )
    cases.add_comment(actor=cardiologist, case=case, body=ALL)
    community = Community.objects.get(slug="diabete")
    communities.join(actor=patient, community=community, pseudonym="Testeuse_xss")
    # The pseudonym rule (letters, digits, - and _) is checked by the service; the page must be
    # safe without it.
    Member.objects.filter(user=patient).update(pseudonym=SVG)
    thread = communities.start_thread(
        actor=patient,
        community=community,
        title=f"Fil {SCRIPT}",
        body=ALL,
        idempotency_key=uuid.uuid4(),
        personal_data=communities.KEEP,
    ).post.thread
    communities.join(actor=other_gp, community=community, pseudonym="Autre_membre")
    communities.reply(
        actor=other_gp,
        thread=thread,
        body=f"Réponse {IMG} {LINK}",
        idempotency_key=uuid.uuid4(),
        personal_data=communities.KEEP,
    )
    version = profiles.save_version(
        actor=cardiologist,
        draft=profiles.ProfileDraft(
            presentation=ALL,
            languages=["fr"],
            practice=Practice.objects.get(name__contains="Commercy"),
            accepts_new_patients=True,
            accepts_treating=False,
            fees=f"Tarif {SVG}",
        ),
    )
    profile = profiles.publish(actor=cardiologist, version=version, consent=True, justification="x")
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    browser_session.page.on("dialog", on_dialog)
    # when each reader opens the pages that show them; then they read the payloads as text
    browser_session.login_as(gp)
    _check(browser_session, "/cabinet/demandes/", [f"Objet {SCRIPT}"], dialogs)
    _check(
        browser_session,
        f"/cabinet/demandes/{request.public_id}/",
        [SCRIPT, IMG, SVG, LINK],
        dialogs,
    )
    browser_session.login_as(patient)
    _check(browser_session, f"/demandes/{request.public_id}/", [SCRIPT, IMG, SVG], dialogs)
    _check(browser_session, "/notifications/", [], dialogs)
    _check(browser_session, "/", [], dialogs)
    browser_session.login_as(cardiologist)
    _check(browser_session, "/cas/", [f"Titre {SCRIPT}"], dialogs)
    _check(browser_session, f"/cas/{case.public_id}/", [SCRIPT, IMG, SVG, LINK], dialogs)
    browser_session.login_as(other_gp)
    _check(browser_session, f"/communautes/{community.slug}/", [f"Fil {SCRIPT}", SVG], dialogs)
    _check(browser_session, f"/communautes/fil/{thread.public_id}/", [SCRIPT, IMG, SVG], dialogs)
    for search in ("/sante/", "/medecins/", "/communautes/"):
        _check(browser_session, f"{search}?{urlencode({'q': ALL})}", [], dialogs)
    browser_session.page.context.clear_cookies()
    _check(browser_session, f"/medecins/{profile.slug}/", [SCRIPT, IMG, SVG, LINK], dialogs)
    _check(browser_session, f"/sante/?{urlencode({'q': ALL})}", [], dialogs)
