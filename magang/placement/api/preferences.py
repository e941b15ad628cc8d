"""A candidate's own ranking of job orders in the API: the open job orders of their round,
each with the requirements they do not meet (if any), and the ranking itself. Only the
caller's own; users without a candidate record have no ranking (403)."""

# No "from __future__ import annotations": Ninja reads the endpoint signatures at import.
import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from pydantic import ConfigDict

from magang.accounts.api_auth import api_auth

from ..models import JobOrderState
from ..selectors import preferences as selectors
from ..services.candidacies import preferences_set
from .common import (
    ErrorOut,
    PlacementPrefectureOut,
    PlacementTradeOut,
    prefecture_out,
    refusals,
    trade_out,
    user_of,
)

router = Router(tags=["placement"], auth=api_auth)


class UnmetReasonOut(Schema):
    rule: str = Field(description="sex, age, height or japanese.")
    text_id: str
    text_en: str


class ChoiceOut(Schema):
    job_order_id: int
    reference: str
    trade: PlacementTradeOut
    prefecture: PlacementPrefectureOut
    slots: int
    planned_start: dt.date
    interview_on: dt.date | None
    notes: str
    rank: int | None = Field(description="My rank of it, if I ranked it.")
    eligible: bool
    unmet: list[UnmetReasonOut] = Field(description="The requirements I do not meet.")


class RankedOut(Schema):
    rank: int
    job_order_id: int
    reference: str
    open: bool


class MyPreferencesOut(Schema):
    registration_number: str | None
    may_rank: bool = Field(description="Graduates and trainees rank job orders.")
    max_preferences: int
    ranked: list[RankedOut]
    choices: list[ChoiceOut] = Field(description="Open job orders: those I may rank first.")


class PreferencesIn(Schema):
    model_config = ConfigDict(extra="forbid")
    job_order_ids: list[int] = Field(
        description="The job orders I want, the most wanted first.", max_length=50
    )


def _choice_out(choice: selectors.Choice) -> ChoiceOut:
    order = choice.order
    return ChoiceOut(
        job_order_id=order.pk, reference=order.reference, trade=trade_out(order.trade),
        prefecture=prefecture_out(order.prefecture), slots=order.slots,
        planned_start=order.planned_start, interview_on=order.interview_on, notes=order.notes,
        rank=choice.rank, eligible=choice.eligible,
        unmet=[
            UnmetReasonOut(rule=u.rule, text_id=u.text_id, text_en=u.text_en)
            for u in choice.unmet
        ],
    )  # fmt: skip


def _mine(request: HttpRequest) -> MyPreferencesOut:
    user = user_of(request)
    if not selectors.is_candidate(user):
        raise HttpError(403, _("Only candidates rank job orders."))
    ranking = selectors.my_ranking(user=user)
    return MyPreferencesOut(
        registration_number=ranking.application.registration_number
        if ranking.application
        else None,
        may_rank=ranking.may_rank,
        max_preferences=selectors.MAX_PREFERENCES,
        ranked=[
            RankedOut(
                rank=p.rank,
                job_order_id=p.job_order_id,
                reference=p.job_order.reference,
                open=p.job_order.state == JobOrderState.OPEN,
            )
            for p in ranking.ranked
        ],
        choices=[_choice_out(c) for c in (*ranking.choices, *ranking.ineligible)],
    )


@router.get(
    "/me/preferences",
    response={200: MyPreferencesOut, 401: ErrorOut, 403: ErrorOut},
    summary="My ranking and the job orders I may rank",
)
def my_preferences(request: HttpRequest) -> MyPreferencesOut:
    return _mine(request)


@router.put(
    "/me/preferences",
    response={200: MyPreferencesOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Replace my ranking (an empty list withdraws it)",
)
def my_preferences_set(request: HttpRequest, payload: PreferencesIn) -> MyPreferencesOut:
    user = user_of(request)
    if not selectors.is_candidate(user):
        raise HttpError(403, _("Only candidates rank job orders."))
    application = selectors.my_application(user=user)
    if application is None:
        raise HttpError(422, _("Graduates and trainees rank job orders."))
    rankable = {
        o.pk: o for o in selectors.rankable_orders(application).filter(pk__in=payload.job_order_ids)
    }
    unknown = [str(pk) for pk in payload.job_order_ids if pk not in rankable]
    if unknown:
        raise HttpError(
            422,
            _("No open job order you may rank has the id %(ids)s.") % {"ids": ", ".join(unknown)},
        )
    with refusals():
        preferences_set(
            application=application,
            job_orders=[rankable[pk] for pk in payload.job_order_ids],
            by=user,
        )
    return _mine(request)
