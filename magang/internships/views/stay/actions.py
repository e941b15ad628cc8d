"""The moves an internship's page offers: each with its form, the statuses it applies to,
who may make it, and the service it runs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from magang.accounts.models import User
from magang.recruitment.journey import Status

from ...access import may_manage, may_notify_missing
from ...models import Internship
from ...services import stay as services
from .forms import (
    ArrivalForm,
    DayForm,
    EarlyReturnForm,
    ExamForm,
    HomeLeaveForm,
    NextStageForm,
    TransferForm,
)


@dataclass(frozen=True)
class Action:
    key: str
    title: Any
    form: type[forms.Form]
    statuses: frozenset[str]
    run: Callable[[Internship, dict[str, Any], User], object]
    allowed: Callable[[Any, Internship], bool] = may_manage


IN_JAPAN = frozenset({Status.IN_JAPAN.value})
ACTIONS = {
    a.key: a
    for a in (
        Action(
            "arrival",
            gettext_lazy("Record arrival"),
            ArrivalForm,
            frozenset({Status.DEPARTED.value}),
            lambda i, d, u: services.internship_arrive(
                internship=i, arrived_on=d["on"], centre=d["centre"], by=u
            ),
        ),
        Action(
            "next_stage",
            gettext_lazy("Move to the next stage"),
            NextStageForm,
            IN_JAPAN,
            lambda i, d, u: services.internship_next_stage(internship=i, on=d["on"], by=u),
        ),
        Action(
            "exam",
            gettext_lazy("Record an exam"),
            ExamForm,
            IN_JAPAN,
            lambda i, d, u: services.exam_record(
                internship=i,
                exam_type=d["exam_type"],
                taken_on=d["taken_on"],
                result=d["result"],
                score=d["score"],
                certificate_number=d["certificate_number"],
                by=u,
            ),
        ),
        Action(
            "home_leave",
            gettext_lazy("Temporary return home"),
            HomeLeaveForm,
            IN_JAPAN,
            lambda i, d, u: services.home_leave_record(
                internship=i, left_on=d["left_on"], returned_on=d["returned_on"], by=u
            ),
        ),
        Action(
            "transfer",
            gettext_lazy("Transfer to another host company"),
            TransferForm,
            IN_JAPAN,
            lambda i, d, u: services.internship_transfer(
                internship=i,
                to_company=d["to_company"],
                on=d["on"],
                reason=d["reason"],
                note=d["note"],
                by=u,
            ),
        ),
        Action(
            "early_return",
            gettext_lazy("Early return"),
            EarlyReturnForm,
            frozenset({Status.IN_JAPAN.value, Status.MISSING.value}),
            lambda i, d, u: services.internship_early_return(
                internship=i, on=d["on"], reason=d["reason"], note=d["note"], by=u
            ),
        ),
        Action(
            "missing",
            gettext_lazy("Training can no longer continue (missing)"),
            DayForm,
            IN_JAPAN,
            lambda i, d, u: services.internship_missing(
                internship=i, on=d["on"], note=d["note"], by=u
            ),
            may_notify_missing,
        ),
        Action(
            "found",
            gettext_lazy("Found again"),
            DayForm,
            frozenset({Status.MISSING.value}),
            lambda i, d, u: services.internship_found(
                internship=i, on=d["on"], note=d["note"], by=u
            ),
        ),
        Action(
            "completed",
            gettext_lazy("Completed"),
            DayForm,
            IN_JAPAN,
            lambda i, d, u: services.internship_complete(
                internship=i, on=d["on"], note=d["note"], by=u
            ),
        ),
    )
}


def _form(action: Action, internship: Internship, data: Any = None) -> forms.Form:
    if action.form is TransferForm:
        return TransferForm(data, internship=internship, prefix=action.key)
    return action.form(data, prefix=action.key)
