"""A job order's shortlist: proposing it from the candidates who ranked the order, recording
each interview, and the company's ranking of those who passed. Whoever reads the order
reads its shortlist; the central team, the order's partner and its host company act.
Partners and host companies see of each candidate only what ``selectors.shortlists``
puts on a card (never health data, contacts or discipline records)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from magang.accounts.permissions import role_required
from magang.recruitment.models import Application

from ..access import access_job_order, may_edit_orders_of
from ..disclosures import disclosure_log, partner_reader
from ..models import Candidacy, InterviewResult, JobOrder
from ..selectors.orders import ORDER_READERS
from ..selectors.shortlists import ShortlistRow, shortlist_rows
from ..services.candidacies import company_ranking_set, interview_record, shortlist_propose
from .common import UserRequest
from .orders import DateInput


class InterviewForm(forms.Form):
    interviewed_on = forms.DateField(label=gettext_lazy("Interview date"), widget=DateInput)
    interviewer = forms.CharField(label=gettext_lazy("Interviewer"), max_length=120, required=False)
    result = forms.ChoiceField(label=gettext_lazy("Result"), choices=InterviewResult.choices,
                               required=False)  # fmt: skip
    notes = forms.CharField(
        label=gettext_lazy("Notes"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


def _may_edit(request: UserRequest, order: JobOrder) -> bool:
    return may_edit_orders_of(
        request.user,
        host_company_id=order.host_company_id,
        supervising_id=order.supervising_organisation_id,
    )


def _shortlist_page(
    request: UserRequest,
    order: JobOrder,
    *,
    errors: list[str] | None = None,
    posted: Mapping[str, Any] | None = None,
) -> HttpResponse:
    rows = shortlist_rows(order=order, today=timezone.localdate())
    if partner_reader(request.user):
        disclosure_log(
            user=request.user,
            application_ids=[row.card.application_id for row in rows],
            what="placement.shortlist",
            job_order=order,
        )

    def typed(row: ShortlistRow) -> str:
        if posted is not None:
            return str(posted.get(f"rank-{row.card.application_id}", ""))
        return str(row.candidacy.company_rank or "")

    return render(
        request,
        "placement/shortlist_list.html",
        {
            "order": order,
            "rows": rows,
            "passed": [(row, typed(row)) for row in rows if row.passed],
            "may_edit": _may_edit(request, order),
            "results": InterviewResult.choices,
            "today": timezone.localdate(),
            "errors": errors or [],
        },
        status=400 if errors else 200,
    )


@require_GET
@role_required(*ORDER_READERS)
def shortlist(request: UserRequest, pk: int) -> HttpResponse:
    return _shortlist_page(request, access_job_order(user=request.user, pk=pk))


@require_POST
@role_required(*ORDER_READERS)
def shortlist_add(request: UserRequest, pk: int) -> HttpResponse:
    order = access_job_order(user=request.user, pk=pk, write=True)
    added = shortlist_propose(order=order, by=request.user)
    if added:
        messages.success(
            request, _("%(n)s candidate(s) added to the shortlist.") % {"n": len(added)}
        )
    else:
        messages.info(request, _("Nobody else can be added: no other eligible candidate ranked "
                                 "this job order, or the shortlist is full."))  # fmt: skip
    return redirect("placement:shortlist", pk=order.pk)


@role_required(*ORDER_READERS)
@require_http_methods(["GET", "POST"])
def interview(request: UserRequest, pk: int, candidacy: int) -> HttpResponse:
    order = access_job_order(user=request.user, pk=pk, write=True)
    person = get_object_or_404(
        Candidacy.objects.select_related("application__candidate"), pk=candidacy, job_order=order
    )
    if request.method == "POST":
        form = InterviewForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                interview_record(
                    candidacy=person, on=data["interviewed_on"], interviewer=data["interviewer"],
                    result=data["result"] or "", notes=data["notes"], by=request.user,
                )  # fmt: skip
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(
                    request,
                    _("Interview of %(number)s recorded.")
                    % {"number": person.application.registration_number},
                )
                return redirect("placement:shortlist", pk=order.pk)
    else:
        form = InterviewForm(
            initial={
                "interviewed_on": person.interviewed_on or order.interview_on,
                "interviewer": person.interviewer,
                "result": person.result,
                "notes": person.notes,
            }
        )
    row = next(
        (r for r in shortlist_rows(order=order, today=timezone.localdate())
         if r.candidacy.pk == person.pk),
    )  # fmt: skip
    return render(
        request,
        "placement/interview_form.html",
        {"order": order, "row": row, "form": form},
        status=400 if form.errors else 200,
    )


def ranked_applications(
    posted: Mapping[str, Any], passed: list[ShortlistRow]
) -> tuple[list[Application], list[str]]:
    """Those given a rank (``rank-<application id>``), most wanted first; blank: not
    acceptable to the company."""
    ranked: list[tuple[int, Application]] = []
    problems: list[str] = []
    for row in passed:
        raw = str(posted.get(f"rank-{row.card.application_id}") or "").strip()
        if not raw:
            continue
        if not raw.isdigit() or not 1 <= int(raw) <= len(passed):
            problems.append(
                _("%(number)s: choose a rank from 1 to %(max)s, or leave it empty.")
                % {"number": row.card.registration_number, "max": len(passed)}
            )
            continue
        ranked.append((int(raw), row.candidacy.application))
    ranks = [rank for rank, _a in ranked]
    for rank in sorted({r for r in ranks if ranks.count(r) > 1}):
        problems.append(
            _("Two candidates have rank %(rank)s: give each their own.") % {"rank": rank}
        )
    return [a for _rank, a in sorted(ranked, key=lambda pair: pair[0])], problems


@require_POST
@role_required(*ORDER_READERS)
def company_ranking(request: UserRequest, pk: int) -> HttpResponse:
    order = access_job_order(user=request.user, pk=pk, write=True)
    passed = [row for row in shortlist_rows(order=order, today=timezone.localdate()) if row.passed]
    applications, problems = ranked_applications(request.POST, passed)
    if not problems:
        try:
            company_ranking_set(order=order, applications=applications, by=request.user)
        except ValidationError as exc:
            problems = exc.messages
        else:
            messages.success(request, _("The company's ranking was saved."))
            return redirect("placement:shortlist", pk=order.pk)
    return _shortlist_page(request, order, errors=problems, posted=request.POST)


urlpatterns: list[URLPattern] = [
    path("orders/<int:pk>/shortlist/", shortlist, name="shortlist"),
    path("orders/<int:pk>/shortlist/propose/", shortlist_add, name="shortlist_propose"),
    path("orders/<int:pk>/shortlist/<int:candidacy>/interview/", interview, name="interview"),
    path("orders/<int:pk>/shortlist/ranking/", company_ranking, name="company_ranking"),
]
