"""Real Chromium on a page served from the public cache: it has no CSRF token, and its only
POST, the language switch, still works (the switch checks the Origin Chromium sends)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from maillage.health_info.tests.factories import published_article
from maillage.testing.browser import BrowserSession

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_switches_language_on_a_page_served_from_the_cache(
    browser_session: BrowserSession,
) -> None:
    published_article(slug="fievre", title="Fièvre de l'adulte")
    page = browser_session.page
    url = f"{browser_session.base_url}/sante/fievre/"
    # given the article rendered once for the cache, then served from it
    page.goto(url)
    response = page.goto(url)
    assert response is not None
    assert "public" in response.headers["cache-control"]
    assert "X-CSRFToken" not in page.content()
    assert page.locator("input[name=csrfmiddlewaretoken]").count() == 0
    # when the visitor switches to English
    page.get_by_role("button", name="English").click()
    # then the same page speaks English (not the French one a browser cache could keep)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(url)
    expect(page.get_by_role("complementary", name="Emergency?")).to_be_visible()
    # and back
    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("complementary", name="Urgence ?")).to_be_visible()
