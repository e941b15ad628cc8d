"""API tokens: issued once, stored only as a hash, authenticate as their (active) user."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from magang.accounts.models import ApiToken
from magang.accounts.tokens import api_token_issue, api_token_revoke, api_token_user
from magang.core.models import AuditEntry

pytestmark = [pytest.mark.django_db, pytest.mark.urls("magang.accounts.tests.token_api_urls")]

WHOAMI = "/api/whoami"


def bearer(secret: str) -> Client:
    return Client(headers={"authorization": f"Bearer {secret}"})


def test_issue_returns_the_secret_once_and_stores_only_its_hash(cast) -> None:
    issued = api_token_issue(user=cast.partner, name="IM Japan batch client")
    token = ApiToken.objects.get()
    assert issued.secret.startswith(token.prefix + "_")
    assert token.secret_hash == hashlib.sha256(issued.secret.encode()).hexdigest()
    stored = [str(value) for value in ApiToken.objects.values().get().values()]
    assert not any(issued.secret in value for value in stored)
    assert token.expires_at is not None
    assert AuditEntry.objects.filter(action="api_token.issue", object_id=str(token.pk)).exists()


def test_a_token_authenticates_as_its_user_with_the_users_scopes(cast) -> None:
    issued = api_token_issue(user=cast.partner, name="client")
    response = bearer(issued.secret).get(WHOAMI)
    assert response.status_code == 200
    assert response.json() == {"username": "partner", "roles": ["partner"]}
    assert ApiToken.objects.get().last_used_at is not None


def test_a_token_post_needs_no_csrf_token(cast) -> None:
    issued = api_token_issue(user=cast.host, name="client")
    client = Client(enforce_csrf_checks=True, headers={"authorization": f"Bearer {issued.secret}"})
    response = client.post("/api/echo", content_type="application/json")
    assert response.status_code == 200
    assert response.json() == {"username": "host"}


@pytest.mark.parametrize(
    "header",
    [
        "Bearer mgn_nothere_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "Bearer ",
        "Token abc",
        "Bearer x",
    ],
)
def test_unknown_or_malformed_tokens_are_refused(cast, header) -> None:
    api_token_issue(user=cast.partner, name="client")
    client = Client(enforce_csrf_checks=True, headers={"authorization": header})
    assert client.get(WHOAMI).status_code == 401
    assert client.post("/api/echo", content_type="application/json").status_code in (401, 403)


def test_a_wrong_bearer_token_on_a_post_answers_401_not_a_csrf_error(cast) -> None:
    client = Client(enforce_csrf_checks=True, headers={"authorization": "Bearer mgn_x_y"})
    assert client.post("/api/echo", content_type="application/json").status_code == 401


def test_a_revoked_token_stops_working(cast) -> None:
    issued = api_token_issue(user=cast.partner, name="client")
    api_token_revoke(token=issued.token, actor=cast.admin)
    assert bearer(issued.secret).get(WHOAMI).status_code == 401
    assert AuditEntry.objects.filter(action="api_token.revoke").count() == 1
    api_token_revoke(token=issued.token)  # twice: nothing more happens
    assert AuditEntry.objects.filter(action="api_token.revoke").count() == 1


def test_an_expired_token_stops_working(cast) -> None:
    issued = api_token_issue(user=cast.partner, name="client", days=1)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert bearer(issued.secret).get(WHOAMI).status_code == 401


def test_a_deactivated_users_tokens_stop_working(cast) -> None:
    issued = api_token_issue(user=cast.partner, name="client")
    cast.partner.is_active = False
    cast.partner.save()
    assert api_token_user(issued.secret) is None
    assert bearer(issued.secret).get(WHOAMI).status_code == 401


def test_session_auth_still_works_and_checks_csrf(cast) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.central)
    assert client.get(WHOAMI).json()["username"] == "central"
    assert client.post("/api/echo", content_type="application/json").status_code == 403
    assert Client().get(WHOAMI).status_code == 401


def test_issue_refuses_bad_input_and_writes_nothing(cast) -> None:
    with pytest.raises(ValidationError):
        api_token_issue(user=cast.partner, name="  ")
    with pytest.raises(ValidationError):
        api_token_issue(user=cast.partner, name="x", days=0)
    cast.partner.is_active = False
    cast.partner.save()
    with pytest.raises(ValidationError):
        api_token_issue(user=cast.partner, name="x")
    assert not ApiToken.objects.exists()


def test_the_command_issues_lists_and_revokes(cast) -> None:
    out = StringIO()
    call_command("api_token", "issue", "partner", "batch client", "--days", "30", stdout=out)
    secret = out.getvalue().splitlines()[1]
    token = ApiToken.objects.get()
    assert secret.startswith(token.prefix)
    assert bearer(secret).get(WHOAMI).status_code == 200

    listing = StringIO()
    call_command("api_token", "list", "partner", stdout=listing)
    assert token.prefix in listing.getvalue()
    assert secret not in listing.getvalue()

    call_command("api_token", "revoke", token.prefix, stdout=StringIO())
    assert bearer(secret).get(WHOAMI).status_code == 401
    with pytest.raises(CommandError):
        call_command("api_token", "issue", "nobody", "x", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("api_token", "revoke", "mgn_unknown", stdout=StringIO())


@pytest.mark.urls("config.urls")
def test_the_admin_lists_and_revokes_without_ever_showing_a_secret(cast) -> None:
    issued = api_token_issue(user=cast.partner, name="client")
    client = Client()
    client.force_login(cast.admin)
    listing = client.get(reverse("admin:accounts_apitoken_changelist"))
    assert listing.status_code == 200
    assert issued.token.prefix in listing.content.decode()
    detail = client.get(reverse("admin:accounts_apitoken_change", args=[issued.token.pk]))
    assert issued.secret not in detail.content.decode()
    assert issued.token.secret_hash not in detail.content.decode()
    assert client.get(reverse("admin:accounts_apitoken_add")).status_code == 403
    client.post(
        reverse("admin:accounts_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [issued.token.pk]},
    )
    assert ApiToken.objects.get().revoked_at is not None

    other = Client()
    other.force_login(cast.partner)
    assert other.get(reverse("admin:accounts_apitoken_changelist")).status_code == 302
