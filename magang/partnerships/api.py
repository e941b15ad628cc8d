"""Partnerships in the API: /api/v1/partnerships/. The same scopes as the pages.

- ``/public/agreements``: anyone; the agreements marked public, without scope or documents.
- ``/agreements``, ``/agreements/{id}``: ministry roles every agreement; a partner or a host
  company the signed ones naming its organisation (token or session).
- ``/prefectures/{code}``: a prefecture's figures; exact for ministry roles, suppressed for
  everyone else, and only for partner prefectures they see (404 otherwise).
"""

# No "from __future__ import annotations": Ninja reads the endpoint signatures at import.
import datetime as dt
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from magang.accounts.api_auth import api_auth
from magang.accounts.scopes import scope_for
from magang.stats.suppression import Cell

from . import selectors
from .access import READER_ROLES, access_agreement
from .models import Agreement

router = Router(tags=["partnerships"])


class ErrorOut(Schema):
    detail: str


class PrefectureRef(Schema):
    code: str = Field(description="JIS X 0401 code, e.g. 04 for Miyagi.")
    name_en: str
    name_ja: str
    name_id: str


class PublicAgreementOut(Schema):
    id: int
    title: str
    kind: str = Field(description="moc, mou, loi, agreement or other.")
    status: str = Field(description="signed or terminated (drafts are never public).")
    state: str = Field(description="On today's date: pending, in_force, expired, terminated.")
    indonesian_party: str
    indonesian_province_code: str | None = Field(description="Empty for Kemnaker (national).")
    prefecture: PrefectureRef | None
    organisations: list[str] = Field(description="Japanese organisations, by name.")
    signed_on: dt.date | None
    valid_from: dt.date | None
    valid_until: dt.date | None = Field(description="Empty when open-ended.")


class DocumentOut(Schema):
    id: int
    title: str
    size: int
    sha256: str
    url: str = Field(description="Download (PDF) for the same caller.")


class AgreementOut(PublicAgreementOut):
    reference: str
    is_public: bool
    indonesian_signatory: str
    japanese_signatory: str
    trades: list[str] = Field(description="OTIT trade codes; empty means any.")
    intern_quota: int | None
    scope: str
    terminated_on: dt.date | None
    termination_reason: str
    documents: list[DocumentOut]


class PrefectureCellOut(Schema):
    count: int | None = Field(description="Null when suppressed (1 to minimum_cell - 1).")
    suppressed: bool


class PrefectureYearOut(Schema):
    year: int
    departed: PrefectureCellOut
    completed: PrefectureCellOut
    early_return: PrefectureCellOut
    missing: PrefectureCellOut
    in_japan_at_end: PrefectureCellOut = Field(
        description="There on 31 Dec (on as_of for its year)."
    )


class PrefectureTradeOut(Schema):
    code: str
    name_en: str
    name_ja: str
    name_id: str
    departed: PrefectureCellOut
    in_japan: PrefectureCellOut


class HostOut(Schema):
    id: int
    name: str
    departed: int
    in_japan: int


class IncidentOut(Schema):
    category: str
    total: int
    open: int


class PrefectureFiguresOut(Schema):
    prefecture: PrefectureRef
    as_of: dt.date
    exact: bool = Field(description="True for ministry roles; otherwise cells are suppressed.")
    minimum_cell: int
    departed: PrefectureCellOut
    in_japan: PrefectureCellOut
    completed: PrefectureCellOut
    early_return: PrefectureCellOut
    missing: PrefectureCellOut
    host_companies_now: PrefectureCellOut
    host_companies_ever: PrefectureCellOut
    years: list[PrefectureYearOut]
    trades: list[PrefectureTradeOut]
    hosts: list[HostOut] = Field(description="Ministry roles only; empty for everyone else.")
    incidents: list[IncidentOut] | None = Field(description="Ministry roles only; else null.")


def _cell(value: Cell) -> PrefectureCellOut:
    return PrefectureCellOut(count=value.count, suppressed=value.suppressed)


def _prefecture(prefecture: Any) -> PrefectureRef | None:
    if prefecture is None:
        return None
    return PrefectureRef(
        code=prefecture.code,
        name_en=prefecture.name_en,
        name_ja=prefecture.name_ja,
        name_id=prefecture.name_id,
    )


def _public(agreement: Agreement, today: dt.date) -> dict[str, Any]:
    return {
        "id": agreement.pk,
        "title": agreement.title,
        "kind": agreement.kind,
        "status": agreement.status,
        "state": agreement.state_on(today).value,
        "indonesian_party": agreement.indonesian_party,
        "indonesian_province_code": agreement.indonesian_province.code
        if agreement.indonesian_province
        else None,
        "prefecture": _prefecture(agreement.prefecture),
        "organisations": [o.name for o in agreement.organisations.all()],
        "signed_on": agreement.signed_on,
        "valid_from": agreement.valid_from,
        "valid_until": agreement.valid_until,
    }


