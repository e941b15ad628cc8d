"""The grade pages through the client: the gradebook (scores by module, averages, the
weighted total, marks below the pass mark in words) in a fixed number of queries, a new
assessment, and the score grid (saved whole, refused row by row, stale rows caught)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from magang import factories as f
from magang.recruitment.journey import Status
from magang.training.models import Assessment, Score, TrainingClass
from magang.training.services import cohort_enrol, scores_save

from .test_pages_cohorts import assert_refused, client_for, html

pytestmark = pytest.mark.django_db


def assessment(training: Any, module: str, name: str, max_score: int = 100, day: int = 10) -> Any:
    return Assessment.objects.create(
        cohort=training.cohort, module=training.modules[module], kind="written", name=name,
        held_on=dt.date(2026, 12, day), max_score=max_score,
    )  # fmt: skip


@pytest.fixture
def tests(training: Any, cast: Any) -> dict[str, Any]:
    """Five assessments, one trainee scored in every module and one only in Japanese."""
    made = {
        "bab1": assessment(training, "japanese", "Bab 1-6", max_score=50, day=10),
        "bab2": assessment(training, "japanese", "Bab 7-12", day=20),
        "oral": assessment(training, "culture", "Oral 1"),
        "fisik": assessment(training, "physical", "Lari 3 km"),
        "k3": assessment(training, "safety", "K3 dasar"),
    }
    one, two = training.enrolments[0].pk, training.enrolments[1].pk
    for key, scores in {
        "bab1": {one: "45", two: "29.98"},
        "bab2": {one: "70"},
        "oral": {one: "50"},
        "fisik": {one: "70"},
        "k3": {one: "90"},
    }.items():
        scores_save(assessment=made[key], scores=scores, by=cast.trainer)
    return made


def row_of(page: str, enrolment: Any) -> str:
    match = re.search(rf'<tr id="trainee-{enrolment.pk}".*?</tr>', page, re.S)
    assert match, enrolment.pk
    return match[0]


def cells(row: str) -> list[list[str]]:
    """The words in each cell of a table row."""
    return [
        re.sub(r"<[^>]+>", " ", cell).split()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    ]


def test_every_grade_page_refuses_the_wrong_people(
    cast: Any, training: Any, tests: dict[str, Any]
) -> None:
    klass, oral = training.klass.pk, tests["oral"].pk
    assert_refused(cast, training, reverse("training:gradebook", args=[klass]))
    assert_refused(cast, training, reverse("training:assessment_create", args=[klass]), readers=403)
    assert_refused(
        cast, training, reverse("training:assessment_create", args=[klass]), method="post",
        readers=403,
    )  # fmt: skip
    assert_refused(cast, training, reverse("training:score_grid", args=[oral]))
    assert_refused(
        cast, training, reverse("training:score_grid", args=[oral]), method="post", readers=403,
        data={f"score-{training.enrolments[1].pk}": "80"},
    )  # fmt: skip
    assert Score.objects.filter(assessment_id=oral).count() == 1


def test_the_gradebook_groups_scores_by_module_with_averages_and_total(
    cast: Any, training: Any, tests: dict[str, Any]
) -> None:
    page = html(
        client_for(cast.trainer).get(reverse("training:gradebook", args=[training.klass.pk]))
    )
    header = page[page.index("<thead>") : page.index("</thead>")]
    for name in ("Japanese language", "Bab 1-6", "Bab 7-12", "Oral 1", "Weighted total"):
        assert name in header
    assert header.index("Bab 1-6") < header.index("Bab 7-12") < header.index("Oral 1")
    # One: Japanese 90% and 70% average 80; culture 50 is below the pass mark of 60;
    # total (80*3 + 50 + 70 + 90) / 6 = 75.
    one = cells(row_of(page, training.enrolments[0]))
    assert one == [["45"], ["70"], ["80.0"], ["50", "below"], ["50.0", "below"], ["70"], ["70.0"],
                   ["90"], ["90.0"], ["75.0"]]  # fmt: skip
    # Two: 29.98 of 50 is 59.96%, below 60: never shown as a passing 60.0.
    two = cells(row_of(page, training.enrolments[1]))
    assert two[0] == ["29.98", "below"] and two[2] == ["59.9", "below"]
    assert two[-1] == ["—"]  # no total while a weighted module has no average
    assert 'class="num average below"' in row_of(page, training.enrolments[1])
    assert reverse("training:assessment_create", args=[training.klass.pk]) in page
    reader = html(
        client_for(cast.leadership).get(reverse("training:gradebook", args=[training.klass.pk]))
    )
    assert "75.0" in reader
    assert reverse("training:assessment_create", args=[training.klass.pk]) not in reader


def _class_of(training: Any, cast: Any, size: int, name: str = "B") -> TrainingClass:
    """A class with ``size`` trainees and ``size`` assessments, everyone scored in each."""
    klass = TrainingClass.objects.create(cohort=training.cohort, name=name)
    people = [
        f.ApplicationFactory(site=cast.site_jabar, status=Status.SELECTED) for _ in range(size)
    ]
    enrolments = cohort_enrol(cohort=training.cohort, applications=people, by=cast.trainer,
                              training_class=klass)  # fmt: skip
    modules = list(training.modules)
    for i in range(size):
        made = assessment(training, modules[i % len(modules)], f"Test {name}{i}", day=1 + i)
        scores_save(
            assessment=made, scores={e.pk: str(50 + i) for e in enrolments}, by=cast.trainer
        )
    return klass


@pytest.mark.parametrize("size", [2, 10])
def test_the_gradebook_takes_the_same_queries_for_2_or_10(
    cast: Any, training: Any, size: int, django_assert_max_num_queries: Any
) -> None:
    klass = _class_of(training, cast, size)
    client = client_for(cast.trainer)
    url = reverse("training:gradebook", args=[klass.pk])
    with django_assert_max_num_queries(9):
        response = client.get(url)
    assert response.status_code == 200
    assert html(response).count('<tr id="trainee-') == size


def test_the_gradebook_query_count_does_not_grow(cast: Any, training: Any) -> None:
    counts = []
    for size, name in ((2, "B"), (10, "C")):
        klass = _class_of(training, cast, size, name)
        client = client_for(cast.trainer)
        client.get(reverse("training:gradebook", args=[klass.pk]))  # warm the session
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("training:gradebook", args=[klass.pk]))
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_an_assessment_is_created_for_the_cohort(cast: Any, training: Any) -> None:
    url = reverse("training:assessment_create", args=[training.klass.pk])
    client = client_for(cast.trainer)
    assert "Occupational safety" in html(client.get(url))
    data = {"module": training.modules["japanese"].pk, "kind": "mock_jlpt", "name": "Mock N4",
            "held_on": "2026-12-18", "max_score": "180", "weight": "2"}  # fmt: skip
    response = client.post(url, data)
    made = Assessment.objects.get(name="Mock N4")
    assert made.cohort == training.cohort and made.max_score == 180 and made.weight == 2
    assert response["Location"] == (
        reverse("training:score_grid", args=[made.pk]) + f"?class={training.klass.pk}"
    )
    again = client.post(url, data)
    assert again.status_code == 400 and "already exists" in html(again)
    bad = client.post(url, {**data, "name": "Zero", "max_score": "0"})
    assert bad.status_code == 400 and not Assessment.objects.filter(name="Zero").exists()


def test_the_score_grid_saves_every_row_at_once(
    cast: Any, training: Any, tests: dict[str, Any]
) -> None:
    oral = tests["oral"]
    one, two, three = (e.pk for e in training.enrolments[:3])
    url = reverse("training:score_grid", args=[oral.pk])
    client = client_for(cast.trainer)
    page = html(client.get(url, {"class": training.klass.pk}))
    assert f'name="version-{one}" value="1"' in page and f'name="version-{two}" value="0"' in page
    assert re.search(rf'name="score-{one}" id="score-{one}" value="50"', page)
    response = client.post(
        url + f"?class={training.klass.pk}",
        {f"score-{one}": "50", f"was-{one}": "50", f"version-{one}": "1",
         f"score-{two}": "72,5", f"was-{two}": "", f"version-{two}": "0",
         f"score-{three}": "81", f"was-{three}": "", f"version-{three}": "0"},
    )  # fmt: skip
    assert response.status_code == 302
    recorded = dict(Score.objects.filter(assessment=oral).values_list("enrolment_id", "score"))
    assert recorded == {one: Decimal(50), two: Decimal("72.5"), three: Decimal(81)}
    assert Score.objects.get(assessment=oral, enrolment_id=one).version == 1  # untouched


def test_the_score_grid_refuses_row_by_row_and_writes_nothing(
    cast: Any, training: Any, tests: dict[str, Any]
) -> None:
    oral = tests["oral"]
    two, three = training.enrolments[1].pk, training.enrolments[2].pk
    response = client_for(cast.trainer).post(
        reverse("training:score_grid", args=[oral.pk]),
        {f"score-{two}": "101", f"version-{two}": "0", f"score-{three}": "80",
         f"version-{three}": "0"},
    )  # fmt: skip
    assert response.status_code == 400
    page = html(response)
    assert "1 row needs correcting; nothing was saved." in page
    assert f'id="error-{two}"' in page and "between 0 and 100" in page
    assert f'id="error-{three}"' not in page and f'id="score-{three}" value="80"' in page
    assert Score.objects.filter(assessment=oral).count() == 1


def test_a_score_changed_meanwhile_is_shown_before_it_is_overwritten(
    cast: Any, training: Any, tests: dict[str, Any]
) -> None:
    oral = tests["oral"]
    two = training.enrolments[1].pk
    url = reverse("training:score_grid", args=[oral.pk])
    client = client_for(cast.trainer)
    client.get(url)  # the trainer sees no score for two (version 0)
    scores_save(assessment=oral, scores={two: "40"}, by=cast.trainer)  # someone else, meanwhile
    response = client.post(url, {f"score-{two}": "45", f"was-{two}": "", f"version-{two}": "0"})
    assert response.status_code == 400
    page = html(response)
    assert "Changed meanwhile to 40; check and save again." in page
    assert f'name="version-{two}" value="1"' in page and f'name="was-{two}" value="40"' in page
    assert Score.objects.get(assessment=oral, enrolment_id=two).score == 40
    again = client.post(url, {f"score-{two}": "45", f"was-{two}": "40", f"version-{two}": "1"})
    assert again.status_code == 302
    assert Score.objects.get(assessment=oral, enrolment_id=two).score == 45


def test_readers_see_scores_without_inputs(cast: Any, training: Any, tests: dict[str, Any]) -> None:
    page = html(client_for(cast.admin).get(reverse("training:score_grid", args=[tests["oral"].pk])))
    assert 'id="score-grid"' not in page and 'name="score-' not in page
    assert re.search(r"<td class=\"num\">\s*50\s*</td>", page)
    assert f'href="{reverse("training:import_upload", args=[tests["oral"].pk])}"' not in page
