"""Job orders as a user sees them: the list (scoped, filtered, with counts), one order's
figures, the host companies a user may send orders for, and a host company's page."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from magang.accounts.models import Organisation, Role
from magang.accounts.scopes import scope_for
from magang.reference.models import Prefecture, Trade

from ..access import READER_ROLES, job_order_scope
from ..intake import intake_cap
from ..models import Candidacy, HostTrade, InterviewResult, JobOrder, JobOrderState, Preference

ORDER_READERS = READER_ROLES
# Who sends job orders at all (each for the host companies of ``editable_host_companies``).
ORDER_SENDERS = (Role.CENTRAL_TEAM, Role.PARTNER, Role.HOST_COMPANY)


@dataclass(frozen=True)
class OrderFilters:
    """The list's filters, from the query string; unknown values are ignored."""

    state: str = ""
    trade: str = ""  # a trade's code, e.g. 6-1-1
    prefecture: str = ""  # a JIS code, e.g. 04

    @classmethod
    def from_query(cls, query: Mapping[str, Any]) -> OrderFilters:
        state = str(query.get("state") or "")
        return cls(
            state=state if state in JobOrderState.values else "",
            trade=str(query.get("trade") or "").strip()[:12],
            prefecture=str(query.get("prefecture") or "").strip()[:2],
        )


