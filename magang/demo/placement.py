"""Placement in the demo: host companies' trades, open job orders for next year's departures,
the graduates' rankings of them, and shortlists, interviews and company rankings.

Up to twelve of IM Japan's host companies (the demo host company and eleven across
prefectures, trades and OTIT's staff bands) send job orders for next year's departures,
about one slot for every three graduates waiting for a match. The orders go through
``job_order_save`` as the partner's clicks would, so each is checked against its company's
intake cap and trades.

What follows is a bulk import kept to the services' rules: every host company trains in the
trades the history drew for it; last year's intake past the body check has its height and
weight; each graduate ranks up to five open job orders they meet the requirements of
(``facts_of``, ``requirements_of``, ``unmet``), popular companies more often. Most job orders
have had their interview: a shortlist of up to three times the slots from those who ranked
the order (in the order ``shortlist_propose`` takes them), results (most passed), and the
company's ranking of those who passed. The rest interview early next year. The matching
itself is left to the central team. Two audit rows record the import.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection

from magang.accounts.models import User
from magang.core.services import audit_record
from magang.placement.eligibility import CandidateFacts, Requirements, unmet
from magang.placement.intake import intake_cap
from magang.placement.models import (
    Candidacy,
    HostTrade,
    InterviewResult,
    JobOrder,
    JobOrderState,
    Preference,
    SexRequirement,
)
from magang.placement.services.candidacies import (
    MAY_RANK,
    SHORTLIST_FACTOR,
    facts_of,
    requirements_of,
)
from magang.placement.services.orders import JobOrderData, job_order_save
from magang.recruitment.journey import Status
from magang.recruitment.models import Application, RecruitmentRound
from magang.reference.models import Trade

from . import catalogue as cat
from .bulk import _column, _concrete
from .organisations import DEMO_ACCOUNTS, Cast, HostCompany

Say = Callable[[str], None]

# Slots on offer for every graduate waiting for a match, and at least this many in all.
SLOTS_PER_GRADUATE = 1 / 3
MIN_SLOTS = 6
MAX_ORDERS_PER_HOST = 4
# Job orders asking for a certified Japanese level: no graduate has one on record (the demo
# has no past cohorts), so nobody can rank them yet.
MAX_JAPANESE_ORDERS = 2
# How many job orders a graduate ranks (0: not yet), and how often.
CHOICES = (0, 1, 2, 3, 4, 5)
CHOICE_WEIGHTS = (4, 5, 9, 18, 22, 42)
INTERVIEWED_SHARE = 0.8
RESULTS = (InterviewResult.PASSED, InterviewResult.FAILED, InterviewResult.ABSENT)
RESULT_WEIGHTS = (80, 15, 5)
# Last year's intake past the body check: their height and weight were measured there.
MEASURED = (
    Status.SELECTED,
    Status.RESERVE,
    Status.IN_TRAINING,
    Status.DROPPED_OUT,
    Status.GRADUATED,
    Status.MATCHED,
)
# (mean, spread, the round's minimum) of height in cm and weight in kg, by sex.
HEIGHT = {"M": (166.0, 5.0, 158), "F": (156.0, 4.5, 150)}
WEIGHT = {"M": (60.0, 6.5, 50), "F": (49.0, 5.0, 40)}


@dataclass
class _Host:
    company: HostCompany
    cap: int
    popularity: float
    room: int = field(init=False)
    orders: int = 0

    def __post_init__(self) -> None:
        self.room = self.cap


@dataclass
class _Draft:
    host: _Host
    trade: Trade
    slots: int
    sex: str = ""
    min_height_cm: int | None = None
    max_age: int | None = None
    japanese_level: str = ""
    interviewed: bool = False


def placement_build(
    *,
    cast: Cast,
    intake: RecruitmentRound,
    planned_year: int,
    seed: int,
    today: dt.date,
    say: Say,
) -> dict[str, int]:
    """Job orders starting in ``planned_year`` from up to twelve host companies, and what
    leads to their matching for last year's ``intake``; returns what was written."""
    builder = _Builder(cast, intake, planned_year, random.Random(seed), today)
    say("Placement: host company trades, job orders, rankings and interviews")
    counts = builder.build()
    say(
        f"Placement: {counts['job_orders']} job orders ({counts['slots']} slots) from "
        f"{counts['ordering_hosts']} host companies; {counts['preferences']:,} preferences of "
        f"{counts['ranking_graduates']} graduates; {counts['shortlisted']} shortlisted, "
        f"{counts['company_ranks']} ranked"
    )
    return counts


