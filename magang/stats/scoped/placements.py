"""Placements per prefecture, trade and host company, and job orders open and filled, within
what the user's partner or host company supervises (everything for ministry roles)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet, Sum

from magang.accounts.models import Organisation, Role
from magang.accounts.scopes import Scope, scope_for
from magang.reference.models import Prefecture, Trade

from ..models import OrderCount, PlacementCount
from .panels import MINISTRY_ROLES


def _organisation_filter(scope: Scope) -> Q | None:
    """None: everything (ministry roles); else the partner's and host company's own rows."""
    if scope.has_role(*MINISTRY_ROLES):
        return None
    visible = Q(pk__in=[])
    partner = scope.organisations(Role.PARTNER)
    if partner:
        visible |= Q(supervising_organisation_id__in=partner)
    host = scope.organisations(Role.HOST_COMPANY)
    if host:
        visible |= Q(host_company_id__in=host)
    return visible


def placement_rows(*, user: Any) -> QuerySet[PlacementCount]:
    visible = _organisation_filter(scope_for(user))
    rows = PlacementCount.objects.all()
    return rows if visible is None else rows.filter(visible)


def order_rows(*, user: Any) -> QuerySet[OrderCount]:
    visible = _organisation_filter(scope_for(user))
    rows = OrderCount.objects.all()
    return rows if visible is None else rows.filter(visible)


@dataclass(frozen=True)
class PlacementLine:
    code: str
    name: str
    departed: int
    in_japan: int
    completed: int
    early_return: int
    missing: int

    @property
    def ended(self) -> int:
        return self.completed + self.early_return + self.missing

    def rate(self, count: int) -> float | None:
        return round(100 * count / self.departed, 1) if self.departed else None

    @property
    def early_return_rate(self) -> float | None:
        return self.rate(self.early_return)

    @property
    def missing_rate(self) -> float | None:
        return self.rate(self.missing)


_SUMS = {
    "d": Sum("departed"),
    "j": Sum("in_japan"),
    "c": Sum("completed"),
    "e": Sum("early_return"),
    "m": Sum("missing"),
}


def _lines(rows: QuerySet[PlacementCount], by: str, names: dict[Any, str]) -> list[PlacementLine]:
    grouped = rows.order_by().values(by).annotate(**_SUMS).values_list(by, "d", "j", "c", "e", "m")
    lines = [
        PlacementLine(str(key or ""), names.get(key, str(key or "-")), *counts)
        for key, *counts in grouped
    ]
    return sorted(lines, key=lambda line: line.code)


def placements_by(*, user: Any, by: str) -> list[PlacementLine]:
    """Placements per ``prefecture`` or ``trade`` in the user's scope."""
    rows = placement_rows(user=user)
    if by == "prefecture":
        names = dict(Prefecture.objects.values_list("code", "name_en"))
        return _lines(rows, "prefecture_code", names)
    names = dict(Trade.objects.values_list("code", "name_en"))
    return _lines(rows, "trade_code", names)


def rates_by_host(*, user: Any, min_departed: int = 10, limit: int = 30) -> list[PlacementLine]:
    """Host companies with at least ``min_departed`` interns, highest early-return plus
    missing rate first. Ministry roles only: the caller checks ``panels_for``."""
    lines = (
        placement_rows(user=user)
        .exclude(host_company_id=None)
        .order_by()
        .values("host_company_id")
        .annotate(
            d=Sum("departed"),
            j=Sum("in_japan"),
            c=Sum("completed"),
            e=Sum("early_return"),
            m=Sum("missing"),
        )
        .values_list("host_company_id", "d", "j", "c", "e", "m")
    )
    big_enough = [line for line in lines if line[1] >= min_departed]
    ranked = sorted(big_enough, key=lambda r: ((r[4] + r[5]) / r[1], r[1]), reverse=True)[:limit]
    names: dict[Any, str] = dict(
        Organisation.objects.filter(pk__in=[r[0] for r in ranked]).values_list("pk", "name")
    )
    return [PlacementLine(str(pk), names.get(pk, str(pk)), *counts) for pk, *counts in ranked]


@dataclass(frozen=True)
class OrderLine:
    key: str
    name: str
    open_orders: int
    open_slots: int
    filled: int
    matched_orders: int
    matched_slots: int


def orders_by_prefecture(*, user: Any) -> list[OrderLine]:
    names = dict(Prefecture.objects.values_list("code", "name_en"))
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for prefecture, state, orders, slots, filled in (
        order_rows(user=user)
        .order_by()
        .values("prefecture_code", "state")
        .annotate(o=Sum("orders"), s=Sum("slots"), f=Sum("filled"))
        .values_list("prefecture_code", "state", "o", "s", "f")
    ):
        line = totals[prefecture]
        line[2] += filled
        if state == "open":
            line[0] += orders
            line[1] += slots
        elif state == "matched":
            line[3] += orders
            line[4] += slots
    return [
        OrderLine(code, names.get(code, code), o, s, f, mo, ms)
        for code, (o, s, f, mo, ms) in sorted(totals.items())
    ]
