"""The registration wizard: a candidate fills in one step after another, checks the
answers on a review page and sends them as an application to a selection site."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from magang.accounts.models import User

from .. import selectors, services
from ..forms import (
    REVIEW,
    SERVICE_FIELDS,
    STEP_BY_SLUG,
    STEPS,
    Step,
    StepForm,
    WizardContext,
    first_open_step,
    regency_choices,
    registration_data,
    step_done,
    summary,
)
from ..journey import Status
from ..models import RegistrationDraft, SelectionSite
from ..services.registration import CONSENT_NOTICE_VERSION, CONSENT_PURPOSE
from .common import CandidateRequest


def _open_site(site_id: int) -> SelectionSite | None:
    return selectors.open_sites(today=timezone.localdate()).filter(pk=site_id).first()


def _known_candidate_answers(user: User) -> dict[str, dict[str, Any]]:
    """What we already know about a returning person, to fill in the first steps."""
    candidate = selectors.own_candidate(user=user)
    if candidate is None:
        return {"identity": {"full_name": user.full_name}, "contact": {"email": user.email}}
    return {
        "identity": {
            "nik": candidate.nik,
            "full_name": candidate.full_name,
            "family_name": candidate.family_name,
            "sex": candidate.sex,
            "birth_date": candidate.birth_date.isoformat(),
            "birth_place": candidate.birth_place,
        },
        "contact": {"phone": candidate.phone, "email": candidate.email or user.email},
        "address": {
            "province": candidate.province.code,
            "regency": candidate.regency.code if candidate.regency else "",
            "address": candidate.address,
        },
    }


def _wizard_page(
    request: CandidateRequest,
    *,
    site: SelectionSite,
    draft: RegistrationDraft,
    step: Step,
    form: StepForm,
) -> HttpResponse:
    data = draft.data or {}
    index = STEPS.index(step)
    previous = STEPS[index - 1].slug if index else None
    return render(
        request,
        "recruitment/public/register_step.html",
        {
            "site": site,
            "step": step,
            "form": form,
            "number": index + 1,
            "total": len(STEPS),
            "steps": _progress(data, current=step.slug),
            "previous": previous,
            "purpose": CONSENT_PURPOSE,
            "notice_version": CONSENT_NOTICE_VERSION,
        },
    )


def _progress(data: Mapping[str, Any], *, current: str) -> list[dict[str, Any]]:
    reachable = True
    rows = []
    for step in STEPS:
        rows.append(
            {
                "slug": step.slug,
                "title": step.title,
                "current": step.slug == current,
                "done": step_done(step.slug, data),
                "reachable": reachable,
            }
        )
        reachable = reachable and step_done(step.slug, data)
    rows.append(
        {
            "slug": REVIEW,
            "title": gettext_lazy("Check and send"),
            "current": current == REVIEW,
            "done": False,
            "reachable": reachable,
        }
    )
    return rows


def _reachable(slug: str, data: Mapping[str, Any]) -> bool:
    """A step can be opened once every step before it has answers."""
    for step in STEPS:
        if step.slug == slug:
            return True
        if not step_done(step.slug, data):
            return False
    return slug == REVIEW


def _step_url(site: SelectionSite, slug: str) -> str:
    return reverse("recruitment:register", args=[site.pk]) + "?" + urlencode({"step": slug})


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, site_id: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(reverse("recruitment:signup") + "?" + urlencode({"site": site_id}))
    request = cast(CandidateRequest, request)
    today = timezone.localdate()
    # Every request after the first finds the draft and its open site in one query.
    draft = selectors.open_site_draft(user=request.user, site_id=site_id, today=today)
    if draft is not None:
        site = draft.site
    else:
        found = _open_site(site_id)
        if found is None:
            return render(request, "recruitment/public/register_closed.html", status=404)
        site = found
        draft = services.registration_draft_open(user=request.user, site=site)
    if draft.application_id is not None:
        submitted = draft.application
        if submitted is not None and submitted.status != Status.WITHDRAWN:
            return redirect("recruitment:my_application", submitted.pk)
    data: dict[str, Any] = dict(draft.data or {})
    slug = request.GET.get("step") or draft.step or first_open_step(data)
    if slug != REVIEW and slug not in STEP_BY_SLUG:
        slug = first_open_step(data)
    if not _reachable(slug, data):
        return redirect(_step_url(site, first_open_step(data)))
    if slug == REVIEW:
        return _review(request, site=site, draft=draft)

    step = STEP_BY_SLUG[slug]
    wizard = WizardContext(user=request.user, site=site, today=today)
    if request.method == "POST":
        form = step.form_class(request.POST, wizard=wizard)
        if not form.is_valid():
            return _wizard_page(request, site=site, draft=draft, step=step, form=form)
        data[slug] = form.as_data()
        following = first_open_step(data)
        services.registration_draft_save(draft=draft, data=data, step=following)
        return redirect(_step_url(site, following))
    known = _known_candidate_answers(request.user) if slug not in data else {}
    initial = data.get(slug) or known.get(slug) or {}
    form = step.form_class(initial=dict(initial), wizard=wizard)
    return _wizard_page(request, site=site, draft=draft, step=step, form=form)


def _review(
    request: CandidateRequest, *, site: SelectionSite, draft: RegistrationDraft
) -> HttpResponse:
    data: dict[str, Any] = dict(draft.data or {})
    wizard = WizardContext(user=request.user, site=site, today=timezone.localdate())
    error = ""
    if request.method == "POST":
        try:
            application = services.registration_submit(
                user=request.user, site=site, data=registration_data(data)
            )
        except services.DuplicateApplication as exc:
            return _back_to_step(
                request, site=site, draft=draft, wizard=wizard, errors={"nik": exc.messages}
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                return _back_to_step(
                    request, site=site, draft=draft, wizard=wizard, errors=exc.message_dict
                )
            error = " ".join(exc.messages)
        else:
            messages.success(
                request,
                _(
                    "Your registration is sent. Your registration number is %(number)s. Now "
                    "upload your documents."
                )
                % {"number": application.registration_number},
            )
            return redirect("recruitment:my_application", application.pk)
    if draft.step != REVIEW:
        services.registration_draft_save(draft=draft, data=data, step=REVIEW)
    sections = [
        {
            "step": step,
            "rows": summary(step, data[step.slug], wizard),
            "url": _step_url(site, step.slug),
        }
        for step in STEPS
    ]
    return render(
        request,
        "recruitment/public/register_review.html",
        {
            "site": site,
            "sections": sections,
            "error": error,
            "steps": _progress(data, current=REVIEW),
            "previous": STEPS[-1].slug,
        },
        status=400 if error else 200,
    )


def _back_to_step(
    request: CandidateRequest,
    *,
    site: SelectionSite,
    draft: RegistrationDraft,
    wizard: WizardContext,
    errors: Mapping[str, list[str]],
) -> HttpResponse:
    """Show the first step the service's errors concern, with the errors on its fields."""
    placed: dict[str, list[tuple[str | None, list[str]]]] = {}
    for name, field_errors in errors.items():
        slug, field = SERVICE_FIELDS.get(name, ("identity", None))
        placed.setdefault(slug, []).append((field, list(field_errors)))
    step = next(s for s in STEPS if s.slug in placed)
    data = dict(draft.data or {})
    form = step.form_class(dict(data.get(step.slug, {})), wizard=wizard)
    form.full_clean()
    for field, field_errors in placed[step.slug]:
        for message in field_errors:
            if field is None or field not in form.fields:
                form.add_error(None, message)
            elif message not in form.errors.get(field, []):
                form.add_error(field, message)
    services.registration_draft_save(draft=draft, data=data, step=step.slug)
    return _wizard_page(request, site=site, draft=draft, step=step, form=form)


@login_required
@require_GET
def regency_options(request: HttpRequest) -> HttpResponse:
    """The regency <option>s of one province, for the address step's second select."""
    province = request.GET.get("province", "")[:2]
    return render(
        request,
        "recruitment/public/_regency_options.html",
        {"choices": regency_choices(province) if province else [], "selected": ""},
    )


urlpatterns: list[URLPattern] = [
    path("register/regencies/", regency_options, name="regency_options"),
    path("register/<int:site_id>/", register, name="register"),
]
