from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from maillage.core.tasks import task
from maillage.notifications.mssante import (
    MSSanteAttachment,
    MSSanteError,
    MSSanteMessage,
    send_mssante,
)


@task()
def send_due_reminders_task() -> None:
    from maillage.teleconsultation.services import send_due_reminders

    send_due_reminders()


@task()
def send_report_to_treating_doctor(*, delivery_id: int) -> None:
    """Send a teleconsultation report to the médecin traitant by MSSanté (A8).

    Takes the delivery's id only: the report itself never travels in task arguments.
    """
    from maillage.audit.services import log_event
    from maillage.teleconsultation.models import ReportDelivery

    with transaction.atomic():
        # The row is claimed first: a retried task finds it no longer queued and sends nothing.
        delivery = (
            ReportDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("report__appointment__patient", "recipient_user__professional")
            .filter(pk=delivery_id, status=ReportDelivery.Status.QUEUED, channel="mssante")
            .first()
        )
        if delivery is None or delivery.recipient_user is None:
            return
        delivery.status = ReportDelivery.Status.SENT
        delivery.at = timezone.now()
        delivery.save(update_fields=["status", "at"])
    report = delivery.report
    patient = report.appointment.patient
    message = MSSanteMessage(
        to=delivery.recipient_user.professional.mssante_address,
        subject=f"Compte rendu de téléconsultation — {patient.get_full_name()}",
        body=(
            "Compte rendu de téléconsultation (R.6316-4 CSP) de votre patient, "
            f"réalisée le {timezone.localtime(report.started_at):%d/%m/%Y à %H:%M}. "
            "Le document est joint au format PDF."
        ),
        attachments=(
            MSSanteAttachment("compte-rendu.pdf", report.report_pdf.read(), "application/pdf"),
        ),
    )
    try:
        send_mssante(message)
    except MSSanteError as error:
        delivery.status = ReportDelivery.Status.FAILED
        delivery.reason = f"MSSanté : {error}"[:200]
    with transaction.atomic():
        delivery.at = timezone.now()
        delivery.save(update_fields=["status", "reason", "at"])
        log_event(
            actor=None,
            action="teleconsultation.report_sent",
            target=report,
            patient=patient,
            details={"channel": "mssante", "status": delivery.status},
        )
