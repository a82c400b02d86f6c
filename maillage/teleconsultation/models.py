"""Teleconsultation (J3): a doctor's offer, appointments, consent, the call and the legal report."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from maillage.consultations.models import default_opening_hours
from maillage.core.models import TimeStampedModel
from maillage.core.uploads import private_storage


class Motive(models.TextChoices):
    """What a patient may book a teleconsultation for; each doctor ticks the ones they accept."""

    FOLLOW_UP = "suivi", _("Suivi d'une maladie chronique")
    RESULTS = "resultats", _("Résultats d'examen")
    RENEWAL = "renouvellement", _("Renouvellement de traitement")
    MINOR_ILLNESS = "probleme-recent", _("Problème de santé récent et sans gravité")
    MENTAL_HEALTH = "sante-mentale", _("Moral, stress, sommeil")
    PREVENTION = "prevention", _("Prévention, contraception, vaccination")
    OTHER = "autre", _("Autre motif")


def default_video_hours() -> dict[str, list[list[str]]]:
    """Two hours a day by default once the doctor opts in: they adjust it."""
    return {key: [["17:00", "19:00"]] for key in default_opening_hours()}


class TeleconsultationOffer(TimeStampedModel):
    """A doctor's teleconsultation settings. Off until the doctor opts in (R.6316-2)."""

    doctor = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="teleconsultation_offer"
    )
    practice = models.ForeignKey(
        "directory.Practice", on_delete=models.PROTECT, related_name="teleconsultation_offers"
    )
    enabled = models.BooleanField(_("je propose la téléconsultation"), default=False)
    motives = models.JSONField(_("motifs acceptés"), default=list)
    weekly_hours = models.JSONField(_("plages de téléconsultation"), default=default_video_hours)
    slot_minutes = models.PositiveSmallIntegerField(_("durée d'un créneau (minutes)"), default=15)
    accepts_new_patients = models.BooleanField(
        _("les patients dont je ne suis pas le médecin traitant peuvent réserver"), default=False
    )
    fee = models.DecimalField(_("honoraires demandés (€)"), max_digits=7, decimal_places=2)
    minimum_notice_minutes = models.PositiveSmallIntegerField(default=60)
    horizon_days = models.PositiveSmallIntegerField(default=21)

    class Meta:
        verbose_name = _("offre de téléconsultation")
        indexes = [models.Index(fields=["enabled", "practice"])]

    def __str__(self) -> str:
        return f"TeleconsultationOffer {self.public_id}"


class ConsentRecord(TimeStampedModel):
    """The patient's informed consent to a telemedicine act (L.1111-4; HAS: mandatory).

    Keeps the version and the digest of the text shown, so what was agreed can be proven.
    """

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="telemedicine_consents"
    )
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    text_version = models.CharField(max_length=20)
    text_digest = models.CharField(max_length=64)
    language = models.CharField(max_length=8)
    channel = models.CharField(max_length=16, default="web")
    given_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["patient", "given_at"])]

    def __str__(self) -> str:
        return f"ConsentRecord {self.public_id}"


