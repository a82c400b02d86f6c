from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from maillage.accounts.models import User
from maillage.health_info.tests.factories import article_in_review, published_article

pytestmark = pytest.mark.django_db
URL = reverse("health_info:library")


def test_a_visitor_sees_every_published_article_from_a_to_z(
    client: Client, author: User, reviewer: User
) -> None:
    for title in ["Rhume", "Eczéma", "Angine", "Écharde", "brûlure"]:
        published_article(author=author, reviewer=reviewer, title=title)
    article_in_review(author=author, title="Zona (en relecture)")

    response = client.get(URL)

    assert response.status_code == 200
    titles = [version.title for version in response.context["articles"]]
    assert titles == ["Angine", "brûlure", "Écharde", "Eczéma", "Rhume"]
    assert "Zona" not in response.content.decode()


def test_a_search_shows_ranked_results_with_their_summary(
    client: Client, author: User, reviewer: User
) -> None:
    published_article(
        author=author,
        reviewer=reviewer,
        slug="mal-de-gorge",
        title="Mal de gorge",
        summary="Souvent un virus.",
    )
    published_article(author=author, reviewer=reviewer, slug="rhume", title="Rhume")

    response = client.get(URL, {"q": "gorges"})

    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("health_info:article", args=["mal-de-gorge"]) in page
    assert "Souvent un virus." in page
    assert "1 article pour « gorges »" in page
    assert "/sante/rhume/" not in page


def test_a_search_without_result_says_so_and_offers_the_list(client: Client) -> None:
    response = client.get(URL, {"q": "ornithorynque"})

    page = response.content.decode()
    assert "Aucun article pour « ornithorynque »" in page
    assert "Voir tous les articles, de A à Z" in page


def test_the_query_is_escaped_in_the_page(client: Client) -> None:
    response = client.get(URL, {"q": "<script>alert(1)</script>"})

    page = response.content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_query_too_long_is_refused_with_422(client: Client) -> None:
    response = client.get(URL, {"q": "x" * 201})

    assert response.status_code == 422
    page = response.content.decode()
    assert "moins de 200 caractères" in page
    assert 'aria-invalid="true"' in page
    assert "Aucun article" not in page


def test_a_signed_in_patient_sees_the_library_too(client: Client, patient: User) -> None:
    client.force_login(patient)

    assert client.get(URL).status_code == 200


def test_the_search_form_is_labelled_and_shows_the_emergency_numbers(client: Client) -> None:
    page = client.get(URL).content.decode()

    assert 'role="search"' in page
    assert '<label for="id_q">' in page
    assert 'class="emergency-bar"' in page


def test_the_list_runs_a_bounded_number_of_queries(
    client: Client,
    author: User,
    reviewer: User,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    # given: a first measure with two articles
    for n in range(2):
        published_article(author=author, reviewer=reviewer, title=f"Article {n}")
    with django_assert_max_num_queries(3) as first:
        client.get(URL)

    # when: twenty more
    for n in range(20):
        published_article(author=author, reviewer=reviewer, title=f"Autre {n}")

    # then
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(URL)
    assert len(response.context["articles"]) == 22


def test_search_results_run_a_bounded_number_of_queries(
    client: Client,
    author: User,
    reviewer: User,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    for n in range(12):
        published_article(author=author, reviewer=reviewer, title=f"Angine {n}")

    with django_assert_max_num_queries(3):
        response = client.get(URL, {"q": "angine"})

    assert len(response.context["results"]) == 12
