"""TITP's stages, exams and monitoring rules as rows: what administrators start from and edit
in the admin. Another programme (Employment for Skill Development from 2027) is other rows."""

from __future__ import annotations

from django.db import transaction

from magang.recruitment.models import Programme

from ..models import ExamType, Stage, StayRules

TITP_EXAMS = (
    ("titp-basic", "Basic grade skills test", "基礎級"),
    ("titp-grade3", "Grade 3 skills test", "随時3級"),
    ("titp-grade2", "Grade 2 skills test", "随時2級"),
)


@transaction.atomic
def titp_rules_ensure(*, programme: Programme) -> list[Stage]:
    """Give a TITP programme its three stages, its exams and its monitoring rules (kept as
    they are when already there)."""
    exams = {
        code: ExamType.objects.get_or_create(code=code, defaults={"name": name, "name_ja": ja})[0]
        for code, name, ja in TITP_EXAMS
    }
    StayRules.objects.get_or_create(programme=programme)
    prefix = programme.code
    rows: tuple[tuple[int, str, str, int, tuple[str, ...], dict[str, object]], ...] = (
        (1, "TITP stage 1", "技能実習1号", 12, (), {}),
        (2, "TITP stage 2", "技能実習2号", 24, ("titp-basic",), {}),
        (
            3, "TITP stage 3", "技能実習3号", 24, ("titp-grade3",),
            {"requires_eligible_trade": True, "min_home_leave_days": 30,
             "requires_excellent_organisations": True},
        ),
    )  # fmt: skip
    stages = []
    for number, name, name_ja, months, required, extra in rows:
        stage, created = Stage.objects.get_or_create(
            programme=programme, number=number,
            defaults={"code": f"{prefix}-{number}", "name": name, "name_ja": name_ja,
                      "duration_months": months, **extra},
        )  # fmt: skip
        if created:
            stage.required_exams.set([exams[code] for code in required])
        stages.append(stage)
    return stages
