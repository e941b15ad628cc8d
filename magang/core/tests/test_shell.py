"""The web shell: public pages, language, local assets, health."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

EXTERNAL_ASSET = re.compile(r"""(?:src|href)=["'](?:https?:)?//""")


def test_it_shows_the_programme_in_indonesian_by_default(client) -> None:
    response = client.get(reverse("core:index"))
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "id"
    assert '<html lang="id">' in response.content.decode()


@pytest.mark.parametrize("language", ["en", "ja", "id"])
def test_it_switches_language_and_remembers_it(client, language) -> None:
    response = client.post(reverse("set_language"), {"language": language, "next": "/"})
    assert response.status_code == 302
    page = client.get("/")
    assert f'<html lang="{language}">' in page.content.decode()


def test_it_speaks_english_and_japanese(client) -> None:
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    japanese = client.get("/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    indonesian = client.get("/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Technical intern programme to Japan" in english
    assert "Technical intern programme to Japan" not in japanese
    assert "Technical intern programme to Japan" not in indonesian
    assert "技能実習" in japanese


@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/stats/", "/api/v1/docs"])
def test_it_loads_no_asset_from_another_host(client, url) -> None:
    content = client.get(url).content.decode()
    assert not EXTERNAL_ASSET.search(content), EXTERNAL_ASSET.search(content)


def test_it_serves_its_own_static_files(client) -> None:
    for path in (
        "/static/css/magang.css",
        "/static/django_htmx/htmx-2.min.js",
        "/static/favicon.svg",
    ):
        response = client.get(path)
        assert response.status_code == 200, path


def test_it_is_usable_on_a_phone(client) -> None:
    content = client.get("/").content.decode()
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in content


def test_it_answers_the_health_check(client) -> None:
    assert client.get(reverse("core:healthz")).json() == {"status": "ok"}


def test_it_serves_the_openapi_schema(client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Magang API"
    assert "/api/v1/stats/summary" in schema["paths"]
