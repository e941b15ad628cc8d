"""A round in selection: the cast's round with the usual plan, two applications per site in
selection, and a helper to record results quickly."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from magang import factories as f
from magang.recruitment.journey import Status
from magang.recruitment.models import Application
from magang.selection.models import SelectionPlan, Stage
from magang.selection.services import plan_create, result_record


@dataclass
class Selection:
    plan: SelectionPlan
    stages: dict[str, Stage]
    jabar: list[Application]
    jateng: list[Application]

    def record(self, application: Application, key: str, value: Any, **kwargs: Any) -> None:
        result_record(
            application=application,
            stage=self.stages[key],
            value=value,
            by=None,
            check_access=False,
            **kwargs,
        )


# Passing values for every stage of the usual plan (men).
PASSING: dict[str, Any] = {
    "admin": True,
    "maths": Decimal(16),
    "body": {"height": Decimal(165), "weight": Decimal(60)},
    "endurance": {"run": Decimal(800), "push_ups": Decimal(40), "sit_ups": Decimal(30)},
    "interview": Decimal(75),
    "medical": True,
    "japanese": Decimal(70),
    "passport": True,
}


@pytest.fixture
def selection(cast: Any) -> Selection:
    round_ = cast.site_jabar.round
    cast.site_jabar.quota = 2
    cast.site_jabar.save()
    cast.site_jateng.quota = 1
    cast.site_jateng.save()
    in_selection = Status.IN_SELECTION.value
    Application.objects.filter(round=round_).update(status=in_selection)
    cast.application_jabar.refresh_from_db()
    cast.application_jateng.refresh_from_db()
    jabar = [cast.application_jabar] + [
        f.ApplicationFactory(site=cast.site_jabar, status=in_selection) for _ in range(2)
    ]
    jateng = [cast.application_jateng] + [
        f.ApplicationFactory(
            site=cast.site_jateng,
            status=in_selection,
            candidate=f.CandidateFactory(province=f.province("33")),
        )
        for _ in range(2)
    ]
    plan = plan_create(round_=round_, by=cast.admin, reserves_per_unit=1)
    return Selection(
        plan=plan, stages={s.key: s for s in plan.stages.all()}, jabar=jabar, jateng=jateng
    )