class Appointment(TimeStampedModel):
    """A booked visit: video (the act this app closes) or in person at the practice."""

    class Mode(models.TextChoices):
        VIDEO = "video", _("Téléconsultation vidéo")
        IN_PERSON = "in_person", _("Au cabinet")

    class Status(models.TextChoices):
        BOOKED = "booked", _("prévu")
        IN_PROGRESS = "in_progress", _("en cours")
        COMPLETED = "completed", _("terminé")
        CANCELLED = "cancelled", _("annulé")

    doctor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appointments_given"
    )
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appointments"
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    practice = models.ForeignKey(
        "directory.Practice", on_delete=models.PROTECT, related_name="appointments"
    )
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.VIDEO)
    motive = models.CharField(_("motif"), max_length=20, choices=Motive.choices)
    patient_note = models.TextField(_("ce que vous souhaitez dire au médecin"), blank=True)
    online_request = models.ForeignKey(
        "consultations.OnlineRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointments",
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.BOOKED)
    consent = models.ForeignKey(
        ConsentRecord, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # HAS suitability answers (physical exam needed, able to use the tools, companion…).
    suitability = models.JSONField(default=dict, blank=True)
    # Fee and parcours as shown to the patient when booking (the bill is computed at closing).
    fee_amount = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    fee_code = models.CharField(max_length=8, blank=True)
    parcours_status = models.CharField(max_length=12, blank=True)
    parcours_reason = models.TextField(blank=True)
    # Where the patient is and a number to call back if the link drops (HAS advice).
    patient_location = models.CharField(_("où êtes-vous ?"), max_length=200, blank=True)
    callback_phone = models.CharField(_("numéro pour vous rappeler"), max_length=20, blank=True)
    reminded_day_before_at = models.DateTimeField(null=True, blank=True)
    reminded_hour_before_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancel_reason = models.CharField(max_length=200, blank=True)
    patient_waiting_since = models.DateTimeField(null=True, blank=True)
    doctor_joined_at = models.DateTimeField(null=True, blank=True)
    connected_at = models.DateTimeField(null=True, blank=True)
    announced_delay_minutes = models.PositiveSmallIntegerField(default=0)
    idempotency_key = models.UUIDField(default=uuid.uuid4)

    class Meta:
        verbose_name = _("rendez-vous")
        constraints = [
            # A doctor's slot is given once; a cancelled appointment frees it.
            models.UniqueConstraint(
                fields=["doctor", "starts_at"],
                condition=models.Q(status__in=["booked", "in_progress"]),
                name="teleconsult_one_booking_per_slot",
            ),
            models.UniqueConstraint(
                fields=["booked_by", "idempotency_key"], name="teleconsult_one_booking_per_key"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="teleconsult_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["doctor", "starts_at"], name="teleconsult_doctor_day_idx"),
            models.Index(fields=["patient", "-starts_at"], name="teleconsult_patient_idx"),
            models.Index(
                fields=["starts_at"],
                condition=models.Q(status="booked"),
                name="teleconsult_reminder_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Appointment {self.public_id}"

    @property
    def is_video(self) -> bool:
        return self.mode == self.Mode.VIDEO

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.BOOKED, self.Status.IN_PROGRESS)


class CallEvent(models.Model):
    """The signalling log of a call: who joined, connected, dropped. Incidents come from here."""

    class Kind(models.TextChoices):
        JOINED = "joined", _("a rejoint l'appel")
        LEFT = "left", _("a quitté l'appel")
        CONNECTED = "connected", _("connexion établie")
        DROPPED = "dropped", _("coupure de connexion")
        REJOINED = "rejoined", _("a rejoint l'appel après une coupure")
        AUDIO_ONLY = "audio_only", _("passage en audio seul")
        VIDEO_RESUMED = "video_resumed", _("retour de la vidéo")
        POOR_LINK = "poor_link", _("connexion de mauvaise qualité")
        ICE_RESTART = "ice_restart", _("reconnexion du flux (changement de réseau)")
        MEDIA_ERROR = "media_error", _("caméra ou micro indisponible")
        GUEST_INVITED = "guest_invited", _("tiers invité")
        GUEST_JOINED = "guest_joined", _("tiers entré dans l'appel")
        OUTSIDER_REFUSED = "outsider_refused", _("connexion refusée à une personne extérieure")

    # Kinds that are technical incidents for the report (R.6316-4, 5°).
    INCIDENTS = frozenset({"dropped", "poor_link", "ice_restart", "media_error", "audio_only"})

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    role = models.CharField(max_length=12, blank=True)  # doctor, patient, guest
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Technical detail only ("auto", "manual", "rtt 900 ms"): never clinical content.
    detail = models.CharField(max_length=120, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["appointment", "at"])]

    def __str__(self) -> str:
        return f"CallEvent {self.pk}"


class GuestPass(TimeStampedModel):
    """A one-time link for a third participant (carer, interpreter) that the doctor controls."""

    class Kind(models.TextChoices):
        CARER = "carer", _("proche aidant")
        INTERPRETER = "interpreter", _("interprète")
        PROFESSIONAL = "professional", _("professionnel de santé")

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="guests")
    kind = models.CharField(_("qui ?"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("nom affiché"), max_length=80)
    rpps = models.CharField(_("RPPS (professionnel de santé)"), max_length=11, blank=True)
    # Only the digest is stored: the link itself is shown once to the doctor.
    token_digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    expires_at = models.DateTimeField()
    redeemed_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["appointment", "created_at"])]

    def __str__(self) -> str:
        return f"GuestPass {self.public_id}"


