from __future__ import annotations

import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from maillage.core import scheduler


class Command(BaseCommand):
    help = "Enqueue periodic jobs on their cadence (one per host is fine: slots are claimed once)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="Run one tick and exit.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            started = scheduler.run_due_jobs()
            self.stdout.write(f"enqueued: {', '.join(started) or 'nothing due'}")
            return
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        jobs = ", ".join(job.name for job in scheduler.registered_jobs())
        self.stdout.write(f"scheduler running every {settings.SCHEDULER_TICK_SECONDS}s: {jobs}")
        scheduler.run_forever(settings.SCHEDULER_TICK_SECONDS, should_stop=stop.is_set)
