"""Periodic jobs: a loop that enqueues idempotent tasks on a fixed cadence.

Every scheduler process (one per host is fine) tries to claim the current time slot of each job
by inserting a row keyed on (job, slot); the unique constraint lets exactly one of them enqueue.
Jobs are idempotent tasks, so a slot lost to a crash is simply caught up by the next one.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from maillage.core.models import ScheduledRun

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every_seconds: int
    enqueue: Callable[[], object]


_REGISTRY: dict[str, PeriodicJob] = {}


def periodic(
    name: str, *, every_seconds: int
) -> Callable[[Callable[[], object]], Callable[[], object]]:
    """Register a function that enqueues a task, to be called once per `every_seconds` slot."""

    def register(enqueue: Callable[[], object]) -> Callable[[], object]:
        _REGISTRY[name] = PeriodicJob(name=name, every_seconds=every_seconds, enqueue=enqueue)
        return enqueue

    return register


def registered_jobs() -> list[PeriodicJob]:
    from django.apps import apps

    for config in apps.get_app_configs():  # importing `schedules` modules registers their jobs
        if config.name.startswith("maillage."):
            try:
                __import__(f"{config.name}.schedules")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.schedules":
                    raise
    return sorted(_REGISTRY.values(), key=lambda job: job.name)


def run_due_jobs(now: datetime | None = None) -> list[str]:
    """Enqueue every job whose current slot nobody has claimed yet; return their names."""
    moment = now or timezone.now()
    started: list[str] = []
    for job in registered_jobs():
        slot = int(moment.timestamp()) // job.every_seconds
        # Claim and enqueue in one transaction: with the database task backend the task row
        # commits with the claim, so a slot is enqueued exactly once, or not claimed at all.
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(job=job.name, slot=slot, claimed_at=moment)
                job.enqueue()
        except IntegrityError:
            continue  # another scheduler already took this slot
        except Exception:
            logger.exception("periodic job %s could not be enqueued", job.name)
            continue
        started.append(job.name)
    return started


def run_forever(tick_seconds: int, *, should_stop: Callable[[], bool]) -> None:
    while not should_stop():
        try:
            for name in run_due_jobs():
                logger.info("periodic job enqueued: %s", name)
        except Exception:  # a database hiccup must not kill the scheduler
            logger.exception("scheduler tick failed")
        for _ in range(tick_seconds * 10):
            if should_stop():
                return
            time.sleep(0.1)
