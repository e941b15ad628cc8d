"""Saving the checked rows through ``job_order_save``: the preview in a transaction rolled
back at the end, the import kept, every row or none."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from magang.accounts.models import Organisation, User
from magang.recruitment.services.imports import Problem, SheetRow
from magang.recruitment.services.imports.reading import paused_gc
from magang.recruitment.services.imports.versioned import CHANGED, ERROR, NEW, UNCHANGED
from magang.reference.models import Prefecture, Trade

from ...models import JobOrder, JobOrderState
from ...selectors.orders import editable_host_companies
from ..orders import JobOrderData, job_order_save
from .cells import _name_key, _text_or_blank
from .checking import (
    OrderRow,
    OrdersImportRefused,
    OrdersReport,
    _parse,
    _same,
)
from .uploads import may_import_orders


def _companies(user: Any) -> list[Organisation]:
    if not may_import_orders(user):
        return []
    return list(editable_host_companies(user=user))


def _apply(*, user: User, rows: Sequence[SheetRow]) -> OrdersReport:
    """Check every row and save the new and changed ones through ``job_order_save``; the
    caller keeps or rolls back."""
    editable = _companies(user)
    companies: dict[str, Organisation] = {}
    for company in editable:
        for name in (company.name, company.short_name):
            if name:
                companies.setdefault(_name_key(name), company)
    trades = {t.code: t for t in Trade.objects.all()}
    prefectures = {p.code: p for p in Prefecture.objects.all()}
    references = {_text_or_blank(r.cells.get("reference")) for r in rows} - {""}
    existing = {o.reference: o for o in JobOrder.objects.filter(reference__in=references)}
    ids = {c.pk for c in editable}
    report = OrdersReport(rows=[])
    first_row: dict[str, int] = {}
    for sheet_row in rows:
        parsed = _parse(sheet_row, companies, trades, prefectures)
        line = OrderRow(
            row=sheet_row.number, reference=_text_or_blank(sheet_row.cells.get("reference"))
        )
        report.rows.append(line)
        problems = parsed.problems
        if line.reference and line.reference in first_row:
            problems.append(Problem(line.row, "reference", _(
                "%(reference)s is also in row %(first)s: one row per job order."
            ) % {"reference": line.reference, "first": first_row[line.reference]}))  # fmt: skip
        first_row.setdefault(line.reference, line.row)
        order = existing.get(line.reference)
        if not problems and parsed.company is not None and parsed.data is not None:
            line.host_company = parsed.company.name
            problems = _write(line, order, parsed.company, parsed.data, ids, user)
        if problems:
            line.status = ERROR
            report.errors.extend(problems)
    return report


def _write(
    line: OrderRow,
    order: JobOrder | None,
    company: Organisation,
    data: JobOrderData,
    editable: set[int],
    user: User,
) -> list[Problem]:
    if order is not None:
        line.order_id = order.pk
        if order.host_company_id not in editable:
            return [Problem(line.row, "reference", _(
                "This reference is already used by a job order you may not change."))]  # fmt: skip
        if order.host_company_id != company.pk:
            return [Problem(line.row, "host_company", _(
                "%(reference)s is a job order of %(company)s; it cannot move to another company."
            ) % {"reference": order.reference, "company": order.host_company})]  # fmt: skip
        if _same(order, data):
            line.status = UNCHANGED
            return []
        if order.state != JobOrderState.OPEN:
            return [Problem(line.row, "reference", _(
                "%(reference)s is %(state)s and can no longer change."
            ) % {"reference": order.reference, "state": order.get_state_display()})]  # fmt: skip
        line.status = CHANGED
    try:
        with transaction.atomic():
            saved = job_order_save(host_company=company, data=data, by=user, order=order)
    except PermissionDenied:
        return [Problem(line.row, "host_company", _("You may not send job orders for it."))]
    except ValidationError as exc:
        return [Problem(line.row, "", message) for message in exc.messages]
    line.order_id = saved.pk
    return []


def orders_preview(*, user: User, rows: Sequence[SheetRow]) -> OrdersReport:
    """Check every row exactly as ``orders_import`` would, and write nothing."""
    with transaction.atomic():
        report = _apply(user=user, rows=rows)
        transaction.set_rollback(True)
    for line in report.rows:
        if line.status == NEW:
            line.order_id = None  # rolled back
    return report


@paused_gc()
@transaction.atomic
def orders_import(*, user: User, rows: Sequence[SheetRow]) -> OrdersReport:
    """Save every new and changed row, or none: ``OrdersImportRefused`` (with the report)
    when any row has a problem. ``PermissionDenied`` for users who do not import."""
    if not may_import_orders(user):
        raise PermissionDenied
    report = _apply(user=user, rows=rows)
    if report.errors:
        raise OrdersImportRefused(report)
    return report
