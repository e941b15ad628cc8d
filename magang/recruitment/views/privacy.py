"""Personal data rights: a candidate's own data (page, JSON download, correction requests)
and the officers' queue of correction requests, scoped to their sites."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from magang.accounts.models import User
from magang.accounts.permissions import role_required

from ..models import Candidate, CorrectionRequest
from ..services import privacy

PAGE_SIZE = 50


class UserRequest(HttpRequest):
    user: User


class CorrectionForm(forms.Form):
    field = forms.ChoiceField(
        label=gettext_lazy("What is wrong"), choices=CorrectionRequest.Field.choices
    )
    proposed = forms.CharField(label=gettext_lazy("The correct value"), max_length=300)
    explanation = forms.CharField(
        label=gettext_lazy("Explanation (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _own_candidate(request: UserRequest) -> Candidate | None:
    return Candidate.objects.filter(user_id=request.user.pk).first()


def _my_data_page(
    request: UserRequest, candidate: Candidate | None, form: CorrectionForm, status: int = 200
) -> HttpResponse:
    requests = candidate.correction_requests.all() if candidate is not None else []
    return render(
        request,
        "recruitment/privacy/my_data.html",
        {"candidate": candidate, "form": form, "requests": requests},
        status=status,
    )


@login_required
def my_data(request: UserRequest) -> HttpResponse:
    """What we hold about you: download it all, ask for a correction."""
    candidate = _own_candidate(request)
    if request.method == "POST":
        if candidate is None:
            raise Http404("No candidate record.")
        form = CorrectionForm(request.POST)
        if form.is_valid():
            try:
                privacy.correction_request_file(
                    candidate=candidate,
                    field=form.cleaned_data["field"],
                    proposed=form.cleaned_data["proposed"],
                    explanation=form.cleaned_data["explanation"],
                    by=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request, _("Your request was sent to the officers of your selection site.")
                )
                return redirect("recruitment:my_data")
        return _my_data_page(request, candidate, form, status=400)
    return _my_data_page(request, candidate, CorrectionForm())


@login_required
def my_data_json(request: UserRequest) -> HttpResponse:
    """All your data and its processing trail, as one JSON file."""
    if request.method != "GET":
        return HttpResponse(status=405, headers={"Allow": "GET"})
    candidate = _own_candidate(request)
    if candidate is None:
        raise Http404("No candidate record.")
    body = privacy.person_export_json(candidate=candidate, by=request.user)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="magang-my-data-{stamp}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- Officers ---------------------------------------------------------------------------


@role_required(*privacy.CORRECTION_DECIDERS)
def correction_list(request: UserRequest) -> HttpResponse:
    state = request.GET.get("state", CorrectionRequest.State.OPEN)
    if state not in CorrectionRequest.State.values:
        state = CorrectionRequest.State.OPEN
    queue = privacy.correction_queue(user=request.user).filter(state=state)
    page = Paginator(queue, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "recruitment/privacy/correction_list.html",
        {"page": page, "state": state, "states": CorrectionRequest.State.choices},
    )


@role_required(*privacy.CORRECTION_DECIDERS)
def correction_detail(request: UserRequest, pk: int) -> HttpResponse:
    """One request, the value on record beside the one asked for; accept or refuse."""
    found = privacy.correction_queue(user=request.user).filter(pk=pk).first()
    if found is None:
        raise Http404("No such request.")
    errors: list[str] = []
    if request.method == "POST":
        decision = request.POST.get("decision", "")
        if decision not in ("accept", "refuse"):
            errors.append(_("Choose to accept or refuse."))
        else:
            try:
                privacy.correction_request_decide(
                    request=found,
                    accept=decision == "accept",
                    response=request.POST.get("response", "")[:2000],
                    by=request.user,
                )
            except PermissionDenied:
                raise Http404("No such request.") from None
            except ValidationError as exc:
                errors.extend(exc.messages)
            else:
                messages.success(request, _("The request was decided."))
                return redirect("recruitment:correction_list")
    name = privacy.CORRECTABLE.get(CorrectionRequest.Field(found.field))
    current = getattr(found.candidate, name) if name else ""
    return render(
        request,
        "recruitment/privacy/correction_detail.html",
        {"item": found, "current": current, "errors": errors, "post": request.POST},
        status=400 if errors else 200,
    )


urlpatterns: list[URLPattern] = [
    path("me/data/", my_data, name="my_data"),
    path("me/data.json", my_data_json, name="my_data_json"),
    path("officer/corrections/", correction_list, name="correction_list"),
    path("officer/corrections/<int:pk>/", correction_detail, name="correction_detail"),
]
