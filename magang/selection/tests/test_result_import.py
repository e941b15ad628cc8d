"""Importing a stage's results from XLSX: the prefilled template, the preview (problems by
row and column, nothing written), the all-or-nothing commit through ``result_record``,
idempotency, reasons for changes, and who may import where."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from magang import factories as f
from magang.core.models import AuditEntry
from magang.recruitment.journey import Status
from magang.recruitment.tests import spreadsheets as s
from magang.selection import selectors
from magang.selection.models import StageResult, StageResultChange
from magang.selection.services import imports as service
from magang.selection.services import plan_create

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def _private_media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "private"


def xlsx(
    rows: Sequence[Mapping[str, Any]],
    header: Sequence[str] = ("registration_number", "name", "score", "note", "reason"),
) -> bytes:
    """A results workbook: ``header`` in row 1 and ``rows`` below it, values as given (a
    number stays a numeric cell)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "results"
    sheet.append(list(header))
    for row in rows:
        sheet.append([row.get(name) for name in header])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _scores(applications: Sequence[Any], *scores: Any, **extra: Any) -> list[dict[str, Any]]:
    return [
        {"registration_number": a.registration_number, "score": score, **extra}
        for a, score in zip(applications, scores, strict=False)
    ]


def _upload_url(selection: Any, key: str, site: Any) -> str:
    return reverse("selection:import_upload", args=[selection.stages[key].pk, site.pk])


def _template_url(selection: Any, key: str, site: Any) -> str:
    return reverse("selection:import_template", args=[selection.stages[key].pk, site.pk])


def _upload(client: Any, user: Any, selection: Any, key: str, site: Any, content: bytes) -> Any:
    client.force_login(user)
    return client.post(
        _upload_url(selection, key, site),
        {"file": SimpleUploadedFile("scores.xlsx", content)},
        **EN,
    )


def _token(response: Any) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    match = re.search(r"/file/([0-9a-f]{40})/$", response["Location"])
    assert match, response["Location"]
    return match[1]


def _preview(client: Any, selection: Any, key: str, token: str) -> Any:
    url = reverse("selection:import_preview", args=[selection.stages[key].pk, token])
    return client.get(url, **EN)


def _commit(client: Any, selection: Any, key: str, token: str, fingerprint: str = "") -> Any:
    if not fingerprint:
        html = _preview(client, selection, key, token).content.decode()
        match = re.search(r'name="fingerprint" value="([0-9a-f]+)"', html)
        fingerprint = match[1] if match else ""
    url = reverse("selection:import_commit", args=[selection.stages[key].pk, token])
    return client.post(url, {"fingerprint": fingerprint}, **EN)


def _figure(html: str, name: str) -> int:
    match = re.search(rf'id="count-{name}">([0-9,]+)<', html)
    assert match, name
    return int(match[1].replace(",", ""))


def _scores_recorded(selection: Any, key: str = "maths") -> dict[str, Decimal | None]:
    return {
        r.application.registration_number: r.score
        for r in StageResult.objects.filter(stage=selection.stages[key]).select_related(
            "application"
        )
    }


def _import(client: Any, user: Any, selection: Any, key: str, site: Any, content: bytes) -> Any:
    token = _token(_upload(client, user, selection, key, site, content))
    return _commit(client, selection, key, token)


# --- the template -----------------------------------------------------------------------------


def test_the_template_lists_the_people_in_the_running_with_what_is_recorded(
    selection: Any, cast: Any, client: Any
) -> None:
    one, two, three = selection.jabar
    selection.record(one, "admin", True)
    selection.record(two, "admin", False)  # out of the running for the maths test
    selection.record(one, "maths", Decimal("14.5"), note="late")
    client.force_login(cast.officer_jabar)
    response = client.get(_template_url(selection, "maths", cast.site_jabar))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="results-maths-bandung.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content))["results"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("registration_number", "name", "score", "note", "reason")
    assert rows[1:] == [
        (one.registration_number, one.candidate.full_name, 14.5, "late", None),
        (three.registration_number, three.candidate.full_name, None, None, None),
    ]
    assert sheet["A2"].number_format == "@"
    assert "instructions" in load_workbook(io.BytesIO(response.content)).sheetnames