def call_file_path(instance: CallMessage, filename: str) -> str:
    return (
        f"teleconsultations/{instance.appointment.public_id}/{uuid.uuid4().hex}{instance.extension}"
    )


class CallMessage(TimeStampedModel):
    """A chat line or a shared file during the call (filed with the consultation)."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    guest = models.ForeignKey(
        GuestPass, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    body = models.TextField(blank=True)
    file = models.FileField(upload_to=call_file_path, storage=private_storage, blank=True)
    content_type = models.CharField(max_length=40, blank=True)
    extension = models.CharField(max_length=8, blank=True)
    size = models.PositiveIntegerField(default=0)
    original_name = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["appointment", "created_at"])]

    def __str__(self) -> str:
        return f"CallMessage {self.public_id}"


def report_path(instance: ConsultationReport, filename: str) -> str:
    return f"teleconsultations/{instance.appointment.public_id}/{filename}"


class ConsultationReport(TimeStampedModel):
    """The record of the act required by R.6316-4; the act cannot be closed without it.

    Report, acts, prescriptions, who took part, when, technical incidents.
    """

    appointment = models.OneToOneField(Appointment, on_delete=models.PROTECT, related_name="report")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    report_text = models.TextField(_("compte rendu"))
    acts = models.JSONField(default=list)  # billing codes, e.g. ["TCG"]
    prescriptions = models.TextField(_("prescriptions"), blank=True)
    # Every professional who took part: [{"name", "rpps", "role"}].
    professionals = models.JSONField(default=list)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField()
    incidents = models.TextField(_("incidents techniques"), blank=True)
    video = models.BooleanField(default=True)
    sick_note_days = models.PositiveSmallIntegerField(default=0)
    sick_note_ongoing_days = models.PositiveSmallIntegerField(default=0)
    sick_note_justification = models.TextField(blank=True)
    report_pdf = models.FileField(upload_to=report_path, storage=private_storage)
    prescription_pdf = models.FileField(upload_to=report_path, storage=private_storage, blank=True)
    billed_act = models.ForeignKey(
        "billing.BilledAct", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("compte rendu de téléconsultation")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_at__gte=models.F("started_at")),
                name="teleconsult_report_time_order",
            )
        ]

    def __str__(self) -> str:
        return f"ConsultationReport {self.public_id}"


class ReportDelivery(models.Model):
    """Where the report went (patient space, médecin traitant by MSSanté), or why it did not."""

    class Recipient(models.TextChoices):
        PATIENT = "patient", _("patient")
        TREATING_DOCTOR = "treating_doctor", _("médecin traitant")

    class Status(models.TextChoices):
        DELIVERED = "delivered", _("remis")
        QUEUED = "queued", _("en cours d'envoi")
        SENT = "sent", _("envoyé")
        FAILED = "failed", _("échec")
        NOT_SENT = "not_sent", _("non envoyé")

    report = models.ForeignKey(
        ConsultationReport, on_delete=models.CASCADE, related_name="deliveries"
    )
    recipient = models.CharField(max_length=16, choices=Recipient.choices)
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(max_length=12)  # platform, mssante
    status = models.CharField(max_length=10, choices=Status.choices)
    reason = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["report", "at"])]

    def __str__(self) -> str:
        return f"ReportDelivery {self.pk}"
