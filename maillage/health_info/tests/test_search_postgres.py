"""What the search owes to PostgreSQL: the french_unaccent configuration, the stored vector and
its GIN index. Behaviour common to both databases is in test_search_articles.py."""

from __future__ import annotations

import pytest
from django.db import connection

from maillage.accounts.models import User
from maillage.health_info import services
from maillage.health_info.models import ArticleVersion
from maillage.health_info.selectors import search_articles
from maillage.health_info.tests.factories import published_article

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _scalar(sql: str, params: list[str] | None = None) -> object:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        row = cursor.fetchone()
    assert row is not None
    return row[0]


def test_the_configuration_folds_accents_then_stems_in_french() -> None:
    vector = _scalar("SELECT to_tsvector('french_unaccent', 'Fièvres et angines')::text")

    assert vector == "'angin':3 'fievr':1"


def test_publishing_stores_a_weighted_vector(author: User, reviewer: User) -> None:
    version = published_article(
        author=author,
        reviewer=reviewer,
        title="Angine",
        keywords=("gorge",),
        summary="Une infection.",
        what_it_is="Souvent virale.",
    )

    vector = str(ArticleVersion.objects.values_list("search_vector", flat=True).get(pk=version.pk))

    for lexeme in ["'angin':1A", "'gorg':2B", "'infect':4C", "'viral':6"]:
        assert lexeme in vector


def test_a_superseded_version_leaves_the_index(author: User, reviewer: User) -> None:
    first = published_article(author=author, reviewer=reviewer, title="Grippe")
    second = services.start_new_version(actor=author, article=first.article)
    services.submit_for_review(actor=author, version=second)
    services.approve_and_publish(actor=reviewer, version=second)

    vectors = dict(
        ArticleVersion.objects.filter(article=first.article).values_list("number", "search_vector")
    )

    assert vectors[1] is None
    assert vectors[2] is not None


def test_the_vector_has_a_gin_index_on_published_versions() -> None:
    definition = str(
        _scalar(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s", ["health_version_search_idx"]
        )
    )

    assert "USING gin (search_vector)" in definition
    assert "'published'" in definition


def test_the_search_uses_the_stored_vector(author: User, reviewer: User) -> None:
    published_article(author=author, reviewer=reviewer, slug="angine", title="Angine")
    # A version whose vector was never built is invisible: the search reads the stored column.
    hidden = published_article(author=author, reviewer=reviewer, slug="angine-2", title="Angine")
    ArticleVersion.objects.filter(pk=hidden.pk).update(search_vector=None)

    assert [v.article.slug for v in search_articles("angines")] == ["angine"]


def test_accents_plurals_and_title_weight_on_postgresql(author: User, reviewer: User) -> None:
    published_article(
        author=author, reviewer=reviewer, slug="fievre-enfant", title="Fièvre de l'enfant"
    )
    published_article(
        author=author,
        reviewer=reviewer,
        slug="rhume",
        title="Rhume",
        self_care="Buvez, même sans fièvre.",
    )

    assert [v.article.slug for v in search_articles("fievres")] == ["fievre-enfant", "rhume"]
