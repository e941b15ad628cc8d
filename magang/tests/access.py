"""The access matrix format. Each app declares its rows in ``magang/<app>/tests/access_matrix.py``:

    ENTRIES = [
        Entry("recruitment:application_detail", {"pk": "application_a"}, OFFICERS_A | NATIONWIDE),
        Entry("POST /api/v1/recruitment/applications/{application_id}/verify",
              {"application_id": "application_a"}, {"officer_a", "central", "admin"}),
    ]
    def build(world): ...   # optional: add the app's objects to the world

``target`` is a URL name (``namespace:name``, GET unless ``method`` says otherwise) or an API
operation ``"METHOD /api/v1/path/{param}"`` exactly as the OpenAPI schema spells it. ``kwargs``
maps each URL parameter to a world object name (its ``pk`` is used), to ``"name.attr"`` (that
attribute) or to a literal wrapped in ``Literal``. ``allowed`` names the roles of
``magang.tests.world.ROLES`` that get ``allowed_status`` (200 for GET); every other role must be
refused: 401/403/404 (or 405), or a redirect to the login page for anonymous visitors, and never
a 2xx. A list page names in ``shows`` a world value (``"application_a.registration_number"``) that
allowed roles see in the page and every other role does not: they may open their own (empty)
list, but never see the object. Roles in ``redirected`` are sent elsewhere (a signed-in person
opening the login page goes home) with a redirect that carries no data. Writes by an allowed
role must not be refused and must not fail (no 5xx); whatever they change is rolled back after
the row. ``refused_with`` adds statuses that count as a refusal for one row (a 422 naming a
host company that is not the caller's).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .world import ROLES, World

ALL = frozenset(ROLES)
SIGNED_IN = ALL - {"anonymous"}
NATIONWIDE = frozenset({"central", "leadership", "admin"})
STAFF_NATIONWIDE_WRITE = frozenset({"central", "admin"})
NOBODY: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Literal:
    value: Any


@dataclass(frozen=True)
class Entry:
    target: str
    kwargs: Mapping[str, str | Literal] = field(default_factory=dict)
    allowed: Iterable[str] = NOBODY
    method: str = "GET"
    data: Mapping[str, Any] | Callable[[World], Mapping[str, Any]] | None = None
    allowed_status: tuple[int, ...] | None = None
    query: str | Callable[[World], str] = ""
    note: str = ""
    shows: str | None = None
    redirected: Iterable[str] = NOBODY
    refused_with: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "allowed", frozenset(self.allowed))
        object.__setattr__(self, "redirected", frozenset(self.redirected))
        unknown = (set(self.allowed) | set(self.redirected)) - ALL
        if unknown:
            raise ValueError(f"{self.target}: unknown roles {sorted(unknown)}")
        if self.is_api:
            method, _path = self.target.split(" ", 1)
            object.__setattr__(self, "method", method)

    @property
    def is_api(self) -> bool:
        return " " in self.target

    @property
    def key(self) -> str:
        """What the meta-test compares: the URL name, or the API operation."""
        return self.target

    @property
    def id(self) -> str:
        suffix = f" {self.method}" if not self.is_api and self.method != "GET" else ""
        return f"{self.target}{suffix}{' ' + self.note if self.note else ''}"

    def resolved_kwargs(self, world: World) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name, source in self.kwargs.items():
            if isinstance(source, Literal):
                values[name] = source.value
                continue
            obj = world.resolve(source)
            values[name] = obj.value if isinstance(obj, Literal) else obj
        return values

    def marker(self, world: World) -> str | None:
        if self.shows is None:
            return None
        return str(world.resolve(self.shows))

    def query_string(self, world: World) -> str:
        return self.query(world) if callable(self.query) else self.query

    def payload(self, world: World) -> Mapping[str, Any] | None:
        return self.data(world) if callable(self.data) else self.data
