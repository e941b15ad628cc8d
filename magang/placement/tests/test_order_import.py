"""Importing job orders from a spreadsheet: the template, a preview with every problem by row
and column (the intake cap counting the rows above), all or nothing, and the same file
twice changing nothing."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from magang import factories as f
from magang.placement.models import JobOrder
from magang.placement.services import imports as service

from .test_pages_orders import NATIONWIDE, NOBODY, client_for

pytestmark = pytest.mark.django_db

HEADER = list(service.NAMES)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(rows: list[list[Any]], header: list[str] = HEADER) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "job_orders"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def row(reference: str, company: str = "Sendai Seiko", slots: Any = 1, **extra: Any) -> list[Any]:
    values = {
        "reference": reference,
        "host_company": company,
        "trade_code": "6-1-1",
        "prefecture_code": "04",
        "slots": slots,
        "planned_start": dt.date(2027, 7, 1),
        **extra,
    }
    return [values.get(name) for name in HEADER]


@pytest.fixture
def media(tmp_path: Any, settings: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(client: Client, content: bytes, name: str = "orders.xlsx") -> Any:
    return client.post(
        reverse("placement:import_upload"),
        {"file": SimpleUploadedFile(name, content, content_type=XLSX)},
    )


def token_of(response: Any) -> str:
    match = re.search(r"/orders/import/([0-9a-f]{40})/$", response["Location"])
    assert match, response["Location"]
    return match.group(1)


def test_the_template_holds_the_partners_open_orders(placement: Any, cast: Any, media: Any) -> None:
    from python_calamine import CalamineWorkbook

    url = reverse("placement:import_template")
    response = client_for(cast.partner).get(url)
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert book.sheet_names == ["job_orders", "instructions", "companies", "trades"]
    sheet = book.get_sheet_by_name("job_orders").to_python()
    assert sheet[0] == HEADER
    assert {r[0] for r in sheet[1:] if r[0]} == {"SS-2027-01", "NK-2027-01"}
    companies = book.get_sheet_by_name("companies").to_python()
    assert {r[0] for r in companies[1:]} == {"Sendai Seiko", "Nagoya Kogyo"}
    assert [r[3] for r in companies[1:] if r[0] == "Sendai Seiko"] == [6]
    # Imported as it is, it changes nothing.
    rows = service.orders_read(response.content)
    report = service.orders_preview(user=cast.partner, rows=rows)
    assert report.ok and (report.unchanged, report.to_write) == (2, 0)
    assert client_for(cast.central).get(url).status_code == 200
    for name in ("host", "host_other", "leadership", "admin", *NOBODY):
        assert client_for(getattr(cast, name)).get(url).status_code == 403, name
    assert client_for(None).get(url).status_code == 302


def test_a_preview_lists_every_problem_and_writes_nothing(placement: Any, cast: Any) -> None:
    other_partner = f.OrganisationFactory(kind="supervising_organisation", name="Other SO")
    osaka = f.OrganisationFactory(
        kind="host_company",
        name="Osaka Denki",
        parent=other_partner,
        staff_count=40,
        prefecture=f.prefecture("27"),
    )
    JobOrder.objects.create(
        host_company=osaka,
        supervising_organisation=other_partner,
        reference="OS-1",
        trade=f.trade(),
        prefecture=f.prefecture("27"),
        slots=1,
        planned_start=dt.date(2027, 7, 1),
    )
    rows = service.orders_read(
        workbook(
            [
                row("SS-2027-02", slots=3),  # row 2: fine, 2 + 3 = 5 of 6
                row("SS-2027-03", slots=2),  # row 3: 5 + 2 = 7, over the cap
                row("NK-2027-02", company="Nagoya kogyo ", trade_code=dt.date(2009, 2, 1)),
                row("NK-2027-03", company="Kyoto Kikai", prefecture_code=48),
                row("SS-2027-02", slots="two", planned_start=46000),
                row("OS-1", company="Nagoya Kogyo"),
                row(
                    "NK-2027-04",
                    company="Nagoya Kogyo",
                    sex="X",
                    japanese_level="N3",
                    min_age=30,
                    max_age=20,
                ),
            ]
        )
    )
    report = service.orders_preview(user=cast.partner, rows=rows)
    found = {(p.row, p.column) for p in report.errors}
    assert found >= {
        (3, ""),
        (4, "trade_code"),
        (5, "host_company"),
        (5, "prefecture_code"),
        (6, "slots"),
        (6, "planned_start"),
        (6, "reference"),
        (7, "reference"),
        (8, "sex"),
        (8, "japanese_level"),
    }
    messages = {(p.row, p.column): p.message for p in report.errors}
    assert messages[(3, "")] == (
        "Over the intake cap: 80 staff allow 6 interns a year; 5 already ordered for 2027 + 2 "
        "asked = 7, 1 too many."
    )
    assert "Excel made this a date" in messages[(4, "trade_code")]
    assert messages[(7, "reference")] == (
        "This reference is already used by a job order you may not change."
    )
    assert [line.status for line in report.rows][:2] == ["new", "error"]
    assert not report.ok
    assert set(JobOrder.objects.values_list("reference", flat=True)) == {
        "SS-2027-01",
        "NK-2027-01",
        "OS-1",
    }
    fixed = service.orders_read(
        workbook([row("NK-2027-04", company="Nagoya Kogyo", sex="X", min_age=30, max_age=20)])
    )
    problems = " ".join(
        p.message for p in service.orders_preview(user=cast.partner, rows=fixed).errors
    )
    assert "Expected one of: F, L, M, P" in problems


def test_upload_preview_and_commit_all_or_nothing_and_twice(
    placement: Any, cast: Any, media: Any
) -> None:
    partner = client_for(cast.partner)
    good = workbook(
        [
            row("SS-2027-02", slots=3, interview_on="2027-02-01", min_height_cm=160),
            row("NK-2027-02", company="Nagoya Kogyo", slots=4, sex="M", japanese_level="N4"),
            row("SS-2027-01", slots=1),  # changes the existing order: 2 -> 1
        ]
    )
    bad = workbook([row("SS-2027-02", slots=3), row("SS-2027-03", slots=2)])
    token = token_of(upload(partner, bad))
    preview = partner.get(reverse("placement:import_preview", args=[token]))
    assert preview.status_code == 200 and "Over the intake cap" in preview.content.decode()
    assert "Import now" not in preview.content.decode()
    commit = partner.post(reverse("placement:import_commit", args=[token]))
    assert commit.status_code == 400
    assert not JobOrder.objects.filter(reference="SS-2027-02").exists()  # all or nothing

    token = token_of(upload(partner, good))
    preview = partner.get(reverse("placement:import_preview", args=[token]))
    assert (preview.context["report"].new, preview.context["report"].changed) == (2, 1)
    assert not JobOrder.objects.filter(reference="SS-2027-02").exists()
    other = client_for(cast.central)
    assert other.get(reverse("placement:import_preview", args=[token])).status_code == 404
    assert other.post(reverse("placement:import_commit", args=[token])).status_code == 404
    done = partner.post(reverse("placement:import_commit", args=[token]), follow=True)
    assert "2 new job order(s), 1 changed, 0 already as in the file" in done.content.decode()
    ss2 = JobOrder.objects.get(reference="SS-2027-02")
    assert (ss2.slots, ss2.min_height_cm, ss2.interview_on) == (3, 160, dt.date(2027, 2, 1))
    assert ss2.created_by == cast.partner and ss2.supervising_organisation == cast.imjapan
    nk2 = JobOrder.objects.get(reference="NK-2027-02")
    assert (nk2.host_company, nk2.sex, nk2.japanese_level) == (cast.host_company_other, "M", "N4")
    assert JobOrder.objects.get(reference="SS-2027-01").slots == 1
    assert partner.get(reverse("placement:import_preview", args=[token])).status_code == 404

    again = token_of(upload(partner, good))
    preview = partner.get(reverse("placement:import_preview", args=[again]))
    assert preview.context["report"].unchanged == 3 and preview.context["report"].to_write == 0
    twice = partner.post(reverse("placement:import_commit", args=[again]), follow=True)
    assert "Nothing changed" in twice.content.decode()
    assert JobOrder.objects.count() == 4


def test_files_that_are_not_job_order_workbooks(placement: Any, cast: Any, media: Any) -> None:
    partner = client_for(cast.partner)
    not_xlsx = upload(partner, b"reference,slots\nA,1\n", name="orders.xlsx")
    assert not_xlsx.status_code == 400 and "not an Excel workbook" in not_xlsx.content.decode()
    wrong = token_of(upload(partner, workbook([["A", 1]], header=["reference", "seats"])))
    page = partner.get(reverse("placement:import_preview", args=[wrong])).content.decode()
    assert "Unknown column(s): seats (B1)" in page and "Missing column(s)" in page


def test_only_partners_and_the_central_team_import(placement: Any, cast: Any, media: Any) -> None:
    url = reverse("placement:import_upload")
    assert client_for(cast.partner).get(url).status_code == 200
    assert client_for(cast.central).get(url).status_code == 200
    content = workbook([row("SS-2027-02")])
    for name in ("host", "host_other", "leadership", "admin", *NOBODY):
        client = client_for(getattr(cast, name))
        assert client.get(url).status_code == 403, name
        assert upload(client, content).status_code == 403, name
    assert client_for(None).get(url).status_code == 302
    token = token_of(upload(client_for(cast.partner), content))
    for name in ("host", "leadership"):
        client = client_for(getattr(cast, name))
        assert client.get(reverse("placement:import_preview", args=[token])).status_code == 403
    central_report = service.orders_preview(
        user=cast.central, rows=service.orders_read(workbook([row("SS-2027-02")]))
    )
    assert central_report.ok and central_report.new == 1
    assert not JobOrder.objects.filter(reference="SS-2027-02").exists()
    for name in NATIONWIDE:
        assert (
            client_for(getattr(cast, name)).get(reverse("placement:order_list")).status_code == 200
        )
