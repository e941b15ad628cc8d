"""Session lifetime: idle and absolute timeouts (shorter for staff than for candidates),
and ending every session of a user who is deactivated.

Each login records its session key (``UserSession``), so deactivating a user can delete
their sessions from whatever session store is configured. Independently, the middleware
ends a session whose user is no longer active on its next request.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from .models import User, UserSession
from .two_factor import two_factor_required

LOGIN_AT = "_magang_login_at"
SEEN_AT = "_magang_seen_at"
# The last-seen time is written at most this often, not on every request.
SEEN_RESOLUTION_SECONDS = 60


@dataclass(frozen=True)
class Timeouts:
    idle: int
    absolute: int


def timeouts_for(user: Any) -> Timeouts:
    if two_factor_required(user):
        return Timeouts(
            idle=int(getattr(settings, "MAGANG_SESSION_IDLE_STAFF", 30 * 60)),
            absolute=int(getattr(settings, "MAGANG_SESSION_ABSOLUTE_STAFF", 12 * 3600)),
        )
    return Timeouts(
        idle=int(getattr(settings, "MAGANG_SESSION_IDLE_OTHER", 4 * 3600)),
        absolute=int(getattr(settings, "MAGANG_SESSION_ABSOLUTE_OTHER", 7 * 24 * 3600)),
    )


def expired(request: HttpRequest) -> str | None:
    """``"idle"`` or ``"absolute"`` when the session has run out, else None. Refreshes
    the last-seen time of a live session (at most once a minute)."""
    session = request.session
    now = time.time()
    login_at = session.get(LOGIN_AT)
    seen_at = session.get(SEEN_AT)
    if login_at is None or seen_at is None:
        # A session from before these rules (or force_login in tests): start counting now.
        session[LOGIN_AT] = login_at or now
        session[SEEN_AT] = now
        return None
    limits = timeouts_for(request.user)
    if now - float(login_at) > limits.absolute:
        return "absolute"
    if now - float(seen_at) > limits.idle:
        return "idle"
    if now - float(seen_at) >= SEEN_RESOLUTION_SECONDS:
        session[SEEN_AT] = now
    return None


def _session_store() -> Any:
    return import_module(settings.SESSION_ENGINE).SessionStore


@receiver(user_logged_in, dispatch_uid="magang.accounts.sessions.logged_in")
def _on_login(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    now = time.time()
    request.session[LOGIN_AT] = now
    request.session[SEEN_AT] = now
    if request.session.session_key is None:
        request.session.save()
    key = request.session.session_key
    if key:
        UserSession.objects.update_or_create(session_key=key, defaults={"user": user})
    # Forget the user's sessions that have surely expired by now.
    UserSession.objects.filter(
        user=user, created_at__lt=timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE)
    ).delete()


@receiver(user_logged_out, dispatch_uid="magang.accounts.sessions.logged_out")
def _on_logout(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        UserSession.objects.filter(session_key=key).delete()


def end_sessions(user: User) -> int:
    """Delete every recorded session of ``user``; returns how many."""
    store = _session_store()
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    for key in keys:
        store(session_key=key).delete()
    UserSession.objects.filter(user=user).delete()
    return len(keys)


@receiver(post_save, sender=User, dispatch_uid="magang.accounts.sessions.deactivated")
def _on_user_saved(sender: Any, instance: User, created: bool, **kwargs: Any) -> None:
    if not created and not instance.is_active:
        end_sessions(instance)
