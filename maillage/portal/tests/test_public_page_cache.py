"""Public pages served whole from the cache to anonymous visitors (maillage.core.public_cache)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from maillage.accounts.models import User
from maillage.accounts.tests.factories import PatientFactory
from maillage.core.public_cache import cache_public_page
from maillage.health_info import services as articles
from maillage.health_info.tests.factories import article_content, editor, published_article
from maillage.profiles import services as profiles
from maillage.profiles.models import DoctorProfile
from maillage.profiles.tests.conftest import make_doctor, towns  # noqa: F401  # fixtures

pytestmark = pytest.mark.django_db

SIGNED_IN_MARK = "Se déconnecter"  # the header's logout button, only when signed in


@pytest.fixture
def public_urls(make_doctor: Callable[..., User]) -> list[str]:  # noqa: F811
    version = published_article(slug="fievre", title="Fièvre de l'adulte")
    doctor = make_doctor()
    profile = DoctorProfile.objects.get(doctor=doctor)
    return [
        "/sante/?q=fi%C3%A8vre",
        reverse("health_info:article", args=[version.article.slug]),
        f"{reverse('profiles:directory')}?specialite={profile.doctor.professional.specialty}&commune=Nancy",
        reverse("profiles:profile", args=[profile.slug]),
    ]


def test_a_visitor_s_second_visit_is_served_from_the_cache_without_a_query(
    public_urls: list[str], django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    for url in public_urls:
        visitor = Client()
        first = visitor.get(url)
        assert first.status_code == 200, url
        with django_assert_num_queries(0):
            second = Client().get(url)
        assert second.status_code == 200
        assert second.content == first.content
        assert "public" in second["Cache-Control"]
        assert f"max-age={settings.PUBLIC_PAGE_CACHE_SECONDS}" in second["Cache-Control"]
        assert "Cookie" in second["Vary"]


def test_a_cached_page_carries_no_token_no_cookie_and_no_session(
    public_urls: list[str],
) -> None:
    for url in public_urls:
        for response in (Client().get(url), Client().get(url)):  # rendered, then cached
            page = response.content.decode()
            assert "csrfmiddlewaretoken" not in page, url
            assert "X-CSRFToken" not in page, url
            assert not response.cookies, url
            assert SIGNED_IN_MARK not in page
            # The emergency numbers stay on every visitor's page.
            assert 'href="tel:15"' in page, url


def test_a_signed_in_user_never_gets_the_cached_anonymous_page(public_urls: list[str]) -> None:
    patient = Client()
    patient.force_login(PatientFactory())
    for url in public_urls:
        Client().get(url)  # an anonymous visit fills the cache

        response = patient.get(url)

        page = response.content.decode()
        assert SIGNED_IN_MARK in page, url
        assert "X-CSRFToken" in page  # their htmx POSTs still carry the token
        assert "private" in response["Cache-Control"]
        assert "public" not in response["Cache-Control"]


def test_a_signed_in_page_is_never_served_to_a_visitor(public_urls: list[str]) -> None:
    patient = Client()
    patient.force_login(PatientFactory())
    for url in public_urls:
        assert SIGNED_IN_MARK in patient.get(url).content.decode()  # nothing stored

        page = Client().get(url).content.decode()

        assert SIGNED_IN_MARK not in page, url
        assert "X-CSRFToken" not in page


def test_a_visitor_with_a_message_pending_sees_it(public_urls: list[str]) -> None:
    url = public_urls[1]
    Client().get(url)  # cached without any message
    visitor = Client()
    request = RequestFactory().get("/")
    storage = CookieStorage(request)
    response = HttpResponse()
    storage.add(constants.SUCCESS, "Votre message a bien été envoyé.")
    storage.update(response)
    visitor.cookies[CookieStorage.cookie_name] = response.cookies[CookieStorage.cookie_name].value

    page = visitor.get(url).content.decode()

    assert "Votre message a bien été envoyé." in page
    assert "Votre message a bien été envoyé." not in Client().get(url).content.decode()


def test_each_language_has_its_own_page(public_urls: list[str]) -> None:
    url = public_urls[3]
    french = Client().get(url).content.decode()
    english_visitor = Client()
    english_visitor.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    english = english_visitor.get(url).content.decode()

    assert '<html lang="fr">' in french
    assert '<html lang="en">' in english
    assert '<html lang="en">' in Client(headers={"Accept-Language": "en"}).get(url).content.decode()
    assert '<html lang="fr">' in Client().get(url).content.decode()


def test_an_edited_article_shows_at_once() -> None:
    author = editor()
    version = published_article(author=author, slug="rhume", title="Le rhume")
    url = reverse("health_info:article", args=["rhume"])
    assert "Le rhume" in Client().get(url).content.decode()
    assert "Le rhume" in Client().get(url).content.decode()  # from the cache

    draft = articles.start_new_version(actor=author, article=version.article)
    draft = articles.update_draft(
        actor=author, version=draft, content=article_content(title="Le rhume de l'adulte")
    )
    articles.submit_for_review(actor=author, version=draft)
    articles.approve_and_publish(actor=editor(), version=draft)

    page = Client().get(url).content.decode()
    assert "Le rhume de l&#x27;adulte" in page


def test_an_edited_profile_shows_at_once(make_doctor: Callable[..., User]) -> None:  # noqa: F811
    doctor = make_doctor()
    profile = DoctorProfile.objects.get(doctor=doctor)
    url = reverse("profiles:profile", args=[profile.slug])
    assert "Échocardiographie" in Client().get(url).content.decode()
    assert "Échocardiographie" in Client().get(url).content.decode()  # from the cache
    version = profile.published_version
    assert version is not None

    draft = profiles.ProfileDraft(
        presentation="Cardiologue à Nancy. Holter et épreuves d'effort.",
        languages=["fr"],
        practice=version.practice,
        accepts_new_patients=False,
        accepts_treating=False,
        fees="Consultation au tarif conventionnel.",
    )
    new = profiles.save_version(actor=doctor, draft=draft)
    profiles.publish(actor=doctor, version=new, consent=True, justification="test")

    page = Client().get(url).content.decode()
    assert "Holter" in page
    assert "Échocardiographie" not in page


def test_a_page_that_rendered_a_csrf_token_is_never_stored() -> None:
    # Should a public page one day render a token, the cache refuses it rather than share it.
    rendered: list[int] = []

    @cache_public_page
    def page_with_a_form(request: HttpRequest) -> HttpResponse:
        rendered.append(1)
        return HttpResponse(f"<form>{get_token(request)}</form>")

    factory = RequestFactory()
    for _ in range(2):
        request = factory.get("/formulaire/")
        request.user = AnonymousUser()
        response = page_with_a_form(request)
        assert "public" not in response.get("Cache-Control", "")

    assert len(rendered) == 2


def test_the_public_pages_have_no_post_form_but_the_language_switch(
    public_urls: list[str],
) -> None:
    # A POST form there would have no token (none is rendered for the cache): only the
    # language switch, which checks the Origin of a visitor, may stand on these pages.
    for url in public_urls:
        page = Client().get(url).content.decode()
        assert page.count('method="post"') == 1, url
        assert 'action="/i18n/langue/"' in page
        assert "hx-post" not in page
