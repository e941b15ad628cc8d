"""Dashboards: who sees which panel, and that each sees exactly its own figures and lists."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from magang import factories as f
from magang.accounts.models import Organisation
from magang.internships.models import Internship
from magang.stats.refresh import stats_refresh
from magang.training.models import Cohort, Curriculum, Enrolment, TrainingStage

from .conftest import World, client_for

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("stats:dashboard")
FUNNEL = reverse("stats:funnel")
RATES = reverse("stats:rates")
DRILL_APPLICATIONS = reverse("stats:drill_applications")
DRILL_INTERNSHIPS = reverse("stats:drill_internships")


@pytest.mark.parametrize("url", [DASHBOARD, FUNNEL, RATES, DRILL_INTERNSHIPS])
def test_it_sends_anonymous_visitors_to_the_login_page(url: str, world: World) -> None:
    response = Client().get(url)
    assert response.status_code == 302
    assert "/login" in response["Location"]


@pytest.mark.parametrize("who", ["candidate", "outsider"])
@pytest.mark.parametrize("url", [DASHBOARD, FUNNEL, RATES, DRILL_INTERNSHIPS])
def test_it_refuses_people_without_a_staff_role(url: str, who: str, world: World) -> None:
    assert client_for(getattr(world.cast, who)).get(url).status_code == 403


@pytest.mark.parametrize("who", ["partner", "host", "officer_jabar", "trainer"])
def test_it_shows_rates_to_ministry_roles_only(who: str, world: World) -> None:
    assert client_for(getattr(world.cast, who)).get(RATES).status_code == 403
    for ministry in ("leadership", "central", "admin"):
        assert client_for(getattr(world.cast, ministry)).get(RATES).status_code == 200


def test_it_shows_leadership_every_placement_and_order(world: World) -> None:
    content = client_for(world.cast.leadership).get(DASHBOARD).content.decode()
    assert "04 Miyagi" in content
    assert "23 Aichi" in content
    assert "Training outcomes per cohort" in content


def test_it_shows_a_partner_only_what_it_supervises(world: World) -> None:
    content = client_for(world.cast.partner).get(DASHBOARD).content.decode()
    assert "04 Miyagi" in content
    assert "23 Aichi" not in content
    assert "Training outcomes per cohort" not in content
    drill = client_for(world.cast.partner).get(DRILL_INTERNSHIPS).content.decode()
    assert world.mine.application.registration_number in drill
    assert world.other_partner.application.registration_number not in drill


def test_it_shows_a_host_company_only_its_own_interns(world: World) -> None:
    own = client_for(world.cast.host).get(DRILL_INTERNSHIPS, {"prefecture": "04"})
    assert world.mine.application.registration_number in own.content.decode()
    other = client_for(world.cast.host_other).get(DASHBOARD).content.decode()
    assert "04 Miyagi" not in other
    assert "23 Aichi" in other
    listed = client_for(world.cast.host_other).get(DRILL_INTERNSHIPS).content.decode()
    assert world.mine.application.registration_number not in listed


def test_it_keeps_lists_by_host_company_for_ministry_roles(world: World) -> None:
    query = {"host": world.cast.host_company.pk}
    assert client_for(world.cast.partner).get(DRILL_INTERNSHIPS, query).status_code == 403
    response = client_for(world.cast.leadership).get(DRILL_INTERNSHIPS, query)
    assert world.mine.application.registration_number in response.content.decode()


def test_it_lists_early_returns_by_trade_and_drills_down(world: World) -> None:
    content = client_for(world.cast.central).get(RATES).content.decode()
    assert "6-1-1" in content
    drill = client_for(world.cast.central).get(
        DRILL_INTERNSHIPS, {"trade": "6-1-1", "outcome": "early_return"}
    )
    assert world.other_partner.application.registration_number in drill.content.decode()
    assert world.mine.application.registration_number not in drill.content.decode()


def test_it_shows_an_officer_the_funnel_of_their_own_sites_only(world: World) -> None:
    content = client_for(world.cast.officer_jabar).get(FUNNEL).content.decode()
    assert "Bandung" in content
    assert "Semarang" not in content
    round_id = world.cast.site_jabar.round_id
    theirs = {"round": round_id, "site": world.cast.site_jateng.pk, "step": "registered"}
    assert client_for(world.cast.officer_jabar).get(DRILL_APPLICATIONS, theirs).status_code == 404
    ours = {"round": round_id, "site": world.cast.site_jabar.pk, "step": "selected"}
    listed = client_for(world.cast.officer_jabar).get(DRILL_APPLICATIONS, ours)
    assert listed.status_code == 200
    # selected or later: the selected application and the intern
    assert listed.content.decode().count('<th scope="row"><a href=') == 2


def test_it_counts_each_application_in_every_step_it_reached(world: World) -> None:
    content = client_for(world.cast.leadership).get(FUNNEL).content.decode()
    bandung = content[content.index('<th scope="row">Bandung</th>') :]
    row = bandung[: bandung.index("</tr>")]
    # registered: the cast's application, the intern's and two more; eligible or later:
    # 3 (the cast's is still registered); selected or later: the intern and the selected.
    numbers = [cell.split("</a>")[0].rsplit(">", 1)[1] for cell in row.split("<td")[1:]]
    assert numbers[:2] == ["4", "3"]
    assert numbers[-3:] == ["2", "1", "1"]


def test_it_refuses_a_round_the_officer_has_no_site_in(world: World) -> None:
    other_round = f.RoundFactory(year=2020)
    response = client_for(world.cast.officer_jabar).get(FUNNEL, {"round": other_round.pk})
    assert response.status_code == 404


def test_it_shows_training_staff_the_cohorts_of_their_centre_only(world: World) -> None:
    centre = world.cast.trainer.memberships.get().organisation
    other_centre = f.OrganisationFactory(kind=Organisation.Kind.TRAINING_CENTRE, name="BPVP X")
    curriculum = Curriculum.objects.create(
        programme=world.cast.site_jabar.round.programme, code="std", name="Standard", year=2026
    )
    for code, where in (("own-1", centre), ("other-1", other_centre)):
        cohort = Cohort.objects.create(
            centre=where,
            round=world.cast.site_jabar.round,
            curriculum=curriculum,
            code=code,
            name=f"Cohort {code}",
            stage=TrainingStage.CENTRAL,
            starts_on=dt.date(2026, 1, 5),
            ends_on=dt.date(2026, 3, 5),
            capacity=30,
        )
        Enrolment.objects.create(
            cohort=cohort,
            application=f.ApplicationFactory(site=world.cast.site_jabar),
            enrolled_on=dt.date(2026, 1, 5),
        )
    stats_refresh()
    content = client_for(world.cast.trainer).get(DASHBOARD).content.decode()
    assert "Cohort own-1" in content
    assert "Cohort other-1" not in content
    assert "Cohort other-1" in client_for(world.cast.leadership).get(DASHBOARD).content.decode()


def test_it_offers_the_dashboard_in_the_navigation_to_staff_only(world: World) -> None:
    assert DASHBOARD in client_for(world.cast.partner).get(DASHBOARD).content.decode()
    public = Client().get(reverse("stats:public")).content.decode()
    assert f'href="{DASHBOARD}"' not in public


def test_it_says_how_fresh_the_figures_are(world: World) -> None:
    content = client_for(world.cast.leadership).get(DASHBOARD).content.decode()
    assert "Figures as of" in content


def test_it_shows_incidents_only_to_those_who_may_read_the_cases(world: World) -> None:
    from magang.internships.services.cases import case_file

    case_file(
        internship=world.mine, by=world.cast.central, kind="incident", category="wages",
        severity="medium", description="Unpaid overtime", share_with_partner=True,
    )  # fmt: skip
    case_file(
        internship=world.other_partner, by=world.cast.central, kind="incident",
        category="housing", severity="low", description="Crowded dormitory",
    )  # fmt: skip
    stats_refresh()

    def filed(user: Any) -> dict[str, str]:
        content = client_for(user).get(DASHBOARD).content.decode()
        if 'id="incidents"' not in content:
            return {}
        section = content[content.index('id="incidents"') :]
        found = {}
        for label in ("Wages", "Housing"):
            row = section[section.index(f'<th scope="row">{label}</th>') :]
            found[label] = row.split("</a>")[0].rsplit(">", 1)[1]
        return found

    assert filed(world.cast.leadership) == {"Wages": "1", "Housing": "1"}
    assert filed(world.cast.partner) == {"Wages": "1", "Housing": "0"}
    assert filed(world.cast.officer_jabar) == {"Wages": "1", "Housing": "0"}
    assert filed(world.cast.officer_jateng) == {"Wages": "0", "Housing": "1"}
    assert filed(world.cast.host) == {}


def test_it_shows_alumni_outcomes_to_ministry_roles_only(world: World) -> None:
    content = client_for(world.cast.leadership).get(DASHBOARD).content.decode()
    assert "Alumni outcomes" in content
    assert "Alumni outcomes" not in client_for(world.cast.partner).get(DASHBOARD).content.decode()


def test_dashboard_figures_match_counting_the_raw_tables(world: World) -> None:
    """What the benchmark's baseline computes (``direct``) and what the summaries give are
    the same figures, for every role."""
    from magang.internships.models.alumni import AlumniProfile, AlumniSurvey
    from magang.internships.services.cases import case_file, case_resolve
    from magang.stats import direct, scoped

    for internship, category, shared in (
        (world.mine, "wages", True),
        (world.mine, "health", False),
        (world.other_partner, "housing", True),
    ):
        case = case_file(
            internship=internship, by=world.cast.central, kind="incident", category=category,
            severity="medium", description="Filed", share_with_partner=shared,
        )  # fmt: skip
        if category == "wages":
            case_resolve(case=case, by=world.cast.central, resolution="Paid")
    profile = AlumniProfile.objects.create(candidate=world.other_partner.application.candidate)
    for day, employment, business in (
        (dt.date(2025, 6, 1), "unemployed", False),
        (dt.date(2025, 12, 1), "self_employed", True),
    ):
        AlumniSurvey.objects.create(
            profile=profile, answered_on=day, employment=employment,
            business_started=business, income_band="undisclosed",
        )  # fmt: skip
    stats_refresh()
    cast = world.cast
    for user in (cast.leadership, cast.partner, cast.officer_jabar, cast.officer_jateng):
        assert scoped.incidents(user=user) == direct.incidents_direct(user=user), user
    for user in (cast.leadership, cast.partner, cast.host):  # the placements panel's roles
        for by in ("prefecture", "trade"):
            assert scoped.placements_by(user=user, by=by) == direct.placements_by_direct(
                user=user, by=by
            )
        assert scoped.orders_by_prefecture(user=user) == direct.orders_by_prefecture_direct(
            user=user
        )
    lines = scoped.alumni_outcomes()
    assert lines == direct.alumni_outcomes_direct()
    assert [(line.employment, line.count, line.business_started) for line in lines] == [
        ("self_employed", 1, 1)
    ]
    wages = next(
        line for line in scoped.incidents(user=cast.leadership) if line.category == "wages"
    )
    assert (wages.filed, wages.resolved, wages.open) == (1, 1, 0)


def test_a_drill_down_pages_through_the_list_in_order(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from magang.stats import scoped

    monkeypatch.setattr(scoped, "DRILL_PAGE", 2)
    for day in (3, 1, 2):
        _internship_on(world, dt.date(2024, 10, day))
    seen = []
    query: dict[str, Any] = {"prefecture": "04"}
    for number in (1, 2, 3):
        content = client_for(world.cast.leadership).get(
            DRILL_INTERNSHIPS, {**query, "page": number}
        )
        body = content.content.decode()
        table = body[body.index('<table id="drill">') : body.index("</table>")]
        seen += [cell.split("</td>")[0] for cell in table.split("<td>")[4::5]]
        assert ("page=" + str(number + 1) in body) == (number < 2)
    # newest departure first, one date per row, every intern once
    assert seen == ["2024-10-03", "2024-10-02", "2024-10-01", "2024-09-01"]


def _internship_on(world: World, day: dt.date) -> Internship:
    intern = f.ApplicationFactory(site=world.cast.site_jabar)
    intern.status = "in_japan"
    intern.save(update_fields=["status"])
    return Internship.objects.create(
        application=intern,
        prefecture=f.prefecture("04"),
        trade=f.trade(),
        departed_on=day,
        supervising_organisation=world.cast.imjapan,
    )
