"""Importing an assessment's scores from XLSX: the prefilled template, the preview (problems
by row and column, nothing written), the all-or-nothing commit through ``scores_save``,
idempotency, a commit refused when someone saved meanwhile, and who may import."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
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
from magang.training.models import Assessment, Score
from magang.training.services import enrolment_drop_out, scores_save
from magang.training.services import imports as service

from .test_pages_cohorts import assert_refused, client_for, html

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def oral(training: Any) -> Assessment:
    return Assessment.objects.create(
        cohort=training.cohort, module=training.modules["japanese"], kind="oral",
        name="Oral Bab 1-6", held_on=dt.date(2026, 12, 10), max_score=50,
    )  # fmt: skip


def xlsx(rows: Sequence[Sequence[Any]], header: Sequence[str] = service.COLUMNS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "scores"
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(client: Any, assessment: Assessment, content: bytes, name: str = "scores.xlsx") -> Any:
    return client.post(
        reverse("training:import_upload", args=[assessment.pk]),
        {"file": SimpleUploadedFile(name, content)},
    )


def token_of(response: Any) -> str:
    assert response.status_code == 302, html(response)[:2000]
    match = re.search(r"/import/([0-9a-f]{40})/$", response["Location"])
    assert match, response["Location"]
    return match[1]


def preview(client: Any, assessment: Assessment, token: str) -> str:
    response = client.get(reverse("training:import_preview", args=[assessment.pk, token]))
    assert response.status_code == 200
    return html(response)


def commit(client: Any, assessment: Assessment, token: str, fingerprint: str = "") -> Any:
    if not fingerprint:
        match = re.search(
            r'name="fingerprint" value="([0-9a-f]+)"', preview(client, assessment, token)
        )
        fingerprint = match[1] if match else ""
    url = reverse("training:import_commit", args=[assessment.pk, token])
    return client.post(url, {"fingerprint": fingerprint})


def figure(page: str, name: str) -> int:
    match = re.search(rf'id="count-{name}">([0-9,]+)<', page)
    assert match, name
    return int(match[1].replace(",", ""))


def recorded(assessment: Assessment) -> dict[int, Decimal]:
    return dict(Score.objects.filter(assessment=assessment).values_list("enrolment_id", "score"))


def numbers(training: Any) -> list[str]:
    return [a.registration_number for a in training.applications]


def test_the_template_lists_the_trainees_with_their_scores(
    cast: Any, training: Any, oral: Assessment
) -> None:
    scores_save(assessment=oral, scores={training.enrolments[0].pk: "45.5"}, by=cast.trainer)
    enrolment_drop_out(enrolment=training.enrolments[3], by=cast.trainer, reason="Went home")
    response = client_for(cast.central).get(reverse("training:import_template", args=[oral.pk]))
    assert response.status_code == 200  # readers may download it
    assert response["Content-Disposition"] == (
        'attachment; filename="scores-bekasi-2026-12-oral-bab-1-6.xlsx"'
    )
    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook["scores"].iter_rows(values_only=True))
    assert rows[0] == ("registration_number", "name", "score")
    by_number = {row[0]: row for row in rows[1:]}
    first = training.applications[0]
    assert by_number[first.registration_number] == (
        first.registration_number, first.candidate.full_name, 45.5,
    )  # fmt: skip
    assert training.applications[3].registration_number not in by_number  # dropped, unscored
    assert len(by_number) == 3
    assert "instructions" in workbook.sheetnames


def test_a_good_file_is_previewed_then_imported_all_at_once(
    cast: Any, training: Any, oral: Assessment
) -> None:
    one, two, three, four = numbers(training)
    scores_save(assessment=oral, scores={training.enrolments[1].pk: "30"}, by=cast.trainer)
    client = client_for(cast.trainer)
    content = xlsx([(one, "", 45), (two, "", "32,5"), (three, "", None), (four, "", 50)])
    token = token_of(upload(client, oral, content))
    page = preview(client, oral, token)
    assert (figure(page, "new"), figure(page, "changed"), figure(page, "unchanged")) == (2, 1, 0)
    assert figure(page, "blank") == 1 and figure(page, "errors") == 0
    assert recorded(oral) == {training.enrolments[1].pk: Decimal(30)}  # nothing written yet
    response = commit(client, oral, token)
    assert response["Location"] == reverse("training:score_grid", args=[oral.pk])
    assert recorded(oral) == {
        training.enrolments[0].pk: Decimal(45),
        training.enrolments[1].pk: Decimal("32.5"),
        training.enrolments[3].pk: Decimal(50),
    }
    assert Score.objects.get(assessment=oral, enrolment=training.enrolments[1]).version == 2
    page = html(client.get(response["Location"]))
    assert "2 new score(s), 1 changed, 0 already recorded as in the file." in page
    assert AuditEntry.objects.filter(action="training.scores_import").count() == 1

    # The same file again: every row unchanged, and the pages say so.
    token = token_of(upload(client, oral, content))
    page = preview(client, oral, token)
    assert figure(page, "unchanged") == 3 and 'id="nothing-to-import"' in page
    response = commit(client, oral, token)
    assert "Nothing changed" in html(client.get(response["Location"]))
    assert AuditEntry.objects.filter(action="training.scores_import").count() == 1


def test_problems_are_listed_by_row_and_nothing_is_written(
    cast: Any, training: Any, oral: Assessment
) -> None:
    one, two, three, _ = numbers(training)
    client = client_for(cast.trainer)
    content = xlsx(
        [(one, "", 45), (two, "", 51), (three, "", "4x"), ("T-99999999", "", 10), (one, "", 40),
         ("", "", 10), (two, "Someone Else", None)]
    )  # fmt: skip
    token = token_of(upload(client, oral, content))
    page = preview(client, oral, token)
    assert figure(page, "errors") == 5 and 'name="fingerprint"' not in page
    errors = page[page.index('id="errors"') :]
    assert re.search(
        r'<td class="num">3</td><td><code>score</code></td><td>A score lies between 0 and 50',
        errors,
    )
    assert "&#x27;4x&#x27; is not a number." in errors
    assert "T-99999999 is not a trainee of this cohort." in errors
    assert f"{one} is also in row 2: one row per person." in errors
    assert "This cell is required." in errors
    response = commit(client, oral, token)
    assert response.status_code == 400 and "Correct these problems" in html(response)
    assert not Score.objects.filter(assessment=oral).exists()


def test_a_commit_after_someone_else_saved_is_refused(
    cast: Any, training: Any, oral: Assessment
) -> None:
    client = client_for(cast.trainer)
    token = token_of(upload(client, oral, xlsx([(numbers(training)[0], "", 40)])))
    match = re.search(r'name="fingerprint" value="([0-9a-f]+)"', preview(client, oral, token))
    assert match
    scores_save(assessment=oral, scores={training.enrolments[0].pk: "20"}, by=cast.trainer)
    response = commit(client, oral, token, fingerprint=match[1])
    assert response.status_code == 302
    assert "recorded by someone else since the preview" in html(client.get(response["Location"]))
    assert recorded(oral) == {training.enrolments[0].pk: Decimal(20)}


def test_files_that_are_not_the_template_are_refused(
    cast: Any, training: Any, oral: Assessment
) -> None:
    client = client_for(cast.trainer)
    response = upload(client, oral, b"registration_number,score\nT-1,10\n", name="scores.xlsx")
    assert response.status_code == 400 and "not an Excel workbook" in html(response)
    token = token_of(upload(client, oral, xlsx([("x", 1)], header=("registration_number", "mark"))))
    page = preview(client, oral, token)
    assert "Unknown column(s): mark (B1)" in page and "Missing column(s): score" in page


def test_only_the_uploader_of_the_centre_previews_and_commits(
    cast: Any, training: Any, oral: Assessment
) -> None:
    content = xlsx([(numbers(training)[0], "", 40)])
    token = token_of(upload(client_for(cast.trainer), oral, content))
    colleague_url = reverse("training:import_preview", args=[oral.pk, token])
    colleague = f.member("trainer.two", "training_staff", training.centre)
    assert client_for(colleague).get(colleague_url).status_code == 404
    assert client_for(training.trainer_other).get(colleague_url).status_code == 404
    for user in (cast.central, cast.leadership, cast.admin):
        assert client_for(user).get(colleague_url).status_code == 403
        assert upload(client_for(user), oral, content).status_code == 403
    for user in (cast.candidate, cast.officer_jabar, cast.outsider):
        assert upload(client_for(user), oral, content).status_code == 403
    assert upload(client_for(training.trainer_other), oral, content).status_code == 404
    assert not Score.objects.exists()
    with pytest.raises(PermissionDenied):
        service.scores_import(assessment=oral, rows=[], by=cast.central)


def test_every_import_page_refuses_the_wrong_people(
    cast: Any, training: Any, oral: Assessment
) -> None:
    token = token_of(upload(client_for(cast.trainer), oral, xlsx([(numbers(training)[0], "", 40)])))
    assert_refused(cast, training, reverse("training:import_template", args=[oral.pk]))
    assert_refused(cast, training, reverse("training:import_upload", args=[oral.pk]), readers=403)
    assert_refused(
        cast, training, reverse("training:import_upload", args=[oral.pk]), method="post",
        readers=403,
    )  # fmt: skip
    preview_url = reverse("training:import_preview", args=[oral.pk, token])
    assert_refused(cast, training, preview_url, readers=403)
    commit_url = reverse("training:import_commit", args=[oral.pk, token])
    assert_refused(cast, training, commit_url, method="post", readers=403)
    assert not Score.objects.exists()
    assert client_for(cast.trainer).get(preview_url).status_code == 200  # the upload is intact
