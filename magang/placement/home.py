"""Home page sections: job orders in figures for the people who send and read them, and for
a graduate or trainee the invitation to rank the job orders."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from magang.accounts.home import register_home_section
from magang.accounts.scopes import Scope

from .models import Preference
from .selectors import orders, preferences


def _orders(request: HttpRequest, scope: Scope) -> dict[str, Any] | None:
    if not scope.has_role(*orders.ORDER_READERS):
        return None
    return {
        "own": not scope.is_nationwide,
        "counts": orders.order_counts(user=request.user),
        "may_create": orders.editable_host_companies(user=request.user).exists(),
    }


def _candidate(request: HttpRequest, scope: Scope) -> dict[str, Any] | None:
    if scope.user_id is None or scope.is_staff_member:
        return None
    application = preferences.my_application(user=request.user)
    if application is None or application.status not in preferences.MAY_RANK:
        return None
    return {
        "ranked": Preference.objects.filter(application=application).count(),
        "max": preferences.MAX_PREFERENCES,
    }


register_home_section(
    key="placement.orders", order=45, template_name="placement/home_orders.html", build=_orders
)
register_home_section(
    key="placement.candidate",
    order=18,
    template_name="placement/home_candidate.html",
    build=_candidate,
)
