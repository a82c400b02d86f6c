from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from maillage.accounts.models import Role, User
from maillage.accounts.tests.factories import PatientFactory, ProfessionalFactory
from maillage.audit.models import AuditEvent
from maillage.health_info import services
from maillage.health_info.models import Article, ArticleVersion
from maillage.health_info.schema import SourceContent
from maillage.health_info.tests.factories import (
    SOURCES,
    article_content,
    editor_without_rpps,
    gp_editor,
)

pytestmark = pytest.mark.django_db


def test_an_editor_creates_a_first_version_as_a_draft(author: User) -> None:
    version = services.create_draft(actor=author, slug="mal-de-gorge", content=article_content())

    assert version.status == ArticleVersion.Status.DRAFT
    assert version.number == 1
    assert version.author == author
    assert version.reviewer is None
    assert version.article.slug == "mal-de-gorge"
    assert version.article.current_version is None
    assert [(s.position, s.url) for s in version.sources.all()] == [
        (1, SOURCES[0].url),
        (2, SOURCES[1].url),
    ]


def test_a_gp_with_the_editor_role_as_additional_role_may_write() -> None:
    version = services.create_draft(actor=gp_editor(), slug="rhume", content=article_content())

    assert version.status == ArticleVersion.Status.DRAFT


@pytest.mark.parametrize(
    "make_actor",
    [
        lambda: ProfessionalFactory(role=Role.GP),
        lambda: PatientFactory(),
        editor_without_rpps,
    ],
    ids=["doctor-not-editor", "patient", "editor-without-rpps"],
)
def test_only_an_editor_with_an_rpps_may_write(make_actor: Callable[[], User]) -> None:
    actor = make_actor()

    with pytest.raises(services.NotAnEditor):
        services.create_draft(actor=actor, slug="rhume", content=article_content())

    assert not Article.objects.exists()


def test_an_inactive_editor_may_not_write(author: User) -> None:
    author.is_active = False
    author.save(update_fields=["is_active"])

    with pytest.raises(services.NotAnEditor):
        services.create_draft(actor=author, slug="rhume", content=article_content())


def test_a_slug_is_taken_once(author: User) -> None:
    services.create_draft(actor=author, slug="rhume", content=article_content())

    with pytest.raises(services.SlugTaken):
        services.create_draft(actor=author, slug="rhume", content=article_content())

    assert ArticleVersion.objects.count() == 1


@pytest.mark.parametrize("slug", ["Rhume", "rhume chez l'enfant", "fièvre", "-rhume", ""])
def test_a_malformed_slug_is_refused(author: User, slug: str) -> None:
    with pytest.raises(services.InvalidArticle):
        services.create_draft(actor=author, slug=slug, content=article_content())


def test_a_source_must_be_a_web_address(author: User) -> None:
    evil = SourceContent(title="Piège", publisher="?", url="javascript:alert(1)")
    content = replace(article_content(), sources=(evil,))

    with pytest.raises(services.InvalidArticle, match="source 1"):
        services.create_draft(actor=author, slug="rhume", content=content)


def test_a_source_too_long_for_its_column_is_refused(author: User) -> None:
    long = SourceContent(title="x" * 301, publisher="HAS", url="https://www.has-sante.fr/")

    with pytest.raises(services.InvalidArticle, match="trop longs"):
        services.create_draft(
            actor=author, slug="rhume", content=replace(article_content(), sources=(long,))
        )


def test_a_title_is_required_even_for_a_draft(author: User) -> None:
    with pytest.raises(services.InvalidArticle, match="titre"):
        services.create_draft(actor=author, slug="rhume", content=article_content(title="  "))


def test_an_incomplete_draft_may_be_saved(author: User) -> None:
    content = article_content(when_to_call_15="", sources=())

    version = services.create_draft(actor=author, slug="rhume", content=content)

    assert version.when_to_call_15 == ""


def test_creating_a_draft_writes_an_audit_entry(author: User) -> None:
    version = services.create_draft(actor=author, slug="rhume", content=article_content())

    event = AuditEvent.objects.get(action="health_info.draft_created")
    assert event.actor == author
    assert event.target_id == str(version.public_id)
    assert event.details == {"article": "rhume", "number": 1}
