"""The access matrix: every role against every page and API operation, on someone else's object.

Rows live with their apps (``magang/<app>/tests/access_matrix.py``, format in
``magang/tests/access.py`` and docs/security.md "Access matrix"). The meta-tests below fail
when a URL pattern or an API operation has no row, so a new page cannot be forgotten.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from .access import Entry
from .conftest import client_as, load_matrix
from .requests import openapi_schema, readable, request
from .world import ROLES, World

# URL names or API operations that exist but have no row yet. Every item here is a debt: the
# coordinator completes the app's access_matrix.py and removes it from this list. Keep it
# empty in a finished tree.
PENDING: frozenset[str] = frozenset()

# The Django admin checks ``is_staff`` before anything else (``AdminSite.admin_view``); its
# pages are covered by ``test_the_admin_is_for_staff_only`` rather than one row each.
ADMIN_NAMESPACE = "admin"
# Ninja's own pages, covered by rows of their own, and the per-operation names (the API is
# covered operation by operation, from the OpenAPI schema).
API_NAMESPACE = "api-v1"
API_OWN_NAMES = {"api-v1:api-root", "api-v1:openapi-json", "api-v1:openapi-view"}

REFUSED = {401, 403, 404, 405}


ENTRIES, BUILDERS = load_matrix()


def url_names() -> dict[str, str]:
    """Every named URL pattern (``namespace:name``) with its route, walking includes."""
    found: dict[str, str] = {}

    def walk(patterns: Any, prefix: str, namespace: str | None) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace
                joined = f"{namespace}:{inner}" if namespace and inner else inner or namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), joined)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}:{pattern.name}" if namespace else str(pattern.name)
                found[name] = prefix + str(pattern.pattern)

    walk(get_resolver().url_patterns, "/", None)
    return found


def api_operations() -> set[str]:
    schema = openapi_schema()
    return {
        f"{method.upper()} {path}"
        for path, methods in schema["paths"].items()
        for method in methods
    }


def verdict(entry: Entry, role: str, response: Any, marker: str | None) -> str | None:
    """None when the response is right for the role, else what went wrong."""
    status = response.status_code
    if role in entry.allowed and entry.allowed_status and status in entry.allowed_status:
        pass  # checked below; some rows allow a documented 503 (a missing system font)
    elif status >= 500:
        return f"server error {status}"
    if role in entry.redirected:
        return None if status in (301, 302) else f"{status}, expected a redirect"
    if marker is not None:
        shown = status == 200 and marker in readable(response)
        if role in entry.allowed:
            return None if shown else f"{status}, {marker!r} not shown"
        if status == 200:
            return f"200 showing {marker!r}" if shown else None
    if role in entry.allowed:
        wanted = entry.allowed_status
        if wanted is None:
            wanted = (200,) if entry.method == "GET" else None
        if wanted is not None:
            return None if status in wanted else f"{status}, expected {wanted}"
        if status in REFUSED or _to_login(response):
            return f"refused ({status}) though allowed"
        return None
    if status in REFUSED or status in entry.refused_with:
        return None
    if role == "anonymous" and _to_login(response):
        return None
    return f"{status}: not refused"


def _to_login(response: Any) -> bool:
    location = response.get("Location", "") if response.status_code in (301, 302) else ""
    login = reverse(settings.LOGIN_URL) if ":" in settings.LOGIN_URL else settings.LOGIN_URL
    return bool(location) and (location.startswith(login) or "/admin/login/" in location)


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.id)
def test_every_role_gets_exactly_what_the_matrix_says(entry: Entry, world: World, db: None) -> None:
    problems: dict[str, str] = {}
    marker = entry.marker(world)
    # The API is asked twice, by session and by bearer token: the same scopes must hold.
    for via in ("session", "token") if entry.is_api else ("session",):
        for role in ROLES:
            with transaction.atomic():  # each request sees the same world
                response = request(world, entry, role, via=via)
                transaction.set_rollback(True)
            problem = verdict(entry, role, response, marker)
            if problem:
                problems[f"{role} ({via})"] = problem
    assert not problems, f"{entry.id}: {problems}"


def test_every_page_has_a_row() -> None:
    covered = {entry.key for entry in ENTRIES if not entry.is_api}
    names = {
        name
        for name in url_names()
        if not name.startswith(f"{ADMIN_NAMESPACE}:")
        and (not name.startswith(f"{API_NAMESPACE}:") or name in API_OWN_NAMES)
    }
    missing = names - covered - PENDING
    assert not missing, f"pages without an access-matrix row: {sorted(missing)}"


def test_every_api_operation_has_a_row() -> None:
    covered = {entry.key for entry in ENTRIES if entry.is_api}
    missing = api_operations() - covered - PENDING
    assert not missing, f"API operations without an access-matrix row: {sorted(missing)}"


def test_no_row_names_a_page_that_is_gone() -> None:
    known = set(url_names()) | api_operations()
    stale = {entry.key for entry in ENTRIES} - known
    assert not stale, f"rows for pages or operations that no longer exist: {sorted(stale)}"
    assert not PENDING & {entry.key for entry in ENTRIES}, "a PENDING item now has a row"
    assert not PENDING - known, f"PENDING names what is gone: {sorted(PENDING - known)}"


def test_the_admin_is_for_staff_only(world: World, db: None) -> None:
    """Every admin URL sends non-staff roles to the admin login; the administrator gets the
    pages that need no object."""
    admin_urls = {
        name: route
        for name, route in url_names().items()
        if name.startswith(f"{ADMIN_NAMESPACE}:")
        and name.split(":", 1)[1] not in {"None", "login", "logout"}
    }
    problems = []
    for name, route in sorted(admin_urls.items()):
        kwargs = _admin_kwargs(route)
        try:
            url = reverse(name, kwargs=kwargs or None)
        except NoReverseMatch:
            problems.append(f"{name}: cannot build a URL from {route}")
            continue
        for role in ("anonymous", "central", "leadership", "officer_a", "partner_a"):
            response = client_as(world, role).get(url)
            if not (response.status_code == 302 and "/admin/login/" in response["Location"]):
                problems.append(f"{name} as {role}: {response.status_code}")
        if not kwargs and name != f"{ADMIN_NAMESPACE}:logout":
            response = client_as(world, "admin").get(url)
            # 403: a model whose rows only services write (the admin offers no "add").
            if response.status_code not in (200, 403):
                problems.append(f"{name} as admin: {response.status_code}")
    assert not problems, problems


def _admin_kwargs(route: str) -> dict[str, Any]:
    names = re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route)
    values = {"app_label": "accounts", "content_type_id": 1}
    return {name: values.get(name, "1") for pair in names for name in pair if name}
