"""A host company's page: its staff count and OTIT intake per year, the trades it trains in
(kept by its supervising organisation and the central team) and its job orders. Readers
as for job orders: a partner sees its own host companies, a host company itself."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from magang.accounts.permissions import role_required
from magang.reference.models import Trade

from ..selectors import orders as selectors
from ..services.companies import host_trade_add, host_trade_remove
from .common import UserRequest, refused


@require_GET
@role_required(*selectors.ORDER_READERS)
def company_detail(request: UserRequest, pk: int) -> HttpResponse:
    company = selectors.access_host_company(user=request.user, pk=pk)
    trades = selectors.host_trades(company)
    orders = selectors.job_order_list(user=request.user).filter(host_company=company)
    year = timezone.localdate().year
    years = [year, year + 1, *orders.values_list("planned_start__year", flat=True).distinct()]
    may_edit = selectors.may_edit_trades(request.user, company)
    return render(
        request,
        "placement/order_company.html",
        {
            "company": company,
            "trades": trades,
            "intake": selectors.company_intake(company, [y for y in years if y >= year - 1]),
            "orders": orders[:200],
            "may_edit_trades": may_edit,
            "may_send": selectors.editable_host_companies(user=request.user)
            .filter(pk=company.pk)
            .exists(),
            "other_trades": Trade.objects.exclude(pk__in=trades.values("trade_id")).order_by("code")
            if may_edit
            else Trade.objects.none(),
        },
    )


@require_POST
@role_required(*selectors.ORDER_READERS)
def company_trades(request: UserRequest, pk: int) -> HttpResponse:
    company = selectors.access_host_company(user=request.user, pk=pk, write=True)
    trade = Trade.objects.filter(code=request.POST.get("trade", "")[:12]).first()
    action = request.POST.get("action", "")
    if trade is None or action not in ("add", "remove"):
        messages.error(request, _("Choose a trade."))
        return redirect("placement:company_detail", pk=company.pk)
    try:
        if action == "add":
            host_trade_add(company=company, trade=trade, by=request.user)
            messages.success(request, _("%(trade)s was added.") % {"trade": trade.name_en})
        else:
            host_trade_remove(company=company, trade=trade, by=request.user)
            messages.success(request, _("%(trade)s was removed.") % {"trade": trade.name_en})
    except ValidationError as exc:
        refused(request, exc)
    return redirect("placement:company_detail", pk=company.pk)


urlpatterns: list[URLPattern] = [
    path("companies/<int:pk>/", company_detail, name="company_detail"),
    path("companies/<int:pk>/trades/", company_trades, name="company_trades"),
]