def _count(model: Any, **conditions: Any) -> Coalesce:
    rows = (
        model.objects.filter(job_order=OuterRef("pk"), **conditions)
        .order_by()
        .values("job_order")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def job_order_list(*, user: Any, filters: OrderFilters | None = None) -> QuerySet[JobOrder]:
    """The job orders the user sees, newest start first, each with how many candidates
    ranked it (``ranked``) and how many are on its shortlist (``shortlisted``)."""
    filters = filters or OrderFilters()
    orders = job_order_scope(user=user).select_related(
        "host_company", "supervising_organisation", "trade", "prefecture"
    )
    if filters.state:
        orders = orders.filter(state=filters.state)
    if filters.trade:
        orders = orders.filter(trade__code=filters.trade)
    if filters.prefecture:
        orders = orders.filter(prefecture__code=filters.prefecture)
    return orders.annotate(ranked=_count(Preference), shortlisted=_count(Candidacy)).order_by(
        "-planned_start", "reference"
    )


def filter_options(*, user: Any) -> tuple[QuerySet[Trade], QuerySet[Prefecture]]:
    """The trades and prefectures of the user's job orders, for the list's filters."""
    orders = job_order_scope(user=user).order_by()
    return (
        Trade.objects.filter(pk__in=orders.values("trade_id")).order_by("code"),
        Prefecture.objects.filter(pk__in=orders.values("prefecture_id")).order_by("code"),
    )


@dataclass(frozen=True)
class OrderCounts:
    """A user's job orders in figures, for the home page."""

    open: int
    open_slots: int
    without_shortlist: int
    interviews_pending: int
    matched: int


def order_counts(*, user: Any) -> OrderCounts:
    orders = job_order_scope(user=user).order_by()
    open_orders = orders.filter(state=JobOrderState.OPEN)
    totals = open_orders.aggregate(n=Count("pk"), slots=Sum("slots"))
    return OrderCounts(
        open=totals["n"] or 0,
        open_slots=totals["slots"] or 0,
        without_shortlist=open_orders.exclude(
            pk__in=Candidacy.objects.values("job_order_id")
        ).count(),
        interviews_pending=Candidacy.objects.filter(
            job_order__in=open_orders, result=InterviewResult.PENDING
        ).count(),
        matched=orders.filter(state=JobOrderState.MATCHED).count(),
    )


@dataclass(frozen=True)
class Intake:
    """A host company's interns ordered for one year against OTIT's cap."""

    year: int
    ordered: int
    cap: int | None  # None: the staff count is not recorded

    @property
    def left(self) -> int | None:
        return None if self.cap is None else max(0, self.cap - self.ordered)


def company_intake(company: Organisation, years: list[int]) -> list[Intake]:
    """Interns ordered (cancelled orders aside) per year, for each of ``years``."""
    ordered = dict(
        JobOrder.objects.filter(host_company=company, planned_start__year__in=years)
        .exclude(state=JobOrderState.CANCELLED)
        .values_list("planned_start__year")
        .annotate(n=Sum("slots"))
        .order_by()
    )
    cap = intake_cap(company.staff_count) if company.staff_count is not None else None
    return [Intake(year=y, ordered=ordered.get(y, 0), cap=cap) for y in sorted(set(years))]


@dataclass(frozen=True)
class OrderFigures:
    """One job order's preferences and shortlist in figures."""

    ranked: int
    shortlisted: int
    passed: int
    failed: int
    absent: int
    pending: int
    company_ranked: int
    intake: Intake


def order_figures(order: JobOrder) -> OrderFigures:
    results = dict(
        Candidacy.objects.filter(job_order=order)
        .values_list("result")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return OrderFigures(
        ranked=Preference.objects.filter(job_order=order).count(),
        shortlisted=sum(results.values()),
        passed=results.get(InterviewResult.PASSED, 0),
        failed=results.get(InterviewResult.FAILED, 0),
        absent=results.get(InterviewResult.ABSENT, 0),
        pending=results.get(InterviewResult.PENDING, 0),
        company_ranked=Candidacy.objects.filter(
            job_order=order, company_rank__isnull=False
        ).count(),
        intake=company_intake(order.host_company, [order.planned_start.year])[0],
    )


def editable_host_companies(*, user: Any) -> QuerySet[Organisation]:
    """Host companies the user may send job orders for (as ``may_edit_orders_of``): every
    one for the central team, a partner's own host companies, a host company itself."""
    scope = scope_for(user)
    hosts = Organisation.objects.filter(
        kind=Organisation.Kind.HOST_COMPANY, parent__isnull=False, is_active=True
    ).select_related("parent", "prefecture")
    if scope.has_role(Role.CENTRAL_TEAM):
        return hosts
    visible = Q(pk__in=[])
    partners = scope.organisations(Role.PARTNER)
    own = scope.organisations(Role.HOST_COMPANY)
    if partners:
        visible |= Q(parent_id__in=partners)
    if own:
        visible |= Q(pk__in=own)
    return hosts.filter(visible)


def host_company_scope(*, user: Any) -> QuerySet[Organisation]:
    """Host companies whose page the user may open: all for nationwide readers, a partner's
    own, a host company itself."""
    scope = scope_for(user)
    hosts = Organisation.objects.filter(kind=Organisation.Kind.HOST_COMPANY).select_related(
        "parent", "prefecture"
    )
    if scope.is_nationwide:
        return hosts
    visible = Q(pk__in=[])
    partners = scope.organisations(Role.PARTNER)
    own = scope.organisations(Role.HOST_COMPANY)
    if partners:
        visible |= Q(parent_id__in=partners)
    if own:
        visible |= Q(pk__in=own)
    return hosts.filter(visible)


def may_edit_trades(user: Any, company: Organisation) -> bool:
    """The central team, and the company's supervising organisation."""
    scope = scope_for(user)
    return scope.has_role(Role.CENTRAL_TEAM) or (
        company.parent_id is not None and company.parent_id in scope.organisations(Role.PARTNER)
    )


def access_host_company(*, user: Any, pk: int, write: bool = False) -> Organisation:
    """A host company the user sees; 404 otherwise (missing and not yours alike), 403 when
    ``write`` and they may not change its trades."""
    company = host_company_scope(user=user).filter(pk=pk).first()
    if company is None:
        raise Http404("No such host company.")
    if write and not may_edit_trades(user, company):
        raise PermissionDenied
    return company


def host_trades(company: Organisation) -> QuerySet[HostTrade]:
    return (
        HostTrade.objects.filter(host_company=company)
        .select_related("trade")
        .order_by("trade__code")
    )
