"""Return and alumni pages. Staff (officers of the intern's site, the central team,
leadership, administrators): ended stays and their returns, grants and surveys. The alumnus:
their own profile, directory consent, surveys and grant. The directory and the job events:
consenting alumni only, for the readers ``alumni_access`` names."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from magang.accounts.models import Role, User
from magang.accounts.permissions import role_required
from magang.accounts.scopes import scope_for
from magang.recruitment.services.documents import SUFFIX
from magang.reference.models import Province

from ..alumni_access import (
    ALUMNI_STAFF_ROLES,
    EVENT_ORGANISER_ROLES,
    directory_scope,
    job_event_scope,
    may_manage_alumnus,
    may_read_directory,
    may_see_registrants,
    my_profile,
    returned_scope,
)
from ..alumni_selectors import alumni_rows, directory_rows, profile_for_internship
from ..models import (
    AlumniProfile,
    BusinessGrant,
    Employment,
    IncomeBand,
    Internship,
    JobEventInterest,
    ReturnRecord,
)
from ..services import alumni as services
from ..services.cases import Upload


class UserRequest(HttpRequest):
    user: User


def _date(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((raw or "").strip()[:10])
    except ValueError:
        return None


def _province(raw: str | None) -> Province | None:
    code = (raw or "").strip()
    return Province.objects.filter(code=code).first() if code else None


def _internship(user: User, internship_id: int) -> Internship:
    internship = (
        returned_scope(user=user)
        .select_related(
            "application__candidate",
            "application__site",
            "application__round__programme",
            "prefecture",
            "trade",
        )
        .filter(pk=internship_id)
        .first()
    )
    if internship is None:
        raise Http404("No such ended internship.")
    return internship


@require_GET
@role_required(*ALUMNI_STAFF_ROLES)
def alumni_list(request: UserRequest) -> HttpResponse:
    rows = alumni_rows(
        user=request.user,
        returned=request.GET.get("returned", ""),
        grant=request.GET.get("grant", ""),
    )
    return render(
        request,
        "internships/alumni_list.html",
        {
            "page": Paginator(rows, 50).get_page(request.GET.get("page")),
            "returned": request.GET.get("returned", ""),
            "grant": request.GET.get("grant", ""),
        },
    )


def _survey_kwargs(request: UserRequest) -> dict[str, object]:
    post = request.POST
    return {
        "employment": post.get("employment", ""),
        "income_band": post.get("income_band", ""),
        "business_started": post.get("business_started") == "on",
        "business_sector": post.get("business_sector", ""),
        "back_in_japan_ssw": post.get("back_in_japan_ssw") == "on",
        "ssw_field": post.get("ssw_field", ""),
        "comments": post.get("comments", ""),
    }


def _staff_act(request: UserRequest, internship: Internship) -> list[str]:
    post, by = request.POST, request.user
    action = post.get("action", "")
    record = ReturnRecord.objects.filter(internship=internship).first()
    grant = BusinessGrant.objects.filter(return_record=record).first() if record else None
    try:
        if action == "return":
            returned_on = _date(post.get("returned_on"))
            if returned_on is None:
                return [_("Give the date as YYYY-MM-DD.")]
            upload = request.FILES.get("certificate")
            services.return_record(
                internship=internship,
                returned_on=returned_on,
                by=by,
                certificate_number=post.get("certificate_number", ""),
                certificate=Upload(file=upload, size=upload.size) if upload else None,
            )
        elif action == "survey":
            profile = profile_for_internship(internship)
            if profile is None:
                return [_("Record the return first.")]
            services.alumni_survey_record(profile=profile, by=by, **_survey_kwargs(request))  # type: ignore[arg-type]
        elif action in ("grant_open", "approve", "pay", "refuse"):
            if record is None:
                return [_("Record the return first.")]
            if action == "grant_open":
                services.grant_open(record=record, by=by)
            elif grant is None:
                return [_("There is no grant to decide.")]
            elif action == "approve":
                services.grant_approve(grant=grant, by=by)
            elif action == "pay":
                paid_on = _date(post.get("paid_on"))
                if paid_on is None:
                    return [_("Give the date as YYYY-MM-DD.")]
                services.grant_pay(
                    grant=grant, by=by, paid_on=paid_on, reference=post.get("reference", "")
                )
            else:
                services.grant_refuse(grant=grant, by=by, reason=post.get("reason", ""))
        else:
            return [_("Unknown action.")]
    except PermissionDenied:
        raise
    except ValidationError as exc:
        return list(exc.messages)
    return []


@require_http_methods(["GET", "POST"])
@role_required(*ALUMNI_STAFF_ROLES)
def alumni_return(request: UserRequest, internship_id: int) -> HttpResponse:
    internship = _internship(request.user, internship_id)
    errors: list[str] = []
    if request.method == "POST":
        if not may_manage_alumnus(request.user, internship) and request.POST.get("action") not in (
            "grant_open",
            "approve",
            "pay",
            "refuse",
        ):
            raise PermissionDenied
        errors = _staff_act(request, internship)
        if not errors:
            messages.success(request, _("Saved."))
            return redirect("internships:alumni_return", internship.pk)
    record = (
        ReturnRecord.objects.filter(internship=internship).select_related("recorded_by").first()
    )
    grant = (
        BusinessGrant.objects.filter(return_record=record)
        .select_related("scheme", "approved_by", "paid_by", "refused_by")
        .first()
        if record
        else None
    )
    profile = profile_for_internship(internship)
    return render(
        request,
        "internships/alumni_return.html",
        {
            "internship": internship,
            "record": record,
            "grant": grant,
            "check": services.grant_check(record=record) if record and not grant else None,
            "profile": profile,
            "surveys": profile.surveys.all() if profile else [],
            "manages": may_manage_alumnus(request.user, internship),
            "decides": scope_for(request.user).has_role(Role.CENTRAL_TEAM),
            "employments": Employment.choices,
            "income_bands": IncomeBand.choices,
            "errors": errors,
            "post": request.POST,
            "today": timezone.localdate(),
        },
        status=400 if errors else 200,
    )


@require_GET
@login_required
def alumni_certificate(request: UserRequest, internship_id: int) -> FileResponse:
    """The completion certificate, as a download, to the alumnus or staff of the return."""
    record = (
        ReturnRecord.objects.filter(internship_id=internship_id)
        .select_related("internship__application__candidate")
        .first()
    )
    own = record is not None and record.internship.application.candidate.user_id == request.user.pk
    if record is None or not (
        own or returned_scope(user=request.user).filter(pk=internship_id).exists()
    ):
        raise Http404("No such certificate.")
    if not record.certificate_file:
        raise Http404("No certificate file.")
    try:
        handle = record.certificate_file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing.") from None
    name = f"certificate-{internship_id}{SUFFIX.get(record.certificate_content_type, '')}"
    response = FileResponse(
        handle, as_attachment=True, filename=name, content_type=record.certificate_content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
@login_required
def alumni_me(request: UserRequest) -> HttpResponse:
    """The alumnus' own page: profile and directory consent, a survey, the grant."""
    profile = my_profile(request.user)
    if profile is None:
        raise PermissionDenied
    errors: list[str] = []
    if request.method == "POST":
        try:
            if request.POST.get("action") == "survey":
                services.alumni_survey_record(
                    profile=profile,
                    by=request.user,
                    **_survey_kwargs(request),  # type: ignore[arg-type]
                )
            else:
                services.alumni_profile_update(
                    profile=profile,
                    by=request.user,
                    headline=request.POST.get("headline", ""),
                    province=_province(request.POST.get("province")),
                    directory_consent=request.POST.get("directory_consent") == "on",
                    directory_contact=request.POST.get("directory_contact", ""),
                )
        except ValidationError as exc:
            errors = list(exc.messages)
        else:
            messages.success(request, _("Saved."))
            return redirect("internships:alumni_me")
    returns = (
        ReturnRecord.objects.filter(internship__application__candidate_id=profile.candidate_id)
        .select_related("internship", "grant")
        .order_by("-returned_on")
    )
    return render(
        request,
        "internships/alumni_me.html",
        {
            "profile": profile,
            "returns": returns,
            "surveys": profile.surveys.all()[:5],
            "provinces": Province.objects.order_by("code"),
            "employments": Employment.choices,
            "income_bands": IncomeBand.choices,
            "errors": errors,
            "post": request.POST,
        },
        status=400 if errors else 200,
    )