def _full(agreement: Agreement, today: dt.date) -> AgreementOut:
    return AgreementOut(
        **_public(agreement, today),
        reference=agreement.reference,
        is_public=agreement.is_public,
        indonesian_signatory=agreement.indonesian_signatory,
        japanese_signatory=agreement.japanese_signatory,
        trades=[t.code for t in agreement.trades.all()],
        intern_quota=agreement.intern_quota,
        scope=agreement.scope,
        terminated_on=agreement.terminated_on,
        termination_reason=agreement.termination_reason,
        documents=[
            DocumentOut(
                id=d.pk,
                title=d.title,
                size=d.size,
                sha256=d.sha256,
                url=reverse("partnerships:document_file", args=[d.pk]),
            )
            for d in agreement.documents.all()
        ],
    )


def _reader(request: HttpRequest) -> Any:
    if not scope_for(request.user).has_role(*READER_ROLES):
        raise HttpError(403, _("Your role may not do this."))
    return request.user


def _anyone(request: HttpRequest) -> Any:
    """Public endpoints that say more to a known caller: the token or session user if any,
    anonymous otherwise."""
    return getattr(request, "user", None) or AnonymousUser()


@router.get(
    "/public/agreements",
    response=list[PublicAgreementOut],
    auth=None,
    summary="Agreements on public record",
)
def public_agreement_list(request: HttpRequest) -> list[PublicAgreementOut]:
    today = selectors.programme_today()
    return [
        PublicAgreementOut(**_public(a, today)) for a in selectors.public_agreement_list()[:500]
    ]


@router.get(
    "/agreements",
    response={200: list[AgreementOut], 401: ErrorOut, 403: ErrorOut},
    auth=api_auth,
    summary="Agreements the caller may read",
)
@paginate(PageNumberPagination, page_size=100)
def agreement_list(request: HttpRequest) -> QuerySet[Agreement] | list[AgreementOut]:
    user = _reader(request)
    today = selectors.programme_today()
    agreements = selectors.agreement_list(user=user, details=True)
    return [_full(a, today) for a in agreements]


@router.get(
    "/agreements/{agreement_id}",
    response={200: AgreementOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=api_auth,
    summary="One agreement",
)
def agreement_detail(request: HttpRequest, agreement_id: int) -> AgreementOut:
    user = _reader(request)
    try:
        agreement = access_agreement(user=user, pk=agreement_id)
    except Http404 as exc:
        raise HttpError(404, _("No such agreement.")) from exc
    return _full(agreement, selectors.programme_today())


@router.get(
    "/prefectures/{code}",
    response={200: PrefectureFiguresOut, 404: ErrorOut},
    auth=[*api_auth, _anyone],
    summary="A partner prefecture's figures",
)
def prefecture_figures(request: HttpRequest, code: str) -> PrefectureFiguresOut:
    try:
        prefecture = selectors.access_prefecture(user=request.user, code=code)
    except Http404 as exc:
        raise HttpError(404, _("No such partner prefecture.")) from exc
    p = selectors.prefecture_profile(user=request.user, prefecture=prefecture)
    ref = _prefecture(prefecture)
    assert ref is not None  # noqa: S101 - a prefecture was found
    return PrefectureFiguresOut(
        prefecture=ref,
        as_of=p.as_of,
        exact=p.exact,
        minimum_cell=p.minimum_cell,
        departed=_cell(p.departed),
        in_japan=_cell(p.in_japan),
        completed=_cell(p.completed),
        early_return=_cell(p.early_return),
        missing=_cell(p.missing),
        host_companies_now=_cell(p.host_companies_now),
        host_companies_ever=_cell(p.host_companies_ever),
        years=[
            PrefectureYearOut(
                year=y.year,
                departed=_cell(y.departed),
                completed=_cell(y.completed),
                early_return=_cell(y.early_return),
                missing=_cell(y.missing),
                in_japan_at_end=_cell(y.in_japan_at_end),
            )
            for y in p.years
        ],
        trades=[
            PrefectureTradeOut(
                code=t.code,
                name_en=t.name_en,
                name_ja=t.name_ja,
                name_id=t.name_id,
                departed=_cell(t.departed),
                in_japan=_cell(t.in_japan),
            )
            for t in p.trades
        ],
        hosts=[
            HostOut(id=h.pk, name=h.name, departed=h.departed, in_japan=h.in_japan) for h in p.hosts
        ],
        incidents=None
        if p.incidents is None
        else [IncidentOut(category=i.category, total=i.total, open=i.open) for i in p.incidents],
    )
