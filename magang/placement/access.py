"""Who sees which job orders: the central team, leadership and administrators all of them;
a supervising organisation (partner) the orders it sends; a host company its own."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from magang.accounts.models import Role
from magang.accounts.scopes import scope_for

from .models import JobOrder

READER_ROLES = (
    Role.CENTRAL_TEAM, Role.LEADERSHIP, Role.ADMINISTRATOR, Role.PARTNER, Role.HOST_COMPANY,
)  # fmt: skip


def job_order_scope(*, user: Any) -> QuerySet[JobOrder]:
    scope = scope_for(user)
    if scope.is_nationwide:
        return JobOrder.objects.all()
    visible = Q(pk__in=[])
    partners = scope.organisations(Role.PARTNER)
    hosts = scope.organisations(Role.HOST_COMPANY)
    if partners:
        visible |= Q(supervising_organisation_id__in=partners)
    if hosts:
        visible |= Q(host_company_id__in=hosts)
    return JobOrder.objects.filter(visible)


def may_edit_orders_of(user: Any, *, host_company_id: int, supervising_id: int) -> bool:
    """The central team; the supervising organisation; the host company itself."""
    scope = scope_for(user)
    return (
        scope.has_role(Role.CENTRAL_TEAM)
        or supervising_id in scope.organisations(Role.PARTNER)
        or host_company_id in scope.organisations(Role.HOST_COMPANY)
    )


def access_job_order(*, user: Any, pk: int, write: bool = False) -> JobOrder:
    order = (
        job_order_scope(user=user)
        .select_related("host_company", "supervising_organisation", "trade", "prefecture")
        .filter(pk=pk)
        .first()
    )
    if order is None:
        raise Http404("No such job order.")
    if write and not may_edit_orders_of(
        user,
        host_company_id=order.host_company_id,
        supervising_id=order.supervising_organisation_id,
    ):
        raise PermissionDenied
    return order


def may_run_matching(user: Any) -> bool:
    return scope_for(user).has_role(Role.CENTRAL_TEAM)
