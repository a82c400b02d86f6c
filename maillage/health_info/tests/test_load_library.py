from __future__ import annotations

import json
from pathlib import Path

import pytest

from maillage.accounts.models import User
from maillage.audit.models import AuditEvent
from maillage.health_info import services
from maillage.health_info.models import Article, ArticleVersion
from maillage.health_info.schema import read_article_file
from maillage.health_info.tests.factories import article_file_data, write_article_file

pytestmark = pytest.mark.django_db


def test_a_valid_file_is_published_through_the_review(
    tmp_path: Path, author: User, reviewer: User
) -> None:
    write_article_file(tmp_path, "mal-de-gorge", title="Mal de gorge")

    report = services.load_library(author=author, reviewer=reviewer, directory=tmp_path)

    assert report.created == ["mal-de-gorge"]
    version = ArticleVersion.objects.get(article__slug="mal-de-gorge")
    assert (version.status, version.title) == (ArticleVersion.Status.PUBLISHED, "Mal de gorge")
    assert (version.author, version.reviewer) == (author, reviewer)
    assert [s.publisher for s in version.sources.all()] == ["HAS", "NHS"]
    assert version.self_assessment == "mal-de-gorge"
    assert set(AuditEvent.objects.values_list("action", flat=True)) >= {
        "health_info.draft_created",
        "health_info.submitted_for_review",
        "health_info.version_published",
    }


def test_loading_twice_changes_nothing(tmp_path: Path, author: User, reviewer: User) -> None:
    write_article_file(tmp_path, "rhume")
    write_article_file(tmp_path, "grippe")
    services.load_library(author=author, reviewer=reviewer, directory=tmp_path)
    events = AuditEvent.objects.count()

    report = services.load_library(author=author, reviewer=reviewer, directory=tmp_path)

    assert report.unchanged == ["grippe", "rhume"]
    assert (report.created, report.updated) == ([], [])
    assert ArticleVersion.objects.count() == 2
    assert AuditEvent.objects.count() == events


def test_a_changed_file_publishes_a_new_version(
    tmp_path: Path, author: User, reviewer: User
) -> None:
    # given
    write_article_file(tmp_path, "rhume", title="Rhume")
    services.load_library(author=author, reviewer=reviewer, directory=tmp_path)

    # when
    write_article_file(tmp_path, "rhume", title="Rhume de l'adulte")
    report = services.load_library(author=author, reviewer=reviewer, directory=tmp_path)

    # then
    assert report.updated == ["rhume"]
    versions = ArticleVersion.objects.filter(article__slug="rhume").order_by("number")
    assert [(v.number, v.status, v.title) for v in versions] == [
        (1, ArticleVersion.Status.SUPERSEDED, "Rhume"),
        (2, ArticleVersion.Status.PUBLISHED, "Rhume de l'adulte"),
    ]


def test_a_changed_source_is_a_change(tmp_path: Path, author: User, reviewer: User) -> None:
    write_article_file(tmp_path, "rhume")
    services.load_library(author=author, reviewer=reviewer, directory=tmp_path)
    data = article_file_data("rhume")
    data["sources"][1]["checked"] = True
    (tmp_path / "rhume.json").write_text(json.dumps(data), "utf-8")

    report = services.load_library(author=author, reviewer=reviewer, directory=tmp_path)

    assert report.updated == ["rhume"]


def test_an_invalid_file_is_named_and_nothing_is_loaded(
    tmp_path: Path, author: User, reviewer: User
) -> None:
    write_article_file(tmp_path, "rhume")
    (tmp_path / "grippe.json").write_text('{"slug": "grippe", "title": ', "utf-8")

    with pytest.raises(services.LibraryInvalid, match=r"grippe\.json : JSON illisible"):
        services.load_library(author=author, reviewer=reviewer, directory=tmp_path)

    assert not Article.objects.exists()


