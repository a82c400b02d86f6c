"""A task worker killed mid-task: the task runs again, and its effect (an e-mail) happens once."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from maillage.testing import faults
from maillage.testing.faults import PrivatePostgres

LEASE_SECONDS = 4
EMAIL = "faults-killed@example.test"
TASKS = "django_tasks_database_dbtaskresult"

pytestmark = pytest.mark.faults


def _task(postgres: PrivatePostgres, notification_id: str) -> tuple[str, list[str]]:
    row = postgres.query(
        f"SELECT status, worker_ids FROM {TASKS} "  # noqa: S608  # a constant table name
        "WHERE task_path LIKE %s AND args_kwargs->'kwargs'->>'notification_id' = %s",
        "%deliver_notification_task",
        notification_id,
    )[0]
    return str(row[0]), list(row[1])


def test_a_task_whose_worker_is_killed_runs_again_and_its_email_leaves_once(
    private_postgres: PrivatePostgres, topology_dir: Path
) -> None:
    # given: a notification whose delivery task is queued, and short task leases
    topology = faults.start_topology(
        private_postgres,
        None,
        topology_dir,
        TASK_LEASE_SECONDS=str(LEASE_SECONDS),
        SCHEDULER_TICK_SECONDS="1",
    )
    seed = faults.run_seed(
        topology.env, "notify_patient", email=EMAIL, count=1, prefix="Tache interrompue"
    )
    notification_id = seed["notification_ids"][0]
    assert _task(private_postgres, notification_id) == ("READY", [])
    try:
        # A transaction of ours holds the notification's row: the task stops in the middle,
        # at its claim of the e-mail, as a slow or stuck task would.
        with private_postgres.connect() as blocker:
            blocker.execute(
                "SELECT id FROM notifications_notification WHERE public_id = %s FOR UPDATE",
                (notification_id,),
            )
            topology.start_worker("worker-1")
            topology.start_scheduler()
            faults.wait_for(
                lambda: (
                    _task(private_postgres, notification_id)[0] == "RUNNING"
                    and private_postgres.scalar(
                        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    )
                    == 1
                ),
                seconds=60,
                what="the task to be stuck mid-way",
            )
            # a live worker keeps its task however long it runs: its lease is renewed
            time.sleep(LEASE_SECONDS * 3)
            status, workers = _task(private_postgres, notification_id)
            assert (status, len(workers)) == ("RUNNING", 1)

            # when: its worker is killed, and the task's row is released
            topology.kill("worker-1")
            blocker.rollback()

        # then: the scheduler re-queues the task, another worker runs it to the end
        topology.start_worker("worker-2")
        faults.wait_for(
            lambda: _task(private_postgres, notification_id)[0] == "SUCCESSFUL",
            seconds=90,
            what="the task to run again",
        )
        faults.wait_for(
            lambda: (
                private_postgres.scalar(
                    "SELECT count(*) FROM core_outgoingemail WHERE sent_at IS NOT NULL"
                )
                >= 1
            ),
            seconds=60,
            what="the e-mail to leave",
        )
        time.sleep(2)  # room for a second, wrong, e-mail to appear
    finally:
        logs = topology.logs()
        topology.stop_all()
        print(logs)  # noqa: T201  # shown by pytest when the test fails

    status, workers = _task(private_postgres, notification_id)
    assert len(workers) == 2, logs  # ran twice: killed once, then to the end
    # its effect happened once: one e-mail queued, one sent, one claim on the notification
    assert private_postgres.query(
        'SELECT to_json("to")::text, sent_at IS NOT NULL FROM core_outgoingemail'
    ) == [(f'["{EMAIL}"]', True)]
    assert (
        private_postgres.scalar(
            "SELECT count(*) FROM notifications_notification WHERE emailed_at IS NOT NULL"
        )
        == 1
    )
    sent = [m for m in faults.sent_mail(topology_dir) if "Tache interrompue 0" in m]
    assert len(sent) == 1, sent
    assert sum(message.count("Message-ID:") for message in sent) == 1
    # and no lease is left behind
    assert private_postgres.scalar("SELECT count(*) FROM core_tasklease") == 0
