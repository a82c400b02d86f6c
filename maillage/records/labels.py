"""Plain-language labels of audit actions, for the patient's "who saw my record" page."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTION_LABELS: dict[str, Promise] = {
    "records.timeline_viewed": _("a consulté votre dossier"),
    "records.document_viewed": _("a ouvert un document de votre dossier"),
    "records.access_granted": _("a donné un accès à votre dossier"),
    "records.access_revoked": _("a retiré un accès à votre dossier"),
    "records.entry_masked": _("a masqué un document"),
    "records.entry_unmasked": _("a rendu visible un document"),
    "records.export_requested": _("a demandé le téléchargement du dossier"),
    "records.export_built": _("le téléchargement du dossier a été préparé"),
    "records.export_downloaded": _("a téléchargé le dossier"),
    "records.privacy_requested": _("a fait une demande sur ses données"),
    "records.privacy_answered": _("a répondu à une demande sur les données"),
    "records.account_closed": _("a fermé le compte"),
    "records.legal_hold_placed": _("a suspendu la destruction du dossier (réclamation)"),
    "records.retention_purged": _("dossier détruit au terme de la durée légale de conservation"),
    "records.care_access_opened": _("accès ouvert à un médecin pour une prise en charge"),
    "records.care_access_closed": _("accès d'un médecin refermé"),
    "consultations.request_submitted": _("a envoyé une demande en ligne"),
    "consultations.request_viewed": _("a lu une demande en ligne"),
    "consultations.attachment_opened": _("a ouvert une pièce jointe"),
    "consultations.request_assigned": _("a pris en charge une demande"),
    "consultations.request_closed": _("a terminé une demande"),
    "triage.assessment_viewed": _("a consulté une auto-évaluation"),
    "consultations.prescription_issued": _("a rédigé une ordonnance"),
    "consultations.certificate_issued": _("a rédigé un certificat"),
    "teleconsultation.booked": _("a réservé une téléconsultation"),
    "teleconsultation.appointment_viewed": _("a consulté un rendez-vous"),
    "teleconsultation.report_viewed": _("a lu un compte rendu de téléconsultation"),
    "teleconsultation.act_closed": _("a rédigé un compte rendu de téléconsultation"),
    "teleconsultation.consent_given": _("a donné l'accord pour une téléconsultation"),
    "triage.assessment_completed": _("a terminé une auto-évaluation"),
    "records.fhir_read": _("a lu une donnée de votre dossier par une application (API FHIR)"),
    "records.fhir_search": _("a recherché dans votre dossier par une application (API FHIR)"),
    "records.fhir_everything": _("a téléchargé votre dossier par une application (API FHIR)"),
}

PREFIX_LABELS: dict[str, Promise] = {
    "consultations.": _("action sur une demande en ligne"),
    "teleconsultation.": _("action sur une téléconsultation"),
    "triage.": _("action sur une auto-évaluation"),
    "accounts.": _("action sur votre compte"),
    "directory.": _("médecin traitant"),
    "billing.": _("facturation d'un acte"),
    "records.": _("action sur votre dossier"),
}


def action_label(action: str) -> str:
    if action in ACTION_LABELS:
        return str(ACTION_LABELS[action])
    for prefix, label in PREFIX_LABELS.items():
        if action.startswith(prefix):
            return str(label)
    return action
