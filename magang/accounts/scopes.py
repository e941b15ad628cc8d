"""What a user may see, computed once per request from their active memberships.

Every selector in every app starts from ``scope_for(user)``; nothing else decides access.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .models import Membership, Role

# Roles that read every application of every round (leadership read-only).
NATIONWIDE_ROLES = frozenset({Role.CENTRAL_TEAM, Role.LEADERSHIP, Role.ADMINISTRATOR})
STAFF_ROLES = frozenset(r for r in Role if r != Role.CANDIDATE)

_CACHE_ATTR = "_magang_scope"


@dataclass(frozen=True)
class Scope:
    user_id: int | None
    organisations_by_role: dict[str, frozenset[int]] = field(default_factory=dict)

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(self.organisations_by_role)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    def has_role(self, *roles: str) -> bool:
        return any(role in self.organisations_by_role for role in roles)

    def organisations(self, *roles: str) -> frozenset[int]:
        """Ids of the organisations where the user holds any of ``roles``."""
        ids: set[int] = set()
        for role in roles:
            ids |= self.organisations_by_role.get(role, frozenset())
        return frozenset(ids)

    @property
    def is_nationwide(self) -> bool:
        return self.has_role(*NATIONWIDE_ROLES)

    @property
    def is_staff_member(self) -> bool:
        return bool(self.roles & STAFF_ROLES)


ANONYMOUS = Scope(user_id=None)


def scope_from_memberships(user_id: int, memberships: Iterable[tuple[str, int]]) -> Scope:
    by_role: dict[str, set[int]] = {}
    for role, organisation_id in memberships:
        by_role.setdefault(role, set()).add(organisation_id)
    return Scope(
        user_id=user_id,
        organisations_by_role={role: frozenset(ids) for role, ids in by_role.items()},
    )


def scope_for(user: Any) -> Scope:
    """The user's scope, cached on the user object for the rest of the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, _CACHE_ATTR, None)
    if isinstance(cached, Scope):
        return cached
    rows = Membership.objects.filter(
        user_id=user.pk, is_active=True, organisation__is_active=True
    ).values_list("role", "organisation_id")
    scope = scope_from_memberships(user.pk, rows)
    setattr(user, _CACHE_ATTR, scope)
    return scope