def test_every_invalid_file_is_named(tmp_path: Path, author: User, reviewer: User) -> None:
    write_article_file(tmp_path, "rhume", sources=[])
    write_article_file(tmp_path, "grippe", summary="")

    with pytest.raises(services.LibraryInvalid) as raised:
        services.load_library(author=author, reviewer=reviewer, directory=tmp_path)

    message = str(raised.value)
    assert "rhume.json : « sources » doit être une liste de 2 à 4 sources" in message
    assert "grippe.json : le champ « summary » doit être un texte non vide" in message


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({"slug": "autre-chose"}, "doit être le nom du fichier"),
        ({"sumary": "faute de frappe"}, "champ inconnu : sumary"),
        ({"keywords": "angine"}, "« keywords » doit être une liste"),
        ({"review_interval_months": "12"}, "nombre entier de mois"),
        ({"review_interval_months": 120}, "entre 1 et 36 mois"),
        ({"self_assessment": "Mal de gorge"}, "auto-évaluation"),
    ],
)
def test_the_format_is_checked(tmp_path: Path, overrides: dict[str, object], problem: str) -> None:
    path = write_article_file(tmp_path, "rhume", **overrides)

    with pytest.raises(ValueError, match=problem):
        read_article_file(path)


@pytest.mark.parametrize(
    ("section", "text", "problem"),
    [
        ("what_it_is", "<b>Gras</b>", "pas de HTML"),
        ("what_it_is", "## Titre\n\nTexte.", "pas de titre"),
        ("self_care", "Voir [ici](https://example.org).", "pas de lien"),
        ("when_to_call_15", "Appelez le 15.", "rappeler le 112 et le 114"),
        ("when_to_consult", "", "non vide"),
    ],
)
def test_the_writing_rules_are_checked(
    tmp_path: Path, section: str, text: str, problem: str
) -> None:
    sections = {**article_file_data("rhume")["sections"], section: text}
    path = write_article_file(tmp_path, "rhume", sections=sections)

    with pytest.raises(ValueError, match=problem):
        read_article_file(path)


def test_a_source_must_be_a_web_page(tmp_path: Path) -> None:
    sources = article_file_data("rhume")["sources"]
    sources[0]["url"] = "javascript:alert(1)"
    path = write_article_file(tmp_path, "rhume", sources=sources)

    with pytest.raises(ValueError, match=r"rhume\.json : la source 1 n'a pas une adresse web"):
        read_article_file(path)


def test_an_article_being_rewritten_is_not_overwritten(
    tmp_path: Path, author: User, reviewer: User
) -> None:
    write_article_file(tmp_path, "rhume", title="Rhume")
    services.load_library(author=author, reviewer=reviewer, directory=tmp_path)
    article = Article.objects.get(slug="rhume")
    services.start_new_version(actor=reviewer, article=article)
    write_article_file(tmp_path, "rhume", title="Rhume modifié")

    with pytest.raises(services.VersionInProgress, match=r"rhume\.json"):
        services.load_library(author=author, reviewer=reviewer, directory=tmp_path)


def test_the_author_cannot_be_the_reviewer(tmp_path: Path, author: User) -> None:
    write_article_file(tmp_path, "rhume")

    with pytest.raises(services.OwnReviewRefused):
        services.load_library(author=author, reviewer=author, directory=tmp_path)

    assert not Article.objects.exists()


def test_a_missing_directory_is_reported(tmp_path: Path, author: User, reviewer: User) -> None:
    with pytest.raises(services.LibraryInvalid, match="introuvable"):
        services.load_library(author=author, reviewer=reviewer, directory=tmp_path / "absent")


def test_every_article_shipped_with_the_code_follows_the_format() -> None:
    problems = []
    for path in sorted(services.CONTENT_DIR.glob("*.json")):
        try:
            read_article_file(path)
        except ValueError as error:
            problems.append(str(error))

    assert problems == []


def test_the_shipped_library_loads_with_two_editors(author: User, reviewer: User) -> None:
    shipped = sorted(path.stem for path in services.CONTENT_DIR.glob("*.json"))

    report = services.load_library(author=author, reviewer=reviewer)

    assert sorted(report.created) == shipped
    assert ArticleVersion.objects.filter(status="published").count() == len(shipped)
