"""Pages anyone may open: the programme's open rounds, and signing up for a candidate
account."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from magang.accounts.services import candidate_account_create

from .. import selectors
from ..eligibility import InvalidRules, RuleSet
from ..forms import SignupForm
from ..models import Education
from .common import reader_language


def _safe_next(request: HttpRequest, value: str | None) -> str | None:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return None


# ---------------------------------------------------------------------------------------
# Open rounds


@require_GET
def rounds(request: HttpRequest) -> HttpResponse:
    """Programme information and every selection site still taking registrations."""
    today = timezone.localdate()
    by_round: dict[int, dict[str, Any]] = {}
    for site in selectors.open_sites(today=today):
        entry = by_round.setdefault(
            site.round_id,
            {
                "round": site.round,
                "rules": _rules_summary(site.round.eligibility_rules),
                "sites": [],
            },
        )
        entry["sites"].append(
            {"site": site, "days_left": (site.registration_deadline - today).days}
        )
    drafts = []
    if request.user.is_authenticated:
        drafts = list(selectors.open_drafts(user=request.user, today=today))
    return render(
        request,
        "recruitment/public/rounds.html",
        {"rounds": list(by_round.values()), "drafts": drafts, "today": today},
    )


def _rules_summary(data: Mapping[str, Any]) -> dict[str, Any] | None:
    if not data:
        return None
    try:
        rules = RuleSet.from_dict(data)
    except InvalidRules:
        return None
    return {
        "rules": rules,
        "men": "M" in rules.allowed_sexes,
        "women": "F" in rules.allowed_sexes,
        "education": Education(rules.min_education).label
        if rules.min_education in Education.values
        else rules.min_education,
        "heights": sorted(rules.min_height_cm.items()),
        "weights": sorted(rules.min_weight_kg.items()),
    }


# ---------------------------------------------------------------------------------------
# Account


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    site = request.GET.get("site", "")
    after = (
        reverse("recruitment:register", args=[int(site)])
        if site.isdigit()
        else _safe_next(request, request.GET.get("next")) or reverse("recruitment:rounds")
    )
    if request.user.is_authenticated:
        return redirect(after)
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = candidate_account_create(
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
                language=reader_language()[:2],
            )
        except (IntegrityError, ValidationError):
            # Someone registered the same address a moment ago.
            form.add_error(
                "email",
                _(
                    "An account with this e-mail address already exists. Log in with "
                    "it, or use another address."
                ),
            )
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Your account is ready."))
            return redirect(after)
    login_url = reverse("accounts:login") + "?" + urlencode({"next": after})
    return render(request, "recruitment/public/signup.html", {"form": form, "login_url": login_url})


urlpatterns: list[URLPattern] = [
    path("", rounds, name="rounds"),
    path("signup/", signup, name="signup"),
]
