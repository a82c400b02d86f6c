"""A task worker thread of the embedded server survives a busy SQLite database."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import OperationalError

from maillage.core.server import EmbeddedServer


class FlakyWorker:
    def __init__(self, errors: list[Exception]) -> None:
        self.errors = errors
        self.runs = 0

    def run(self) -> None:
        self.runs += 1
        if self.errors:
            raise self.errors.pop(0)


def test_a_locked_database_is_waited_for_then_the_worker_runs_again(monkeypatch: Any) -> None:
    server = EmbeddedServer()
    monkeypatch.setattr(server._stop, "wait", lambda timeout: False)
    worker = FlakyWorker([OperationalError("database is locked")] * 2)
    server._run_worker(worker)  # type: ignore[arg-type]
    assert worker.runs == 3


def test_any_other_database_error_still_stops_the_worker() -> None:
    server = EmbeddedServer()
    worker = FlakyWorker([OperationalError("no such table: django_tasks_database_dbtaskresult")])
    with pytest.raises(OperationalError):
        server._run_worker(worker)  # type: ignore[arg-type]
    assert worker.runs == 1
