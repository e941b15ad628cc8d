"""Real concurrent transactions for tests on PostgreSQL: two threads, two connections."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction
from django.utils import translation


def race(first: Callable[[], Any], second: Callable[[], Any]) -> list[Any]:
    """Run ``first`` in a transaction that stays open until ``second`` (in another thread and
    connection) has started; return what each returned or raised."""
    outcomes: list[Any] = [None, None]
    first_done, second_started = threading.Event(), threading.Event()

    def run_first() -> None:
        try:
            with translation.override("en"), transaction.atomic():
                outcomes[0] = first()
                first_done.set()
                second_started.wait(10)
                time.sleep(0.3)  # let the second reach its lock before this one commits
        except Exception as error:
            outcomes[0] = error
        finally:
            first_done.set()
            connection.close()

    def run_second() -> None:
        first_done.wait(10)
        second_started.set()
        try:
            with translation.override("en"), transaction.atomic():
                outcomes[1] = second()
        except Exception as error:
            outcomes[1] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcomes
