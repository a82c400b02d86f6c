"""Journey J5 in Chromium: a case with a phone number, a name and a JPEG with GPS EXIF is
posted, scrubbed, reviewed, published, routed, answered and resolved; the metrics update."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from maillage.accounts.models import Role
from maillage.accounts.specialties import Specialty
from maillage.accounts.tests.factories import ProfessionalFactory
from maillage.cases.models import Case
from maillage.cases.tests.test_cases import gps_jpeg
from maillage.deid.text import scrub
from maillage.notifications.models import Notification
from maillage.testing.browser import BrowserSession

pytestmark = pytest.mark.browser


def test_j5_scrubbed_case_published_routed_answered_resolved(
    browser_session: BrowserSession, tmp_path: Path
) -> None:
    author = ProfessionalFactory(last_name="Auteur")
    gastro = ProfessionalFactory(
        role=Role.SPECIALIST, specialty=Specialty.GASTROENTEROLOGY, last_name="Gastro"
    )
    # The engine loads spaCy's model once per process (seconds on a busy 2-core machine): warm
    # it here, in the server's process, so the form's POST is not the one that pays.
    scrub("Échauffement du moteur d'anonymisation.")
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(gps_jpeg())
    page = browser_session.page

    browser_session.login_as(author)
    browser_session.goto("/cas/nouveau/")
    page.get_by_label("Titre").fill("Fièvre sous azathioprine")
    page.get_by_label("Spécialités concernées").select_option(Specialty.GASTROENTEROLOGY)
    page.get_by_label("Votre question").fill("Faut-il arrêter l'azathioprine ?")
    page.get_by_label("Le cas").fill(
        "M. Paul Durand, 54 ans, joignable au 06 12 34 56 78, suivi pour une maladie de Crohn, "
        "fièvre à 39 °C depuis 2 jours, CRP 80 mg/L."
    )
    page.get_by_label("Images (facultatif)").set_input_files(str(photo))
    assert browser_session.accessibility_violations() == []
    page.get_by_role("button", name="Anonymiser et relire").click(timeout=60_000)
    page.wait_for_url("**/relecture/", timeout=60_000)
    preview = page.locator("#preview-title ~ p.message-body").inner_text()
    assert "06 12 34 56 78" not in preview
    assert "Durand" not in preview
    assert "maladie de Crohn" in preview
    assert page.locator("mark.removed").count() >= 2
    assert browser_session.accessibility_violations() == []
    page.get_by_label("J'ai vérifié qu'aucun nom").check()
    page.get_by_role("button", name="Publier").click()
    page.wait_for_url("**/cas/*-*/")
    case = Case.objects.get()
    assert case.status == Case.Status.PUBLISHED
    assert case.draft_body == ""
    with case.images.get().file.open("rb") as handle:
        assert dict(Image.open(handle).getexif()) == {}
    assert Notification.objects.filter(recipient=gastro).exists()

    browser_session.login_as(gastro)
    browser_session.goto(f"/cas/{case.public_id}/")
    page.get_by_label("Votre réponse").fill("**Suspendre** l'azathioprine et contrôler la NFS.")
    page.get_by_role("button", name="Publier ma réponse").click()
    # Wait for the answer page itself: switching accounts while the POST is in flight loses it.
    page.locator(".comment-body strong", has_text="Suspendre").wait_for(timeout=30_000)
    page.wait_for_load_state("load")

    browser_session.login_as(author)
    browser_session.goto(f"/cas/{case.public_id}/")
    page.get_by_role("button", name="Meilleure réponse : résoudre le cas").click()
    case.refresh_from_db()
    assert case.status == Case.Status.RESOLVED
    browser_session.goto("/cas/")
    metrics = page.locator("#metrics-title ~ div table").inner_text()
    assert "Première réponse" in metrics
    assert "—" not in metrics.splitlines()[1]
