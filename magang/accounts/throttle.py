"""Failed-login throttling in the cache, per user name and per address.

A user name is locked after ``MAGANG_LOGIN_FAILURES_PER_USER`` failures within
``MAGANG_LOGIN_WINDOW_SECONDS``: while locked, even the right password is refused. An address
gets a much higher allowance (``MAGANG_LOGIN_FAILURES_PER_ADDRESS``), so a whole office or
internet café behind one address is not locked out by one person, while one machine trying
many user names still is. The window starts at the first failure (a fixed window); success
clears the user name's count, never the address's.

The address is ``REMOTE_ADDR``, or, behind ``MAGANG_TRUSTED_PROXIES`` reverse proxies, the
address the nearest of them saw (counted from the right of ``X-Forwarded-For``).
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def window_seconds() -> int:
    return _setting("MAGANG_LOGIN_WINDOW_SECONDS", 15 * 60)


def client_address(request: HttpRequest) -> str:
    proxies = _setting("MAGANG_TRUSTED_PROXIES", 0)
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return str(forwarded[-proxies])
    return str(request.META.get("REMOTE_ADDR", "") or "unknown")


@dataclass(frozen=True)
class Lock:
    """Why and for how long attempts are refused."""

    by: str  # "user" or "address"
    seconds: int

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.seconds / 60))


def _key(kind: str, scope: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"magang:throttle:{scope}:{kind}:{digest}"


def _limits(scope: str) -> dict[str, int]:
    return {
        "user": _setting("MAGANG_LOGIN_FAILURES_PER_USER", 5),
        "address": _setting("MAGANG_LOGIN_FAILURES_PER_ADDRESS", 100),
    }


def _subjects(username: str, address: str | None) -> dict[str, str]:
    subjects = {"user": username}
    if address is not None:
        subjects["address"] = address
    return subjects


def check(*, scope: str, username: str, address: str | None) -> Lock | None:
    """The lock in force for this user name or address, if any."""
    limits = _limits(scope)
    now = time.time()
    for kind, value in _subjects(username, address).items():
        key = _key(kind, scope, value)
        count = cache.get(key, 0)
        if count >= limits[kind]:
            until = cache.get(f"{key}:until", now + window_seconds())
            return Lock(by=kind, seconds=max(1, int(until - now)))
    return None


def record_failure(*, scope: str, username: str, address: str | None) -> None:
    window = window_seconds()
    for kind, value in _subjects(username, address).items():
        key = _key(kind, scope, value)
        if cache.add(key, 1, window):
            cache.set(f"{key}:until", time.time() + window, window)
        else:
            try:
                cache.incr(key)
            except ValueError:  # expired between add() and incr()
                cache.add(key, 1, window)
                cache.set(f"{key}:until", time.time() + window, window)


def clear_user(*, scope: str, username: str) -> None:
    key = _key("user", scope, username)
    cache.delete_many([key, f"{key}:until"])
