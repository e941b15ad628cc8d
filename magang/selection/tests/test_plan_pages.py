"""Administrators copy a plan to next year's round and edit it in the admin, where every
stage is checked by the ranking's own rules; a final plan cannot change."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from magang import factories as f
from magang.selection.admin import StageForm
from magang.selection.models import RankingRun, SelectionPlan

from .test_runs_pages import client_for

pytestmark = pytest.mark.django_db


def test_an_administrator_copies_the_plan_to_next_year(selection: Any, cast: Any) -> None:
    next_round = f.RoundFactory(year=2027)
    url = reverse("selection:plan_copy", args=[selection.plan.round.code])
    for name in ("central", "leadership", "officer_jabar", "candidate", "outsider"):
        assert client_for(getattr(cast, name)).get(url).status_code == 403
    admin = client_for(cast.admin)
    assert admin.post(url, {"round": selection.plan.round.code}).status_code == 400
    response = admin.post(url, {"round": next_round.code})
    copy = SelectionPlan.objects.get(round=next_round)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:selection_selectionplan_change", args=[copy.pk])
    assert copy.stages.count() == 8


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "score", "min_score": 0, "max_score": 20, "pass_mark": 25}, "pass mark"),
        ({"kind": "gate", "weight": 2}, "only score stages have a weight"),
        ({"kind": "measure", "measures": []}, "has no measures"),
        ({"kind": "measure", "measures": [{"key": "run"}]}, "incomplete"),
    ],
)
def test_the_admin_refuses_a_stage_the_ranking_cannot_use(
    selection: Any, changes: dict[str, Any], message: str
) -> None:
    data = {
        "order": 9, "key": "extra", "name_en": "extra test", "name_id": "tes tambahan",
        "eliminating": True, "recorded_by": "site", "weight": 0, "measures": "[]",
    }  # fmt: skip
    data.update(
        {k: v if k != "measures" else __import__("json").dumps(v) for k, v in changes.items()}
    )
    form = StageForm(data=data)
    assert not form.is_valid()
    assert message in str(form.errors)


def test_a_final_plan_is_read_only_in_the_admin(selection: Any, cast: Any) -> None:
    url = reverse("admin:selection_selectionplan_change", args=[selection.plan.pk])
    admin = client_for(cast.admin)
    cast.admin.is_staff = cast.admin.is_superuser = True
    cast.admin.save()
    page = admin.get(url)
    assert page.status_code == 200 and b'name="stages-0-pass_mark"' in page.content
    RankingRun.objects.create(
        plan=selection.plan, number=1, state="final", rules_version="x", input_digest="x",
        result_digest="x", created_at=selection.plan.created_at,
    )  # fmt: skip
    assert b'name="stages-0-pass_mark"' not in admin.get(url).content