def test_the_template_has_a_column_per_measurement(selection: Any, cast: Any, client: Any) -> None:
    client.force_login(cast.officer_jabar)
    response = client.get(_template_url(selection, "body", cast.site_jabar))
    header = next(
        load_workbook(io.BytesIO(response.content))["results"].iter_rows(values_only=True)
    )
    assert header == ("registration_number", "name", "height", "weight", "note", "reason")
    response = client.get(_template_url(selection, "admin", cast.site_jabar))
    header = next(
        load_workbook(io.BytesIO(response.content))["results"].iter_rows(values_only=True)
    )
    assert header == ("registration_number", "name", "result", "note", "reason")


def test_a_medical_template_holds_no_values_for_those_without_the_detail(
    selection: Any, cast: Any, client: Any
) -> None:
    selection.record(selection.jabar[0], "medical", False, note="hypertension")
    client.force_login(cast.admin)
    response = client.get(_template_url(selection, "medical", cast.site_jabar))
    rows = list(load_workbook(io.BytesIO(response.content))["results"].iter_rows(values_only=True))
    assert rows[1][2:] == (None, None, None)
    assert b"hypertension" not in response.content
    client.force_login(cast.central)
    response = client.get(_template_url(selection, "medical", cast.site_jabar))
    rows = list(load_workbook(io.BytesIO(response.content))["results"].iter_rows(values_only=True))
    assert rows[1][2:4] == (0, "hypertension")


def test_a_medical_template_with_the_detail_is_a_logged_read(
    selection: Any, cast: Any, client: Any
) -> None:
    from magang.recruitment.models import PersonalDataAccess

    one = selection.jabar[0]
    selection.record(one, "medical", False, note="hypertension")
    client.force_login(cast.admin)  # pass or fail only: not a read of medical detail
    client.get(_template_url(selection, "medical", cast.site_jabar))
    client.force_login(cast.officer_jabar)
    client.get(_template_url(selection, "maths", cast.site_jabar))
    assert PersonalDataAccess.objects.count() == 0
    client.force_login(cast.central)
    response = client.get(_template_url(selection, "medical", cast.site_jabar))
    rows = list(load_workbook(io.BytesIO(response.content))["results"].iter_rows(values_only=True))
    assert (0, "hypertension") in [row[2:4] for row in rows]
    assert list(PersonalDataAccess.objects.values_list("actor", "candidate", "what", "kind")) == [
        (
            cast.central.pk,
            one.candidate_id,
            "selection.import_template",
            PersonalDataAccess.Kind.MEDICAL_READ,
        )
    ]


def test_it_reads_back_its_own_template_filled_in(selection: Any, cast: Any, client: Any) -> None:
    client.force_login(cast.officer_jabar)
    content = client.get(_template_url(selection, "maths", cast.site_jabar)).content
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["results"]
    sheet["C2"], sheet["C3"], sheet["C4"] = 16, 13.5, "15"
    out = io.BytesIO()
    workbook.save(out)
    response = _import(
        client, cast.officer_jabar, selection, "maths", cast.site_jabar, out.getvalue()
    )
    assert response.status_code == 302
    assert sorted(_scores_recorded(selection).values()) == [Decimal("13.5"), 15, 16]


# --- preview and commit -----------------------------------------------------------------------


def test_it_previews_then_records_every_row(selection: Any, cast: Any, client: Any) -> None:
    one, two, three = selection.jabar
    content = xlsx(_scores([one, two, three], 16, 12, "14,5"))
    token = _token(
        _upload(client, cast.officer_jabar, selection, "maths", cast.site_jabar, content)
    )
    html = _preview(client, selection, "maths", token).content.decode()
    assert (_figure(html, "new"), _figure(html, "unchanged"), _figure(html, "errors")) == (3, 0, 0)
    assert "Import now" in html
    assert not StageResult.objects.exists()  # nothing written by the preview
    response = _commit(client, selection, "maths", token)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "selection:grid", args=[selection.stages["maths"].pk, cast.site_jabar.pk]
    )
    recorded = StageResult.objects.filter(stage=selection.stages["maths"])
    assert {(r.application_id, r.score, r.passed) for r in recorded} == {
        (one.pk, 16, True),
        (two.pk, 12, False),
        (three.pk, Decimal("14.5"), True),
    }
    assert {r.recorded_by for r in recorded} == {cast.officer_jabar}
    assert AuditEntry.objects.filter(action="selection.results_import").count() == 1
    html = client.get(response["Location"], **EN).content.decode()
    assert "3 result(s) recorded, 0 changed" in html


