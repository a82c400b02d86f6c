"""French full-text search through `search_articles`, on the suite's database.

By default the suite runs on SQLite (FTS5 with Python-side stemming); `make test-postgres`
runs the same tests on PostgreSQL. test_search_postgres.py checks what is PostgreSQL's own.
"""

from __future__ import annotations

import pytest

from maillage.accounts.models import User
from maillage.health_info import services
from maillage.health_info.selectors import search_articles
from maillage.health_info.tests.factories import article_content, draft_article, published_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(author: User, reviewer: User) -> None:
    published_article(
        author=author,
        reviewer=reviewer,
        slug="mal-de-gorge",
        title="Mal de gorge : angine et pharyngite",
        summary="Le plus souvent un virus, qui guérit seul en une semaine.",
        keywords=("angine", "pharyngite", "gorge"),
    )
    published_article(
        author=author,
        reviewer=reviewer,
        slug="fievre-enfant",
        title="Fièvre de l'enfant",
        summary="Une fièvre est une réaction normale à une infection.",
        keywords=("température", "thermomètre"),
        what_it_is="Chez l'enfant, la fièvre accompagne souvent une angine ou un rhume.",
    )
    published_article(
        author=author,
        reviewer=reviewer,
        slug="rhume",
        title="Rhume",
        summary="Nez qui coule, éternuements : rien de grave.",
        keywords=("nez", "rhinopharyngite"),
        self_care="- Lavez le nez au sérum physiologique.\n- Buvez, même sans fièvre.",
    )


def _slugs(query: str, limit: int = 20) -> list[str]:
    return [version.article.slug for version in search_articles(query, limit)]


def test_a_missing_accent_still_finds_the_article(library: None) -> None:
    assert _slugs("fievre")[0] == "fievre-enfant"


def test_accents_that_change_the_stem_are_folded_first(author: User, reviewer: User) -> None:
    # Stemmed with its accent, "infectée" loses a suffix that "infectee" keeps: folding must
    # come before stemming. "œ" is a ligature, not an accent: FTS5 alone would keep it.
    published_article(author=author, reviewer=reviewer, slug="plaie", title="Plaie infectée")
    published_article(author=author, reviewer=reviewer, slug="oeil", title="Œil rouge")

    assert _slugs("plaie infectee") == ["plaie"]
    assert _slugs("infectee") == ["plaie"]
    assert _slugs("oeil") == ["oeil"]


def test_a_plural_finds_the_singular(library: None) -> None:
    assert "mal-de-gorge" in _slugs("angines")


def test_capitals_and_accents_in_the_query_are_ignored(library: None) -> None:
    assert _slugs("FIÈVRE")[0] == "fievre-enfant"
    assert _slugs("Rhumes")[0] == "rhume"


def test_the_title_match_ranks_first(library: None) -> None:
    # "angine" is in the title of one article and only in the text of another.
    assert _slugs("angine") == ["mal-de-gorge", "fievre-enfant"]
    # "fièvre" is in a title, and in a self-care line of the cold article.
    assert _slugs("fièvre") == ["fievre-enfant", "rhume"]


def test_a_patients_sentence_finds_the_article(library: None) -> None:
    assert _slugs("j'ai mal à la gorge")[0] == "mal-de-gorge"


def test_the_limit_bounds_the_results(library: None) -> None:
    assert len(_slugs("fièvre", limit=1)) == 1
    assert _slugs("fièvre", limit=0) == []


@pytest.mark.parametrize("query", ["", "   ", "de la", "?!"])
def test_a_query_without_words_finds_nothing(library: None, query: str) -> None:
    assert _slugs(query) == []


def test_an_unknown_word_finds_nothing(library: None) -> None:
    assert _slugs("ornithorynque") == []


@pytest.mark.parametrize(
    "query",
    [
        '"',
        'gorge"',
        "*",
        "gorge*",
        "(",
        "gorge)",
        "NEAR",
        "NEAR(gorge angine)",
        "gorge AND OR NOT",
        "title:gorge",
        "^gorge",
        "-gorge +angine",
        "{title keywords}: gorge",
        "'; DROP TABLE health_info_article; --",
        "gorge\x00angine",
    ],
)
def test_query_syntax_characters_are_plain_text(library: None, query: str) -> None:
    results = _slugs(query)

    assert set(results) <= {"mal-de-gorge", "fievre-enfant", "rhume"}


def test_drafts_and_versions_in_review_are_not_found(author: User, reviewer: User) -> None:
    draft_article(author=author, title="Ornithorynque")

    assert _slugs("ornithorynque") == []


def test_only_the_current_version_is_found(author: User, reviewer: User) -> None:
    # given: "Grippe" published, then replaced by "Grippe saisonnière" without "courbatures"
    first = published_article(
        author=author, reviewer=reviewer, title="Grippe", summary="Courbatures et fièvre."
    )
    second = services.start_new_version(actor=author, article=first.article)
    content = article_content(title="Grippe saisonnière", summary="Fièvre et toux.")
    services.update_draft(actor=author, version=second, content=content)
    services.submit_for_review(actor=author, version=second)
    services.approve_and_publish(actor=reviewer, version=second)

    # when
    results = search_articles("grippe")

    # then
    assert [version.title for version in results] == ["Grippe saisonnière"]
    assert search_articles("courbatures") == []
