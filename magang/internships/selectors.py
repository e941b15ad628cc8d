"""Reads for internships, scoped to the user's organisations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from magang.accounts.models import Role
from magang.accounts.scopes import scope_for

from .models import Internship


def internship_scope(*, user: Any) -> QuerySet[Internship]:
    """Internships the user may read: nationwide roles all; a partner those it supervises;
    a host company its own; an intern their own."""
    scope = scope_for(user)
    qs = Internship.objects.all()
    if not scope.is_authenticated:
        return qs.none()
    if scope.is_nationwide:
        return qs
    visible = Q(application__candidate__user_id=scope.user_id)
    partner_orgs = scope.organisations(Role.PARTNER)
    if partner_orgs:
        visible |= Q(supervising_organisation_id__in=partner_orgs)
    host_orgs = scope.organisations(Role.HOST_COMPANY)
    if host_orgs:
        visible |= Q(host_company_id__in=host_orgs)
    return qs.filter(visible)


def in_japan_on(qs: QuerySet[Internship], day: dt.date) -> QuerySet[Internship]:
    return qs.filter(departed_on__lte=day).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
