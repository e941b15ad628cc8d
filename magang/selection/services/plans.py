"""Selection plans: the programme's usual stages, a new round's plan as a copy of an earlier
one, and the quotas that go with it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum

from magang.accounts.models import User
from magang.core.services import audit_record
from magang.recruitment.models import RecruitmentRound, SelectionSite

from .. import ranking
from ..models import Quota, SelectionPlan, Stage, UnitKind

# The stages DOMAIN.md describes (administrative check -> passport), as a starting point an
# administrator edits. Limits are per sex: the run is 3 km for men, 1.5 km for women.
USUAL_STAGES: tuple[Mapping[str, Any], ...] = (
    {"key": "admin", "name_en": "administrative check", "name_id": "seleksi administrasi",
     "kind": "gate"},
    {"key": "maths", "name_en": "maths test", "name_id": "tes matematika", "kind": "score",
     "min_score": 0, "max_score": 20, "pass_mark": 14, "weight": 1},
    {"key": "body", "name_en": "body check", "name_id": "pemeriksaan fisik", "kind": "measure",
     "measures": [
         {"key": "height", "name_en": "height", "name_id": "tinggi badan", "better": "higher",
          "unit": "cm", "limits": {"M": 158, "F": 150}},
         {"key": "weight", "name_en": "weight", "name_id": "berat badan", "better": "higher",
          "unit": "kg", "limits": {"M": 50, "F": 40}},
     ]},
    {"key": "endurance", "name_en": "endurance test", "name_id": "tes ketahanan fisik",
     "kind": "measure",
     "measures": [
         {"key": "run", "name_en": "run (men 3 km, women 1.5 km)",
          "name_id": "lari (laki-laki 3 km, perempuan 1,5 km)", "better": "lower", "unit": "s",
          "limits": {"M": 900, "F": 660}},
         {"key": "push_ups", "name_en": "push-ups", "name_id": "push-up", "better": "higher",
          "unit": "", "limits": {"M": 35, "F": 20}},
         {"key": "sit_ups", "name_en": "sit-ups", "name_id": "sit-up", "better": "higher",
          "unit": "", "limits": {"M": 25, "F": 15}},
     ]},
    {"key": "interview", "name_en": "interview", "name_id": "wawancara", "kind": "score",
     "min_score": 0, "max_score": 100, "pass_mark": 60, "weight": 2, "recorded_by": "central"},
    {"key": "medical", "name_en": "medical check-up", "name_id": "pemeriksaan kesehatan",
     "kind": "gate", "recorded_by": "central", "is_medical": True},
    {"key": "japanese", "name_en": "Japanese test", "name_id": "tes bahasa Jepang",
     "kind": "score", "min_score": 0, "max_score": 100, "pass_mark": 60, "weight": 1,
     "recorded_by": "central"},
    {"key": "passport", "name_en": "passport", "name_id": "paspor", "kind": "gate",
     "recorded_by": "central"},
)  # fmt: skip
USUAL_TIE_BREAKS = ("interview", "japanese")

_STAGE_FIELDS = (
    "key", "name_en", "name_id", "kind", "eliminating", "recorded_by", "is_medical",
    "min_score", "max_score", "pass_mark", "weight", "measures",
)  # fmt: skip


def plan_check(plan: SelectionPlan) -> None:
    """Raise ValidationError listing every problem the ranking would find in the plan."""
    try:
        stages = plan.ranking_plan()
        rules = plan.ranking_rules()
    except ranking.InvalidInput as exc:
        raise ValidationError(list(exc.problems)) from exc
    except (KeyError, TypeError) as exc:
        raise ValidationError(f"A measurement is missing {exc}.") from exc
    problems = []
    for key in rules.tie_break_stages:
        try:
            if stages.stage(key).kind != "score":
                problems.append(f"Tie-break stage '{key}' is not a score stage.")
        except KeyError:
            problems.append(f"Tie-break stage '{key}' is not in the plan.")
    if problems:
        raise ValidationError(problems)


def default_quotas(round_: RecruitmentRound, unit_kind: str) -> list[tuple[str, str, int]]:
    """(unit key, name, seats) from the round's sites: a site's quota, or per province the sum
    of its sites' quotas."""
    sites = SelectionSite.objects.filter(round=round_)
    if unit_kind == UnitKind.SITE:
        return [(str(s.pk), s.name, s.quota) for s in sites.order_by("pk")]
    rows = (
        sites.values("province__code", "province__name")
        .annotate(seats=Sum("quota"))
        .order_by("province__code")
    )
    return [(r["province__code"], r["province__name"], r["seats"] or 0) for r in rows]


@transaction.atomic
def plan_create(
    *,
    round_: RecruitmentRound,
    by: User | None,
    stages: Sequence[Mapping[str, Any]] = USUAL_STAGES,
    unit_kind: str = UnitKind.PROVINCE,
    reserves_per_unit: int = 0,
    redistribution: str = "none",
    tie_break_stages: Sequence[str] = USUAL_TIE_BREAKS,
    quotas: Sequence[tuple[str, str, int]] | None = None,
) -> SelectionPlan:
    """A round's plan from stage data; quotas default to the sites' (``default_quotas``)."""
    plan = SelectionPlan.objects.create(
        round=round_,
        unit_kind=unit_kind,
        reserves_per_unit=reserves_per_unit,
        redistribution=redistribution,
        tie_break_stages=list(tie_break_stages),
    )
    Stage.objects.bulk_create(
        Stage(plan=plan, order=order, **dict(data)) for order, data in enumerate(stages, 1)
    )
    units = default_quotas(round_, unit_kind) if quotas is None else quotas
    Quota.objects.bulk_create(
        Quota(plan=plan, unit_key=key, name=name, seats=seats) for key, name, seats in units
    )
    plan_check(plan)
    audit_record(
        actor=by,
        action="selection.plan_create",
        obj=plan,
        changes={"stages": [s["key"] for s in stages], "units": len(units)},
    )
    return plan


@transaction.atomic
def plan_copy(*, source: SelectionPlan, round_: RecruitmentRound, by: User | None) -> SelectionPlan:
    """Next round's plan: the same stages and rules; quotas from the new round's sites when
    they exist, else the same as before. Edit the copy, not code."""
    stages = [
        {name: getattr(stage, name) for name in _STAGE_FIELDS} for stage in source.stages.all()
    ]
    quotas = default_quotas(round_, source.unit_kind) or [
        (q.unit_key, q.name, q.seats) for q in source.quotas.all()
    ]
    plan = plan_create(
        round_=round_,
        by=by,
        stages=stages,
        unit_kind=source.unit_kind,
        reserves_per_unit=source.reserves_per_unit,
        redistribution=source.redistribution,
        tie_break_stages=source.tie_break_stages,
        quotas=quotas,
    )
    plan.copied_from = source
    plan.save(update_fields=["copied_from", "updated_at"])
    return plan
