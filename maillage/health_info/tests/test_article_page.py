from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from maillage.accounts.models import User
from maillage.health_info import services
from maillage.health_info.tests.factories import (
    article_content,
    draft_article,
    published_article,
)

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def _url(slug: str) -> str:
    return reverse("health_info:article", args=[slug])


def test_a_visitor_reads_an_article_with_its_four_sections(
    client: Client, author: User, reviewer: User
) -> None:
    published_article(
        author=author,
        reviewer=reviewer,
        slug="mal-de-gorge",
        title="Mal de gorge",
        summary="Souvent un virus.",
        self_care="- Buvez **souvent**.\n- Reposez-vous.",
    )

    response = client.get(_url("mal-de-gorge"))

    assert response.status_code == 200
    page = response.content.decode()
    assert '<h1 id="article-title">Mal de gorge</h1>' in page
    assert "Souvent un virus." in page
    for heading in [
        "De quoi s'agit-il ?",
        "Ce que vous pouvez faire vous-même",
        "Quand consulter ?",
        "Quand appeler le 15 ?",
    ]:
        assert heading in page
    assert "<ul><li>Buvez <strong>souvent</strong>.</li><li>Reposez-vous.</li></ul>" in page
    assert 'class="alert alert-danger" aria-labelledby="when-to-call-15"' in page
    assert f'href="{reverse("health_info:library")}"' in page


def test_the_article_names_its_author_and_reviewer_with_their_rpps(
    client: Client, author: User, reviewer: User
) -> None:
    published_article(author=author, reviewer=reviewer, slug="rhume")

    page = client.get(_url("rhume")).content.decode()

    assert f"Paul Simon (RPPS {author.professional.rpps})" in page
    assert f"Dr Hélène Grandjean (RPPS {reviewer.professional.rpps})" in page


def test_the_article_lists_its_sources_with_safe_links(
    client: Client, author: User, reviewer: User
) -> None:
    published_article(author=author, reviewer=reviewer, slug="rhume")

    page = client.get(_url("rhume")).content.decode()

    assert (
        'Assurance Maladie (ameli.fr) : <a href="https://www.ameli.fr/assure/sante/themes/angine"'
        ' rel="noopener">Angine : symptômes et diagnostic</a>'
    ) in page
    assert 'NHS : <a href="https://www.nhs.uk/conditions/sore-throat/" rel="noopener">' in page


def test_the_article_shows_its_review_dates(client: Client, author: User, reviewer: User) -> None:
    with time_machine.travel(datetime(2026, 3, 2, 10, tzinfo=PARIS), tick=False):
        published_article(author=author, reviewer=reviewer, slug="rhume")
        page = client.get(_url("rhume")).content.decode()

    assert 'datetime="2026-03-02">Dernière relecture le 2 mars 2026</time>' in page
    assert "Prochaine relecture prévue avant le 2 mars 2027" in page
    assert "Relecture en retard" not in page


def test_an_article_past_its_review_date_says_so(
    client: Client, author: User, reviewer: User
) -> None:
    with time_machine.travel(datetime(2026, 3, 2, 10, tzinfo=PARIS), tick=False):
        published_article(author=author, reviewer=reviewer, slug="rhume")

    with time_machine.travel(datetime(2027, 3, 3, 10, tzinfo=PARIS), tick=False):
        page = client.get(_url("rhume")).content.decode()

    assert "Relecture en retard" in page


def test_an_unknown_slug_gets_404(client: Client) -> None:
    assert client.get(_url("inconnu")).status_code == 404


def test_an_article_not_yet_published_gets_404(client: Client, author: User) -> None:
    draft_article(author=author, slug="brouillon")

    assert client.get(_url("brouillon")).status_code == 404


def test_the_page_shows_the_current_version_only(
    client: Client, author: User, reviewer: User
) -> None:
    # given: version 2 published over version 1
    first = published_article(author=author, reviewer=reviewer, slug="rhume", title="Rhume v1")
    second = services.start_new_version(actor=author, article=first.article)
    services.update_draft(actor=author, version=second, content=article_content(title="Rhume v2"))
    services.submit_for_review(actor=author, version=second)
    services.approve_and_publish(actor=reviewer, version=second)

    # when
    page = client.get(_url("rhume")).content.decode()

    # then
    assert "Rhume v2" in page
    assert "Rhume v1" not in page


def test_html_in_a_section_is_escaped(client: Client, author: User, reviewer: User) -> None:
    published_article(
        author=author,
        reviewer=reviewer,
        slug="rhume",
        title="<em>Rhume</em>",
        what_it_is='<script>alert("x")</script>\n\n**<img src=x onerror=alert(1)>**',
    )

    page = client.get(_url("rhume")).content.decode()

    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "<strong>&lt;img src=x onerror=alert(1)&gt;</strong>" in page
    assert "&lt;em&gt;Rhume&lt;/em&gt;" in page


def test_the_article_page_runs_a_bounded_number_of_queries(
    client: Client,
    author: User,
    reviewer: User,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    published_article(author=author, reviewer=reviewer, slug="rhume")

    with django_assert_max_num_queries(2):
        assert client.get(_url("rhume")).status_code == 200
