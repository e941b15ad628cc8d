"""Return and alumni in the API, at /api/v1/internships/alumni: the same rules as the pages
(``alumni_access``). Returns and grants: officers of the intern's site, the central team,
leadership and administrators read; officers of the site, the central team and
administrators record returns; only the central team decides and pays grants. The
directory and job events: logged-in alumni, ministry staff and partners; consenting alumni
only, directory fields only. ``/alumni/me``: the alumnus' own profile, returns and grants."""

# No "from __future__ import annotations": Ninja reads the endpoint signatures at import, and
# @paginate re-reads them from its own module, where string annotations do not resolve.
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate
from pydantic import ConfigDict

from magang.accounts.api_auth import api_auth
from magang.accounts.models import User
from magang.accounts.scopes import scope_for
from magang.reference.models import Province

from ..alumni_access import (
    ALUMNI_STAFF_ROLES,
    directory_scope,
    job_event_scope,
    may_read_directory,
    my_profile,
    returned_scope,
)
from ..alumni_selectors import alumni_rows, directory_rows
from ..models import (
    AlumniProfile,
    BusinessGrant,
    Employment,
    GrantStatus,
    IncomeBand,
    Internship,
    JobEvent,
    ReturnRecord,
)
from ..services import alumni as services

router = Router(tags=["internships: alumni"], auth=api_auth)


class ErrorOut(Schema):
    detail: str


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - api_auth let only users through
    return user


@contextmanager
def refusals() -> Iterator[None]:
    try:
        yield
    except PermissionDenied as exc:
        raise HttpError(403, _("Your role may not do this.")) from exc
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from exc


def _staff(request: HttpRequest) -> User:
    user = _user(request)
    if not scope_for(user).has_role(*ALUMNI_STAFF_ROLES):
        raise HttpError(403, _("Your role may not do this."))
    return user


def _directory_reader(request: HttpRequest) -> User:
    user = _user(request)
    if not may_read_directory(user):
        raise HttpError(403, _("Your role may not do this."))
    return user


class GrantOut(Schema):
    id: int
    status: GrantStatus
    amount: Decimal
    scheme_year: int
    approved_at: dt.datetime | None
    paid_on: dt.date | None
    payment_reference: str
    refusal_reason: str

    @staticmethod
    def resolve_scheme_year(obj: BusinessGrant) -> int:
        return obj.scheme.year


class ReturnOut(Schema):
    internship_id: int
    registration_number: str
    full_name: str
    ended_on: dt.date | None
    end_reason: str
    returned_on: dt.date | None
    certificate_number: str | None
    grant: GrantOut | None

    @staticmethod
    def resolve_registration_number(obj: Internship) -> str:
        return obj.application.registration_number

    @staticmethod
    def resolve_full_name(obj: Internship) -> str:
        return obj.application.candidate.full_name

    @staticmethod
    def resolve_internship_id(obj: Internship) -> int:
        return obj.pk

    @staticmethod
    def _record(obj: Internship) -> ReturnRecord | None:
        return getattr(obj, "return_record", None)

    @staticmethod
    def resolve_returned_on(obj: Internship) -> dt.date | None:
        record = ReturnOut._record(obj)
        return record.returned_on if record else None

    @staticmethod
    def resolve_certificate_number(obj: Internship) -> str | None:
        record = ReturnOut._record(obj)
        return record.certificate_number if record else None

    @staticmethod
    def resolve_grant(obj: Internship) -> BusinessGrant | None:
        record = ReturnOut._record(obj)
        return getattr(record, "grant", None) if record else None


class ReturnFilters(Schema):
    returned: Literal["", "yes", "no"] = ""
    grant: Literal["", "none", "eligible", "approved", "paid", "refused"] = ""


@router.get(
    "/alumni/returns",
    response={200: list[ReturnOut], 401: ErrorOut, 403: ErrorOut},
    summary="Ended stays in the caller's scope, with their return and grant",
)
@paginate(PageNumberPagination, page_size=100)
def returns_list(request: HttpRequest, filters: Query[ReturnFilters]) -> object:
    return alumni_rows(user=_staff(request), returned=filters.returned, grant=filters.grant)


class ReturnIn(Schema):
    model_config = ConfigDict(extra="forbid")
    internship_id: int
    returned_on: dt.date
    certificate_number: str = Field(default="", max_length=60)


def _ended(user: User, internship_id: int) -> Internship:
    internship = (
        returned_scope(user=user)
        .select_related("application__candidate", "application__site", "application__round")
        .filter(pk=internship_id)
        .first()
    )
    if internship is None:
        raise Http404("No such ended internship.")
    return internship


