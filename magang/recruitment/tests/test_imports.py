"""Bulk import from XLSX: template, preview, all-or-nothing commit, idempotency, access."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from magang import factories as f
from magang.core.models import AuditEntry
from magang.recruitment.journey import Status
from magang.recruitment.models import (
    Application,
    Candidate,
    Consent,
    DocumentsState,
    DocumentType,
    ImportBatch,
    JourneyEvent,
    Source,
)
from magang.recruitment.services import imports as service

from . import spreadsheets as s

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def _private_media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def regions(cast: Any) -> None:
    f.regency("32.16")
    f.regency("33.09")


def _counts() -> tuple[int, ...]:
    return (
        Candidate.objects.count(),
        Application.objects.count(),
        JourneyEvent.objects.count(),
        AuditEntry.objects.count(),
        ImportBatch.objects.count(),
        Consent.objects.count(),
    )


def _stored_files(settings: Any) -> list[str]:
    directory = Path(settings.MEDIA_ROOT) / "imports"
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


def _upload(client: Any, user: Any, site: Any, content: bytes, name: str = "forms.xlsx") -> Any:
    client.force_login(user)
    return client.post(
        reverse("recruitment:import_upload"),
        {"site": site.pk, "file": SimpleUploadedFile(name, content)},
        **EN,
    )


def _token(response: Any) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    match = re.search(r"/import/([0-9a-f]{40})/$", response["Location"])
    assert match, response["Location"]
    return match[1]


def _preview(client: Any, token: str) -> Any:
    return client.get(reverse("recruitment:import_preview", args=[token]), **EN)


def _commit(client: Any, token: str) -> Any:
    return client.post(reverse("recruitment:import_commit", args=[token]), **EN)


def _figure(html: str, name: str) -> int:
    match = re.search(rf'id="count-{name}">([0-9,]+)<', html)
    assert match, name
    return int(match[1].replace(",", ""))


# --- the template ------------------------------------------------------------------------------


def test_it_offers_a_template_with_text_niks_and_instructions(cast: Any, client: Any) -> None:
    client.force_login(cast.officer_jabar)
    response = client.get(reverse("recruitment:import_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["registrations", "instructions"]
    sheet = workbook["registrations"]
    assert [c.value for c in sheet[1]] == list(service.COLUMN_NAMES)
    assert sheet["A2"].number_format == "@"
    instructions = " ".join(
        str(c.value) for row in workbook["instructions"].iter_rows() for c in row if c.value
    )
    assert "Text cells" in instructions and "sel Teks" in instructions


def test_it_reads_back_the_template_filled_in_by_an_officer(
    cast: Any, client: Any, regions: None
) -> None:
    client.force_login(cast.officer_jabar)
    workbook = load_workbook(io.BytesIO(client.get(reverse("recruitment:import_template")).content))
    sheet = workbook["registrations"]
    row = s.person()
    for index, name in enumerate(service.COLUMN_NAMES, start=1):
        sheet.cell(row=2, column=index, value=row[name])
    out = io.BytesIO()
    workbook.save(out)
    token = _token(_upload(client, cast.officer_jabar, cast.site_jabar, out.getvalue()))
    html = _preview(client, token).content.decode()
    assert _figure(html, "new") == 1 and _figure(html, "errors") == 0


# --- the good path -----------------------------------------------------------------------------


def test_an_import_sets_the_documents_state_as_the_online_registration_does(
    cast: Any, client: Any, regions: None, settings: Any
) -> None:
    from magang.recruitment.services.registration import documents_state

    cast.site_jabar.round.required_documents.clear()
    token = _token(_upload(client, cast.officer_jabar, cast.site_jabar, s.xlsx([s.person()])))
    assert _commit(client, token).status_code == 302
    imported = Application.objects.get(source=Source.IMPORT)
    assert imported.documents_state == documents_state(imported) == DocumentsState.VERIFIED


def test_it_imports_every_row_with_events_one_audit_row_and_a_batch(
    cast: Any, client: Any, regions: None, settings: Any
) -> None:
    rows = [
        s.person(),
        s.person(
            full_name="Siti Rahayu",
            family_name="",
            sex="F",
            nik=s.nik(female=True, birth=dt.date(2004, 2, 3)),
            birth_date="2004-02-03",
        ),
        s.person(full_name="Ma'ruf", family_name="", regency_code="", phone="", email=""),
    ]
    cast.site_jabar.round.required_documents.set(DocumentType.objects.all()[:3])
    # The site has given one number (the fixtures' application has a number of another form).
    Application.objects.filter(site=cast.site_jabar).update(
        registration_number=f"2026-{cast.site_jabar.pk:04d}-000001"
    )
    before = _counts()
    token = _token(_upload(client, cast.officer_jabar, cast.site_jabar, s.xlsx(rows)))
    preview = _preview(client, token)
    html = preview.content.decode()
    assert (_figure(html, "rows"), _figure(html, "new"), _figure(html, "errors")) == (3, 3, 0)
    assert "Import now" in html
    assert _counts() == before, "the preview writes nothing"

    response = _commit(client, token)
    assert response.status_code == 302
    assert f"site={cast.site_jabar.pk}" in response["Location"]
    candidates, applications, events, audits, batches, consents = _counts()
    assert (candidates, applications, events) == (before[0] + 3, before[1] + 3, before[2] + 3)
    assert (audits, batches, consents) == (before[3] + 1, before[4] + 1, before[5])
    batch = ImportBatch.objects.get()
    assert (batch.rows, batch.created, batch.unchanged) == (3, 3, 0)
    assert batch.file_name == "forms.xlsx" and batch.imported_by == cast.officer_jabar
    audit = AuditEntry.objects.get(action="applications.import")
    assert audit.actor_id == cast.officer_jabar.pk
    assert audit.changes["created"] == 3 and audit.changes["rows"] == 3

    imported = Application.objects.filter(source=Source.IMPORT).order_by("registration_number")
    assert [a.candidate.full_name for a in imported] == ["Budi", "Siti Rahayu", "Ma'ruf"]
    # The numbers continue after the highest the site has given.
    assert [a.registration_number for a in imported] == [
        f"2026-{cast.site_jabar.pk:04d}-{n:06d}" for n in (2, 3, 4)
    ]
    first = imported[0]
    assert first.status == Status.REGISTERED and first.submitted_at is not None
    assert first.documents_state == DocumentsState.INCOMPLETE
    assert first.candidate.name_katakana == "ブディ・サントソ"
    assert first.candidate.regency.code == "32.16"
    assert str(first.weight_kg) == "58.5" and first.height_cm == 165
    assert first.declarations == ["no_previous_participation", "no_tattoo"]
    event = first.events.get()
    assert event.to_status == Status.REGISTERED and event.actor == cast.officer_jabar
    assert _stored_files(settings) == [], "the upload is removed once imported"


def test_it_warns_when_the_nik_disagrees_with_the_form_and_keeps_the_warning(
    cast: Any, client: Any, regions: None
) -> None:
    rows = [s.person(birth_date=dt.date(2003, 5, 18))]
    token = _token(_upload(client, cast.officer_jabar, cast.site_jabar, s.xlsx(rows)))
    html = _preview(client, token).content.decode()
    assert "The birth date in the NIK (17-05-2003) differs from the form (18-05-2003)." in html
    assert "Import now" in html
    _commit(client, token)
    application = Application.objects.get(source=Source.IMPORT)
    assert any("birth date in the NIK" in w for w in application.warnings)


def test_it_reuses_a_candidate_from_an_earlier_round_and_shows_the_history(
    cast: Any, client: Any, regions: None
) -> None:
    earlier_round = f.RoundFactory(year=2023)
    earlier = f.ApplicationFactory(
        site=f.SiteFactory(round=earlier_round),
        status=Status.NOT_SELECTED.value,
        candidate=f.CandidateFactory(nik=s.nik(), full_name="Budi", family_name="Santoso"),
    )
    row = s.person(nik=earlier.candidate.nik, phone="085700000000")
    token = _token(_upload(client, cast.officer_jabar, cast.site_jabar, s.xlsx([row])))
    html = _preview(client, token).content.decode()
    assert "Known from earlier rounds" in html
    assert earlier.registration_number in html
    before = Candidate.objects.count()
    assert _commit(client, token).status_code == 302
    assert Candidate.objects.count() == before
    application = Application.objects.get(source=Source.IMPORT)
    assert application.candidate_id == earlier.candidate_id
    assert any(earlier.registration_number in w for w in application.warnings)
    application.candidate.refresh_from_db()
    assert application.candidate.phone == "085700000000"
    audit = AuditEntry.objects.get(action="applications.import")
    assert (audit.changes["candidates_created"], audit.changes["candidates_reused"]) == (0, 1)


def test_it_records_the_rules_verdict_including_an_earlier_departure(
    cast: Any, client: Any, regions: None
) -> None:
    round_ = cast.site_jabar.round
    round_.eligibility_rules = {
        "reference_date": "2026-12-31",
        "allowed_sexes": ["M"],
        "min_age_years": 18,
        "max_age_years": 26,
        "min_education": "sma",
    }
    round_.save()
    departed = f.ApplicationFactory(
        site=f.SiteFactory(round=f.RoundFactory(year=2019)),
        status=Status.RETURNED.value,
        candidate=f.CandidateFactory(nik=s.nik(), full_name="Budi", family_name="Santoso"),
    )
    rows = [s.person(nik=departed.candidate.nik), s.person()]
    token = _token(_upload(client, cast.officer_jabar, cast.site_jabar, s.xlsx(rows)))
    assert _commit(client, token).status_code == 302
    verdicts = {
        a.candidate.nik: a.eligibility for a in Application.objects.filter(source=Source.IMPORT)
    }
    assert verdicts[departed.candidate.nik]["eligible"] is False
    assert [f["rule"] for f in verdicts[departed.candidate.nik]["failures"]] == [
        "previous_departure"
    ]
    assert verdicts[rows[1]["nik"]] == {"eligible": True, "failures": []}


def test_it_understands_harmless_variants_of_the_cells(
    cast: Any, client: Any, regions: None
) -> None:
    row = s.person(
        nik=s.nik(female=True),
        sex="p",
        province_code=32,
        regency_code="3216",
        birth_date=dt.datetime(2003, 5, 17, 0, 0),
        weight_kg="58,46",
        education=" SMK ",
        declarations="no_tattoo; NO_PIERCING",
        graduation_year="2021",
        height_cm=165.0,
    )
    token = _token(_upload(client, cast.officer_jabar, cast.site_jabar, s.xlsx([row])))
    assert _commit(client, token).status_code == 302
    application = Application.objects.get(source=Source.IMPORT)
    candidate = application.candidate
    assert (candidate.sex, candidate.province.code, candidate.regency.code) == ("F", "32", "32.16")
    assert candidate.birth_date == dt.date(2003, 5, 17)
    assert (application.education, str(application.weight_kg)) == ("smk", "58.5")
    assert application.declarations == ["no_piercing", "no_tattoo"]
    assert (application.graduation_year, application.height_cm) == (2021, 165)


def test_it_numbers_rows_as_excel_shows_them_when_the_header_is_lower_down(
    cast: Any, regions: None
) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet["A1"] = None
    sheet.append([])
    sheet.append(list(service.COLUMN_NAMES))  # row 3
    good, bad = s.person(), s.person(sex="X")
    sheet.append([good[name] for name in service.COLUMN_NAMES])
    sheet.append([])
    sheet.append([bad[name] for name in service.COLUMN_NAMES])  # row 6
    out = io.BytesIO()
    workbook.save(out)
    rows = service.workbook_read(out.getvalue()).rows
    assert [row.number for row in rows] == [4, 6]
    report = service.import_preview(site=cast.site_jabar, rows=rows)
    assert [(p.row, p.column) for p in report.errors] == [(6, "sex")]


def test_it_refuses_a_value_in_a_column_without_a_name(cast: Any, regions: None) -> None:
    header = [*service.COLUMN_NAMES, ""]
    content = s.xlsx([{**s.person(), "": "stray"}], header=header)
    with pytest.raises(service.ImportFileError) as refused:
        service.workbook_read(content)
    assert "Row 2 has a value in column R, which has no name in the header row." in str(
        refused.value.messages
    )


def test_it_refuses_a_file_with_too_many_rows(cast: Any, regions: None, monkeypatch: Any) -> None:
    from magang.recruitment.services.imports import reading

    monkeypatch.setattr(reading, "MAX_ROWS", 2)
    with pytest.raises(service.ImportFileError, match="more than 2 rows"):
        service.workbook_read(s.xlsx([s.person() for _ in range(3)]))


# --- idempotency -------------------------------------------------------------------------------


def test_it_changes_nothing_when_the_same_file_is_uploaded_again(
    cast: Any, client: Any, regions: None
) -> None:
    content = s.xlsx([s.person(), s.person()])
    _commit(client, _token(_upload(client, cast.officer_jabar, cast.site_jabar, content)))
    before = _counts()
    token = _token(_upload(client, cast.officer_jabar, cast.site_jabar, content))
    html = _preview(client, token).content.decode()
    assert "already imported for this site" in html
    assert "Import now" not in html
    assert _figure(html, "unchanged") == 2 and _figure(html, "new") == 0
    response = _commit(client, token)
    assert response.status_code == 302
    assert _counts() == before
    followed = client.get(response["Location"], **EN).content.decode()
    assert "already imported" in followed and "nothing was changed" in followed


def test_it_adds_only_the_new_rows_of_a_changed_file(cast: Any, client: Any, regions: None) -> None:
    first = [s.person(), s.person(full_name="Agus")]
    _commit(client, _token(_upload(client, cast.officer_jabar, cast.site_jabar, s.xlsx(first))))
    extended = [*first, s.person(full_name="Dewi", sex="F", nik=s.nik(female=True))]
    token = _token(_upload(client, cast.officer_jabar, cast.site_jabar, s.xlsx(extended)))
    html = _preview(client, token).content.decode()
    assert (_figure(html, "new"), _figure(html, "unchanged")) == (1, 2)
    before = _counts()
    _commit(client, token)
    after = _counts()
    assert (after[0] - before[0], after[1] - before[1], after[3] - before[3]) == (1, 1, 1)
    batch = ImportBatch.objects.order_by("-pk").first()
    assert (batch.created, batch.unchanged) == (1, 2)


def test_it_refuses_a_row_that_differs_from_the_application_already_in_the_round(
    cast: Any, client: Any, regions: None
) -> None:
    row = s.person()
    _commit(client, _token(_upload(client, cast.officer_jabar, cast.site_jabar, s.xlsx([row]))))
    changed = {**row, "height_cm": 170}
    token = _token(_upload(client, cast.officer_jabar, cast.site_jabar, s.xlsx([changed])))
    html = _preview(client, token).content.decode()
    assert "with different height_cm" in html
    assert "Import now" not in html


def test_it_refuses_a_person_already_registered_at_another_site_of_the_round(
    cast: Any, client: Any, regions: None
) -> None:
    other = cast.application_jateng.candidate
    row = s.person(nik=other.nik, province_code="33", regency_code="33.09")
    token = _token(_upload(client, cast.officer_jabar, cast.site_jabar, s.xlsx([row])))
    html = _preview(client, token).content.decode()
    assert "already has an open application in this round at Semarang" in html
    assert cast.application_jateng.registration_number in html


# --- the catalogue of bad spreadsheets ---------------------------------------------------------

BAD_ROWS = {
    "numeric NIK": (
        {"nik": 3216011705030001},
        "nik",
        "NIK must be a text cell: 3.21601E+15 has lost digits",
    ),
    "NIK in scientific notation (number)": (
        {"nik": 3.2e15},
        "nik",
        "NIK must be a text cell: 3.2E+15 has lost digits",
    ),
    "NIK in scientific notation (text)": (
        {"nik": "3.2E+15"},
        "nik",
        "NIK must be a text cell: 3.2E+15 has lost digits",
    ),
    "NIK of 15 digits": ({"nik": "321601170503000"}, "nik", "A NIK has 16 digits"),
    "Excel serial date": (
        {"birth_date": 37758},
        "birth_date",
        "37758 is an Excel date serial number, not a date: format the column as Date, or write "
        "the date as text YYYY-MM-DD",
    ),
    "DD/MM or MM/DD text": (
        {"birth_date": "05/06/2003"},
        "birth_date",
        "05/06/2003 is ambiguous: day/month or month/day? Write dates as YYYY-MM-DD",
    ),
    "DD/MM/YYYY text": (
        {"birth_date": "17/05/2003"},
        "birth_date",
        "Write dates as YYYY-MM-DD (for example 2003-05-17)",
    ),
    "empty full name": ({"full_name": None}, "full_name", "This cell is required."),
    "empty sex": ({"sex": "  "}, "sex", "This cell is required."),
    "unknown sex": ({"sex": "X"}, "sex", "Write M (male) or F (female)"),
    "unknown province": (
        {"province_code": "99", "regency_code": ""},
        "province_code",
        "Unknown province code: 99.",
    ),
    "regency outside the province": (
        {"regency_code": "33.09"},
        "regency_code",
        "Regency 33.09 is not in province 32.",
    ),
    "numeric phone": ({"phone": 81234567890}, "phone", "lost its leading 0"),
    "bad e-mail": ({"email": "budi@"}, "email", "is not an e-mail address"),
    "unknown education": ({"education": "sma3"}, "education", "Unknown education level"),
    "fractional height": ({"height_cm": 165.5}, "height_cm", "A whole number, please, not 165.5."),
    "unknown declaration": (
        {"declarations": "no_tattoo, brave"},
        "declarations",
        "Unknown declaration(s): brave.",
    ),
    "digits in a name": ({"full_name": "Budi 2"}, "full_name", "A name cannot contain digits"),
    "bidirectional override in a name": (
        {"full_name": "Budi\u202e"},
        "full_name",
        "change text direction",
    ),
}


@pytest.mark.parametrize("case", list(BAD_ROWS))
def test_it_lists_each_bad_cell_by_row_and_column_and_writes_nothing(
    cast: Any, client: Any, regions: None, case: str
) -> None:
    overrides, column, message = BAD_ROWS[case]
    rows = [s.person(), s.person(**overrides), s.person()]
    before = _counts()
    token = _token(_upload(client, cast.officer_jabar, cast.site_jabar, s.xlsx(rows)))
    html = _preview(client, token).content.decode()
    assert _figure(html, "errors") == 1
    errors = re.search(r'<table id="errors">(.*?)</table>', html, re.S)
    assert errors, html
    cells = re.findall(
        r"<tr><td class=\"num\">(\d+)</td><td><code>(\w+)</code></td><td>(.*?)</td>", errors[1]
    )
    assert ("3", column) in {(row, col) for row, col, _ in cells}, cells
    texts = " ".join(text for _row, _col, text in cells).replace("&#x27;", "'")
    assert message in texts, texts
    assert "Import now" not in html
    # Even a forged commit writes nothing: all rows or none.
    response = _commit(client, token)
    assert response.status_code == 400
    assert _counts() == before


def test_it_lists_duplicate_rows_with_the_first_row_named(
    cast: Any, client: Any, regions: None
) -> None:
    row = s.person()
    token = _token(
        _upload(client, cast.officer_jabar, cast.site_jabar, s.xlsx([row, s.person(), row]))
    )
    html = _preview(client, token).content.decode()
    assert f"The NIK {row['nik']} is also in row 2: one row per person." in html
    assert _figure(html, "errors") == 1
    before = _counts()
    assert _commit(client, token).status_code == 400
    assert _counts() == before


def test_it_writes_nothing_when_one_row_among_many_is_bad(
    cast: Any, client: Any, regions: None
) -> None:
    rows = [s.person() for _ in range(30)]
    rows[17]["birth_date"] = "2003-02-30"
    before = _counts()
    token = _token(_upload(client, cast.officer_jabar, cast.site_jabar, s.xlsx(rows)))
    html = _preview(client, token).content.decode()
    assert (_figure(html, "new"), _figure(html, "errors")) == (29, 1)
    assert "2003-02-30 is not a date that exists." in html
    assert _commit(client, token).status_code == 400
    assert _counts() == before


def test_it_refuses_through_the_service_too_and_rolls_back(cast: Any, regions: None) -> None:
    rows = [s.person(), s.person(full_name="")]
    sheet = service.workbook_read(s.xlsx(rows))
    before = _counts()
    with pytest.raises(service.ImportRefused) as refused:
        service.registrations_import(
            site=cast.site_jabar,
            rows=sheet.rows,
            by=cast.officer_jabar,
            file_name="x.xlsx",
            sha256="0" * 64,
        )
    assert [str(p) for p in refused.value.report.errors] == [
        "row 3, column full_name: This cell is required."
    ]
    assert _counts() == before


def test_it_writes_nothing_when_someone_registers_the_same_person_meanwhile(
    cast: Any, client: Any, regions: None, monkeypatch: Any
) -> None:
    from magang.recruitment.services.imports import checking

    # As if the person registered online between the check and the write.
    taken = cast.application_jateng.candidate.nik
    monkeypatch.setattr(checking, "_known", lambda niks: ({}, {}))
    rows = [s.person(), s.person(nik=taken)]
    token = _token(_upload(client, cast.officer_jabar, cast.site_jabar, s.xlsx(rows)))
    before = _counts()
    response = _commit(client, token)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/import/{token}/")
    assert _counts() == before
    followed = client.get(response["Location"], **EN).content.decode()
    assert "registered by someone else while the file was being imported" in followed


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ([*service.COLUMN_NAMES, "shoe_size"], "Unknown column(s): shoe_size (R1)."),
        (
            [n for n in service.COLUMN_NAMES if n != "birth_date"],
            "Missing required column(s): birth_date.",
        ),
        (
            ["nik", "nik", "full_name", "sex", "birth_date", "province_code"],
            "Column nik appears twice (A and B).",
        ),
    ],
)
def test_it_refuses_a_file_with_unknown_or_missing_headers(
    cast: Any, client: Any, regions: None, header: list[str], message: str
) -> None:
    before = _counts()
    token = _token(
        _upload(client, cast.officer_jabar, cast.site_jabar, s.xlsx([s.person()], header=header))
    )
    response = _preview(client, token)
    html = response.content.decode()
    assert "The file cannot be imported" in html
    assert message in html
    assert "Import now" not in html
    assert _commit(client, token).status_code == 400
    assert _counts() == before


def test_it_refuses_a_sheet_without_rows(cast: Any, client: Any, regions: None) -> None:
    token = _token(_upload(client, cast.officer_jabar, cast.site_jabar, s.xlsx([])))
    assert "no registrations below them" in _preview(client, token).content.decode()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (s.CSV, "registrations.xlsx", "It looks like a text or CSV file."),
        (s.PDF, "registrations.xlsx", "It is a PDF document."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old.xlsx", "Excel 97-2003"),
        (b"", "empty.xlsx", "The submitted file is empty."),
    ],
)
def test_it_refuses_a_file_that_is_not_xlsx_whatever_its_name(
    cast: Any,
    client: Any,
    regions: None,
    settings: Any,
    content: bytes,
    name: str,
    message: str,
) -> None:
    before = _counts()
    response = _upload(client, cast.officer_jabar, cast.site_jabar, content, name=name)
    assert response.status_code == 400
    html = response.content.decode()
    if content:
        assert "This file is not an Excel workbook (.xlsx), whatever its name says." in html
    assert message in html
    assert _stored_files(settings) == []
    assert _counts() == before


def test_it_refuses_a_zip_that_is_not_a_workbook(
    cast: Any, client: Any, regions: None, settings: Any
) -> None:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    response = _upload(client, cast.officer_jabar, cast.site_jabar, out.getvalue())
    assert response.status_code == 400
    assert "It is a ZIP archive, not a workbook." in response.content.decode()
    assert _stored_files(settings) == []


def test_it_refuses_a_file_over_the_size_limit_before_reading_it(
    cast: Any, client: Any, regions: None, settings: Any
) -> None:
    content = s.xlsx([s.person() for _ in range(5)])
    settings.MAGANG_MAX_IMPORT_BYTES = len(content) - 1
    before = _counts()
    response = _upload(client, cast.officer_jabar, cast.site_jabar, content)
    assert response.status_code == 400
    assert "the limit is 0.0 MB" in response.content.decode()
    assert _stored_files(settings) == []
    assert _counts() == before


def test_it_refuses_a_request_body_far_over_the_limit_without_parsing_it(
    cast: Any, client: Any, regions: None, settings: Any
) -> None:
    settings.MAGANG_MAX_IMPORT_BYTES = 1000
    response = _upload(client, cast.officer_jabar, cast.site_jabar, b"PK\x03\x04" + b"0" * 80_000)
    assert response.status_code == 413
    assert "The file is larger than 0.0 MB." in response.content.decode()
    assert _stored_files(settings) == []


class _FiftyMegabytes(io.RawIOBase):
    """An upload that says it is 50 MB and fails the test if anyone reads it."""

    size = 50 * 1024 * 1024

    def read(self, *args: Any) -> bytes:  # type: ignore[override]
        raise AssertionError("a file over the limit must not be read")


def test_it_refuses_a_50_mb_file_by_its_size_without_reading_a_byte(
    cast: Any, settings: Any
) -> None:
    upload = _FiftyMegabytes()
    with pytest.raises(service.ImportFileError) as refused:
        service.import_store(
            upload=upload,
            size=upload.size,
            user=cast.officer_jabar,
            site=cast.site_jabar,
            file_name="big.xlsx",
        )
    assert refused.value.messages == [
        "The file is 50.0 MB; the limit is 40.0 MB. Split it into smaller files and import "
        "them one after the other."
    ]
    assert _stored_files(settings) == []


def test_it_refuses_a_file_that_grows_past_the_limit_while_read(cast: Any, settings: Any) -> None:
    settings.MAGANG_MAX_IMPORT_BYTES = 10
    with pytest.raises(service.ImportFileError):
        service.import_store(
            upload=io.BytesIO(b"PK\x03\x04" + b"0" * 100),
            size=None,
            user=cast.officer_jabar,
            site=cast.site_jabar,
            file_name="lying.xlsx",
        )
    assert _stored_files(settings) == []


def test_it_still_checks_the_csrf_token_on_upload(cast: Any, regions: None, settings: Any) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = _upload(client, cast.officer_jabar, cast.site_jabar, s.xlsx([s.person()]))
    assert response.status_code == 403
    assert _stored_files(settings) == []


def test_it_reports_a_damaged_workbook_on_the_preview(
    cast: Any, client: Any, regions: None
) -> None:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "not xml at all")
    token = _token(_upload(client, cast.officer_jabar, cast.site_jabar, out.getvalue()))
    html = _preview(client, token).content.decode()
    assert "The workbook could not be read" in html
    assert "Import now" not in html


def test_it_keeps_the_upload_privately_under_a_random_name(
    cast: Any, client: Any, regions: None, settings: Any
) -> None:
    token = _token(
        _upload(
            client,
            cast.officer_jabar,
            cast.site_jabar,
            s.xlsx([s.person()]),
            name="Daftar Budi Santoso 3216.xlsx",
        )
    )
    assert _stored_files(settings) == [f"{token}.json", f"{token}.xlsx"]
    assert str(settings.MEDIA_ROOT) not in str(settings.STATIC_ROOT or "")


# --- access ------------------------------------------------------------------------------------


def _jabar_token(cast: Any, client: Any) -> str:
    token = _token(_upload(client, cast.officer_jabar, cast.site_jabar, s.xlsx([s.person()])))
    client.logout()
    return token


def test_it_offers_an_officer_only_their_own_sites_of_current_rounds(
    cast: Any, client: Any
) -> None:
    f.SiteFactory(
        round=f.RoundFactory(year=2019),
        organisation=cast.site_jateng.organisation,
        name="Semarang 2019",
    )
    client.force_login(cast.officer_jateng)
    html = client.get(reverse("recruitment:import_upload"), **EN).content.decode()
    assert "Semarang" in html and "Bandung" not in html
    assert "Semarang 2019" not in html


@pytest.mark.parametrize("who", ["central", "admin"])
def test_it_lets_the_central_team_and_administrators_import_anywhere(
    cast: Any, client: Any, regions: None, who: str
) -> None:
    user = getattr(cast, who)
    row = s.person(province_code="33", regency_code="33.09")
    token = _token(_upload(client, user, cast.site_jateng, s.xlsx([row])))
    assert _commit(client, token).status_code == 302
    assert Application.objects.get(source=Source.IMPORT).site == cast.site_jateng


def test_it_refuses_an_officer_importing_into_another_regions_site(
    cast: Any, client: Any, regions: None, settings: Any
) -> None:
    before = _counts()
    response = _upload(client, cast.officer_jateng, cast.site_jabar, s.xlsx([s.person()]))
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert _stored_files(settings) == []
    assert _counts() == before


def test_it_hides_one_officers_upload_from_another(cast: Any, client: Any, regions: None) -> None:
    token = _jabar_token(cast, client)
    before = _counts()
    for user in (cast.officer_jateng, cast.central, cast.admin):
        client.force_login(user)
        response = _preview(client, token)
        assert response.status_code == 404
        assert "Budi" not in response.content.decode()
        assert _commit(client, token).status_code == 404
    assert _counts() == before


def test_it_answers_a_made_up_token_with_not_found(cast: Any, client: Any) -> None:
    client.force_login(cast.officer_jabar)
    for token in ("0" * 40, "..%2F..%2Fsettings", "abc"):
        assert _preview(client, token).status_code == 404


def test_it_hides_an_upload_once_the_officer_loses_the_site(
    cast: Any, client: Any, regions: None
) -> None:
    token = _jabar_token(cast, client)
    cast.officer_jabar.memberships.update(is_active=False)
    client.force_login(cast.officer_jabar)
    assert _preview(client, token).status_code in (403, 404)


@pytest.mark.parametrize(
    "who", ["leadership", "trainer", "partner", "host", "candidate", "outsider"]
)
def test_it_refuses_the_import_to_other_roles(
    cast: Any, client: Any, regions: None, who: str
) -> None:
    token = _jabar_token(cast, client)
    before = _counts()
    client.force_login(getattr(cast, who))
    assert client.get(reverse("recruitment:import_upload")).status_code == 403
    assert client.get(reverse("recruitment:import_template")).status_code == 403
    response = client.post(
        reverse("recruitment:import_upload"),
        {"site": cast.site_jabar.pk, "file": SimpleUploadedFile("x.xlsx", s.xlsx([s.person()]))},
    )
    assert response.status_code == 403
    assert _preview(client, token).status_code == 403
    assert _commit(client, token).status_code == 403
    assert _counts() == before


def test_it_sends_anonymous_visitors_to_login(cast: Any, client: Any, regions: None) -> None:
    token = _jabar_token(cast, client)
    for method, url in (
        ("get", reverse("recruitment:import_upload")),
        ("get", reverse("recruitment:import_template")),
        ("get", reverse("recruitment:import_preview", args=[token])),
        ("post", reverse("recruitment:import_commit", args=[token])),
    ):
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]
    assert not ImportBatch.objects.exists()


def test_it_refuses_the_service_to_a_user_without_the_site(cast: Any, regions: None) -> None:
    sheet = service.workbook_read(s.xlsx([s.person()]))
    with pytest.raises(PermissionDenied):
        service.registrations_import(
            site=cast.site_jabar,
            rows=sheet.rows,
            by=cast.officer_jateng,
            file_name="x.xlsx",
            sha256="1" * 64,
        )
    assert not Application.objects.filter(source=Source.IMPORT).exists()


# --- the command line --------------------------------------------------------------------------


def _command(*args: str) -> str:
    out = io.StringIO()
    call_command("import_registrations", *args, stdout=out)
    return out.getvalue()


def test_it_previews_and_commits_from_the_command_line(
    cast: Any, regions: None, tmp_path: Path
) -> None:
    path = tmp_path / "forms.xlsx"
    path.write_bytes(s.xlsx([s.person(), s.person()]))
    site = str(cast.site_jabar.pk)
    output = _command(str(path), "--site", site, "--user", "officer.jabar")
    assert "rows: 2, new: 2, unchanged: 0, rows with errors: 0" in output
    assert "--commit" in output
    assert not Application.objects.filter(source=Source.IMPORT).exists()
    output = _command(str(path), "--site", site, "--user", "officer.jabar", "--commit")
    assert "Imported: 2 new application(s), 0 unchanged" in output
    assert Application.objects.filter(source=Source.IMPORT).count() == 2
    output = _command(str(path), "--site", site, "--user", "officer.jabar", "--commit")
    assert "already imported" in output
    assert Application.objects.filter(source=Source.IMPORT).count() == 2


def test_it_lists_problems_on_the_command_line_and_writes_nothing(
    cast: Any, regions: None, tmp_path: Path
) -> None:
    path = tmp_path / "forms.xlsx"
    path.write_bytes(s.xlsx([s.person(), s.person(nik=3216011705030001)]))
    before = _counts()
    with pytest.raises(CommandError, match="1 problem"):
        _command(
            str(path), "--site", str(cast.site_jabar.pk), "--user", "officer.jabar", "--commit"
        )
    assert _counts() == before


def test_it_refuses_a_site_outside_the_users_scope_on_the_command_line(
    cast: Any, regions: None, tmp_path: Path
) -> None:
    path = tmp_path / "forms.xlsx"
    path.write_bytes(s.xlsx([s.person()]))
    for user in ("officer.jateng", "leadership"):
        with pytest.raises(CommandError, match="may import into"):
            _command(str(path), "--site", str(cast.site_jabar.pk), "--user", user, "--commit")
    path.write_bytes(s.CSV)
    with pytest.raises(CommandError, match="not an Excel workbook"):
        _command(str(path), "--site", str(cast.site_jabar.pk), "--user", "officer.jabar")


@pytest.mark.parametrize(
    ("full_name", "family_name"),
    [
        ("Budi", "Santoso"),
        ("Ma'ruf", ""),
        ("Sri-Wahyuni", "Siregar"),
        ("M. Yusuf", ""),
        ("Ni Ketut  Ayu", "Pangaribuan"),
        ("Tjahjo", "Soejono"),
        ("Chandra", "Syafi'i"),
        ("Ülkü", ""),
    ],
)
def test_it_renders_katakana_exactly_as_the_names_module_does(
    full_name: str, family_name: str
) -> None:
    from magang.recruitment.names import to_katakana
    from magang.recruitment.services.imports.writing import _katakana

    joined = " ".join(filter(None, [full_name, family_name]))
    assert _katakana(full_name, family_name) == to_katakana(joined)
