"""Pages and downloads rendered from the summaries, kept until the next refresh.

Every figure of the statistics pages comes from the summary tables, and those change only
when a refresh commits. So what a page renders from them for one set of inputs (the as-of
date, the language, the minimum cell, the viewer's scope) is the same bytes until the next
refresh: ``kept`` stores it in Django's cache (Redis in production, shared by every worker)
under a key that names the refresh by its token. A new refresh has a new token, so nothing
rendered from older figures is served again; the old entries expire on their own.

Names that pages read live beside the figures (selection sites, cohorts, host companies)
may be up to one refresh interval old in a kept page, like the figures themselves; the
cache timeout bounds that should refreshes stop.

Only what is the same for everyone with the same inputs is kept: fragments without CSRF
tokens or user names, downloads, API bodies. Nothing is kept before the first refresh.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from django.core.cache import cache
from django.utils.translation import get_language

from magang.accounts.scopes import Scope

from .models import Refresh

# Long enough to serve many requests per refresh (every 2 minutes), short enough that
# names read beside the figures are never much older than them if refreshes stop.
TIMEOUT_SECONDS = 300
_VERSION = 1

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Stamp:
    """The latest refresh: its token names its figures; ``data_as_of`` is when they were
    taken."""

    token: str
    data_as_of: datetime


def latest_stamp() -> Stamp | None:
    """The latest refresh (one indexed read of a table of at most a hundred rows)."""
    row = Refresh.objects.order_by("-data_as_of").values_list("token", "data_as_of").first()
    return Stamp(row[0].hex, row[1]) if row else None


def scope_key(scope: Scope) -> str:
    """What a scoped page depends on of its viewer: roles and organisations, not who."""
    return ";".join(
        f"{role}:{','.join(map(str, sorted(ids)))}"
        for role, ids in sorted(scope.organisations_by_role.items())
    )


def key_for(name: str, stamp: Stamp, parts: tuple[object, ...]) -> str:
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()
    return f"stats:{_VERSION}:{name}:{stamp.token}:{digest}"


def kept(name: str, *, stamp: Stamp | None, parts: tuple[object, ...], make: Callable[[], T]) -> T:
    """``make()``, or what it returned for the same ``name``, ``parts`` and language since
    the refresh of ``stamp``. ``parts`` are every input of ``make`` other than the summaries
    and the active language (which is always part of the key)."""
    if stamp is None:
        return make()
    key = key_for(name, stamp, (get_language() or "", *parts))
    value = cache.get(key)
    if value is None:
        value = make()
        cache.set(key, value, TIMEOUT_SECONDS)
    return value  # type: ignore[no-any-return]
