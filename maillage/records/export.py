"""Download my record: a ZIP with a readable PDF summary, a FHIR Bundle and the files."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from maillage.accounts.models import DOCTOR_ROLES, User
from maillage.accounts.selectors import can_act_for
from maillage.audit.services import log_event
from maillage.core.exceptions import NotAllowed
from maillage.notifications.services import notify
from maillage.records import fhir
from maillage.records.models import RecordEntry, RecordExport

EXPORT_KEPT = timedelta(days=7)


@transaction.atomic
def request_export(*, actor: User, patient: User) -> RecordExport:
    """Queue the building of the ZIP; the task tells the actor when it is ready."""
    from maillage.records.tasks import build_record_export

    if not can_act_for(actor=actor, patient=patient):
        raise NotAllowed
    pending = RecordExport.objects.filter(
        patient=patient, requested_by=actor, status=RecordExport.Status.PENDING
    ).first()
    if pending is not None:  # a double click asks once
        return pending
    export = RecordExport.objects.create(
        patient=patient, requested_by=actor, expires_at=timezone.now() + EXPORT_KEPT
    )
    log_event(actor=actor, action="records.export_requested", target=export, patient=patient)
    export_id = str(export.public_id)
    transaction.on_commit(lambda: build_record_export.enqueue(export_id=export_id))
    return export


def build_zip(patient: User) -> bytes:
    entries = list(
        RecordEntry.objects.filter(patient=patient)
        .select_related("author__professional", "patient")
        .order_by("occurred_at", "id")
    )
    buffer = io.BytesIO()
    resources = [fhir.patient_resource(patient)]
    authors: dict[int, User] = {}
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, entry in enumerate(entries, start=1):
            path = ""
            if entry.file:
                stem = slugify(entry.title)[:50] or "document"
                path = f"fichiers/{entry.occurred_at:%Y-%m-%d}-{index:03d}-{stem}{entry.extension}"
                with entry.file.open("rb") as handle:
                    archive.writestr(path, handle.read())
            resources.append(fhir.document_reference(entry, file_path=path))
            if entry.author is not None and entry.author.role in DOCTOR_ROLES:
                authors[entry.author.pk] = entry.author
        resources += [fhir.practitioner_resource(doctor) for doctor in authors.values()]
        archive.writestr(
            "dossier-fhir.json", json.dumps(fhir.bundle(resources), ensure_ascii=False, indent=1)
        )
        archive.writestr("resume.pdf", _summary_pdf(patient, entries))
        archive.writestr("LISEZMOI.txt", _readme())
    return buffer.getvalue()


def _summary_pdf(patient: User, entries: list[RecordEntry]) -> bytes:
    from weasyprint import HTML  # loaded when needed

    with translation.override("fr"):
        html = render_to_string(
            "records/documents/summary.html",
            {"patient": patient, "entries": entries, "made_on": timezone.localdate()},
        )
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def _readme() -> str:
    return (
        "Votre dossier Maillage\n\n"
        "- resume.pdf : tout votre dossier, lisible et imprimable ;\n"
        "- dossier-fhir.json : le même contenu au format FHIR R4 (Bundle), lisible par les "
        "logiciels de santé ;\n"
        "- fichiers/ : les documents d'origine (ordonnances, comptes rendus, photos).\n\n"
        "Ce fichier contient des données de santé : conservez-le en lieu sûr.\n"
    )


def run_export(export_id: str) -> None:
    export = (
        RecordExport.objects.select_related("patient__patient_profile", "requested_by")
        .filter(public_id=export_id, status=RecordExport.Status.PENDING)
        .first()
    )
    if export is None:
        return
    try:
        content = build_zip(export.patient)
    except Exception:
        with transaction.atomic():
            RecordExport.objects.filter(pk=export.pk).update(status=RecordExport.Status.FAILED)
        raise
    with transaction.atomic():
        export.file.save("export.zip", ContentFile(content), save=False)
        export.size = len(content)
        export.status = RecordExport.Status.READY
        export.ready_at = timezone.now()
        export.save(update_fields=["file", "size", "status", "ready_at", "updated_at"])
        log_event(actor=None, action="records.export_built", target=export, patient=export.patient)
        notify(
            recipient=export.requested_by,
            kind="records.export",
            title=_("Votre dossier est prêt à être téléchargé"),
            url=reverse("records:exports", args=[export.patient.public_id]),
        )


def prune_expired_exports() -> int:
    """Exports hold a whole record: they are deleted after a week."""
    removed = 0
    for export in RecordExport.objects.filter(expires_at__lte=timezone.now())[:200]:
        with transaction.atomic():
            if export.file:
                export.file.delete(save=False)
            log_event(
                actor=None, action="records.export_deleted", target=export, patient=export.patient
            )
            export.delete()
            removed += 1
    return removed