def test_importing_the_same_file_again_changes_nothing_and_says_so(
    selection: Any, cast: Any, client: Any
) -> None:
    content = xlsx(_scores(selection.jabar, 16, 12, 15))
    _import(client, cast.officer_jabar, selection, "maths", cast.site_jabar, content)
    before = list(StageResult.objects.values_list("pk", "version", "updated_at"))
    audit = AuditEntry.objects.count()
    token = _token(
        _upload(client, cast.officer_jabar, selection, "maths", cast.site_jabar, content)
    )
    html = _preview(client, selection, "maths", token).content.decode()
    assert _figure(html, "unchanged") == 3 and _figure(html, "new") == 0
    assert 'id="nothing-to-import"' in html and "Import now" not in html
    response = _commit(client, selection, "maths", token)
    assert response.status_code == 302
    assert "Nothing changed" in client.get(response["Location"], **EN).content.decode()
    assert list(StageResult.objects.values_list("pk", "version", "updated_at")) == before
    assert AuditEntry.objects.count() == audit
    assert not StageResultChange.objects.exists()


def test_empty_rows_of_the_template_are_skipped(selection: Any, cast: Any, client: Any) -> None:
    one, two, three = selection.jabar
    rows = [
        *_scores([one], 16),
        {"registration_number": two.registration_number, "name": "Someone"},
        {"registration_number": three.registration_number, "score": None},
    ]
    token = _token(
        _upload(client, cast.officer_jabar, selection, "maths", cast.site_jabar, xlsx(rows))
    )
    html = _preview(client, selection, "maths", token).content.decode()
    assert _figure(html, "new") == 1 and _figure(html, "blank") == 2
    _commit(client, selection, "maths", token)
    assert list(_scores_recorded(selection)) == [one.registration_number]


def test_a_change_needs_a_reason_in_its_row(selection: Any, cast: Any, client: Any) -> None:
    one, two, _ = selection.jabar
    selection.record(one, "maths", Decimal(12))
    selection.record(two, "maths", Decimal(15))
    content = xlsx(_scores([one, two], 15, 15))
    token = _token(
        _upload(client, cast.officer_jabar, selection, "maths", cast.site_jabar, content)
    )
    response = _preview(client, selection, "maths", token)
    html = response.content.decode()
    assert _figure(html, "errors") == 1 and _figure(html, "unchanged") == 1
    assert re.search(
        r"<td class=\"num\">2</td><td><code>reason</code></td><td>Already recorded as 12.00", html
    )
    assert "Import now" not in html
    assert _commit(client, selection, "maths", token).status_code == 400
    assert _scores_recorded(selection)[one.registration_number] == 12

    content = xlsx(_scores([one, two], 15, 15, reason="Sheet re-marked"))
    token = _token(
        _upload(client, cast.officer_jabar, selection, "maths", cast.site_jabar, content)
    )
    html = _preview(client, selection, "maths", token).content.decode()
    assert _figure(html, "changed") == 1 and 'id="changes"' in html
    assert _commit(client, selection, "maths", token).status_code == 302
    change = StageResultChange.objects.get()
    assert change.result.application == one and change.reason == "Sheet re-marked"
    assert change.changed_by == cast.officer_jabar
    assert _scores_recorded(selection)[one.registration_number] == 15