class _Builder:
    def __init__(
        self,
        cast: Cast,
        intake: RecruitmentRound,
        planned_year: int,
        rng: random.Random,
        today: dt.date,
    ) -> None:
        self.cast, self.intake, self.year = cast, intake, planned_year
        self.rng, self.today = rng, today
        self.partner: User = cast.users["partner"]
        self.counts: dict[str, int] = {}
        self.graduates: list[Application] = []
        self.facts: dict[int, CandidateFacts] = {}
        self.interviewed: set[int] = set()  # job orders whose interviews were held
        self.popularity: dict[int, float] = {}  # by job order
        self.japanese = 0  # job orders asking for a certified Japanese level

    def build(self) -> dict[str, int]:
        self.counts["host_trades"] = self._host_trades()
        self.counts["measured"] = self._measurements()
        self.graduates = self._graduates()
        self.counts["graduates"] = len(self.graduates)
        orders = self._job_orders()
        self.counts["job_orders"] = len(orders)
        self.counts["ordering_hosts"] = len({order.host_company_id for order in orders})
        self.counts["slots"] = sum(order.slots for order in orders)
        preferences = self._preferences(orders)
        audit_record(
            actor=None,
            action="demo.placement_preferences",
            obj=self.cast.imjapan,
            changes={
                key: self.counts[key]
                for key in ("host_trades", "measured", "graduates", "ranking_graduates")
            }
            | {"preferences": len(preferences)},
            reason="Synthetic trades, measurements and graduates' rankings of job orders.",
        )
        self._interviews(orders, preferences)
        audit_record(
            actor=None,
            action="demo.placement_interviews",
            obj=self.cast.imjapan,
            changes={
                key: self.counts[key]
                for key in ("interviewed_orders", "shortlisted", "passed", "company_ranks")
            },
            reason="Synthetic shortlists, interview results and company rankings of the demo.",
        )
        return self.counts

    # Host companies -----------------------------------------------------------------------

    def _host_trades(self) -> int:
        """Every host company trains in the trades the history gave it."""
        rows = [
            HostTrade(host_company=host.organisation, trade=trade)
            for hosts in self.cast.hosts_by_prefecture.values()
            for host in hosts
            for trade in host.trades
        ]
        return len(HostTrade.objects.bulk_create(rows))

    def _ordering_hosts(self) -> list[_Host]:
        """The demo host company first, then one company per ``cat.ORDERING_HOSTS`` entry:
        in its trade group and staff band if the prefecture has one, else the nearest."""
        demo = self.cast.demo_host
        chosen: list[HostCompany] = [demo]
        for wanted in cat.ORDERING_HOSTS:
            pool = [
                host
                for host in self.cast.hosts_by_prefecture.get(wanted.prefecture_code, [])
                if host not in chosen
            ]
            if not pool:
                continue

            def unlike(host: HostCompany, wanted: cat.OrderingHost = wanted) -> tuple[bool, int]:
                staff = host.organisation.staff_count or 0
                band = max(wanted.staff_low - staff, staff - wanted.staff_high, 0)
                return host.trades[0].group != wanted.group, band

            nearest = min(map(unlike, pool))
            chosen.append(self.rng.choice([h for h in pool if unlike(h) == nearest]))
        hosts = []
        for host in chosen:
            staff = host.organisation.staff_count or 0
            liking = 1.5 if host is demo else self.rng.lognormvariate(0, 0.5)
            hosts.append(_Host(host, intake_cap(staff), math.sqrt(staff) * liking))
        return hosts

    def _measurements(self) -> int:
        """Height and weight for last year's intake past the body check (the bulk history
        left them empty): at least the round's minimum for their sex. One UPDATE run per
        row (``bulk_update``'s CASE over two thousand rows takes a second)."""
        rng = self.rng
        people = (
            Application.objects.filter(
                round=self.intake, status__in=MEASURED, height_cm__isnull=True
            )
            .order_by("pk")
            .values_list("pk", "candidate__sex")
        )
        height, weight = _concrete(Application, "height_cm"), _concrete(Application, "weight_kg")
        rows = []
        for pk, sex in people:
            mean, spread, least = HEIGHT.get(sex, HEIGHT["M"])
            cm = max(least, round(rng.gauss(mean, spread)))
            mean, spread, least = WEIGHT.get(sex, WEIGHT["M"])
            kg = Decimal(f"{max(float(least), rng.gauss(mean, spread)):.1f}")
            rows.append(
                (
                    height.get_db_prep_save(cm, connection),
                    weight.get_db_prep_save(kg, connection),
                    pk,
                )
            )
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {quote(Application._meta.db_table)} "  # noqa: S608  (names from the model)
                f"SET {quote(_column(height))} = %s, {quote(_column(weight))} = %s "
                f"WHERE {quote(_column(Application._meta.pk))} = %s",
                rows,
            )
        return len(rows)

    # Job orders ---------------------------------------------------------------------------

    def _graduates(self) -> list[Application]:
        """Graduates waiting for a match. The demo candidate is in this year's selection,
        so not among them: their application is left alone."""
        return list(
            Application.objects.filter(status=Status.GRADUATED)
            .select_related("candidate")
            .order_by("pk")
        )

    def _drafts(self, hosts: list[_Host], target: int) -> list[_Draft]:
        """Orders of a few interns each until ``target`` slots, by the companies' popularity
        and within each one's cap; the demo host company orders first."""
        rng = self.rng
        drafts: list[_Draft] = []
        remaining = target
        while remaining > 0:
            open_ = [h for h in hosts if h.room > 0 and h.orders < MAX_ORDERS_PER_HOST]
            if not open_:
                break
            host = open_[0] if not drafts else rng.choices(open_, [h.popularity for h in open_])[0]
            slots = min(rng.choice(cat.ORDER_SIZES), host.room, remaining)
            host.room -= slots
            host.orders += 1
            remaining -= slots
            draft = _Draft(host, rng.choice(host.company.trades), slots)
            drafts.append(self._requirements(draft, japanese=bool(drafts)))
        # Most have had their interview; not those asking for a certified Japanese level
        # (no graduate in the demo has one on record), which interview early next year.
        # The demo host company's first order is among them, for the ``host`` account.
        if drafts:
            drafts[0].interviewed = True
        plain = [d for d in drafts[1:] if not d.japanese_level]
        wanted = min(len(plain), round(len(drafts) * INTERVIEWED_SHARE) - 1)
        for draft in rng.sample(plain, k=max(0, wanted)):
            draft.interviewed = True
        return drafts

    def _requirements(self, draft: _Draft, *, japanese: bool) -> _Draft:
        """Some orders are for men (or, in food and textiles, women) only; some ask for a
        height, a maximum age or (if ``japanese``) a certified Japanese level."""
        rng = self.rng
        if draft.trade.group in ("food", "textiles") and rng.random() < 0.15:
            draft.sex = SexRequirement.WOMEN
        elif rng.random() < 0.35:
            draft.sex = SexRequirement.MEN
        if rng.random() < 0.2:
            draft.min_height_cm = 160
        if rng.random() < 0.2:
            draft.max_age = rng.choice((26, 28, 28))
        if japanese and self.japanese < MAX_JAPANESE_ORDERS and rng.random() < 0.06:
            draft.japanese_level = rng.choice(("N5", "N4"))
            self.japanese += 1
        return draft

    def _job_orders(self) -> list[JobOrder]:
        """The drafts saved through ``job_order_save`` by the partner, who checks each
        against its company's intake cap and trades. Interviews held lately, or planned for
        January and February."""
        rng = self.rng
        hosts = self._ordering_hosts()
        target = max(MIN_SLOTS, round(len(self.graduates) * SLOTS_PER_GRADUATE))
        orders: list[JobOrder] = []
        for index, draft in enumerate(self._drafts(hosts, target), start=1):
            company = draft.host.company
            if draft.interviewed:
                interview_on = self.today - dt.timedelta(days=rng.randint(5, 45))
            else:
                planned = dt.date(self.year, rng.choice((1, 2)), rng.randint(5, 28))
                interview_on = max(planned, self.today + dt.timedelta(days=30))
            data = JobOrderData(
                reference=f"IMJ-{self.year}-{company.prefecture_code}-{index:03d}",
                trade=draft.trade,
                prefecture=self.cast.prefectures[company.prefecture_code],
                slots=draft.slots,
                planned_start=dt.date(self.year, rng.randint(4, 10), 1),
                sex=draft.sex,
                max_age=draft.max_age,
                min_height_cm=draft.min_height_cm,
                japanese_level=draft.japanese_level,
                interview_on=interview_on,
                notes=rng.choice(cat.JOB_ORDER_NOTES),
            )
            order = job_order_save(host_company=company.organisation, data=data, by=self.partner)
            orders.append(order)
            if draft.interviewed:
                self.interviewed.add(order.pk)
        liking = {host.company.organisation.pk: host.popularity for host in hosts}
        self.popularity = {order.pk: liking[order.host_company_id] for order in orders}
        return orders

    # Preferences --------------------------------------------------------------------------

    def _preferences(self, orders: list[JobOrder]) -> list[Preference]:
        """Each graduate ranks up to five open orders they meet the requirements of, the
        popular companies' more often (a weighted draw without replacement: the order of
        the draw is the ranking); a few have not ranked yet."""
        rng = self.rng
        requirements: list[tuple[JobOrder, Requirements]] = [
            (order, requirements_of(order)) for order in orders if order.state == JobOrderState.OPEN
        ]
        rows: list[Preference] = []
        ranking = 0
        for application in self.graduates:
            facts = self.facts[application.pk] = facts_of(application)
            eligible = [order for order, wanted in requirements if not unmet(facts, wanted)]
            count = min(len(eligible), rng.choices(CHOICES, CHOICE_WEIGHTS)[0])
            if not count:
                continue
            keys = {o.pk: rng.random() ** (1 / self.popularity[o.pk]) for o in eligible}
            chosen = sorted(eligible, key=lambda o: keys[o.pk], reverse=True)[:count]
            rows += [
                Preference(application=application, job_order=order, rank=rank)
                for rank, order in enumerate(chosen, start=1)
            ]
            ranking += 1
        self.counts["ranking_graduates"] = ranking
        self.counts["preferences"] = len(rows)
        return Preference.objects.bulk_create(rows)

    # Shortlists, interviews and company rankings ------------------------------------------

    def _interviews(self, orders: list[JobOrder], preferences: list[Preference]) -> None:
        """For the orders interviewed: a shortlist of up to three times the slots, taken as
        ``shortlist_propose`` does (higher-ranked first, then by registration number, only
        those who meet the requirements); every one interviewed, most passed; the company
        ranks those who passed."""
        rng = self.rng
        by_order: dict[int, list[Preference]] = {}
        for preference in preferences:
            by_order.setdefault(preference.job_order_id, []).append(preference)
        rows: list[Candidacy] = []
        passed = 0
        for order in orders:
            if order.pk not in self.interviewed:
                continue
            wanted = requirements_of(order)
            pool = sorted(
                (
                    p
                    for p in by_order.get(order.pk, [])
                    if p.application.status in MAY_RANK
                    and not unmet(self.facts[p.application_id], wanted)
                ),
                key=lambda p: (p.rank, p.application.registration_number),
            )[: order.slots * SHORTLIST_FACTOR]
            if not pool:
                continue
            results = rng.choices(RESULTS, RESULT_WEIGHTS, k=len(pool))
            if InterviewResult.PASSED not in results:
                results[0] = InterviewResult.PASSED  # a company that interviews takes someone
            interviewer = self._interviewer(order)
            shortlist = [
                Candidacy(
                    job_order=order,
                    application_id=preference.application_id,
                    interviewed_on=order.interview_on,
                    interviewer=interviewer,
                    result=result,
                    notes=rng.choice(cat.INTERVIEW_NOTES[result]),
                )
                for preference, result in zip(pool, results, strict=True)
            ]
            liked = [c for c in shortlist if c.result == InterviewResult.PASSED]
            rng.shuffle(liked)
            for rank, candidacy in enumerate(liked, start=1):
                candidacy.company_rank = rank
            rows += shortlist
            passed += len(liked)
        Candidacy.objects.bulk_create(rows)
        self.counts["interviewed_orders"] = len({c.job_order_id for c in rows})
        self.counts["shortlisted"] = len(rows)
        self.counts["passed"] = self.counts["company_ranks"] = passed

    def _interviewer(self, order: JobOrder) -> str:
        demo = self.cast.demo_host.organisation
        if order.host_company_id == demo.pk:
            name = next(a.full_name for a in DEMO_ACCOUNTS if a.username == "host")
        else:
            name = cat.INTERVIEWERS[order.host_company_id % len(cat.INTERVIEWERS)]
        return f"{name}; {cat.IM_JAPAN_INTERVIEWER}"
