"""/api/v1/partnerships/: the same scopes as the pages, by session or by token."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from conftest import Cast
from magang.accounts.tokens import api_token_issue
from magang.partnerships.models import Agreement

from .test_pages import agreements, miyagi_interns  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

BASE = "/api/v1/partnerships"


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()


def session(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def titles(response: Any) -> set[str]:
    return {item["title"] for item in response.json()["items"]}


def test_anyone_reads_the_public_agreements(agreements: dict[str, Agreement]) -> None:  # noqa: F811
    response = session(None).get(f"{BASE}/public/agreements")
    assert response.status_code == 200
    body = response.json()
    assert {a["title"] for a in body} == {"Miyagi MoC", "Sendai Seiko LoI"}
    assert all("scope" not in a and "documents" not in a for a in body)


def test_agreements_follow_the_callers_scope(
    cast: Cast,
    agreements: dict[str, Agreement],  # noqa: F811
) -> None:
    url = f"{BASE}/agreements"
    assert titles(session(cast.leadership).get(url)) == {a.title for a in agreements.values()}
    assert titles(session(cast.partner).get(url)) == {"Miyagi MoC"}
    token = api_token_issue(user=cast.partner, name="IM Japan client").secret
    by_token = Client(headers={"authorization": f"Bearer {token}"}).get(url)
    assert titles(by_token) == {"Miyagi MoC"}
    for name in ("officer_jabar", "trainer", "candidate", "outsider"):
        assert session(getattr(cast, name)).get(url).status_code == 403, name
    assert session(None).get(url).status_code == 401
    detail = f"{BASE}/agreements/{agreements['aichi'].pk}"
    assert session(cast.partner).get(detail).status_code == 404
    assert session(cast.central).get(detail).json()["title"] == "Aichi MoU"
    for odd in ("0", "-1", str(2**63), str(10**30)):
        response = session(cast.central).get(f"{BASE}/agreements/{odd}")
        assert response.status_code in (404, 422), odd
    assert session(cast.central).get(f"{BASE}/agreements", {"page": "0"}).status_code == 422


def test_prefecture_figures_are_exact_only_for_ministry_roles(
    cast: Cast,
    agreements: dict[str, Agreement],  # noqa: F811
    miyagi_interns: None,  # noqa: F811
) -> None:
    url = f"{BASE}/prefectures/04"
    public = session(None).get(url).json()
    assert public["exact"] is False
    assert public["missing"] == {"count": None, "suppressed": True}
    assert public["hosts"] == [] and public["incidents"] is None
    exact = session(cast.leadership).get(url).json()
    assert exact["exact"] is True and exact["missing"]["count"] == 1
    assert [h["name"] for h in exact["hosts"]] == ["Sendai Seiko"]
    assert exact["incidents"] == []
    assert session(None).get(f"{BASE}/prefectures/23").status_code == 404
    assert session(cast.leadership).get(f"{BASE}/prefectures/23").status_code == 200
    for odd in ("99", "0", "toolong", "%00"):
        assert session(cast.leadership).get(f"{BASE}/prefectures/{odd}").status_code == 404, odd
