"""The teaching library: published cases found by French full-text search on either database
(the whole suite also runs on PostgreSQL in CI)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from maillage.accounts.models import Role, User
from maillage.accounts.specialties import Specialty
from maillage.accounts.tests.factories import ProfessionalFactory
from maillage.cases import search, selectors, services
from maillage.cases.models import Case, Comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def author() -> User:
    return ProfessionalFactory()


def published(author: User, title: str, body: str = "", question: str = "Votre avis ?") -> Case:
    case = Case.objects.create(
        author=author,
        status=Case.Status.PUBLISHED,
        specialties=[Specialty.CARDIOLOGY],
        title=title,
        question=question,
        body=body,
        published_at=timezone.now(),
    )
    search.index_case(case)
    return case


def found(actor: User, query: str) -> list[str]:
    cases, _cursor = selectors.list_cases(actor=actor, search=query)
    return [case.title for case in cases]


def test_a_missing_accent_and_a_plural_still_find_the_case(author: User) -> None:
    published(author, "Fibrillation atriale et anticoagulation", body="Épisodes de palpitations.")
    published(author, "Eczéma de l'enfant")

    assert found(author, "episode palpitation") == ["Fibrillation atriale et anticoagulation"]
    assert found(author, "Fibrillations") == ["Fibrillation atriale et anticoagulation"]
    assert found(author, "eczema") == ["Eczéma de l'enfant"]
    assert found(author, "sarcoïdose") == []


def test_the_best_answer_joins_the_index_when_the_case_is_resolved(author: User) -> None:
    case = published(author, "Douleur thoracique atypique")
    colleague = ProfessionalFactory(role=Role.SPECIALIST, specialty=Specialty.CARDIOLOGY)
    comment = Comment.objects.create(case=case, author=colleague, body="Une coronarographie.")
    assert found(author, "coronarographie") == []

    services.resolve(actor=author, case=case, best_comment=comment)

    assert found(author, "coronarographie") == ["Douleur thoracique atypique"]


def test_drafts_are_never_found_and_query_syntax_is_just_text(author: User) -> None:
    Case.objects.create(author=author, status=Case.Status.REVIEW, title="Brouillon syncope")
    published(author, "Syncope à l'effort")

    assert found(author, "syncope") == ["Syncope à l'effort"]
    assert found(author, '"syncope" OR * NEAR( -effort') == ["Syncope à l'effort"]


def test_the_library_page_searches_resolved_cases(client: Client, author: User) -> None:
    case = published(author, "Hyperkaliémie sous spironolactone")
    Case.objects.filter(pk=case.pk).update(status=Case.Status.RESOLVED)
    published(author, "Hyperkaliémie et insuffisance rénale")  # not resolved: not in the library
    client.force_login(author)

    page = client.get(reverse("cases:list"), {"q": "hyperkaliemie", "bibliotheque": "1"})

    text = page.content.decode()
    assert "Hyperkaliémie sous spironolactone" in text
    assert "insuffisance rénale" not in text
