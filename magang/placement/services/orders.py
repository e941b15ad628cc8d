"""Job orders: created and changed by the host company, its supervising organisation or the
central team, within OTIT's yearly intake cap."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from magang.accounts.models import Organisation, User
from magang.core.services import audit_record
from magang.reference.models import Prefecture, Trade

from ..access import may_edit_orders_of
from ..intake import cap_check
from ..models import HostTrade, JobOrder, JobOrderState


@dataclasses.dataclass(frozen=True)
class JobOrderData:
    reference: str
    trade: Trade
    prefecture: Prefecture
    slots: int
    planned_start: dt.date
    sex: str = ""
    min_age: int | None = None
    max_age: int | None = None
    min_height_cm: int | None = None
    japanese_level: str = ""
    interview_on: dt.date | None = None
    notes: str = ""


def intake_problem(
    *, host_company: Organisation, year: int, slots: int, exclude: int | None = None
) -> str | None:
    """The cap's arithmetic when ``slots`` more interns in ``year`` would exceed it."""
    if host_company.staff_count is None:
        return _("The host company's staff count is not recorded, so its intake cap is unknown.")
    orders = JobOrder.objects.filter(host_company=host_company, planned_start__year=year).exclude(
        state=JobOrderState.CANCELLED
    )
    if exclude is not None:
        orders = orders.exclude(pk=exclude)
    already = orders.aggregate(n=Sum("slots"))["n"] or 0
    check = cap_check(staff_count=host_company.staff_count, already=already, asked=slots)
    if check.fits:
        return None
    return _(
        "Over the intake cap: %(staff)s staff allow %(cap)s interns a year; %(already)s "
        "already ordered for %(year)s + %(asked)s asked = %(total)s, %(excess)s too many."
    ) % {
        "staff": check.staff_count,
        "cap": check.cap,
        "already": check.already,
        "year": year,
        "asked": check.asked,
        "total": check.already + check.asked,
        "excess": check.excess,
    }


@transaction.atomic
def job_order_save(
    *,
    host_company: Organisation,
    data: JobOrderData,
    by: User | None,
    order: JobOrder | None = None,
) -> JobOrder:
    """Create (or change ``order``). Refused with every problem: the cap with its
    arithmetic, a trade the company does not train in, impossible ranges."""
    if host_company.kind != Organisation.Kind.HOST_COMPANY or host_company.parent_id is None:
        raise ValidationError(
            _("Job orders come from a host company with a supervising organisation.")
        )
    if by is not None and not may_edit_orders_of(
        by, host_company_id=host_company.pk, supervising_id=host_company.parent_id
    ):
        raise PermissionDenied
    # One company's orders are checked against its cap one at a time.
    Organisation.objects.select_for_update().filter(pk=host_company.pk).first()
    problems: list[str] = []
    if data.slots < 1:
        problems.append(_("A job order asks for at least one intern."))
    if data.min_age is not None and data.max_age is not None and data.min_age > data.max_age:
        problems.append(_("The minimum age is above the maximum age."))
    if data.interview_on and data.interview_on > data.planned_start:
        problems.append(_("The interview date is after the planned start."))
    trades = set(
        HostTrade.objects.filter(host_company=host_company).values_list("trade_id", flat=True)
    )
    if trades and data.trade.pk not in trades:
        problems.append(
            _("%(company)s does not train in %(trade)s.")
            % {"company": host_company, "trade": data.trade.name_en}
        )
    if data.slots >= 1:
        over = intake_problem(
            host_company=host_company, year=data.planned_start.year, slots=data.slots,
            exclude=order.pk if order else None,
        )  # fmt: skip
        if over:
            problems.append(over)
    duplicate = JobOrder.objects.filter(reference=data.reference.strip())
    if order is not None:
        duplicate = duplicate.exclude(pk=order.pk)
    if not data.reference.strip() or duplicate.exists():
        problems.append(_("Give a reference no other job order uses."))
    if problems:
        raise ValidationError(problems)
    fields = {f.name: getattr(data, f.name) for f in dataclasses.fields(data)}
    fields["reference"] = data.reference.strip()
    created = order is None
    if order is None:
        order = JobOrder(
            host_company=host_company,
            supervising_organisation_id=host_company.parent_id,
            created_by=by,
        )
    for name, value in fields.items():
        setattr(order, name, value)
    order.full_clean()
    order.save()
    audit_record(
        actor=by,
        action="placement.job_order_create" if created else "placement.job_order_change",
        obj=order,
        changes={
            "slots": order.slots,
            "trade": order.trade.code,
            "start": str(order.planned_start),
        },
    )
    return order
