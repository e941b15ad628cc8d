"""Background work: enqueued only after commit, never for a rolled-back change, and a broker
outage does not lose the follow-up."""

from __future__ import annotations

from typing import Any

import pytest
from celery import shared_task
from django.core import mail
from django.db import transaction

from magang.core.tasks import PERIODIC_COMMANDS, enqueue_on_commit, run_command
from magang.factories import ApplicationFactory
from magang.recruitment.journey import Status
from magang.recruitment.services import application_advance

calls: list[dict[str, Any]] = []


@shared_task(name="magang.core.tests.record")
def record(**kwargs: Any) -> None:
    calls.append(kwargs)


@pytest.fixture(autouse=True)
def _clear() -> None:
    calls.clear()


@pytest.mark.django_db
def test_a_task_waits_for_the_commit(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enqueue_on_commit(record, event_id=7)
        assert calls == []
    assert len(callbacks) == 1
    assert calls == [{"event_id": 7}]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_task_of_a_rolled_back_transaction_is_never_sent() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_on_commit(record, event_id=8)
        raise RuntimeError("the decision fails")
    assert calls == []

    with transaction.atomic():
        enqueue_on_commit(record, event_id=9)
    assert calls == [{"event_id": 9}]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_broker_outage_runs_the_work_here(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise ConnectionRefusedError("no broker")

    monkeypatch.setattr(record, "apply_async", refuse)
    with transaction.atomic():
        enqueue_on_commit(record, event_id=10)
    assert calls == [{"event_id": 10}]


@pytest.mark.django_db
def test_a_status_change_mails_the_candidate_after_commit(
    django_capture_on_commit_callbacks: Any,
) -> None:
    application = ApplicationFactory(candidate__email="siti@example.id")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        application_advance(application=application, to=Status.ELIGIBLE, by=None, reason="ok")
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert [message.to for message in mail.outbox] == [["siti@example.id"]]


def test_only_listed_commands_run_periodically() -> None:
    assert {"stats_refresh", "backup"} <= PERIODIC_COMMANDS
    with pytest.raises(ValueError, match="not a periodic command"):
        run_command("flush")


def test_the_beat_schedule_names_only_periodic_commands() -> None:
    from django.core.management import get_commands

    from config.celery import app

    for entry in app.conf.beat_schedule.values():
        assert entry["task"] == "magang.core.tasks.run_command"
        name = entry["args"][0]
        assert name in PERIODIC_COMMANDS
        assert name in get_commands(), name


@pytest.mark.django_db
def test_bulk_moves_mail_what_one_by_one_moves_mail_in_few_tasks(
    django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from magang.recruitment.models import JourneyEvent
    from magang.recruitment.notifications import notify_status_change
    from magang.recruitment.services import AdvanceMove, applications_advance_bulk

    monkeypatch.setattr("magang.recruitment.services.EVENTS_PER_TASK", 2)
    moved = [ApplicationFactory(candidate__email=f"bulk{i}@example.id") for i in range(5)]
    moved.append(ApplicationFactory(candidate__email="", candidate__user=None))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        events = applications_advance_bulk(
            moves=[AdvanceMove(a.pk, Status.ELIGIBLE, "ok", None) for a in moved], by=None
        )
    assert len(callbacks) == 3  # six events in tasks of two
    from_bulk = [(m.to, m.subject, m.body, m.from_email) for m in mail.outbox]
    assert [to for to, *_ in from_bulk] == [[f"bulk{i}@example.id"] for i in range(5)]

    mail.outbox.clear()
    for event in events:
        assert isinstance(event, JourneyEvent)
        notify_status_change(event_id=event.pk)
    assert from_bulk == [(m.to, m.subject, m.body, m.from_email) for m in mail.outbox]
