from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from maillage.accounts.models import User
from maillage.audit.models import AuditEvent
from maillage.audit.services import log_event

URL = reverse("operations:status")


def _task(status: str, **fields: object) -> DBTaskResult[..., object]:
    now = timezone.now()
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="maillage.core.tasks.clear_expired_sessions_task",
        queue_name="default",
        backend_name="default",
        run_after=now,
        **fields,
    )


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_the_login_page(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("persona", ["patient", "treating_clinician", "staff"])
def test_anyone_but_an_operator_gets_404(
    client: Client, persona: str, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 404


def test_the_operator_sees_queue_depth_failures_and_volumes(
    client: Client, operator: User, patient: User
) -> None:
    # given two waiting tasks (the oldest for ten minutes), one running, failures old and new
    now = timezone.now()
    with time_machine.travel(now - timedelta(minutes=10), tick=False):
        _task("READY")
    with time_machine.travel(now, tick=False):
        _task("READY")
        _task("RUNNING")
        _task("FAILED", finished_at=now - timedelta(hours=1))
        _task("FAILED", finished_at=now - timedelta(days=2))
    with time_machine.travel(now - timedelta(days=2), tick=False):
        log_event(actor=patient, action="test.old")
    client.force_login(operator)

    # when the operator opens the status page
    with time_machine.travel(now, tick=False):
        response = client.get(URL)

    # then the figures are right
    assert response.status_code == 200
    status = response.context["status"]
    assert status.tasks_ready == 2
    assert status.oldest_ready_seconds == 600
    assert status.tasks_running == 1
    assert status.tasks_failed_24h == 1
    assert status.users_by_role == {"gp": 1, "patient": 1, "operator": 1}
    assert status.audit_events_24h == AuditEvent.objects.exclude(action="test.old").count()
    assert re.search(r'<dd id="tasks-ready">2</dd>', response.content.decode())


def test_an_empty_queue_has_no_oldest_task(client: Client, operator: User) -> None:
    client.force_login(operator)
    response = client.get(URL)
    assert response.context["status"].tasks_ready == 0
    assert response.context["status"].oldest_ready_seconds is None
