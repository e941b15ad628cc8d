"""What every placement endpoint shares: the error schema, who may call staff endpoints,
the scoped look-up of a job order (404 outside the caller's scope, 403 when they may read
but not change it) and how a refused write answers."""

# No "from __future__ import annotations": Ninja reads the endpoint signatures at import.
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import HttpError

from magang.accounts.models import User
from magang.accounts.scopes import scope_for
from magang.reference.models import Prefecture, Trade

from ..access import access_job_order
from ..models import JobOrder
from ..selectors.orders import ORDER_READERS


class ErrorOut(Schema):
    detail: str


class PlacementTradeOut(Schema):
    code: str
    name_en: str
    name_ja: str
    name_id: str


class PlacementPrefectureOut(Schema):
    code: str
    name_en: str
    name_ja: str
    name_id: str


def trade_out(trade: Trade) -> PlacementTradeOut:
    return PlacementTradeOut(code=trade.code, name_en=trade.name_en, name_ja=trade.name_ja,
                    name_id=trade.name_id)  # fmt: skip


def prefecture_out(prefecture: Prefecture) -> PlacementPrefectureOut:
    return PlacementPrefectureOut(code=prefecture.code, name_en=prefecture.name_en,
                         name_ja=prefecture.name_ja, name_id=prefecture.name_id)  # fmt: skip


def user_of(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - api_auth let only users through
    return user


def reader(request: HttpRequest) -> User:
    """The caller, when their role reads job orders (the central team, leadership,
    administrators, partners, host companies); 403 for everyone else."""
    user = user_of(request)
    if not scope_for(user).has_role(*ORDER_READERS):
        raise HttpError(403, _("Your role may not do this."))
    return user


@contextmanager
def refusals() -> Iterator[None]:
    """A refused write answers 403 (may read, may not act) or 422 (the service's reasons);
    nothing is changed."""
    try:
        yield
    except PermissionDenied as exc:
        raise HttpError(403, _("Your role may not do this.")) from exc
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from exc


def order_for(user: User, pk: int, write: bool = False) -> JobOrder:
    """The job order if the user sees it (404 otherwise); 403 when ``write`` and they may
    not change it."""
    with refusals():
        return access_job_order(user=user, pk=pk, write=write)
