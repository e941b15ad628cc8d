"""The stay in the demo: TITP's stages and exams as data, and for every intern in Japan today
an arrival, a stage by time served, passed exams, the open placement and the next monitoring
visit and audit (about one in seven overdue). Then a few live moves through the services, as
they would arrive from IM Japan: transfers, early returns, interns gone missing and one found
again.

The thousands of current interns are written in bulk (``source=demo``); the live moves go
through the same services as the pages and the API.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.utils import timezone

from magang.internships.models import (
    DutyKind,
    Exam,
    ExamResult,
    ExamType,
    ExcellentStanding,
    HomeLeave,
    HostPlacement,
    Internship,
    MonitoringDuty,
    Source,
)
from magang.internships.schedule import AUDIT, VISIT, MonitoringRules, due_on
from magang.internships.services import stay as services
from magang.internships.services.monitoring import monitoring_rules, stay_rules
from magang.internships.services.programme import titp_rules_ensure
from magang.internships.stages import add_months
from magang.recruitment.journey import Status
from magang.recruitment.models import Programme

from .organisations import Cast

CENTRES = ("IM Japan Chiba training centre", "IM Japan Osaka training centre")
OVERDUE_SHARE = 0.15


def internships_build(
    *, cast: Cast, seed: int, today: dt.date, say: Callable[[str], None]
) -> dict[str, int]:
    rng = random.Random(seed)
    today = min(today, timezone.localdate())
    programme = Programme.objects.filter(rounds__isnull=False).order_by("valid_from").first()
    if programme is None:
        return {}
    say("Internships: TITP stages, exams and monitoring rules")
    stages = {s.number: s for s in titp_rules_ensure(programme=programme)}
    exams = {e.code: e for e in ExamType.objects.all()}
    plan = monitoring_rules(stay_rules(programme))
    current = list(
        Internship.objects.filter(ended_on__isnull=True, application__status=Status.IN_JAPAN)
        .select_related("trade")
        .order_by("id")
    )
    placements, exam_rows, leaves, duties = [], [], [], []
    stage3_hosts: set[int] = set()
    for i in current:
        arrived = i.departed_on + dt.timedelta(days=1)
        i.arrived_on = arrived
        i.collective_training_centre = rng.choice(CENTRES)
        i.collective_training_until = arrived + dt.timedelta(days=30)
        stage1_end = add_months(arrived, stages[1].duration_months)
        stage2_end = add_months(stage1_end, stages[2].duration_months)
        if today < stage1_end:
            i.stage, i.stage_started_on = stages[1], arrived
        elif today < stage2_end or not i.trade.stage3_eligible:
            i.stage, i.stage_started_on = stages[2], stage1_end
        else:
            i.stage, i.stage_started_on = stages[3], stage2_end
            if i.host_company_id is not None:
                stage3_hosts.add(i.host_company_id)
        if i.host_company_id is not None:
            placements.append(
                HostPlacement(
                    internship=i,
                    host_company_id=i.host_company_id,
                    prefecture_id=i.prefecture_id,
                    started_on=arrived,
                )
            )
        basic_on = add_months(arrived, 10)
        if basic_on <= today:
            passed = i.stage.number > 1 or rng.random() < 0.9
            exam_rows.append(
                Exam(
                    internship=i,
                    exam_type=exams["titp-basic"],
                    taken_on=basic_on,
                    result=ExamResult.PASSED if passed else ExamResult.FAILED,
                    score=rng.randint(62, 98) if passed else rng.randint(30, 59),
                    source=Source.DEMO,
                )
            )
        if i.stage.number == 3:
            exam_rows.append(
                Exam(
                    internship=i,
                    exam_type=exams["titp-grade3"],
                    taken_on=add_months(stage1_end, 20),
                    result=ExamResult.PASSED,
                    score=rng.randint(65, 95),
                    source=Source.DEMO,
                )
            )
            leaves.append(
                HomeLeave(
                    internship=i,
                    left_on=stage2_end - dt.timedelta(days=40),
                    returned_on=stage2_end - dt.timedelta(days=3),
                )
            )
        duties.extend(_duties(i, arrived, today, plan, rng))
    Internship.objects.bulk_update(
        current,
        [
            "arrived_on",
            "collective_training_centre",
            "collective_training_until",
            "stage",
            "stage_started_on",
        ],
        batch_size=2_000,
    )
    HostPlacement.objects.bulk_create(placements, batch_size=2_000)
    Exam.objects.bulk_create(exam_rows, batch_size=2_000)
    HomeLeave.objects.bulk_create(leaves, batch_size=2_000)
    MonitoringDuty.objects.bulk_create(duties, batch_size=2_000)
    standing = [
        ExcellentStanding(
            organisation=cast.imjapan,
            granted_on=dt.date(2017, 11, 1),
            reference="OTIT 優良監理団体",
        )
    ]
    standing += [
        ExcellentStanding(
            organisation_id=pk, granted_on=dt.date(2020, 4, 1), reference="OTIT 優良実習実施者"
        )
        for pk in sorted(stage3_hosts)
    ]
    ExcellentStanding.objects.bulk_create(standing)
    moves = _live_moves(cast, current, today, rng)
    overdue = sum(1 for d in duties if d.overdue_from <= today)
    say(
        f"Internships: {len(current):,} in Japan with stages, {len(exam_rows):,} exams, "
        f"{len(duties):,} open monitoring duties ({overdue:,} overdue), {moves} live moves"
    )
    return {
        "exams": len(exam_rows),
        "open_duties": len(duties),
        "overdue_duties": overdue,
        "live_moves": moves,
    }


def _duties(
    i: Internship, arrived: dt.date, today: dt.date, plan: MonitoringRules, rng: random.Random
) -> list[MonitoringDuty]:
    """The open visit and audit: the next one due, or (one in seven) a missed one."""
    rows = []
    for kind in (VISIT, AUDIT):
        sequence, due = 1, due_on(kind, 1, arrived_on=arrived, rules=plan)
        while due is not None and due <= today:
            nxt = due_on(kind, sequence + 1, arrived_on=arrived, rules=plan)
            if nxt is None:
                due = None
                break
            sequence, due = sequence + 1, nxt
        if due is None:
            continue
        if sequence > 1 and rng.random() < OVERDUE_SHARE:
            earlier = due_on(kind, sequence - 1, arrived_on=arrived, rules=plan)
            if (
                earlier is not None
                and earlier + dt.timedelta(days=plan.overdue_after_days) <= today
            ):
                sequence, due = sequence - 1, earlier
        rows.append(
            MonitoringDuty(
                internship=i,
                supervising_organisation_id=i.supervising_organisation_id,
                host_company_id=i.host_company_id,
                kind=DutyKind(kind),
                sequence=sequence,
                due_on=due,
                overdue_from=due + dt.timedelta(days=plan.overdue_after_days),
                source=Source.DEMO,
            )
        )
    return rows


def _live_moves(cast: Cast, current: list[Internship], today: dt.date, rng: random.Random) -> int:
    """A few recent events through the services, as IM Japan would send them."""
    by = cast.users.get("partner")
    candidates = [
        i for i in current if i.arrived_on and i.arrived_on < today - dt.timedelta(days=90)
    ]
    rng.shuffle(candidates)
    demo_host = cast.demo_host.organisation
    hosts = [h.organisation for hs in cast.hosts_by_prefecture.values() for h in hs]
    moves = 0
    picks = iter(candidates)
    day = today - dt.timedelta(days=20)
    for reason in ("company_closure", "protection", "host_misconduct", "company_closure"):
        intern = next(picks, None)
        if intern is None:
            break
        target = (
            demo_host
            if moves == 0 and intern.host_company_id != demo_host.pk
            else rng.choice([h for h in hosts if h.pk != intern.host_company_id])
        )
        services.internship_transfer(
            internship=intern,
            to_company=target,
            on=day,
            reason=reason,
            note="Demo",
            by=by,
            source=Source.DEMO,
        )
        moves += 1
    for reason in ("health", "family", "own_wish"):
        intern = next(picks, None)
        if intern is None:
            break
        services.internship_early_return(
            internship=intern,
            on=day + dt.timedelta(days=5),
            reason=reason,
            by=by,
            source=Source.DEMO,
        )
        moves += 1
    for n in range(2):
        intern = next(picks, None)
        if intern is None:
            break
        services.internship_missing(
            internship=intern,
            on=day + dt.timedelta(days=7),
            note="Host company's notification",
            by=by,
            source=Source.DEMO,
        )
        moves += 1
        if n == 0:
            services.internship_found(
                internship=intern, on=day + dt.timedelta(days=15), by=by, source=Source.DEMO
            )
            moves += 1
    return moves