@router.post(
    "/alumni/returns",
    response={201: ReturnOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Record an intern's return home (and open the grant when the scheme allows)",
)
def return_create(request: HttpRequest, payload: ReturnIn) -> Status[Internship]:
    user = _staff(request)
    internship = _ended(user, payload.internship_id)
    with refusals():
        services.return_record(
            internship=internship,
            returned_on=payload.returned_on,
            by=user,
            certificate_number=payload.certificate_number,
        )
    return Status(201, _ended(user, internship.pk))


class GrantDecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")
    action: Literal["approve", "pay", "refuse"]
    paid_on: dt.date | None = None
    payment_reference: str = Field(default="", max_length=80)
    reason: str = Field(default="", max_length=2000)


@router.post(
    "/alumni/grants/{grant_id}/decision",
    response={200: GrantOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Approve, pay or refuse a business capital grant (central team)",
)
def grant_decide(request: HttpRequest, grant_id: int, payload: GrantDecisionIn) -> BusinessGrant:
    user = _staff(request)
    grant = (
        BusinessGrant.objects.filter(
            pk=grant_id, return_record__internship__in=returned_scope(user=user)
        )
        .select_related("scheme")
        .first()
    )
    if grant is None:
        raise Http404("No such grant.")
    with refusals():
        if payload.action == "approve":
            grant = services.grant_approve(grant=grant, by=user)
        elif payload.action == "pay":
            if payload.paid_on is None:
                raise ValidationError(_("Give the payment date."))
            grant = services.grant_pay(
                grant=grant, by=user, paid_on=payload.paid_on, reference=payload.payment_reference
            )
        else:
            grant = services.grant_refuse(grant=grant, by=user, reason=payload.reason)
    return grant


class DirectoryOut(Schema):
    name: str
    headline: str
    province: str
    trade: str
    returned_year: int | None
    contact: str


@router.get(
    "/alumni/directory",
    response={200: list[DirectoryOut], 401: ErrorOut, 403: ErrorOut},
    summary="Alumni who agreed to be listed (directory fields only)",
)
@paginate(PageNumberPagination, page_size=100)
def directory(request: HttpRequest, province: str = "", q: str = "") -> object:
    user = _directory_reader(request)
    return [
        vars(row)
        for row in directory_rows(qs=directory_scope(user=user), province=province, query=q)
    ]


class JobEventOut(Schema):
    id: int
    title: str
    companies: str
    description: str
    venue: str
    province: str
    starts_at: dt.datetime
    capacity: int | None

    @staticmethod
    def resolve_province(obj: JobEvent) -> str:
        return obj.province.name


@router.get(
    "/alumni/events",
    response={200: list[JobEventOut], 401: ErrorOut, 403: ErrorOut},
    summary="Upcoming job events with Japanese firms in Indonesia",
)
@paginate(PageNumberPagination, page_size=100)
def events_list(request: HttpRequest) -> object:
    user = _directory_reader(request)
    return (
        job_event_scope(user=user)
        .filter(starts_at__gte=dt.datetime.now(tz=dt.UTC) - dt.timedelta(days=1))
        .select_related("province")
        .order_by("starts_at", "id")
    )


class JobEventIn(Schema):
    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=1, max_length=200)
    venue: str = Field(min_length=1, max_length=200)
    province_code: str = Field(min_length=2, max_length=2)
    starts_at: dt.datetime
    companies: str = Field(default="", max_length=4000)
    description: str = Field(default="", max_length=4000)
    capacity: int | None = Field(default=None, ge=1)


@router.post(
    "/alumni/events",
    response={201: JobEventOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Announce a job event (central team, regional officers, partners)",
)
def event_create(request: HttpRequest, payload: JobEventIn) -> Status[JobEvent]:
    user = _user(request)
    province = Province.objects.filter(code=payload.province_code).first()
    if province is None:
        raise HttpError(422, _("No such province."))
    with refusals():
        event = services.job_event_create(
            by=user,
            title=payload.title,
            venue=payload.venue,
            province=province,
            starts_at=payload.starts_at,
            companies=payload.companies,
            description=payload.description,
            capacity=payload.capacity,
        )
    return Status(201, event)


class InterestOut(Schema):
    event_id: int
    registered_at: dt.datetime


@router.post(
    "/alumni/events/{event_id}/interest",
    response={201: InterestOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="The alumnus registers interest in an event",
)
def event_interest(request: HttpRequest, event_id: int) -> Status[InterestOut]:
    user = _directory_reader(request)
    profile = my_profile(user)
    if profile is None:
        raise HttpError(403, _("Only alumni register interest."))
    event = job_event_scope(user=user).filter(pk=event_id).first()
    if event is None:
        raise Http404("No such event.")
    with refusals():
        interest = services.job_event_register(event=event, profile=profile, by=user)
    return Status(201, InterestOut(event_id=event.pk, registered_at=interest.registered_at))


class ProfileOut(Schema):
    headline: str
    province: str | None
    directory_consent: bool
    directory_contact: str
    returns: list[ReturnOut]

    @staticmethod
    def resolve_province(obj: AlumniProfile) -> str | None:
        return obj.province.code if obj.province else None

    @staticmethod
    def resolve_returns(obj: AlumniProfile) -> list[Internship]:
        return list(
            Internship.objects.filter(
                application__candidate_id=obj.candidate_id, return_record__isnull=False
            ).select_related("application__candidate", "return_record__grant__scheme")
        )


def _me(request: HttpRequest) -> tuple[User, AlumniProfile]:
    user = _user(request)
    profile = my_profile(user)
    if profile is None:
        raise HttpError(403, _("Only alumni have an alumni profile."))
    return user, profile


@router.get(
    "/alumni/me",
    response={200: ProfileOut, 401: ErrorOut, 403: ErrorOut},
    summary="The alumnus' own profile, returns and grants",
)
def me(request: HttpRequest) -> AlumniProfile:
    return _me(request)[1]


class SurveyIn(Schema):
    model_config = ConfigDict(extra="forbid")
    employment: Employment
    income_band: IncomeBand
    business_started: bool = False
    business_sector: str = Field(default="", max_length=120)
    back_in_japan_ssw: bool = False
    ssw_field: str = Field(default="", max_length=120)
    comments: str = Field(default="", max_length=4000)


class SurveyOut(Schema):
    id: int
    answered_on: dt.date
    employment: Employment
    income_band: IncomeBand
    business_started: bool
    back_in_japan_ssw: bool


@router.post(
    "/alumni/me/surveys",
    response={201: SurveyOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Answer a follow-up survey",
)
def survey_create(request: HttpRequest, payload: SurveyIn) -> Status[object]:
    user, profile = _me(request)
    with refusals():
        survey = services.alumni_survey_record(profile=profile, by=user, **payload.model_dump())
    return Status(201, survey)