@require_GET
@login_required
def alumni_directory(request: UserRequest) -> HttpResponse:
    if not may_read_directory(request.user):
        raise PermissionDenied
    rows = directory_rows(
        qs=directory_scope(user=request.user),
        province=request.GET.get("province", ""),
        query=request.GET.get("q", ""),
    )
    return render(
        request,
        "internships/alumni_directory.html",
        {
            "page": Paginator(rows, 50).get_page(request.GET.get("page")),
            "provinces": Province.objects.order_by("code"),
            "province": request.GET.get("province", ""),
            "q": request.GET.get("q", ""),
        },
    )


def _event_action(request: UserRequest, profile: AlumniProfile | None) -> list[str]:
    post, by = request.POST, request.user
    try:
        if post.get("action") == "register":
            if profile is None:
                raise PermissionDenied
            event = job_event_scope(user=by).filter(pk=post.get("event") or 0).first()
            if event is None:
                raise Http404("No such event.")
            services.job_event_register(event=event, profile=profile, by=by)
        else:
            if not scope_for(by).has_role(*EVENT_ORGANISER_ROLES):
                raise PermissionDenied
            province = _province(post.get("province"))
            starts = post.get("starts_at", "").strip()
            try:
                starts_at = timezone.make_aware(dt.datetime.fromisoformat(starts))
            except ValueError:
                return [_("Give the start as date and time.")]
            if province is None:
                return [_("Choose the province.")]
            capacity = post.get("capacity", "").strip()
            services.job_event_create(
                by=by,
                title=post.get("title", ""),
                venue=post.get("venue", ""),
                province=province,
                starts_at=starts_at,
                companies=post.get("companies", ""),
                description=post.get("description", ""),
                capacity=int(capacity) if capacity.isdigit() else None,
            )
    except ValidationError as exc:
        return list(exc.messages)
    return []