def test_it_lists_every_problem_by_row_and_column_and_writes_nothing(
    selection: Any, cast: Any, client: Any
) -> None:
    one, two, three = selection.jabar
    selection.record(two, "admin", False)  # out of the running for the maths test
    other_round = f.ApplicationFactory(
        site=f.SiteFactory(round=f.RoundFactory(year=2025)), status=Status.IN_SELECTION.value
    )
    withdrawn = f.ApplicationFactory(site=cast.site_jabar, status=Status.WITHDRAWN.value)
    rows = [
        {"registration_number": one.registration_number, "score": 21},  # row 2
        {"registration_number": two.registration_number, "score": 15},  # row 3
        {"registration_number": selection.jateng[0].registration_number, "score": 15},  # 4
        {"registration_number": "NOPE-1", "score": 15},  # row 5
        {"registration_number": three.registration_number, "score": "abc"},  # row 6
        {"registration_number": three.registration_number, "score": 15},  # row 7
        {"registration_number": other_round.registration_number, "score": 15},  # row 8
        {"registration_number": withdrawn.registration_number, "score": 15},  # row 9
        {"registration_number": None, "score": 15, "note": "x" * 301},  # row 10
        {"registration_number": one.registration_number, "score": 14.125},  # row 11
    ]
    token = _token(
        _upload(client, cast.officer_jabar, selection, "maths", cast.site_jabar, xlsx(rows))
    )
    html = _preview(client, selection, "maths", token).content.decode()
    table = re.search(r'<table id="errors">.*?</table>', html, re.S)
    assert table
    found = re.findall(
        r'<tr><td class="num">(\d+)</td><td><code>(\w*)</code></td><td>([^<]*)</td></tr>', table[0]
    )
    problems = [(int(row), column, message) for row, column, message in found]
    expected = [
        (2, "score", "The score 21 is outside the range 0 to 20."),
        (3, "registration_number", "out of the running"),
        (4, "registration_number", "is not registered at this site in this round"),
        (5, "registration_number", "NOPE-1 is not registered at this site in this round"),
        (6, "score", "The score: &#x27;abc&#x27; is not a number."),
        (7, "registration_number", "is also in row 6"),
        (8, "registration_number", "is not registered at this site in this round"),
        (9, "registration_number", "is not in selection (status: Withdrawn)"),
        (10, "registration_number", "This cell is required."),
        (10, "note", "At most 300 characters; this has 301."),
        (11, "registration_number", "is also in row 2"),
        (11, "score", "more than two decimals"),
    ]
    assert len(problems) == len(expected), problems
    for (row, column, message), (want_row, want_column, want) in zip(
        problems, expected, strict=True
    ):
        assert (row, column) == (want_row, want_column) and want in message, (row, message)
    assert _figure(html, "errors") == 10
    assert "Import now" not in html
    assert _commit(client, selection, "maths", token).status_code == 400
    assert not StageResult.objects.filter(stage=selection.stages["maths"]).exists()


def test_measurements_are_checked_each_in_its_own_column(
    selection: Any, cast: Any, client: Any
) -> None:
    one, two, three = selection.jabar
    header = ("registration_number", "height", "weight", "note", "reason")
    rows = [
        {"registration_number": one.registration_number, "height": 165, "weight": 60},
        {"registration_number": two.registration_number, "height": "abc", "weight": 60},
        {"registration_number": three.registration_number, "height": 170, "weight": -1},
    ]
    token = _token(
        _upload(client, cast.officer_jabar, selection, "body", cast.site_jabar, xlsx(rows, header))
    )
    html = _preview(client, selection, "body", token).content.decode()
    assert re.search(
        r"<td class=\"num\">3</td><td><code>height</code></td><td>height: &#x27;abc", html
    )
    assert re.search(
        r"<td class=\"num\">4</td><td><code>weight</code></td><td>weight cannot be negative", html
    )
    assert _figure(html, "new") == 1


def test_gates_understand_numbers_words_and_true_false(
    selection: Any, cast: Any, client: Any
) -> None:
    one, two, three = selection.jabar
    header = ("registration_number", "result")
    rows = [
        {"registration_number": one.registration_number, "result": 1},
        {"registration_number": two.registration_number, "result": "tidak"},
        {"registration_number": three.registration_number, "result": True},
    ]
    response = _import(
        client, cast.officer_jabar, selection, "admin", cast.site_jabar, xlsx(rows, header)
    )
    assert response.status_code == 302
    passed = dict(
        StageResult.objects.filter(stage=selection.stages["admin"]).values_list(
            "application_id", "passed"
        )
    )
    assert passed == {one.pk: True, two.pk: False, three.pk: True}


