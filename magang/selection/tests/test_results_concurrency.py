"""Two people saving the same result at the same moment, with real concurrent transactions on
PostgreSQL: one is saved, the other is refused with a sentence naming who saved what."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from magang import factories as f
from magang.accounts.models import Organisation, Role
from magang.selection.models import StageResult
from magang.selection.services import result_record
from magang.tests.concurrency import race

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite locks the whole database, so writes never interleave",
    ),
]


def test_two_first_entries_of_one_result_give_one_save_and_one_clear_refusal(
    selection: Any, cast: Any
) -> None:
    other = f.member("central.two", Role.CENTRAL_TEAM, Organisation.objects.get(name="Kemnaker"))
    application, stage = cast.application_jabar, selection.stages["interview"]

    def save(by: Any, score: int) -> Any:
        return lambda: result_record(
            application=application, stage=stage, value=Decimal(score), by=by,
            expected_version=0,
        )  # fmt: skip

    first, second = race(save(cast.central, 70), save(other, 80))

    assert isinstance(first, StageResult)
    assert isinstance(second, ValidationError), second
    assert "meanwhile" in " ".join(second.messages)
    stored = StageResult.objects.get(application=application, stage=stage)
    assert (stored.score, stored.version) == (Decimal(70), 1)


def test_two_edits_from_the_same_version_give_one_save_and_one_clear_refusal(
    selection: Any, cast: Any
) -> None:
    other = f.member("central.two", Role.CENTRAL_TEAM, Organisation.objects.get(name="Kemnaker"))
    application, stage = cast.application_jabar, selection.stages["interview"]
    selection.record(application, "interview", Decimal(60))

    def change(by: Any, score: int) -> Any:
        return lambda: result_record(
            application=application, stage=stage, value=Decimal(score), by=by,
            reason="Recount", expected_version=1,
        )  # fmt: skip

    first, second = race(change(cast.central, 75), change(other, 85))

    assert isinstance(first, StageResult)
    assert isinstance(second, ValidationError), second
    assert "meanwhile" in " ".join(second.messages)
    stored = StageResult.objects.get(application=application, stage=stage)
    assert (stored.score, stored.version) == (Decimal(75), 2)