@require_http_methods(["GET", "POST"])
@login_required
def alumni_events(request: UserRequest) -> HttpResponse:
    if not may_read_directory(request.user):
        raise PermissionDenied
    profile = my_profile(request.user)
    errors: list[str] = []
    if request.method == "POST":
        errors = _event_action(request, profile)
        if not errors:
            messages.success(request, _("Saved."))
            return redirect("internships:alumni_events")
    events = (
        job_event_scope(user=request.user)
        .filter(starts_at__gte=timezone.now() - dt.timedelta(days=1))
        .select_related("province", "created_by")
        .annotate(registered=Count("interests"))
        .order_by("starts_at", "id")
    )
    if profile is not None:
        events = events.annotate(
            mine=Exists(JobEventInterest.objects.filter(event_id=OuterRef("pk"), profile=profile))
        )
    events = events.prefetch_related(
        Prefetch(
            "interests",
            queryset=JobEventInterest.objects.select_related("profile__candidate"),
        )
    )
    return render(
        request,
        "internships/alumni_events.html",
        {
            "events": [(e, may_see_registrants(request.user, e)) for e in events[:100]],
            "profile": profile,
            "organiser": scope_for(request.user).has_role(*EVENT_ORGANISER_ROLES),
            "provinces": Province.objects.order_by("code"),
            "errors": errors,
            "post": request.POST,
        },
        status=400 if errors else 200,
    )


urlpatterns: list[URLPattern] = [
    path("alumni/", alumni_list, name="alumni_list"),
    path("alumni/me/", alumni_me, name="alumni_me"),
    path("alumni/directory/", alumni_directory, name="alumni_directory"),
    path("alumni/events/", alumni_events, name="alumni_events"),
    path("alumni/<int:internship_id>/", alumni_return, name="alumni_return"),
    path(
        "alumni/<int:internship_id>/certificate/",
        alumni_certificate,
        name="alumni_certificate",
    ),
]
