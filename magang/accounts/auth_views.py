"""Logging in: the password step (throttled per user name and address) and the second
factor (enrolment with a QR code, verification, recovery codes)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from . import throttle, two_factor
from .forms import LoginForm
from .models import User
from .throttle import Lock

LOGIN_SCOPE = "login"
OTP_SCOPE = "otp"


def lock_message(lock: Lock) -> str:
    minutes = ngettext("%(minutes)d minute", "%(minutes)d minutes", lock.minutes) % {
        "minutes": lock.minutes
    }
    if lock.by == "user":
        return _("Too many failed attempts for this user name. Try again in %(wait)s.") % {
            "wait": minutes
        }
    return _("Too many failed log-in attempts from your network. Try again in %(wait)s.") % {
        "wait": minutes
    }


def _username(request: HttpRequest) -> str:
    username = str(request.POST.get("username", "")).strip()
    return username.lower() if "@" in username else username


class LoginView(auth_views.LoginView):
    """Django's login view, refusing attempts while the user name or address is locked and
    counting failures."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        lock = throttle.check(
            scope=LOGIN_SCOPE,
            username=_username(request),
            address=throttle.client_address(request),
        )
        if lock is not None:
            # An unbound form: a locked attempt never reaches the password check.
            form = self.get_form_class()(request, initial={"username": _username(request)})
            context = self.get_context_data(form=form, lock_message=lock_message(lock))
            response = self.render_to_response(context, status=429)
            response["Retry-After"] = str(lock.seconds)
            return response
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        throttle.record_failure(
            scope=LOGIN_SCOPE,
            username=_username(self.request),
            address=throttle.client_address(self.request),
        )
        return super().form_invalid(form)

    def form_valid(self, form: Any) -> HttpResponse:
        throttle.clear_user(scope=LOGIN_SCOPE, username=_username(self.request))
        return super().form_valid(form)


def _next_url(request: HttpRequest) -> str:
    target = str(request.POST.get("next") or request.GET.get("next") or "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("accounts:home")


def _two_factor_user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not two_factor.two_factor_required(user):
        raise PermissionDenied
    return user


@never_cache
@sensitive_post_parameters("code")
@login_required
def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator app: scan the QR code (or type the key), enter a code."""
    user = _two_factor_user(request)
    if two_factor.confirmed_device(user) is not None:
        if two_factor.is_verified(request):
            return redirect("accounts:two_factor_recovery")
        return redirect(f"{reverse('accounts:two_factor_verify')}?{request.GET.urlencode()}")
    device = two_factor.enrolment_start(user=user)
    error = ""
    if request.method == "POST":
        try:
            codes = two_factor.enrolment_confirm(user=user, code=str(request.POST.get("code", "")))
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            two_factor.mark_verified(request)
            return render(
                request,
                "accounts/two_factor_recovery_codes.html",
                {"codes": codes, "next": _next_url(request), "just_enrolled": True},
            )
    secret = device.secret
    return render(
        request,
        "accounts/two_factor_enrol.html",
        {
            "qr_svg": two_factor.qr_svg(device),
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
            "error": error,
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
        status=400 if error else 200,
    )


@never_cache
@sensitive_post_parameters("code")
@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of logging in: a code from the app, or a recovery code."""
    user = _two_factor_user(request)
    if two_factor.confirmed_device(user) is None:
        return redirect(f"{reverse('accounts:two_factor_enrol')}?{request.GET.urlencode()}")
    if two_factor.is_verified(request):
        return HttpResponseRedirect(_next_url(request))
    error = ""
    status = 200
    if request.method == "POST":
        subject = str(user.pk)
        lock = throttle.check(scope=OTP_SCOPE, username=subject, address=None)
        if lock is not None:
            error, status = lock_message(lock), 429
        elif two_factor.verify_code(user=user, code=str(request.POST.get("code", ""))):
            throttle.clear_user(scope=OTP_SCOPE, username=subject)
            two_factor.mark_verified(request)
            left = two_factor.recovery_codes_left(user)
            if left <= 3:
                messages.warning(
                    request,
                    ngettext(
                        "You have %(count)d recovery code left: make new ones.",
                        "You have %(count)d recovery codes left: make new ones.",
                        left,
                    )
                    % {"count": left},
                )
            return HttpResponseRedirect(_next_url(request))
        else:
            throttle.record_failure(scope=OTP_SCOPE, username=subject, address=None)
            error, status = _("That code is not right, or it was already used."), 400
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"error": error, "next": request.POST.get("next") or request.GET.get("next", "")},
        status=status,
    )


@never_cache
@login_required
def two_factor_recovery(request: HttpRequest) -> HttpResponse:
    """How many recovery codes are left; make a new set (the old ones stop working)."""
    user = _two_factor_user(request)
    if two_factor.confirmed_device(user) is None:
        return redirect("accounts:two_factor_enrol")
    if request.method == "POST":
        codes = two_factor.recovery_codes_regenerate(user=user)
        return render(
            request,
            "accounts/two_factor_recovery_codes.html",
            {"codes": codes, "next": reverse("accounts:home"), "just_enrolled": False},
        )
    return render(
        request,
        "accounts/two_factor_recovery.html",
        {"left": two_factor.recovery_codes_left(user)},
    )
