"""Stage plans are data: the usual plan ranks, a copy carries every stage, bad plans say why."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from magang import factories as f
from magang.selection.models import Stage
from magang.selection.services import USUAL_STAGES, plan_check, plan_copy, plan_create

pytestmark = pytest.mark.django_db


def test_usual_plan_has_the_domain_stages_and_province_quotas(selection: Any) -> None:
    plan = selection.plan
    assert [s.key for s in plan.stages.all()] == [s["key"] for s in USUAL_STAGES]
    assert len(USUAL_STAGES) == 8
    assert plan.stages.get(key="medical").is_medical
    assert plan.stages.get(key="interview").recorded_by == "central"
    quotas = {q.unit_key: q.seats for q in plan.quotas.all()}
    assert quotas == {"32": 2, "33": 1}
    ranking_plan = plan.ranking_plan()
    assert ranking_plan.stage("endurance").columns() == (
        "endurance.run",
        "endurance.push_ups",
        "endurance.sit_ups",
    )


def test_copy_for_next_year_keeps_stages_and_rules(selection: Any, cast: Any) -> None:
    plan = selection.plan
    Stage.objects.filter(plan=plan, key="maths").update(pass_mark=15)
    next_round = f.RoundFactory(year=2027)
    f.SiteFactory(round=next_round, province=f.province("35"), quota=40)
    copy = plan_copy(source=plan, round_=next_round, by=cast.admin)
    assert copy.copied_from == plan
    assert [s.key for s in copy.stages.all()] == [s.key for s in plan.stages.all()]
    assert copy.stages.get(key="maths").pass_mark == 15
    assert copy.reserves_per_unit == plan.reserves_per_unit
    assert {q.unit_key: q.seats for q in copy.quotas.all()} == {"35": 40}
    # Editing the copy leaves this year's plan alone.
    copy.stages.filter(key="maths").update(pass_mark=12)
    assert plan.stages.get(key="maths").pass_mark == 15


def test_a_tie_break_on_a_gate_is_refused(cast: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        plan_create(
            round_=cast.site_jabar.round, by=cast.admin, tie_break_stages=["medical", "nope"]
        )
    assert "Tie-break stage 'medical' is not a score stage." in caught.value.messages
    assert "Tie-break stage 'nope' is not in the plan." in caught.value.messages


def test_a_pass_mark_outside_the_range_is_refused(selection: Any) -> None:
    Stage.objects.filter(plan=selection.plan, key="maths").update(pass_mark=25)
    with pytest.raises(ValidationError, match="pass mark must lie within"):
        plan_check(selection.plan)
