"""Per-request security for logged-in users, after Django's authentication middleware:

1. a session whose user is gone or deactivated is ended at once;
2. idle and absolute timeouts (``sessions.timeouts_for``) end the session;
3. with ``MAGANG_REQUIRE_2FA``, a user who needs a second factor and has not given it in
   this session is sent to enrolment (no device yet) or verification; the API answers 403.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY as AUTH_SESSION_KEY
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from . import sessions, two_factor

# Reachable before the second factor: the two-factor pages themselves, logging out and
# switching the language. (Static files are served before this middleware runs.)
OPEN_URL_NAMES = (
    "accounts:two_factor_enrol",
    "accounts:two_factor_verify",
    "accounts:logout",
    "accounts:login",
    "set_language",
)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    """A redirect; for htmx, one of the whole page (not the fragment being swapped)."""
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def _to_login(request: HttpRequest) -> HttpResponse:
    if request.method != "GET" or request.headers.get("HX-Request") == "true":
        return _redirect(request, reverse("accounts:login"))
    query = urlencode({"next": request.get_full_path()})
    return HttpResponseRedirect(f"{reverse('accounts:login')}?{query}")


class SessionSecurityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.check(request)
        return response if response is not None else self.get_response(request)

    def check(self, request: HttpRequest) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated:
            if AUTH_SESSION_KEY in request.session:
                # The session names a user who no longer exists or was deactivated.
                request.session.flush()
            return None
        ended = sessions.expired(request)
        if ended is not None:
            logout(request)
            if not _is_api(request):
                messages.info(
                    request,
                    _("You were logged out after a while without activity. Log in again.")
                    if ended == "idle"
                    else _("Your session reached its maximum length. Log in again."),
                )
            return None if _is_api(request) else _to_login(request)
        if (
            not getattr(settings, "MAGANG_REQUIRE_2FA", True)
            or two_factor.is_verified(request)
            or not two_factor.two_factor_required(user)
        ):
            return None
        if _is_api(request):
            if request.headers.get("Authorization", "").lower().startswith("bearer "):
                return None  # judged by the token (api_auth), not by this session
            return JsonResponse(
                {"detail": _("Two-factor verification is required: log in again.")}, status=403
            )
        if request.path in {reverse(name) for name in OPEN_URL_NAMES}:
            return None
        target = (
            "accounts:two_factor_verify"
            if two_factor.confirmed_device(user)
            else "accounts:two_factor_enrol"
        )
        query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        return _redirect(request, reverse(target) + (f"?{query}" if query else ""))
