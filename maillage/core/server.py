"""The embedded server: pages, websockets, task workers and the scheduler in one process.

One process, so that the in-memory channel layer reaches every socket. Used by `manage.py serve`
and by the browser tests. At scale, run them as separate processes instead (see README).
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from django.conf import settings
from django.db import OperationalError, close_old_connections, connections
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from maillage.core import realtime, scheduler

logger = logging.getLogger(__name__)


@dataclass
class EmbeddedServer:
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    with_scheduler: bool = True
    worker_interval: float = 0.5
    log_level: str = "info"
    _server: uvicorn.Server | None = None
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)
    _workers: list[Worker] = field(default_factory=list)
    _in_flight: int = 0

    def _run_worker(self, worker: Worker) -> None:
        # SQLite refuses BEGIN IMMEDIATE while another thread holds a long write (a demo being
        # seeded, a big import): django-tasks-db retries a locked claim but not a locked BEGIN,
        # and a dead worker thread would leave every task queued. Wait and start again.
        try:
            while not self._stop.is_set():
                try:
                    worker.run()
                except OperationalError as error:
                    if "locked" not in str(error) or self._stop.is_set():
                        raise
                    logger.warning("task worker: database busy, retrying in a second")
                    connections.close_all()
                    self._stop.wait(1.0)
                else:
                    return
        finally:
            connections.close_all()

    def _run_scheduler(self) -> None:
        try:
            scheduler.run_forever(settings.SCHEDULER_TICK_SECONDS, should_stop=self._stop.is_set)
        finally:
            close_old_connections()
            connections.close_all()

    def _start_background(self) -> None:
        queues = list(settings.TASKS["default"].get("QUEUES", ["default"]))
        for index in range(self.workers):
            worker = Worker(
                queue_names=queues,
                interval=self.worker_interval,
                batch=False,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id=f"embedded-{index}-{get_random_string(8)}",
                excluded_queue_names=[],
            )
            self._workers.append(worker)
            self._threads.append(
                threading.Thread(
                    target=self._run_worker,
                    args=(worker,),
                    name=f"task-worker-{index}",
                    daemon=True,
                )
            )
        if self.with_scheduler:
            self._threads.append(
                threading.Thread(target=self._run_scheduler, name="scheduler", daemon=True)
            )
        for thread in self._threads:
            thread.start()

    async def serve(self) -> None:
        """Run until `stop()` (or a signal, when running in the main thread)."""
        from config.asgi import application

        async def counted(scope: Any, receive: Any, send: Any) -> None:
            self._in_flight += 1
            try:
                await application(scope, receive, send)
            finally:
                self._in_flight -= 1

        realtime.bind_server_loop(asyncio.get_running_loop())
        config = uvicorn.Config(
            counted,
            host=self.host,
            port=self.port,
            log_level=self.log_level,
            lifespan="off",
            ws_max_size=64 * 1024,
        )
        self._server = uvicorn.Server(config)
        self._start_background()
        try:
            await self._server.serve()
        finally:
            self.shutdown_background()
            realtime.bind_server_loop(None)

    @property
    def started(self) -> bool:
        return self._server is not None and self._server.started

    def is_idle(self) -> bool:
        """No request or socket being handled, no task running and none due."""
        from django_tasks_db.models import DBTaskResult

        if self._in_flight or any(worker.running_task for worker in self._workers):
            return False
        return not DBTaskResult.objects.ready().exists()

    def wait_idle(self, timeout: float = 15.0) -> bool:
        """Wait until the server is idle; False if it is still busy after `timeout`.

        The browser tests call it before the test database is emptied: a socket's last write
        racing PostgreSQL's TRUNCATE deadlocks it.
        """
        deadline = time.monotonic() + timeout
        while not self.is_idle():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True

    def shutdown_background(self) -> None:
        self._stop.set()
        for worker in self._workers:
            worker.running = False
        for thread in self._threads:
            thread.join(timeout=10)