def test_it_warns_when_a_name_does_not_match_the_registration_number(
    selection: Any, cast: Any, client: Any
) -> None:
    one = selection.jabar[0]
    rows = [{"registration_number": one.registration_number, "name": "Someone Else", "score": 15}]
    token = _token(
        _upload(client, cast.officer_jabar, selection, "maths", cast.site_jabar, xlsx(rows))
    )
    html = _preview(client, selection, "maths", token).content.decode()
    assert 'id="warnings"' in html and "differs from the registered name" in html
    assert "Import now" in html


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (("registration_number", "name", "score", "colour"), "Unknown column(s): colour (D1)"),
        (("registration_number", "name", "note"), "Missing column(s): score."),
        (("nik", "score"), "Missing column(s): registration_number."),
        (("registration_number", "score", "score"), "Column score appears twice"),
    ],
)
def test_it_refuses_a_file_with_wrong_columns(
    selection: Any, cast: Any, client: Any, header: Sequence[str], message: str
) -> None:
    rows = [dict.fromkeys(header, "1")]
    token = _token(
        _upload(client, cast.officer_jabar, selection, "maths", cast.site_jabar, xlsx(rows, header))
    )
    html = _preview(client, selection, "maths", token).content.decode()
    assert "The file cannot be imported" in html and message in html
    assert "Import now" not in html


def test_it_refuses_a_file_that_is_not_xlsx(selection: Any, cast: Any, client: Any) -> None:
    response = _upload(client, cast.officer_jabar, selection, "maths", cast.site_jabar, s.PDF)
    assert response.status_code == 400
    assert "It is a PDF document." in response.content.decode()


def test_it_refuses_a_file_over_the_size_limit(
    selection: Any, cast: Any, client: Any, settings: Any
) -> None:
    settings.MAGANG_MAX_IMPORT_BYTES = 1000
    content = xlsx(_scores(selection.jabar, 16, 12, 15))
    response = _upload(client, cast.officer_jabar, selection, "maths", cast.site_jabar, content)
    assert response.status_code in (400, 413)
    assert "the limit is" in response.content.decode() or "larger than" in response.content.decode()


def test_it_writes_nothing_when_someone_records_between_preview_and_commit(
    selection: Any, cast: Any, client: Any
) -> None:
    one, two, _ = selection.jabar
    content = xlsx(_scores([one, two], 16, 12))
    token = _token(
        _upload(client, cast.officer_jabar, selection, "maths", cast.site_jabar, content)
    )
    html = _preview(client, selection, "maths", token).content.decode()
    fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]+)"', html)[1]  # type: ignore[index]
    selection.record(two, "maths", Decimal(18))  # typed into the grid meanwhile
    response = _commit(client, selection, "maths", token, fingerprint=fingerprint)
    assert response.status_code == 302 and response["Location"].endswith(f"/file/{token}/")
    assert (
        "recorded by someone else since the preview"
        in client.get(response["Location"], **EN).content.decode()
    )
    assert _scores_recorded(selection) == {two.registration_number: 18}


def test_the_service_writes_all_rows_or_none(selection: Any, cast: Any, monkeypatch: Any) -> None:
    from magang.selection.services.imports import writing

    one, two, _ = selection.jabar
    access = selectors.access_grid(
        user=cast.officer_jabar,
        stage_pk=selection.stages["maths"].pk,
        site_pk=cast.site_jabar.pk,
        write=True,
    )
    rows = service.results_read(xlsx(_scores([one, two], 16, 12)), stage=access.stage)
    # Someone types the second person's score into the grid just after the first row is
    # written: that row is stale, and the first row is undone with it.
    record = writing.result_record

    def record_then_someone_else_types(**kwargs: Any) -> Any:
        result = record(**kwargs)
        if kwargs["application"] == one:
            selection.record(two, "maths", Decimal(19))
        return result

    monkeypatch.setattr(writing, "result_record", record_then_someone_else_types)
    with pytest.raises(service.ResultsImportRefused) as caught:
        service.results_import(access=access, rows=rows, by=cast.officer_jabar)
    assert "meanwhile" in caught.value.report.errors[-1].message
    assert _scores_recorded(selection) == {}


def test_the_service_refuses_a_user_who_may_not_record(selection: Any, cast: Any) -> None:
    access = selectors.access_grid(
        user=cast.leadership, stage_pk=selection.stages["maths"].pk, site_pk=cast.site_jabar.pk
    )
    rows = service.results_read(xlsx(_scores(selection.jabar, 16)), stage=access.stage)
    with pytest.raises(PermissionDenied):
        service.results_import(access=access, rows=rows, by=cast.leadership)
    assert not StageResult.objects.exists()


