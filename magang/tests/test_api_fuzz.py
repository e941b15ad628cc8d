"""API fuzzing: Schemathesis generates requests from /api/v1/openapi.json and sends them to the
application in process (WSGI), signed in as the roles of the access-matrix world: for each
operation, one example with the bearer token of every role (and none for anonymous), then
``EXAMPLES`` more with a role drawn at random and its token or its browser session. No answer
may be a server error, and every answer must match the schema the API publishes.

Bounded and derandomised, so a run repeats exactly. (Schemathesis's
own ``from_fixture`` pytest loader does not run under pytest 9, so each operation is a
parametrised test driving its Hypothesis strategy directly.)
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from .requests import openapi_schema
from .world import ROLES, World

EXAMPLES = 4
CHECKS = [not_a_server_error, response_schema_conformance]
OPERATIONS = sorted(
    (path, method) for path, methods in openapi_schema()["paths"].items() for method in methods
)


@pytest.fixture(scope="module")
def api_schema() -> Any:
    """The schema the API publishes, sent to the application in process (WSGI)."""
    loaded = schemathesis.openapi.from_dict(json.loads(json.dumps(openapi_schema(), default=str)))
    loaded.app = get_wsgi_application()
    loaded.location = "/api/v1/openapi.json"
    return loaded


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Any:
    """The real WSGI handler closes database connections when a request ends; inside a test's
    transaction that closes the test's own connection (PostgreSQL; in-memory SQLite ignores
    it). Django's test client does the same as this while it sends a request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.parametrize(
    ("path", "method"), OPERATIONS, ids=[f"{m.upper()} {p}" for p, m in OPERATIONS]
)
def test_the_api_never_fails_and_keeps_to_its_schema(
    path: str, method: str, api_schema: Any, world: World, db: None
) -> None:
    operation = api_schema[path][method]

    def call(case: Any, role: str, via: str) -> None:
        headers, cookies = {"Accept-Language": "en"}, {}
        if role != "anonymous" and via == "token":
            headers["Authorization"] = f"Bearer {world.tokens[role]}"
        elif role != "anonymous":
            cookies[django_settings.SESSION_COOKIE_NAME] = world.sessions[role]
        response = case.call(cookies=cookies, headers=headers)
        case.validate_response(response, checks=CHECKS)

    bounded = settings(
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    for role in ROLES:

        @given(case=operation.as_strategy())
        @settings(bounded, max_examples=1)
        def each_role(case: Any) -> None:
            call(case, role, "token")  # noqa: B023 - called at once, inside the loop

        each_role()

    @given(
        case=operation.as_strategy(),
        role=st.sampled_from(ROLES),
        via=st.sampled_from(["token", "session"]),
    )
    @settings(bounded, max_examples=EXAMPLES)
    def fuzz(case: Any, role: str, via: str) -> None:
        call(case, role, via)

    fuzz()
