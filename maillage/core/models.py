from __future__ import annotations

import uuid
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Base for domain rows: an opaque public id for URLs, internal integer keys elsewhere."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Commune(models.Model):
    """A French commune (INSEE code), the unit of territory for practices and dashboards."""

    insee_code = models.CharField(_("code INSEE"), max_length=5, unique=True)
    name = models.CharField(_("nom"), max_length=120)
    postcode = models.CharField(_("code postal"), max_length=5)
    department = models.CharField(_("département"), max_length=3, db_index=True)
    latitude = models.DecimalField(max_digits=8, decimal_places=5)
    longitude = models.DecimalField(max_digits=8, decimal_places=5)
    # Lower case, no accents: "luneville" finds Lunéville (filled on save).
    folded_name = models.CharField(max_length=120, editable=False, default="")

    class Meta:
        ordering = ["name"]
        verbose_name = _("commune")
        indexes = [
            models.Index(fields=["name"]),
            models.Index(fields=["folded_name"], name="core_commune_folded_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.postcode})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        from maillage.core.fulltext import fold

        self.folded_name = fold(self.name)
        super().save(*args, **kwargs)


class ScheduledRun(models.Model):
    """One claimed time slot of a periodic job (see maillage.core.scheduler)."""

    job = models.CharField(max_length=100)
    slot = models.BigIntegerField()
    claimed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "slot"], name="core_scheduled_run_once")
        ]

    def __str__(self) -> str:
        return f"ScheduledRun {self.job}#{self.slot}"


class OutgoingEmail(models.Model):
    """An e-mail waiting for the task worker: requests never talk to the mail server.

    The body is wiped once sent, so that links with tokens (password reset, e-mail
    confirmation) do not outlive their delivery in the database.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    to = models.JSONField()
    subject = models.CharField(max_length=255)
    body = models.TextField()
    html = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # A worker's lease while it talks to the mail server (no database lock is held meanwhile).
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=100, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(sent_at__isnull=True),
                name="core_email_unsent_idx",
            )
        ]

    def __str__(self) -> str:
        return f"OutgoingEmail {self.public_id}"


class TaskLease(models.Model):
    """A running task's proof of life, renewed by its worker (see maillage.core.leases).

    django-tasks-db marks a claimed task RUNNING and nothing else: a worker killed mid-task
    would leave it RUNNING for ever. The scheduler re-queues RUNNING tasks whose lease expired.
    """

    task_id = models.UUIDField(primary_key=True)
    worker_id = models.CharField(max_length=64)
    renewed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"TaskLease {self.task_id}"
