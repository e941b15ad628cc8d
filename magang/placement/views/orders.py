"""Job order pages: the list (the user's scope, filtered by state, trade and prefecture), one
order (requirements, slots, the company's intake, the shortlist in figures) and the form
that creates or changes one through ``job_order_save``. The central team, leadership and
administrators read every order; a partner the orders it sends; a host company its own.
The central team, the order's partner and its host company change it; leadership and
administrators only read."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from magang.accounts.models import Organisation
from magang.accounts.permissions import role_required
from magang.reference.models import Prefecture, Trade

from ..access import access_job_order, may_edit_orders_of
from ..models import JapaneseLevel, JobOrder, JobOrderState, SexRequirement
from ..selectors import orders as selectors
from ..services.imports import may_import_orders
from ..services.orders import JobOrderData, job_order_save
from .common import UserRequest

PAGE_SIZE = 50


class TradeChoice(forms.ModelChoiceField[Trade]):
    def label_from_instance(self, obj: Trade) -> str:
        return f"{obj.code} {obj.name_en} · {obj.name_ja}"


class PrefectureChoice(forms.ModelChoiceField[Prefecture]):
    def label_from_instance(self, obj: Prefecture) -> str:
        return f"{obj.code} {obj.name_en} · {obj.name_ja}"


class DateInput(forms.DateInput):
    """A browser date picker, which reads and writes ISO dates whatever the page language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class JobOrderForm(forms.Form):
    host_company = forms.ModelChoiceField(
        label=gettext_lazy("Host company"), queryset=Organisation.objects.none()
    )
    reference = forms.CharField(label=gettext_lazy("Reference"), max_length=40)
    trade = TradeChoice(label=gettext_lazy("Trade"), queryset=Trade.objects.order_by("code"))
    prefecture = PrefectureChoice(
        label=gettext_lazy("Prefecture"), queryset=Prefecture.objects.order_by("code")
    )
    slots = forms.IntegerField(label=gettext_lazy("Interns wanted"), min_value=1, max_value=999)
    planned_start = forms.DateField(label=gettext_lazy("Planned start in Japan"), widget=DateInput)
    interview_on = forms.DateField(
        label=gettext_lazy("Interview date"), required=False, widget=DateInput
    )
    sex = forms.ChoiceField(
        label=gettext_lazy("Sex"), choices=SexRequirement.choices, required=False
    )
    min_age = forms.IntegerField(
        label=gettext_lazy("Minimum age at the start"), required=False, min_value=15, max_value=99
    )
    max_age = forms.IntegerField(
        label=gettext_lazy("Maximum age at the start"), required=False, min_value=15, max_value=99
    )
    min_height_cm = forms.IntegerField(
        label=gettext_lazy("Minimum height (cm)"), required=False, min_value=100, max_value=250
    )
    japanese_level = forms.ChoiceField(
        label=gettext_lazy("Japanese level"), choices=JapaneseLevel.choices, required=False
    )
    notes = forms.CharField(
        label=gettext_lazy("Notes"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip

    def __init__(self, *args: Any, companies: QuerySet[Organisation] | None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if companies is None:
            del self.fields["host_company"]
        else:
            field = self.fields["host_company"]
            assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
            field.queryset = companies

    def job_order_data(self) -> JobOrderData:
        data = self.cleaned_data
        return JobOrderData(
            reference=data["reference"], trade=data["trade"], prefecture=data["prefecture"],
            slots=data["slots"], planned_start=data["planned_start"], sex=data["sex"] or "",
            min_age=data["min_age"], max_age=data["max_age"],
            min_height_cm=data["min_height_cm"], japanese_level=data["japanese_level"] or "",
            interview_on=data["interview_on"], notes=data["notes"],
        )  # fmt: skip


@require_GET
@role_required(*selectors.ORDER_READERS)
def order_list(request: UserRequest) -> HttpResponse:
    filters = selectors.OrderFilters.from_query(request.GET)
    orders = selectors.job_order_list(user=request.user, filters=filters)
    page = Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page"))
    trades, prefectures = selectors.filter_options(user=request.user)
    return render(
        request,
        "placement/order_list.html",
        {
            "page": page,
            "filters": filters,
            "states": JobOrderState.choices,
            "trades": trades,
            "prefectures": prefectures,
            "may_create": selectors.editable_host_companies(user=request.user).exists(),
            "may_import": may_import_orders(request.user),
        },
    )


@require_GET
@role_required(*selectors.ORDER_READERS)
def order_detail(request: UserRequest, pk: int) -> HttpResponse:
    order = access_job_order(user=request.user, pk=pk)
    return render(
        request,
        "placement/order_detail.html",
        {
            "order": order,
            "figures": selectors.order_figures(order),
            "may_edit": may_edit_orders_of(
                request.user,
                host_company_id=order.host_company_id,
                supervising_id=order.supervising_organisation_id,
            ),
        },
    )


def _initial(order: JobOrder) -> dict[str, Any]:
    return {
        name: getattr(order, name)
        for name in ("reference", "trade", "prefecture", "slots", "planned_start", "interview_on",
                     "sex", "min_age", "max_age", "min_height_cm", "japanese_level", "notes")
    }  # fmt: skip


def _form_page(
    request: UserRequest, form: JobOrderForm, order: JobOrder | None, status: int = 200
) -> HttpResponse:
    return render(
        request, "placement/order_form.html", {"form": form, "order": order}, status=status
    )


@role_required(*selectors.ORDER_SENDERS)
@require_http_methods(["GET", "POST"])
def order_create(request: UserRequest) -> HttpResponse:
    companies = selectors.editable_host_companies(user=request.user)
    if not companies.exists():
        raise PermissionDenied
    if request.method != "POST":
        raw = request.GET.get("host_company", "")
        chosen = companies.filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 10 else None
        if chosen is None and len(companies[:2]) == 1:
            chosen = companies.first()
        initial: dict[str, Any] = {}
        if chosen is not None:
            initial = {"host_company": chosen, "prefecture": chosen.prefecture}
        return _form_page(request, JobOrderForm(companies=companies, initial=initial), None)
    form = JobOrderForm(request.POST, companies=companies)
    if form.is_valid():
        try:
            order = job_order_save(
                host_company=form.cleaned_data["host_company"],
                data=form.job_order_data(),
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Job order %(ref)s was saved.") % {"ref": order.reference})
            return redirect("placement:order_detail", pk=order.pk)
    return _form_page(request, form, None, status=400)


@role_required(*selectors.ORDER_READERS)
@require_http_methods(["GET", "POST"])
def order_edit(request: UserRequest, pk: int) -> HttpResponse:
    order = access_job_order(user=request.user, pk=pk, write=True)
    if order.state != JobOrderState.OPEN:
        messages.error(request, _("Only open job orders can be changed."))
        return redirect("placement:order_detail", pk=order.pk)
    if request.method != "POST":
        return _form_page(request, JobOrderForm(companies=None, initial=_initial(order)), order)
    form = JobOrderForm(request.POST, companies=None)
    if form.is_valid():
        try:
            job_order_save(
                host_company=order.host_company,
                data=form.job_order_data(),
                by=request.user,
                order=order,
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Job order %(ref)s was saved.") % {"ref": order.reference})
            return redirect("placement:order_detail", pk=order.pk)
    return _form_page(request, form, order, status=400)


urlpatterns: list[URLPattern] = [
    path("orders/", order_list, name="order_list"),
    path("orders/new/", order_create, name="order_create"),
    path("orders/<int:pk>/", order_detail, name="order_detail"),
    path("orders/<int:pk>/edit/", order_edit, name="order_edit"),
]
