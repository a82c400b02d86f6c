"""J1 in Chromium: a visitor searches the library and reads the article, all accessible."""

from __future__ import annotations

import pytest

from maillage.accounts.models import User
from maillage.health_info.tests.factories import published_article
from maillage.testing.browser import BrowserSession

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_searches_mal_de_gorge_and_reads_the_article(
    browser_session: BrowserSession, author: User, reviewer: User
) -> None:
    # given: a small library
    published_article(
        author=author,
        reviewer=reviewer,
        slug="mal-de-gorge",
        title="Mal de gorge : angine et pharyngite",
        summary="Le plus souvent un virus, qui guérit seul en une semaine.",
        keywords=("angine", "gorge"),
        self_care="- Buvez **souvent** de petites gorgées.\n- Reposez-vous.",
    )
    published_article(author=author, reviewer=reviewer, slug="rhume", title="Rhume")
    page = browser_session.page

    # when: the visitor searches from the library
    browser_session.goto("/sante/")
    assert browser_session.accessibility_violations() == []
    page.get_by_label("Rechercher un article").fill("mal de gorge")
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_url("**/sante/?q=mal+de+gorge")
    assert browser_session.accessibility_violations() == []
    page.get_by_role("link", name="Mal de gorge : angine et pharyngite").click()

    # then: the article, its four sections, its reviewers and sources
    page.wait_for_url("**/sante/mal-de-gorge/")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Mal de gorge : angine et pharyngite"
    )
    for heading in ["Ce que vous pouvez faire vous-même", "Quand appeler le 15 ?", "Sources"]:
        assert page.get_by_role("heading", name=heading, level=2).is_visible()
    assert "RPPS" in page.locator("main").inner_text()
    assert browser_session.accessibility_violations() == []
    assert browser_session.horizontal_overflow() <= 0
