"""The funnel of a round, the candidate's own selection, and one application's results for
staff: figures, scope, a bounded number of queries, and medical masking."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from magang import factories as f
from magang.recruitment.models import Application
from magang.selection import selectors
from magang.selection.models import Placement, RankingRun, Stage, StageResult
from magang.selection.services import result_record
from magang.selection.tests.conftest import PASSING

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
ID = {"HTTP_ACCEPT_LANGUAGE": "id"}
ORDER = list(PASSING)


def _through(selection: Any, application: Application, last: str) -> None:
    """Passing results for every stage up to and including ``last``."""
    for key in ORDER[: ORDER.index(last) + 1]:
        selection.record(application, key, PASSING[key])


@pytest.fixture
def recorded(cast: Any, selection: Any) -> Any:
    """Jabar: one through the body check, one failed maths, one with nothing yet, and one
    still registered. Jateng: one failed the admin check (a maths result recorded after it
    does not count), one through every stage, one with the maths result missing."""
    jabar, jateng = selection.jabar, selection.jateng
    _through(selection, jabar[0], "body")
    selection.record(jabar[1], "admin", True)
    selection.record(jabar[1], "maths", Decimal(10))
    f.ApplicationFactory(site=cast.site_jabar)
    selection.record(jateng[0], "admin", False)
    selection.record(jateng[0], "maths", Decimal(18))
    _through(selection, jateng[1], "passport")
    selection.record(jateng[2], "admin", True)
    selection.record(jateng[2], "body", PASSING["body"])
    return selection


def _counts(row: selectors.FunnelRow) -> dict[str, tuple[int, int, int, int]]:
    return {c.stage.key: (c.reached, c.passed, c.failed, c.pending) for c in row.stages}


# --- The funnel's figures


def test_it_counts_each_stage_among_those_who_reached_it(cast: Any, recorded: Any) -> None:
    figures = selectors.funnel(user=cast.central, round_=cast.site_jabar.round)
    rows = {row.site.name: row for row in figures.rows if row.site is not None}
    jabar, jateng = rows["Bandung"], rows["Semarang"]
    assert (jabar.registered, jabar.entered) == (4, 3)
    assert _counts(jabar) == {
        "admin": (3, 2, 0, 1),
        "maths": (2, 1, 1, 0),
        "body": (1, 1, 0, 0),
        "endurance": (1, 0, 0, 1),
        "interview": (0, 0, 0, 0),
        "medical": (0, 0, 0, 0),
        "japanese": (0, 0, 0, 0),
        "passport": (0, 0, 0, 0),
    }
    assert (jateng.registered, jateng.entered) == (3, 3)
    assert _counts(jateng) == {
        "admin": (3, 2, 1, 0),
        "maths": (2, 1, 0, 1),
        **dict.fromkeys(ORDER[2:], (1, 1, 0, 0)),
    }
    total = figures.total
    assert (total.registered, total.entered) == (7, 6)
    assert _counts(total)["admin"] == (6, 4, 1, 1)
    assert _counts(total)["maths"] == (4, 2, 1, 1)
    assert figures.final_run is None
    assert total.ranked_selected is None


def test_it_counts_a_failure_that_does_not_eliminate_and_goes_on(cast: Any, recorded: Any) -> None:
    Stage.objects.filter(pk=recorded.stages["maths"].pk).update(eliminating=False)
    selection = recorded
    _through(selection, selection.jabar[1], "admin")
    selection.record(selection.jabar[1], "body", PASSING["body"])
    figures = selectors.funnel(user=cast.central, round_=cast.site_jabar.round)
    jabar = next(row for row in figures.rows if row.site == cast.site_jabar)
    assert _counts(jabar)["maths"] == (2, 1, 1, 0)
    assert _counts(jabar)["body"] == (2, 2, 0, 0)


def test_it_counts_selected_and_reserve_from_the_final_run_and_the_statuses(
    cast: Any, recorded: Any
) -> None:
    run = _final_run(recorded)
    _place(run, recorded.jateng[1], "selected")
    _place(run, recorded.jabar[0], "reserve")
    _place(run, recorded.jabar[1], "eliminated")
    Application.objects.filter(pk=recorded.jateng[1].pk).update(status="selected")
    figures = selectors.funnel(user=cast.central, round_=cast.site_jabar.round)
    assert figures.final_run == run
    total = figures.total
    assert (total.ranked_selected, total.ranked_reserve) == (1, 1)
    assert (total.selected, total.reserve) == (1, 0)
    jabar = next(row for row in figures.rows if row.site == cast.site_jabar)
    assert (jabar.ranked_selected, jabar.ranked_reserve, jabar.selected) == (0, 1, 0)


def test_it_shows_a_round_without_a_plan_without_stages(cast: Any) -> None:
    figures = selectors.funnel(user=cast.central, round_=cast.site_jabar.round)
    assert figures.plan is None and figures.stages == []
    assert figures.total.registered == 2
    assert figures.total.entered == 0


def test_it_reads_the_funnel_in_a_bounded_number_of_queries(cast: Any, recorded: Any) -> None:
    round_ = cast.site_jabar.round

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            selectors.funnel(user=cast.central, round_=round_)
        return len(queries)

    few = count()
    _final_run(recorded)
    for index in range(12):
        application = f.ApplicationFactory(site=cast.site_jateng, status="in_selection")
        _through(recorded, application, ORDER[index % len(ORDER)])
    assert count() <= few + 1  # the final run's placements
    assert few <= 8


# --- The funnel page: scope


@pytest.mark.parametrize("who", ["central", "leadership", "admin"])
def test_it_shows_every_site_to_the_nationwide_roles(cast: Any, client: Any, who: str) -> None:
    client.force_login(getattr(cast, who))
    response = client.get(_funnel_url(cast), **EN)
    assert response.status_code == 200
    assert b"Bandung" in response.content and b"Semarang" in response.content


def test_it_shows_an_officer_only_their_sites_and_totals_over_them(
    cast: Any, client: Any, recorded: Any
) -> None:
    client.force_login(cast.officer_jabar)
    response = client.get(_funnel_url(cast), **EN)
    assert response.status_code == 200
    assert b"Bandung" in response.content
    assert b"Semarang" not in response.content
    figures = response.context["funnel"]
    assert [row.site for row in figures.rows] == [cast.site_jabar]
    assert figures.total.registered == 4


def test_it_answers_404_for_another_regions_site(cast: Any, client: Any, recorded: Any) -> None:
    client.force_login(cast.officer_jabar)
    assert client.get(_funnel_url(cast, cast.site_jateng), **EN).status_code == 404
    assert client.get(_funnel_url(cast, cast.site_jabar), **EN).status_code == 200
    assert client.get(_funnel_url(cast) + "?site=abc", **EN).status_code == 404


def test_it_filters_by_site_for_the_central_team(cast: Any, client: Any, recorded: Any) -> None:
    client.force_login(cast.central)
    response = client.get(_funnel_url(cast, cast.site_jateng), **EN)
    assert response.status_code == 200
    assert response.context["funnel"].total.registered == 3


@pytest.mark.parametrize("who", ["trainer", "partner", "host", "candidate", "outsider"])
def test_it_refuses_the_funnel_to_other_roles(cast: Any, client: Any, who: str) -> None:
    client.force_login(getattr(cast, who))
    assert client.get(_funnel_url(cast), **EN).status_code == 403


def test_it_sends_anonymous_visitors_to_log_in(cast: Any, client: Any) -> None:
    for url in (
        _funnel_url(cast),
        reverse("selection:my_selection"),
        reverse("selection:application_results", args=[cast.application_jabar.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "login" in response["Location"]


def test_it_answers_404_for_an_unknown_round(cast: Any, client: Any) -> None:
    client.force_login(cast.central)
    assert client.get(reverse("selection:funnel", args=["no-such-round"])).status_code == 404


def test_it_writes_counts_with_thousands_separators(cast: Any, client: Any, recorded: Any) -> None:
    client.force_login(cast.central)
    response = client.get(_funnel_url(cast), **EN)
    assert b'id="funnel-registered">7<' in response.content
    assert b'<table id="funnel-sites">' in response.content
    from django.template import Context, Template

    rendered = Template("{% load humanize %}{{ n|intcomma }}").render(Context({"n": 100000}))
    assert rendered == "100,000"


# --- The candidate's own selection


def test_it_shows_the_candidate_only_their_own_applications(
    cast: Any, client: Any, recorded: Any
) -> None:
    client.force_login(cast.candidate)
    response = client.get(reverse("selection:my_selection"), **EN)
    assert response.status_code == 200
    selections = response.context["selections"]
    assert [s.application for s in selections] == [cast.application_jabar]
    for other in [*recorded.jabar[1:], *recorded.jateng]:
        assert other.registration_number.encode() not in response.content
    states = {line.stage.key: line.state for line in selections[0].stages}
    assert states["body"] == "passed" and states["endurance"] == "pending"
    assert b"16 of 20 (passed)" in response.content
    assert b"Not yet published" in response.content


def test_it_says_not_reached_after_an_elimination(cast: Any, recorded: Any) -> None:
    user = f.UserFactory()
    Application.objects.filter(pk=recorded.jabar[1].pk).update(candidate=_own(user, recorded))
    (mine,) = selectors.my_selection(user=user, language="en")
    states = [line.state for line in mine.stages]
    assert states[:3] == ["passed", "failed", "not_reached"]


def _own(user: Any, recorded: Any) -> Any:
    candidate = recorded.jabar[1].candidate
    candidate.user = user
    candidate.save()
    return candidate


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Selected: rank 1"), ("id", "Terpilih: peringkat 1"), ("ja", "Selected: rank 1")],
)
def test_it_explains_the_published_result_in_the_readers_language(
    cast: Any, client: Any, recorded: Any, language: str, expected: str
) -> None:
    run = _final_run(recorded)
    _place(run, cast.application_jabar, "selected", rank=1)
    client.force_login(cast.candidate)
    before = client.get(reverse("selection:my_selection"), HTTP_ACCEPT_LANGUAGE=language)
    assert expected.encode() not in before.content
    RankingRun.objects.filter(pk=run.pk).update(published_at=timezone.now())
    after = client.get(reverse("selection:my_selection"), HTTP_ACCEPT_LANGUAGE=language)
    assert expected.encode() in after.content
    assert after.context["selections"][0].outcome == "selected"
    objection = reverse("selection:objection_file", args=[cast.application_jabar.pk])
    assert objection.encode() in after.content and objection.encode() not in before.content


def test_it_lists_nothing_for_someone_without_an_application(cast: Any, client: Any) -> None:
    client.force_login(cast.outsider)
    response = client.get(reverse("selection:my_selection"), **EN)
    assert response.status_code == 200
    assert response.context["selections"] == []


# --- One application's results for staff, and medical masking


@pytest.fixture
def medical(cast: Any, recorded: Any) -> Any:
    """The medical check-up as a score: 72.25, changed to 40.75 with a reason and a note,
    then to 41.5 (not a pass/fail change)."""
    Stage.objects.filter(pk=recorded.stages["medical"].pk).update(
        kind="score", min_score=0, max_score=100, pass_mark=50
    )
    recorded.stages["medical"].refresh_from_db()
    application = recorded.jateng[1]
    application.refresh_from_db()
    StageResult.objects.filter(application=application, stage__key="medical").delete()
    recorded.record(application, "medical", Decimal("72.25"))
    result_record(
        application=application,
        stage=recorded.stages["medical"],
        value=Decimal("40.75"),
        by=cast.central,
        reason="Hypertension found at the second clinic",
        note="Blood pressure 160/100",
    )
    result_record(
        application=application,
        stage=recorded.stages["medical"],
        value=Decimal("41.5"),
        by=cast.central,
        reason="Typing error in the clinic letter",
    )
    return application


def test_it_masks_medical_values_notes_and_reasons_for_officers(
    cast: Any, client: Any, medical: Application
) -> None:
    client.force_login(cast.officer_jateng)
    response = client.get(reverse("selection:application_results", args=[medical.pk]), **EN)
    assert response.status_code == 200
    body = response.content.decode()
    for secret in ("72.25", "40.75", "41.5", "Hypertension", "160/100", "Typing error"):
        assert secret not in body, secret
    line = next(s for s in response.context["results"].stages if s.stage.key == "medical")
    assert line.text == "failed" and not line.detail
    assert [(c.old, c.new, c.reason) for c in line.changes] == [("passed", "failed", None)]
    assert "Reason withheld" in body
    # Other stages keep their values.
    assert "75 of 100 (passed)" in body


def test_it_shows_medical_detail_and_history_to_the_central_team(
    cast: Any, client: Any, medical: Application
) -> None:
    client.force_login(cast.central)
    response = client.get(reverse("selection:application_results", args=[medical.pk]), **EN)
    body = response.content.decode()
    assert "41.5 of 100 (failed)" in body
    assert "Hypertension found at the second clinic" in body
    assert "Blood pressure 160/100" in body
    line = next(s for s in response.context["results"].stages if s.stage.key == "medical")
    assert [(c.old, c.new) for c in line.changes] == [
        ("72.25 of 100 (passed)", "40.75 of 100 (failed)"),
        ("40.75 of 100 (failed)", "41.5 of 100 (failed)"),
    ]


def test_it_shows_the_candidate_their_own_medical_value(
    cast: Any, client: Any, recorded: Any
) -> None:
    Stage.objects.filter(pk=recorded.stages["medical"].pk).update(
        kind="score", min_score=0, max_score=100, pass_mark=50
    )
    recorded.stages["medical"].refresh_from_db()
    _through(recorded, cast.application_jabar, "interview")
    recorded.record(cast.application_jabar, "medical", Decimal(72))
    client.force_login(cast.candidate)
    response = client.get(reverse("selection:my_selection"), **EN)
    assert b"72 of 100 (passed)" in response.content


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("officer_jateng", 200),
        ("central", 200),
        ("leadership", 200),
        ("admin", 200),
        ("officer_jabar", 404),
        ("trainer", 403),
        ("partner", 403),
        ("host", 403),
        ("candidate", 403),
        ("outsider", 403),
    ],
)
def test_it_shows_an_applications_results_only_within_scope(
    cast: Any, client: Any, recorded: Any, who: str, expected: int
) -> None:
    client.force_login(getattr(cast, who))
    url = reverse("selection:application_results", args=[recorded.jateng[1].pk])
    assert client.get(url, **EN).status_code == expected


def test_it_answers_404_when_the_round_has_no_plan(cast: Any, client: Any) -> None:
    client.force_login(cast.central)
    url = reverse("selection:application_results", args=[cast.application_jabar.pk])
    assert client.get(url, **EN).status_code == 404


def test_it_links_the_application_page_to_its_results_once_there_is_a_plan(
    cast: Any, client: Any
) -> None:
    client.force_login(cast.central)
    page = reverse("recruitment:application_detail", args=[cast.application_jabar.pk])
    link = reverse("selection:application_results", args=[cast.application_jabar.pk])
    assert link.encode() not in client.get(page, **EN).content
    from magang.selection.services import plan_create

    plan_create(round_=cast.site_jabar.round, by=cast.admin)
    assert link.encode() in client.get(page, **EN).content


# --- Home sections


def test_it_puts_the_selection_on_the_candidates_home(
    cast: Any, client: Any, recorded: Any
) -> None:
    client.force_login(cast.candidate)
    response = client.get(reverse("accounts:home"), **EN)
    assert b'id="home-selection"' in response.content
    assert reverse("selection:my_selection").encode() in response.content
    assert b"endurance test: not yet recorded" in response.content


@pytest.mark.parametrize("who", ["officer_jabar", "central", "leadership", "admin"])
def test_it_links_staff_to_the_funnel_from_home(
    cast: Any, client: Any, selection: Any, who: str
) -> None:
    client.force_login(getattr(cast, who))
    response = client.get(reverse("accounts:home"), **EN)
    assert _funnel_url(cast).encode() in response.content


@pytest.mark.parametrize("who", ["trainer", "host", "outsider"])
def test_it_shows_no_selection_sections_to_others(
    cast: Any, client: Any, selection: Any, who: str
) -> None:
    client.force_login(getattr(cast, who))
    response = client.get(reverse("accounts:home"), **EN)
    assert b'id="home-funnel"' not in response.content
    assert b'id="home-selection"' not in response.content


# --- Helpers


def _funnel_url(cast: Any, site: Any = None) -> str:
    url = reverse("selection:funnel", args=[cast.site_jabar.round.code])
    return f"{url}?site={site.pk}" if site is not None else url


def _final_run(selection: Any) -> RankingRun:
    return RankingRun.objects.create(
        plan=selection.plan,
        number=1,
        state="final",
        rules_version="test",
        input_digest="0" * 64,
        result_digest="0" * 64,
        created_at=timezone.now(),
    )


def _place(run: RankingRun, application: Application, outcome: str, rank: int = 1) -> None:
    Placement.objects.create(
        run=run,
        application=application,
        unit_key="32",
        outcome=outcome,
        rank_in_unit=rank,
        explanation_en=f"{outcome.replace('_', ' ').capitalize()}: rank {rank}",
        explanation_id=f"Terpilih: peringkat {rank}",
    )
