"""The results grid: who is listed, saving a row (with and without htmx), the verdict from
the server, refusals in the row, reasons for changes, stale edits, medical masking, the
index's progress, and who may open which grid."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from magang import factories as f
from magang.recruitment.journey import Status
from magang.selection.models import StageResult, StageResultChange

from .conftest import PASSING

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
HTMX = {"HTTP_HX_REQUEST": "true", **EN}


def _grid(selection: Any, key: str, site: Any) -> str:
    return reverse("selection:grid", args=[selection.stages[key].pk, site.pk])


def _row(selection: Any, key: str, application: Any) -> str:
    return reverse(
        "selection:grid_row",
        args=[selection.stages[key].pk, application.site_id, application.pk],
    )


def _save(
    client: Any, selection: Any, key: str, application: Any, htmx: bool = True, **data: Any
) -> Any:
    data.setdefault("version", 0)
    return client.post(_row(selection, key, application), data, **(HTMX if htmx else EN))


def _result(selection: Any, key: str, application: Any) -> StageResult | None:
    return StageResult.objects.filter(stage=selection.stages[key], application=application).first()


def _input_value(html: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', html)
    assert match, html
    return match[1]


# --- who is listed ----------------------------------------------------------------------------


def test_it_lists_the_people_still_in_the_running_and_marks_missing_results(
    selection: Any, cast: Any, client: Any
) -> None:
    one, two, three = selection.jabar
    selection.record(one, "admin", True)
    selection.record(two, "admin", True)
    selection.record(three, "admin", True)
    selection.record(one, "maths", PASSING["maths"])
    selection.record(two, "maths", Decimal(10))  # failed: maths eliminates
    withdrawn = f.ApplicationFactory(site=cast.site_jabar, status=Status.WITHDRAWN.value)
    client.force_login(cast.officer_jabar)
    html = client.get(_grid(selection, "body", cast.site_jabar), **EN).content.decode()
    assert one.registration_number in html
    assert two.registration_number not in html
    assert three.registration_number in html  # no maths result yet: listed, and marked
    assert withdrawn.registration_number not in html
    assert selection.jateng[0].registration_number not in html
    row = re.search(rf'<tr id="row-{three.pk}".*?</tr>', html, re.S)
    assert row and "No result yet at: maths test" in row[0]
    assert "No result yet" not in re.search(rf'<tr id="row-{one.pk}".*?</tr>', html, re.S)[0]
    assert "1 of 2 recorded" not in html and "0 of 2 recorded; 2 to record." in html
    # The failed person still shows on the maths grid itself: they sat it.
    html = client.get(_grid(selection, "maths", cast.site_jabar), **EN).content.decode()
    assert two.registration_number in html
    assert "2 of 3 recorded; 1 to record." in html


def test_it_shows_only_those_still_to_record_when_asked(
    selection: Any, cast: Any, client: Any
) -> None:
    one, two, _three = selection.jabar
    selection.record(one, "maths", Decimal(15))
    client.force_login(cast.officer_jabar)
    html = client.get(_grid(selection, "maths", cast.site_jabar) + "?todo=1", **EN)
    text = html.content.decode()
    assert one.registration_number not in text and two.registration_number in text


def test_it_draws_one_input_per_cell_with_the_stages_range(
    selection: Any, cast: Any, client: Any
) -> None:
    client.force_login(cast.officer_jabar)
    one = selection.jabar[0]
    html = client.get(_grid(selection, "maths", cast.site_jabar), **EN).content.decode()
    assert f'type="number" id="value-{one.pk}" name="value" form="form-{one.pk}"' in html
    assert 'min="0" max="20"' in html and 'step="0.01"' in html
    html = client.get(_grid(selection, "body", cast.site_jabar), **EN).content.decode()
    assert f'id="m_height-{one.pk}"' in html and f'id="m_weight-{one.pk}"' in html
    assert "height (cm)" in html
    html = client.get(_grid(selection, "admin", cast.site_jabar), **EN).content.decode()
    assert f'type="text" id="value-{one.pk}" name="value"' in html
    assert 'placeholder="1/0"' in html
    assert html.count('name="version" value="0"') == 3


def test_the_grid_reads_in_a_fixed_number_of_queries(
    selection: Any, cast: Any, client: Any
) -> None:
    client.force_login(cast.officer_jabar)
    url = _grid(selection, "body", cast.site_jabar)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for application in selection.jabar:
        selection.record(application, "maths", Decimal(15))
    for _ in range(12):
        application = f.ApplicationFactory(site=cast.site_jabar, status=Status.IN_SELECTION.value)
        selection.record(application, "body", PASSING["body"])
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.content.decode().count('<tr id="row-') == 15
    assert len(many) == len(few)


# --- saving a row -----------------------------------------------------------------------------


def test_it_saves_a_score_and_answers_with_the_verdict(
    selection: Any, cast: Any, client: Any
) -> None:
    one, two, _ = selection.jabar
    client.force_login(cast.officer_jabar)
    response = _save(client, selection, "maths", one, value="16")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<tr id="row-{one.pk}"')  # only the row, for htmx
    assert 'data-passed="true"' in html and "passed" in html
    assert 'name="version" value="1"' in html
    result = _result(selection, "maths", one)
    assert result is not None and result.score == 16 and result.passed
    assert result.recorded_by == cast.officer_jabar
    html = _save(client, selection, "maths", two, value="12,5").content.decode()
    assert 'data-passed="false"' in html and "failed" in html
    assert _result(selection, "maths", two).score == Decimal("12.5")  # type: ignore[union-attr]


def test_it_saves_a_gate_and_measurements(selection: Any, cast: Any, client: Any) -> None:
    one, two, _ = selection.jabar
    client.force_login(cast.officer_jabar)
    assert (
        'data-passed="true"' in _save(client, selection, "admin", one, value="1").content.decode()
    )
    assert (
        'data-passed="false"' in _save(client, selection, "admin", two, value="0").content.decode()
    )
    html = _save(client, selection, "body", one, m_height="157", m_weight="60").content.decode()
    assert 'data-passed="false"' in html  # men need 158 cm
    assert _result(selection, "body", one).measurements == {  # type: ignore[union-attr]
        "height": "157.00",
        "weight": "60.00",
    }


def test_it_refuses_a_value_outside_the_range_in_the_row(
    selection: Any, cast: Any, client: Any
) -> None:
    one = selection.jabar[0]
    client.force_login(cast.officer_jabar)
    html = _save(client, selection, "maths", one, value="21").content.decode()
    assert "The score 21 is outside the range 0 to 20." in html
    assert 'role="alert"' in html and 'aria-invalid="true"' in html
    assert _input_value(html, "value") == "21"  # what was typed stays, to correct it
    assert _result(selection, "maths", one) is None
    html = _save(client, selection, "body", one, m_height="170", m_weight="").content.decode()
    assert "weight is empty" in html
    html = _save(client, selection, "admin", one, value="maybe").content.decode()
    assert "is not a result" in html
    assert not StageResult.objects.exists()


def test_changing_a_result_asks_for_a_reason_then_keeps_it(
    selection: Any, cast: Any, client: Any
) -> None:
    one = selection.jabar[0]
    selection.record(one, "maths", Decimal(12))
    client.force_login(cast.officer_jabar)
    html = _save(client, selection, "maths", one, value="15", version=1).content.decode()
    assert "give a reason for changing it" in html
    assert 'name="reason"' in html and "data-focus" in html
    assert _input_value(html, "value") == "15"
    assert _result(selection, "maths", one).score == 12  # type: ignore[union-attr]
    html = _save(
        client, selection, "maths", one, value="15", version=1, reason="Sheet re-marked"
    ).content.decode()
    assert 'data-passed="true"' in html and 'name="version" value="2"' in html
    change = StageResultChange.objects.get()
    assert change.reason == "Sheet re-marked" and change.changed_by == cast.officer_jabar
    # The same value again changes nothing and needs no reason.
    html = _save(client, selection, "maths", one, value="15", version=2).content.decode()
    assert "Unchanged." in html
    assert StageResultChange.objects.count() == 1


def test_a_stale_edit_is_refused_showing_the_other_persons_value(
    selection: Any, cast: Any, client: Any
) -> None:
    one = selection.jabar[0]
    client.force_login(cast.officer_jabar)
    _save(client, selection, "maths", one, value="12")
    # Someone else changes it while this officer's page still holds version 1.
    selection.record(one, "maths", Decimal(16), reason="Recount")
    html = _save(
        client, selection, "maths", one, value="13", version=1, reason="Typo"
    ).content.decode()
    assert "saved this result meanwhile as 16.00" in html
    assert _input_value(html, "value") == "16"  # their value, to check
    assert 'name="version" value="2"' in html
    assert _result(selection, "maths", one).score == 16  # type: ignore[union-attr]
    # Saving again from the refreshed row is a decision made knowing it.
    html = _save(
        client, selection, "maths", one, value="13", version=2, reason="Typo"
    ).content.decode()
    assert 'name="version" value="3"' in html


def test_a_first_entry_made_twice_at_once_is_refused_the_second_time(
    selection: Any, cast: Any, client: Any
) -> None:
    one = selection.jabar[0]
    selection.record(one, "maths", Decimal(17))
    client.force_login(cast.officer_jabar)
    html = _save(client, selection, "maths", one, value="11", version=0).content.decode()
    assert "meanwhile as 17.00" in html
    assert _result(selection, "maths", one).score == 17  # type: ignore[union-attr]


def test_a_row_without_its_version_is_refused(selection: Any, cast: Any, client: Any) -> None:
    client.force_login(cast.officer_jabar)
    html = _save(client, selection, "maths", selection.jabar[0], value="15", version="x")
    assert "reload the page" in html.content.decode()
    assert not StageResult.objects.exists()


# --- without JavaScript -----------------------------------------------------------------------


def test_without_javascript_a_row_posts_and_redirects_back(
    selection: Any, cast: Any, client: Any
) -> None:
    one = selection.jabar[0]
    client.force_login(cast.officer_jabar)
    response = _save(client, selection, "maths", one, htmx=False, value="16", page=1)
    assert response.status_code == 302
    assert response["Location"] == _grid(selection, "maths", cast.site_jabar) + f"#row-{one.pk}"
    html = client.get(response["Location"], **EN).content.decode()
    assert f"{one.registration_number}: Saved: 16.00 (passed)." in html
    assert _result(selection, "maths", one).passed  # type: ignore[union-attr]
    response = _save(client, selection, "maths", one, htmx=False, value="16", version=1, todo=1)
    assert response["Location"].endswith("?todo=1" + f"#row-{one.pk}")


def test_without_javascript_a_refusal_redraws_the_grid_with_the_row(
    selection: Any, cast: Any, client: Any
) -> None:
    one = selection.jabar[0]
    client.force_login(cast.officer_jabar)
    response = _save(client, selection, "maths", one, htmx=False, value="25")
    assert response.status_code == 400
    html = response.content.decode()
    assert "<html" in html and "outside the range" in html
    assert html.count('<tr id="row-') == 3
    selection.record(one, "maths", Decimal(12))
    response = _save(client, selection, "maths", one, htmx=False, value="15", version=1)
    assert response.status_code == 400 and 'id="reason-' in response.content.decode()
    response = _save(client, selection, "maths", one, htmx=False, value="15", version=0, reason="x")
    assert response.status_code == 409 and "meanwhile as 12.00" in response.content.decode()


# --- medical results --------------------------------------------------------------------------


def test_medical_results_show_only_pass_or_fail_without_the_detail(
    selection: Any, cast: Any, client: Any
) -> None:
    one, two, _ = selection.jabar
    selection.record(one, "medical", False, note="hypertension")
    selection.record(two, "medical", True)
    url = _grid(selection, "medical", cast.site_jabar)
    for who in ("admin", "leadership"):
        client.force_login(getattr(cast, who))
        html = client.get(url, **EN).content.decode()
        assert "failed" in html and "passed" in html
        assert "hypertension" not in html
        assert "<input" not in html.split('id="grid"')[1].split("</table>")[0]
        assert "only whether each person passed" in html
        response = _save(client, selection, "medical", one, value="1", version=1)
        assert response.status_code == 403
    client.force_login(cast.central)
    html = client.get(url, **EN).content.decode()
    assert "hypertension" in html and 'name="value"' in html
    html = _save(
        client, selection, "medical", one, value="1", version=1, reason="Second opinion"
    ).content.decode()
    assert 'data-passed="true"' in html


def test_a_saved_medical_row_shown_back_is_a_logged_read(
    selection: Any, cast: Any, client: Any
) -> None:
    from magang.recruitment.models import PersonalDataAccess

    one = selection.jabar[0]
    selection.record(one, "medical", False, note="hypertension")
    client.force_login(cast.central)
    html = _save(
        client, selection, "medical", one, value="1", version=1, reason="Second opinion"
    ).content.decode()
    assert "hypertension" in html
    assert list(
        PersonalDataAccess.objects.filter(kind=PersonalDataAccess.Kind.MEDICAL_READ).values_list(
            "actor", "candidate", "what"
        )
    ) == [(cast.central.pk, one.candidate_id, "selection.grid_row")]


def test_leadership_reads_a_grid_without_recording(selection: Any, cast: Any, client: Any) -> None:
    one = selection.jabar[0]
    selection.record(one, "maths", Decimal(15))
    client.force_login(cast.leadership)
    html = client.get(_grid(selection, "maths", cast.site_jabar), **EN).content.decode()
    assert one.registration_number in html and "15" in html
    assert "<form" not in html.split('id="grid"')[1]
    assert "you cannot record" in html
    assert _save(client, selection, "maths", one, value="16", version=1).status_code == 403
    assert _result(selection, "maths", one).score == 15  # type: ignore[union-attr]


# --- the index --------------------------------------------------------------------------------


def _progress(html: str, selection: Any, key: str, site: Any) -> str:
    match = re.search(
        rf'id="progress-{selection.stages[key].pk}-{site.pk}">\s*<a[^>]*>([^<]*)</a>', html
    )
    assert match, (key, site)
    return match[1].strip()


def test_the_index_shows_each_grids_progress(selection: Any, cast: Any, client: Any) -> None:
    one, two, three = selection.jabar
    for application in (one, two, three):
        selection.record(application, "admin", True)
    selection.record(one, "maths", Decimal(15))
    selection.record(two, "maths", Decimal(3))  # out of the running from the body check on
    selection.record(one, "body", PASSING["body"])
    client.force_login(cast.central)
    html = client.get(reverse("selection:grid_index"), **EN).content.decode()
    assert _progress(html, selection, "admin", cast.site_jabar) == "3 / 3"
    assert _progress(html, selection, "maths", cast.site_jabar) == "2 / 3"
    assert _progress(html, selection, "body", cast.site_jabar) == "1 / 2"
    assert _progress(html, selection, "interview", cast.site_jabar) == "0 / 2"
    assert _progress(html, selection, "maths", cast.site_jateng) == "0 / 3"
    assert "1 to record" in html


def test_the_index_lists_an_officers_own_site_and_site_stages(
    selection: Any, cast: Any, client: Any
) -> None:
    client.force_login(cast.officer_jabar)
    html = client.get(reverse("selection:grid_index"), **EN).content.decode()
    assert "Bandung" in html and "Semarang" not in html
    assert "maths test" in html and "interview" not in html
    assert _progress(html, selection, "maths", cast.site_jabar) == "0 / 3"


def test_the_index_says_when_no_selection_is_in_progress(cast: Any, client: Any) -> None:
    client.force_login(cast.officer_jabar)
    html = client.get(reverse("selection:grid_index"), **EN).content.decode()
    assert 'id="no-grids"' in html


# --- access -----------------------------------------------------------------------------------


def _pages(selection: Any, cast: Any) -> list[tuple[str, str]]:
    one = selection.jabar[0]
    return [
        ("get", reverse("selection:grid_index")),
        ("get", _grid(selection, "maths", cast.site_jabar)),
        ("post", _row(selection, "maths", one)),
    ]


@pytest.mark.parametrize("who", ["candidate", "trainer", "partner", "host", "outsider"])
def test_it_refuses_other_roles(selection: Any, cast: Any, client: Any, who: str) -> None:
    client.force_login(getattr(cast, who))
    for method, url in _pages(selection, cast):
        response = getattr(client, method)(url, {"value": "16", "version": 0})
        assert response.status_code == 403, url
    assert not StageResult.objects.exists()


def test_it_sends_anonymous_visitors_to_login(selection: Any, cast: Any, client: Any) -> None:
    for method, url in _pages(selection, cast):
        response = getattr(client, method)(url, {"value": "16", "version": 0})
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]
    assert not StageResult.objects.exists()


def test_it_answers_another_regions_site_with_not_found(
    selection: Any, cast: Any, client: Any
) -> None:
    client.force_login(cast.officer_jateng)
    assert client.get(_grid(selection, "maths", cast.site_jabar)).status_code == 404
    assert client.get(_grid(selection, "admin", cast.site_jabar)).status_code == 404
    response = _save(client, selection, "maths", selection.jabar[0], value="16")
    assert response.status_code == 404
    assert not StageResult.objects.exists()


def test_it_keeps_officers_out_of_central_stages(selection: Any, cast: Any, client: Any) -> None:
    client.force_login(cast.officer_jabar)
    assert client.get(_grid(selection, "interview", cast.site_jabar)).status_code == 403
    response = _save(client, selection, "interview", selection.jabar[0], value="70")
    assert response.status_code == 403
    assert not StageResult.objects.exists()


def test_it_answers_a_row_of_another_site_or_out_of_the_running_with_not_found(
    selection: Any, cast: Any, client: Any
) -> None:
    client.force_login(cast.central)
    stage = selection.stages["maths"]
    elsewhere = reverse(
        "selection:grid_row", args=[stage.pk, cast.site_jabar.pk, selection.jateng[0].pk]
    )
    assert client.post(elsewhere, {"value": "16", "version": 0}, **HTMX).status_code == 404
    out = selection.jabar[1]
    selection.record(out, "admin", False)
    assert _save(client, selection, "maths", out, value="16").status_code == 404
    other_round = f.SiteFactory(
        round=f.RoundFactory(year=2025), organisation=cast.site_jabar.organisation
    )
    url = reverse("selection:grid", args=[stage.pk, other_round.pk])
    assert client.get(url).status_code == 404
    assert not StageResult.objects.filter(stage=stage).exists()


@pytest.mark.parametrize("who", ["central", "admin"])
def test_the_central_team_and_administrators_record_anywhere(
    selection: Any, cast: Any, client: Any, who: str
) -> None:
    client.force_login(getattr(cast, who))
    html = _save(client, selection, "interview", selection.jateng[0], value="75").content.decode()
    assert 'data-passed="true"' in html
