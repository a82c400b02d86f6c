"""Articles built through the services (the workflow is the invariant), and content files."""

from __future__ import annotations

import itertools
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from maillage.accounts.models import Role, RoleAssignment, User
from maillage.accounts.specialties import Specialty
from maillage.accounts.tests.factories import ProfessionalFactory, StaffFactory
from maillage.health_info import services
from maillage.health_info.models import ArticleVersion
from maillage.health_info.schema import ArticleContent, SourceContent

_numbers = itertools.count(1)

SOURCES = (
    SourceContent(
        title="Angine : symptômes et diagnostic",
        publisher="Assurance Maladie (ameli.fr)",
        url="https://www.ameli.fr/assure/sante/themes/angine",
        checked=True,
    ),
    SourceContent(
        title="Sore throat",
        publisher="NHS",
        url="https://www.nhs.uk/conditions/sore-throat/",
        checked=False,
    ),
)


def editor(**kwargs: Any) -> User:
    """A doctor whose primary role is editor, with an RPPS."""
    return ProfessionalFactory(role=Role.EDITOR, specialty=Specialty.GENERAL_PRACTICE, **kwargs)


def gp_editor(**kwargs: Any) -> User:
    """A GP who also writes for the library (editor as an additional role)."""
    doctor = ProfessionalFactory(role=Role.GP, **kwargs)
    RoleAssignment.objects.create(user=doctor, role=Role.EDITOR)
    return doctor


def editor_without_rpps() -> User:
    """Someone with the editor role but no professional identity."""
    return StaffFactory.create(role=Role.EDITOR)


def article_content(**overrides: Any) -> ArticleContent:
    """Complete, valid content; override any field."""
    content = ArticleContent(
        title="Article de démonstration",
        summary="Un résumé en deux phrases. Le message principal.",
        what_it_is="Une explication simple.",
        self_care="- Buvez régulièrement.\n- Reposez-vous.",
        when_to_consult="Consultez votre médecin traitant si rien ne change en trois jours.",
        when_to_call_15=(
            "Appelez le 15 en cas de gêne pour respirer.\n\n"
            "Le 112 depuis tout pays d'Europe ; le 114 par SMS pour les personnes sourdes."
        ),
        keywords=("demonstration",),
        sources=SOURCES,
    )
    return replace(content, **overrides)


def draft_article(
    *, author: User | None = None, slug: str = "", **overrides: Any
) -> ArticleVersion:
    return services.create_draft(
        actor=author or editor(),
        slug=slug or f"article-{next(_numbers)}",
        content=article_content(**overrides),
    )


def article_in_review(
    *, author: User | None = None, slug: str = "", **overrides: Any
) -> ArticleVersion:
    version = draft_article(author=author, slug=slug, **overrides)
    return services.submit_for_review(actor=version.author, version=version)


def published_article(
    *,
    author: User | None = None,
    reviewer: User | None = None,
    slug: str = "",
    **overrides: Any,
) -> ArticleVersion:
    version = article_in_review(author=author, slug=slug, **overrides)
    return services.approve_and_publish(actor=reviewer or editor(), version=version)


def article_file_data(slug: str, /, **overrides: Any) -> dict[str, Any]:
    """The JSON object of a valid content file (content/README.md)."""
    data: dict[str, Any] = {
        "slug": slug,
        "title": f"Titre de {slug}",
        "summary": "Deux phrases simples. Le message principal.",
        "keywords": ["exemple", "essai"],
        "sections": {
            "what_it_is": "Ce que c'est.",
            "self_care": "- Boire.\n- Se reposer.",
            "when_to_consult": "Voyez votre médecin traitant sous trois jours, ou le 116 117.",
            "when_to_call_15": "Appelez le 15 si vous respirez mal.\n\nLe 112 en Europe ; le 114 par SMS.",
        },
        "sources": [
            {
                "title": "Page A",
                "publisher": "HAS",
                "url": "https://www.has-sante.fr/a",
                "checked": True,
            },
            {
                "title": "Page B",
                "publisher": "NHS",
                "url": "https://www.nhs.uk/b",
                "checked": False,
            },
        ],
        "review_interval_months": 12,
        "self_assessment": slug,
    }
    data.update(overrides)
    return data


def write_article_file(directory: Path, slug: str, /, **overrides: Any) -> Path:
    """Write `<slug>.json`; `overrides` replace top-level keys (even `slug`)."""
    path = directory / f"{slug}.json"
    path.write_text(json.dumps(article_file_data(slug, **overrides), ensure_ascii=False), "utf-8")
    return path
