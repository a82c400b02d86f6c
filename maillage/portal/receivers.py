"""Cached public pages are dropped when what they show changes (maillage.core.public_cache).

One generation for every public page: a profile appears in directory searches and an article
in library searches, so an edit cannot name the few pages it touches. Edits are rare next to
visits. Bulk updates (`QuerySet.update`, such as the nightly response times) send no signal:
those pages catch up within PUBLIC_PAGE_CACHE_SECONDS.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from maillage.core.public_cache import bump_public_pages

# What the library, an article, the directory and a profile page show.
SHOWN_ON_PUBLIC_PAGES = (
    "health_info.Article",
    "health_info.ArticleVersion",
    "health_info.Source",
    "profiles.DoctorProfile",
    "profiles.ProfileVersion",
    "directory.Practice",
    "consultations.PracticeAvailability",
    "consultations.PracticeClosure",
    "teleconsultation.TeleconsultationOffer",
)


def _changed(**kwargs: Any) -> None:
    # Now, and again after commit: a page rendered between the two from the not yet committed
    # data's old state would otherwise stay.
    bump_public_pages()
    transaction.on_commit(bump_public_pages)


def connect() -> None:
    for label in SHOWN_ON_PUBLIC_PAGES:
        model = apps.get_model(label)
        post_save.connect(_changed, sender=model, dispatch_uid=f"public-pages-{label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"public-pages-del-{label}")