# --- access -----------------------------------------------------------------------------------


def _jabar_token(selection: Any, cast: Any, client: Any) -> str:
    content = xlsx(_scores(selection.jabar, 16))
    token = _token(
        _upload(client, cast.officer_jabar, selection, "maths", cast.site_jabar, content)
    )
    client.logout()
    return token


def _pages(selection: Any, cast: Any, token: str) -> list[tuple[str, str]]:
    stage = selection.stages["maths"].pk
    return [
        ("get", _template_url(selection, "maths", cast.site_jabar)),
        ("get", _upload_url(selection, "maths", cast.site_jabar)),
        ("post", _upload_url(selection, "maths", cast.site_jabar)),
        ("get", reverse("selection:import_preview", args=[stage, token])),
        ("post", reverse("selection:import_commit", args=[stage, token])),
    ]


@pytest.mark.parametrize("who", ["candidate", "trainer", "partner", "host", "outsider"])
def test_it_refuses_other_roles(selection: Any, cast: Any, client: Any, who: str) -> None:
    token = _jabar_token(selection, cast, client)
    client.force_login(getattr(cast, who))
    for method, url in _pages(selection, cast, token):
        assert getattr(client, method)(url).status_code == 403, url
    assert not StageResult.objects.exists()


def test_it_sends_anonymous_visitors_to_login(selection: Any, cast: Any, client: Any) -> None:
    token = _jabar_token(selection, cast, client)
    for method, url in _pages(selection, cast, token):
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


def test_leadership_may_download_the_sheet_but_not_import(
    selection: Any, cast: Any, client: Any
) -> None:
    token = _jabar_token(selection, cast, client)
    client.force_login(cast.leadership)
    pages = _pages(selection, cast, token)
    assert client.get(pages[0][1]).status_code == 200
    for method, url in pages[1:3]:
        assert getattr(client, method)(url).status_code == 403
    for method, url in pages[3:]:
        assert getattr(client, method)(url).status_code == 404  # not their upload
    assert not StageResult.objects.exists()


def test_it_answers_another_regions_officer_with_not_found(
    selection: Any, cast: Any, client: Any
) -> None:
    token = _jabar_token(selection, cast, client)
    client.force_login(cast.officer_jateng)
    for method, url in _pages(selection, cast, token):
        assert getattr(client, method)(url).status_code == 404, url
    content = xlsx(_scores(selection.jabar, 16))
    response = _upload(client, cast.officer_jateng, selection, "maths", cast.site_jabar, content)
    assert response.status_code == 404
    assert not StageResult.objects.exists()


def test_an_upload_is_tied_to_its_stages_round(selection: Any, cast: Any, client: Any) -> None:
    token = _jabar_token(selection, cast, client)
    earlier = f.RoundFactory(year=2025)
    f.SiteFactory(round=earlier, organisation=cast.site_jabar.organisation)
    other_stage = plan_create(round_=earlier, by=None).stages.get(key="maths")
    client.force_login(cast.officer_jabar)
    for name in ("selection:import_preview", "selection:import_commit"):
        url = reverse(name, args=[other_stage.pk, token])
        response = client.get(url) if name.endswith("preview") else client.post(url)
        assert response.status_code == 404
    assert not StageResult.objects.exists()


def test_officers_cannot_import_central_or_medical_stages(
    selection: Any, cast: Any, client: Any
) -> None:
    client.force_login(cast.officer_jabar)
    assert client.get(_upload_url(selection, "interview", cast.site_jabar)).status_code == 403
    client.force_login(cast.admin)  # records anything, but sees no medical detail
    assert client.get(_upload_url(selection, "medical", cast.site_jabar)).status_code == 403
    client.force_login(cast.central)
    assert client.get(_upload_url(selection, "medical", cast.site_jabar)).status_code == 200


@pytest.mark.parametrize("who", ["central", "admin"])
def test_the_central_team_and_administrators_import_anywhere(
    selection: Any, cast: Any, client: Any, who: str
) -> None:
    content = xlsx(_scores(selection.jateng, 70, 50))
    response = _import(
        client, getattr(cast, who), selection, "interview", cast.site_jateng, content
    )
    assert response.status_code == 302
    assert len(_scores_recorded(selection, "interview")) == 2
