"""Two committee members giving the last slot of a job order to two people at the same moment,
with real concurrent transactions on PostgreSQL: one gets it, the other is refused clearly."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from magang import factories as f
from magang.accounts.models import Organisation, Role
from magang.placement.models import Match, MatchRun
from magang.placement.services.matching import match_change
from magang.tests.concurrency import race

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite locks the whole database, so writes never interleave",
    ),
]


def test_two_changes_into_the_last_slot_give_one_match_and_one_refusal(
    placement: Any, cast: Any
) -> None:
    other = f.member("central.two", Role.CENTRAL_TEAM, Organisation.objects.get(name="Kemnaker"))
    order = placement.orders[1]  # one slot
    run = MatchRun.objects.create(input_digest="0" * 64, created_at=timezone.now())
    run.job_orders.set(placement.orders)
    first_match, second_match = (
        Match.objects.create(run=run, application=application)
        for application in placement.graduates[:2]
    )

    def give(match: Match, by: Any) -> Any:
        return lambda: match_change(match=match, job_order=order, reason="Committee", by=by)

    first, second = race(give(first_match, cast.central), give(second_match, other))

    assert isinstance(first, Match)
    assert isinstance(second, ValidationError), second
    assert "no free slot" in " ".join(second.messages)
    assert Match.objects.filter(run=run, job_order=order).count() == 1
