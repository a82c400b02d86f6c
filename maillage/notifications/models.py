from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """Something for one person to know.

    The title never carries clinical content: e-mails and SMS repeat it outside our walls
    (REGULATION.md checklist E7).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=48)
    title = models.CharField(_("titre"), max_length=200)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    by_email = models.BooleanField(default=True)
    by_sms = models.BooleanField(default=False)
    emailed_at = models.DateTimeField(null=True, blank=True)
    sms_sent_at = models.DateTimeField(null=True, blank=True)
    # Not worth an e-mail of its own, but worth one in the next digest if still unread.
    in_digest = models.BooleanField(default=False)
    digested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["recipient", "-id"], name="notif_recipient_idx"),
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notif_unread_idx",
            ),
            models.Index(
                fields=["created_at"],
                condition=models.Q(in_digest=True, digested_at__isnull=True, read_at__isnull=True),
                name="notif_digest_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Notification {self.public_id}"


class Presence(models.Model):
    """Whether someone has Maillage open: their pages hold a notification socket.

    Counted in the database so that every ASGI process sees the same answer. A process that
    dies leaves its count behind, so presence also needs a recent ping (`seen_at`).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    connections = models.PositiveIntegerField(default=0)
    seen_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["seen_at"], name="notif_presence_seen_idx")]

    def __str__(self) -> str:
        return f"Presence {self.user_id}"
