"""Checking one row's cells against the host companies, trades and prefectures the user may
use, and the report of a file: each row's status (new, changed, unchanged, error) and its
problems."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from magang.accounts.models import Organisation
from magang.recruitment.services.imports import Problem, SheetRow
from magang.recruitment.services.imports.reading import blank
from magang.recruitment.services.imports.versioned import NEW, RowsReport
from magang.reference.models import Prefecture, Trade

from ...models import JobOrder
from ..orders import JobOrderData
from .cells import LEVELS, SEXES, CellError, _choice, _date, _name_key, _text, _whole
from .reading import REQUIRED

FIELDS = ("trade", "prefecture", "slots", "planned_start", "interview_on", "sex", "min_age",
          "max_age", "min_height_cm", "japanese_level", "notes")  # fmt: skip


@dataclass
class OrderRow:
    """One row of the file and what importing it does."""

    row: int
    reference: str
    host_company: str = ""
    status: str = NEW
    order_id: int | None = None


class OrdersReport(RowsReport[OrderRow]):
    """What an import of job orders would do: a status per row, every problem by row."""


class OrdersImportRefused(ValidationError):
    """Some rows have problems: nothing was written."""

    def __init__(self, report: OrdersReport) -> None:
        self.report = report
        super().__init__(
            _("%(count)s problem(s) in the file; nothing was imported.")
            % {"count": len(report.errors)},
            code="import_refused",
        )


@dataclass
class _Parsed:
    company: Organisation | None = None
    data: JobOrderData | None = None
    problems: list[Problem] = field(default_factory=list)


def _parse(
    row: SheetRow,
    companies: Mapping[str, Organisation],
    trades: Mapping[str, Trade],
    prefectures: Mapping[str, Prefecture],
) -> _Parsed:
    cells, number = row.cells, row.number
    parsed = _Parsed()
    values: dict[str, Any] = {}

    def cell(name: str, read: Any) -> None:
        try:
            values[name] = read(cells.get(name))
        except CellError as exc:
            parsed.problems.append(Problem(number, name, str(exc)))
            return
        if name in REQUIRED and values[name] in (None, ""):
            parsed.problems.append(Problem(number, name, _("This cell is required.")))

    cell("reference", lambda v: _text(v, 40))
    cell("host_company", lambda v: _text(v, 200))
    cell("trade_code", lambda v: _text(v, 12))
    cell("prefecture_code", lambda v: _text(v, 2).zfill(2) if not blank(v) else "")
    cell("slots", _whole)
    for name in ("planned_start", "interview_on"):
        cell(name, _date)
    cell("sex", lambda v: _choice(v, SEXES))
    for name in ("min_age", "max_age", "min_height_cm"):
        cell(name, _whole)
    cell("japanese_level", lambda v: _choice(v, LEVELS))
    cell("notes", lambda v: _text(v, 2000))
    lookups = (
        ("host_company", companies, _name_key, _("Not one of the host companies you send job "
                                                 "orders for (sheet companies).")),
        ("trade_code", trades, str, _("No trade has this code (sheet trades).")),
        ("prefecture_code", prefectures, str, _("No prefecture has this code (01-47).")),
    )  # fmt: skip
    found: dict[str, Any] = {}
    for name, table, key, message in lookups:
        if values.get(name):
            found[name] = table.get(key(values[name]))
            if found[name] is None:
                parsed.problems.append(Problem(number, name, message))
    if parsed.problems:
        return parsed
    parsed.company = found["host_company"]
    parsed.data = JobOrderData(
        reference=values["reference"], trade=found["trade_code"],
        prefecture=found["prefecture_code"], slots=values["slots"],
        planned_start=values["planned_start"], sex=values["sex"], min_age=values["min_age"],
        max_age=values["max_age"], min_height_cm=values["min_height_cm"],
        japanese_level=values["japanese_level"], interview_on=values["interview_on"],
        notes=values["notes"],
    )  # fmt: skip
    return parsed


def _same(order: JobOrder, data: JobOrderData) -> bool:
    return all(
        getattr(order, f"{name}_id" if name in ("trade", "prefecture") else name)
        == (getattr(data, name).pk if name in ("trade", "prefecture") else getattr(data, name))
        for name in FIELDS
    )
