"""The access-matrix world, built once per test module inside a transaction that is rolled
back at the end (each test inside it still runs in its own savepoint), and a signed-in client
for each role."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.utils import translation

from .access import Entry
from .world import World, build_core

# Apps whose rows are collected, upstream first (their ``build`` runs in this order).
MATRIX_APPS = (
    "core", "accounts", "recruitment", "selection", "training", "internships", "placement",
    "stats", "partnerships",
)  # fmt: skip


def load_matrix() -> tuple[list[Entry], list[Any]]:
    entries: list[Entry] = []
    builders: list[Any] = []
    for app in MATRIX_APPS:
        try:
            module = importlib.import_module(f"magang.{app}.tests.access_matrix")
        except ModuleNotFoundError as error:
            if error.name and error.name.startswith(f"magang.{app}"):
                continue
            raise
        entries.extend(module.ENTRIES)
        if hasattr(module, "build"):
            builders.append(module.build)
    return entries, builders


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[World]:
    with django_db_blocker.unblock(), translation.override("en"):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = World()
            build_core(built)
            for build in load_matrix()[1]:
                build(built)
            built.add("sessions", _sessions(built))
            built.add("tokens", _tokens(built))
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _sessions(world: World) -> dict[str, str]:
    keys: dict[str, str] = {}
    for role, user in world.users.items():
        if user is None:
            continue
        client = Client()
        client.force_login(user)
        keys[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return keys


def _tokens(world: World) -> dict[str, str]:
    """A bearer token for each signed-in role, as machine clients of the API hold."""
    from magang.accounts.tokens import api_token_issue

    return {
        role: api_token_issue(user=user, name=f"matrix {role}").secret
        for role, user in world.users.items()
        if user is not None
    }


def client_as(world: World, role: str) -> Client:
    client = Client(headers={"accept-language": "en"})
    if role != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
    return client
