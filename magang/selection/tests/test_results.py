"""Recording results: the stage's rule, ranges, reasons for changes, history, stale edits,
who may record what, and medical detail."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given
from hypothesis import strategies as st

from magang.core.models import AuditEntry
from magang.selection.models import StageResult, StageResultChange
from magang.selection.services import (
    StaleResult,
    may_record,
    may_see_detail,
    result_parse,
    result_passes,
    result_record,
)

pytestmark = pytest.mark.django_db


def test_parse_accepts_what_people_type(selection: Any) -> None:
    stages = selection.stages
    assert result_parse(stages["admin"], "lulus") is True
    assert result_parse(stages["admin"], "0") is False
    assert result_parse(stages["maths"], "14,5") == Decimal("14.50")
    assert result_parse(stages["body"], {"height": "160", "weight": 55.5}) == {
        "height": Decimal("160.00"),
        "weight": Decimal("55.50"),
    }


@pytest.mark.parametrize(
    ("key", "raw", "message"),
    [
        ("admin", "maybe", "is not a result"),
        ("maths", "21", "outside the range 0 to 20"),
        ("maths", "-1", "outside the range"),
        ("maths", "abc", "is not a number"),
        ("maths", "", "is empty"),
        ("maths", "14.125", "more than two decimals"),
        ("maths", "1e30", "far too large"),
        ("body", {"height": "1e30", "weight": "50"}, "far too large"),
        ("body", {"height": "160"}, "weight is empty"),
        ("body", {"height": "-1", "weight": "50"}, "cannot be negative"),
        ("body", {"height": "160", "weight": "50", "waist": "1"}, "Unknown measurement"),
    ],
)
def test_parse_refuses_with_the_reason(selection: Any, key: str, raw: Any, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        result_parse(selection.stages[key], raw)
    assert message in " ".join(caught.value.messages)


def test_pass_rules_follow_the_stage_and_sex(selection: Any) -> None:
    maths, endurance = selection.stages["maths"], selection.stages["endurance"]
    assert result_passes(maths, Decimal(14), "M")
    assert not result_passes(maths, Decimal("13.99"), "M")
    woman = {"run": Decimal(650), "push_ups": Decimal(20), "sit_ups": Decimal(15)}
    assert result_passes(endurance, woman, "F")
    assert not result_passes(endurance, woman, "M")  # men run 3 km in 900 s, 35 push-ups


@given(score=st.decimals(min_value=0, max_value=20, places=2))
def test_a_score_passes_exactly_at_or_above_the_pass_mark(score: Decimal) -> None:
    from magang.selection.models import Stage

    stage = Stage(kind="score", min_score=0, max_score=20, pass_mark=14)
    assert result_passes(stage, score, "M") == (score >= 14)


def test_first_entry_then_change_needs_reason_and_keeps_history(selection: Any, cast: Any) -> None:
    application, maths = selection.jabar[0], selection.stages["maths"]
    first = result_record(
        application=application, stage=maths, value=Decimal(12), by=cast.officer_jabar
    )
    assert first is not None and not first.passed and first.version == 1
    with pytest.raises(ValidationError, match="give a reason"):
        result_record(
            application=application, stage=maths, value=Decimal(15), by=cast.officer_jabar
        )
    assert StageResult.objects.get(pk=first.pk).score == 12
    # The same value again changes nothing and needs no reason.
    assert (
        result_record(
            application=application, stage=maths, value=Decimal(12), by=cast.officer_jabar
        )
        is None
    )
    changed = result_record(
        application=application,
        stage=maths,
        value=Decimal(15),
        by=cast.central,
        reason="Scoring sheet re-marked",
    )
    assert changed is not None and changed.passed and changed.version == 2
    change = StageResultChange.objects.get(result=first)
    assert change.old["score"] == "12.00" and change.new["score"] == "15.00"
    assert change.changed_by == cast.central and change.reason == "Scoring sheet re-marked"
    assert AuditEntry.objects.filter(action="selection.result_change").count() == 1


def test_a_stale_edit_is_refused_with_the_other_value(selection: Any, cast: Any) -> None:
    application, maths = selection.jabar[0], selection.stages["maths"]
    result_record(
        application=application,
        stage=maths,
        value=Decimal(12),
        by=cast.officer_jabar,
        expected_version=0,
    )
    # Two people loaded version 1; the first saves, the second is refused.
    result_record(
        application=application,
        stage=maths,
        value=Decimal(16),
        by=cast.central,
        reason="Recount",
        expected_version=1,
    )
    with pytest.raises(StaleResult) as caught:
        result_record(
            application=application,
            stage=maths,
            value=Decimal(13),
            by=cast.officer_jabar,
            reason="Typo",
            expected_version=1,
        )
    assert "16.00" in caught.value.messages[0]
    assert StageResult.objects.get(application=application, stage=maths).score == 16
    # Two people adding a first entry at once: the second is stale too.
    interview = selection.stages["interview"]
    result_record(
        application=application,
        stage=interview,
        value=Decimal(70),
        by=cast.central,
        expected_version=0,
    )
    with pytest.raises(StaleResult):
        result_record(
            application=application,
            stage=interview,
            value=Decimal(80),
            by=cast.central,
            expected_version=0,
        )


def test_who_may_record(selection: Any, cast: Any) -> None:
    jabar, jateng = selection.jabar[0], selection.jateng[0]
    maths, interview = selection.stages["maths"], selection.stages["interview"]
    assert may_record(cast.officer_jabar, maths, jabar)
    assert not may_record(cast.officer_jabar, maths, jateng)  # another region's site
    assert not may_record(cast.officer_jabar, interview, jabar)  # a central stage
    assert may_record(cast.central, interview, jateng)
    for user in (cast.leadership, cast.trainer, cast.partner, cast.host, cast.candidate):
        assert not may_record(user, maths, jabar)
    with pytest.raises(PermissionDenied):
        result_record(application=jateng, stage=maths, value=Decimal(15), by=cast.officer_jabar)
    assert not StageResult.objects.exists()


def test_results_only_for_applications_in_selection(selection: Any, cast: Any) -> None:
    application = selection.jabar[0]
    application.status = "withdrawn"
    with pytest.raises(ValidationError, match="in selection"):
        result_record(
            application=application, stage=selection.stages["admin"], value=True, by=cast.central
        )


def test_medical_detail_only_for_central_team_and_candidate(selection: Any, cast: Any) -> None:
    medical, maths = selection.stages["medical"], selection.stages["maths"]
    mine = selection.jabar[0]  # the cast candidate's own application
    assert may_see_detail(cast.central, medical, mine)
    assert may_see_detail(cast.candidate, medical, mine)
    assert not may_see_detail(cast.candidate, medical, selection.jabar[1])
    for user in (cast.officer_jabar, cast.leadership, cast.admin, cast.partner):
        assert not may_see_detail(user, medical, mine)
        assert may_see_detail(user, maths, mine)
    selection.record(mine, "medical", False, note="hypertension")
    entry = AuditEntry.objects.get(action="selection.result_record")
    assert "hypertension" not in str(entry.changes)
