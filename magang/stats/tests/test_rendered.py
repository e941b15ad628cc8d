"""Figures rendered from the summaries are kept until the next refresh, per date, language,
minimum cell and scope, and never served across any of them."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from ninja.responses import NinjaJSONEncoder
from pytest_django import Settings

from magang.internships.models import Internship
from magang.stats import rendered, selectors
from magang.stats.api import summary_json, summary_out
from magang.stats.refresh import stats_refresh

from .conftest import MakeInternship, World, client_for
from .test_dashboards import DASHBOARD, FUNNEL, RATES

pytestmark = pytest.mark.django_db

PAGE = "/stats/"
CSV = "/stats/summary.csv"
API = "/api/v1/stats/summary"


def _public_figures(content: str) -> str:
    return content[content.index('<section class="grid"') : content.index('id="stats-data"')]


def _summary_reads(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries if "stats_flow" in q["sql"]]


def test_a_page_is_rendered_once_per_refresh(
    client: Client, make_internship: MakeInternship
) -> None:
    make_internship(date(2019, 6, 1))
    first = _public_figures(client.get(PAGE, {"as_of": "2023-12-31"}).content.decode())
    with CaptureQueriesContext(connection) as queries:
        again = _public_figures(client.get(PAGE, {"as_of": "2023-12-31"}).content.decode())
    assert again == first
    assert "TITP 1993" in again
    assert not _summary_reads(queries)


def test_a_refresh_shows_new_figures_at_once(
    client: Client, make_internship: MakeInternship
) -> None:
    for _ in range(5):
        make_internship(date(2019, 6, 1))  # each refreshes, as the background job would
    before = client.get(PAGE, {"as_of": "2023-12-31"}).content.decode()
    assert '<div class="figure">5</div>' in before
    make_internship(date(2019, 6, 1))
    after = client.get(PAGE, {"as_of": "2023-12-31"}).content.decode()
    assert '<div class="figure">6</div>' in after


def test_figures_changed_without_a_refresh_wait_for_it(
    client: Client, make_internship: MakeInternship
) -> None:
    internship = make_internship(date(2019, 6, 1))
    assert ",total,,,,,<5,<5," in client.get(CSV, {"as_of": "2023-12-31"}).content.decode()
    Internship.objects.filter(pk=internship.pk).update(departed_on=date(2025, 1, 1))
    kept = client.get(CSV, {"as_of": "2023-12-31"}).content.decode()
    assert ",total,,,,,<5,<5," in kept  # the summaries still say one, until the refresh
    stats_refresh()
    assert ",total,,,,,0,0," in client.get(CSV, {"as_of": "2023-12-31"}).content.decode()


def test_each_date_and_language_is_its_own_page(
    client: Client, make_internship: MakeInternship
) -> None:
    for _ in range(5):
        make_internship(date(2019, 6, 1))
    in_2023 = client.get(PAGE, {"as_of": "2023-12-31"}).content.decode()
    in_2018 = client.get(PAGE, {"as_of": "2018-12-31"}).content.decode()
    assert '<div class="figure">5</div>' in in_2023
    assert '<div class="figure">5</div>' not in in_2018
    indonesian = Client(headers={"accept-language": "id"})
    page = indonesian.get(PAGE, {"as_of": "2023-12-31"}).content.decode()
    assert "Keberangkatan per tahun" in page and "Departures per year" not in page
    assert "Departures per year" in in_2023


def test_a_new_minimum_cell_is_its_own_page(
    client: Client, make_internship: MakeInternship, settings: Settings
) -> None:
    for _ in range(3):
        make_internship(date(2019, 6, 1))
    assert "&lt;5" in client.get(PAGE, {"as_of": "2023-12-31"}).content.decode()
    settings.MAGANG_STATS_MIN_CELL = 2
    page = client.get(PAGE, {"as_of": "2023-12-31"}).content.decode()
    assert '<div class="figure">3</div>' in page


def test_nothing_is_kept_before_the_first_refresh(client: Client) -> None:
    assert rendered.latest_stamp() is None
    calls: list[int] = []
    value = rendered.kept("x", stamp=None, parts=(), make=lambda: calls.append(1) or "made")
    value = rendered.kept("x", stamp=None, parts=(), make=lambda: calls.append(1) or "made")
    assert value == "made" and calls == [1, 1]


def test_the_api_body_is_what_ninja_would_send(
    client: Client, make_internship: MakeInternship
) -> None:
    for _ in range(5):
        make_internship(date(2019, 6, 1))
    make_internship(date(2020, 6, 1), date(2023, 6, 1), province="33", prefecture="23")
    summary = selectors.summary(as_of=date(2023, 12, 31))
    ninja = json.dumps(summary_out(summary).model_dump(), cls=NinjaJSONEncoder).encode()
    assert summary_json(summary) == ninja
    response = client.get(API, {"as_of": "2023-12-31"})
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.content == ninja


def _figures(user: Any, url: str) -> str:
    content = client_for(user).get(url).content.decode()
    return content[content.index("</nav>") :]


def test_a_dashboard_kept_for_one_scope_is_never_shown_to_another(world: World) -> None:
    cast = world.cast
    leadership = _figures(cast.leadership, DASHBOARD)
    assert "Aichi" in leadership  # the other partner's intern, in Aichi
    partner = _figures(cast.partner, DASHBOARD)
    assert "Aichi" not in partner
    assert partner != leadership
    # Same scope, same page: the second leadership member reads what the first rendered.
    other_leader = cast.leadership.__class__.objects.create(username="second-leader")
    membership = cast.leadership.memberships.get()
    other_leader.memberships.create(organisation=membership.organisation, role=membership.role)
    with CaptureQueriesContext(connection) as queries:
        again = _figures(other_leader, DASHBOARD)
    assert again == leadership
    assert not [q for q in queries if "stats_placementcount" in q["sql"]]


def test_a_funnel_kept_for_leadership_is_not_an_officers(world: World) -> None:
    cast = world.cast
    assert "Semarang" in _figures(cast.leadership, FUNNEL)
    officer = _figures(cast.officer_jabar, FUNNEL)
    assert "Bandung" in officer and "Semarang" not in officer


def test_the_rates_page_is_kept_too(world: World) -> None:
    first = _figures(world.cast.leadership, RATES)
    with CaptureQueriesContext(connection) as queries:
        assert _figures(world.cast.leadership, RATES) == first
    assert not [q for q in queries if "stats_placementcount" in q["sql"]]


def test_scope_keys_name_roles_and_organisations_not_people() -> None:
    from magang.accounts.scopes import Scope

    one = Scope(user_id=1, organisations_by_role={"partner": frozenset({3, 1})})
    two = Scope(user_id=2, organisations_by_role={"partner": frozenset({1, 3})})
    three = Scope(user_id=1, organisations_by_role={"partner": frozenset({1})})
    assert rendered.scope_key(one) == rendered.scope_key(two) == "partner:1,3"
    assert rendered.scope_key(three) != rendered.scope_key(one)
