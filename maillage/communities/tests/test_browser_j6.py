"""Journey J6 in Chromium: a patient joins and posts a phone number (warned, removes it);
another writes suicidal thoughts (3114 shown, the moderator alerted live); a third reports a
post and the moderator hides it; a doctor answers with the badge."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from maillage.accounts.models import Role, User
from maillage.accounts.tests.factories import PatientFactory, ProfessionalFactory, StaffFactory
from maillage.communities import services
from maillage.communities.models import Community, Post, Thread
from maillage.deid.text import scrub
from maillage.testing.browser import BrowserSession

pytestmark = pytest.mark.browser


def _member(community: Community, pseudonym: str, user: User | None = None) -> User:
    person = user or PatientFactory()
    services.join(actor=person, community=community, pseudonym=pseudonym)
    return person


def test_j6_warned_then_cleaned_crisis_report_hide_and_badge(
    browser_session: BrowserSession, second_browser_session: BrowserSession
) -> None:
    community = Community.objects.create(
        slug="diabete",
        name="Vivre avec un diabète",
        kind=Community.Kind.CONDITION,
        description="Entraide entre personnes diabétiques.",
        rules="Pas de conseil de dose.",
    )
    first = PatientFactory(first_name="Hélène", last_name="Marchal")
    second = _member(community, "Marmotte")
    third = _member(community, "Bouleau")
    doctor = _member(community, "DrSoleil", ProfessionalFactory())
    moderator = StaffFactory.create(role=Role.MODERATOR)
    scrub("Échauffement du moteur d'anonymisation.")  # load spaCy before the first POST
    page = browser_session.page

    # the moderator is at her desk, the live counter open
    desk = second_browser_session
    desk.login_as(moderator)
    desk.goto("/communautes/moderation/")
    expect(desk.page.locator("body")).to_have_attribute("data-notifications-live", "1")

    # a patient joins under a pseudonym and posts her phone number: warned, she removes it
    browser_session.login_as(first)
    browser_session.goto("/communautes/diabete/")
    assert browser_session.accessibility_violations() == []
    page.get_by_label("Votre pseudonyme").fill("Colibri")
    page.get_by_role("button", name="Rejoindre la communauté").click()
    page.get_by_role("link", name="Lancer une discussion").click()
    page.get_by_label("Titre de la discussion").fill("Capteur qui se décolle")
    page.get_by_label("Votre message").fill(
        "Mon capteur se décolle au bout d'une semaine. Appelez-moi au 06 12 34 56 78."
    )
    page.get_by_role("button", name="Publier", exact=True).click(timeout=60_000)
    expect(page.locator("#personal-warning")).to_contain_text("un numéro de téléphone")
    assert browser_session.accessibility_violations() == []
    assert not Thread.objects.exists()
    page.get_by_role("button", name="Les retirer pour moi et publier").click()
    page.wait_for_url("**/communautes/fil/*/")
    expect(page.locator(".comment-body").first).to_contain_text("[TÉLÉPHONE]")
    thread = Thread.objects.get()
    assert "06 12" not in thread.posts.get().body
    assert browser_session.accessibility_violations() == []

    # another member writes suicidal thoughts: 3114 at once, the moderator alerted live
    browser_session.login_as(second)
    browser_session.goto(f"/communautes/fil/{thread.public_id}/")
    page.get_by_label("Votre message").fill("Je n'en peux plus, j'ai envie de mourir.")
    page.get_by_role("button", name="Publier", exact=True).click()
    expect(page.locator("#crisis")).to_contain_text("3114")
    expect(page.get_by_role("link", name="Appeler le 3114")).to_have_attribute("href", "tel:3114")
    expect(desk.page.locator("#notif-count")).to_have_text("1")

    # a third reports the first post; the moderator hides it with a visible note
    browser_session.login_as(third)
    browser_session.goto(f"/communautes/fil/{thread.public_id}/")
    page.get_by_role("link", name="Signaler").first.click()
    page.get_by_label("données personnelles").check()
    page.get_by_role("button", name="Signaler").click()
    expect(page.locator("body")).to_contain_text("la modération va examiner ce message")
    reported = Post.objects.filter(reports__isnull=False).get()
    desk.goto("/communautes/moderation/")
    assert desk.accessibility_violations() == []
    card = desk.page.locator(f"#q-{reported.public_id}")
    card.get_by_label("Note visible sous le message").fill("Masqué : il révélait un numéro.")
    card.get_by_role("button", name="Masquer").click()
    expect(desk.page.locator(f"#q-{reported.public_id}")).to_have_count(0)
    reported.refresh_from_db()
    assert reported.status == Post.Status.HIDDEN

    # a doctor answers: the badge shows
    browser_session.login_as(doctor)
    browser_session.goto(f"/communautes/fil/{thread.public_id}/")
    expect(page.locator("body")).to_contain_text("Message masqué par la modération.")
    page.get_by_label("Votre message").fill("Un film protecteur posé avant le capteur aide.")
    page.get_by_role("button", name="Publier", exact=True).click()
    expect(page.locator("li.card", has_text="Un film protecteur")).to_contain_text(
        "vérifié par un professionnel de santé"
    )
    assert browser_session.accessibility_violations() == []
