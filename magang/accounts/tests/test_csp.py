"""Content Security Policy: every page is sent with one, and no page carries an inline
script or inline event handler, which the policy (script-src 'self') would block."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
# <script ...> with no src= and not a JSON data block (which browsers never run).
INLINE_SCRIPT = re.compile(
    r"<script\b(?![^>]*\bsrc=)(?![^>]*type=[\"']application/(?:ld\+)?json[\"'])[^>]*>", re.I
)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
JAVASCRIPT_URL = re.compile(r"(?:href|src|action)\s*=\s*[\"']\s*javascript:", re.I)


def inline_scripts(html: str) -> list[str]:
    return INLINE_SCRIPT.findall(html) + EVENT_HANDLER.findall(html) + JAVASCRIPT_URL.findall(html)


def template_files() -> list[Path]:
    files = list((ROOT / "templates").rglob("*.html"))
    files += list((ROOT / "magang").glob("*/templates/**/*.html"))
    return sorted(files)


def test_the_scan_finds_what_it_looks_for() -> None:
    assert inline_scripts("<script>alert(1)</script>")
    assert inline_scripts('<button onclick="go()">')
    assert inline_scripts('<a href="javascript:go()">')
    assert not inline_scripts('<script src="/static/js/x.js" defer></script>')
    assert not inline_scripts('<script type="application/json" id="d">{}</script>')
    assert not inline_scripts('<input data-once="1" aria-label="one">')


def test_no_template_has_an_inline_script_or_event_handler() -> None:
    files = template_files()
    assert len(files) > 20
    offenders = {
        str(path.relative_to(ROOT)): found
        for path in files
        if (found := inline_scripts(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}


def test_the_policy_allows_scripts_only_from_the_site_itself() -> None:
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert directives["script-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]


PAGES = [
    (None, "core:index"),
    (None, "accounts:login"),
    (None, "stats:public"),
    ("central", "accounts:home"),
    ("central", "recruitment:application_list"),
    ("central", "selection:plan_list"),
    ("central", "training:cohort_list"),
    ("officer_jabar", "accounts:home"),
    ("officer_jabar", "selection:grid_index"),
    ("candidate", "accounts:home"),
    ("partner", "accounts:home"),
    ("host", "accounts:home"),
    ("trainer", "accounts:home"),
    ("admin", "admin:index"),
    ("admin", "accounts:audit_log"),
    ("central", "accounts:two_factor_enrol"),
]


@pytest.mark.parametrize(("who", "url_name"), PAGES)
def test_main_pages_carry_the_policy_and_no_inline_script(cast, who, url_name) -> None:
    client = Client()
    if who:
        client.force_login(getattr(cast, who))
    response = client.get(reverse(url_name))
    assert response.status_code == 200, url_name
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src", 1)[1].split(";", 1)[0]
    assert inline_scripts(response.content.decode()) == []


def test_the_api_documentation_works_under_the_policy(client) -> None:
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert "Content-Security-Policy" in response
    assert inline_scripts(response.content.decode()) == []
