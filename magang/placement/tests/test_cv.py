"""The curriculum vitae (履歴書): a PDF with IPAex Gothic embedded, Japanese and English labels,
the candidate's photo or an empty frame, training results; nothing about health, family or
discipline; and only for those who may read the application."""

# The CV's Japanese uses full-width parentheses.
# ruff: noqa: RUF001

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import io
import re
import zlib
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from magang import factories as f
from magang.placement.cv import CurriculumVitae, ModuleResult, TrainingResult, render_cv
from magang.placement.models import Candidacy, Match, MatchRun, MatchState
from magang.recruitment.models import Document, DocumentType
from magang.training.models import (
    Assessment,
    Attendance,
    Cohort,
    Curriculum,
    DisciplineRecord,
    Enrolment,
    Module,
    Score,
    Session,
    TrainingClass,
)

from .conftest import needs_font
from .test_departure_services import Departure, build_departure

pytestmark = [pytest.mark.django_db, needs_font]

NOBODY = ("officer_jabar", "officer_jateng", "trainer", "candidate", "outsider")
PRIVATE = ("Jalan Melati 7", "081234567890", "budi@example.com", "Merokok di asrama", "medical",
           "Medical", "健康", "家族")  # fmt: skip


# --- Reading the PDF back ---------------------------------------------------------------


def _objects(pdf: bytes) -> dict[int, bytes]:
    return {int(n): body for n, body in re.findall(rb"(\d+) 0 obj(.*?)endobj", pdf, re.S)}


def _stream(body: bytes) -> tuple[bytes, bytes] | None:
    """A stream object's dictionary and its decoded data."""
    match = re.search(rb"<<(.*?)>>\s*stream\r?\n(.*?)endstream", body, re.S)
    if match is None:
        return None
    head, data = match.groups()
    if b"/Subtype /Image" in head:
        return head, b""
    if b"ASCII85Decode" in head:
        data = base64.a85decode(data.strip(), adobe=True)
    if b"FlateDecode" in head:
        data = zlib.decompress(data)
    return head, data


def _cmap(data: bytes) -> dict[int, str]:
    """A ToUnicode CMap: one-byte codes to text."""
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for code, text in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(code, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for low, high, start in re.findall(
            rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
        ):
            first = int(start, 16)
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                mapping[code] = chr(first + offset)
    return mapping


def _literal(raw: bytes) -> bytes:
    """A PDF string literal's bytes, escapes resolved."""
    out, i = bytearray(), 0
    simple = {ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("f"): 12}
    while i < len(raw):
        byte = raw[i]
        if byte != ord("\\"):
            out.append(byte)
            i += 1
            continue
        following = raw[i + 1 : i + 4]
        digits = re.match(rb"[0-7]{1,3}", following)
        if digits:
            out.append(int(digits.group(), 8))
            i += 1 + len(digits.group())
        else:
            out.append(simple.get(raw[i + 1], raw[i + 1]))
            i += 2
    return bytes(out)


def pdf_text(pdf: bytes) -> str:
    """The text shown, one shown string a line, decoded through each font's ToUnicode CMap."""
    objects = _objects(pdf)
    cmaps: dict[str, dict[int, str]] = {}
    for body in objects.values():
        name = re.search(rb"/Name /(\S+)", body)
        to_unicode = re.search(rb"/ToUnicode (\d+) 0 R", body)
        if b"/Type /Font" in body and name and to_unicode:
            stream = _stream(objects[int(to_unicode.group(1))])
            assert stream is not None
            cmaps[name.group(1).decode()] = _cmap(stream[1])
    lines: list[str] = []
    for body in objects.values():
        stream = _stream(body)
        if stream is None or b" Tf" not in stream[1]:
            continue
        font: dict[int, str] = {}
        for match in re.finditer(
            rb"/(\S+)\s+[\d.]+\s+Tf|\(((?:\\.|[^\\)])*)\)\s*Tj", stream[1], re.S
        ):
            if match.group(1) is not None:
                font = cmaps.get(match.group(1).decode(), {})
            else:
                lines.append("".join(font.get(b, chr(b)) for b in _literal(match.group(2))))
    return "\n".join(lines)


# --- The data behind a CV ---------------------------------------------------------------


@pytest.fixture
def departure(placement: Any) -> Departure:
    return build_departure(placement)


@pytest.fixture
def trained(departure: Departure, cast: Any) -> Departure:
    """Budi (the first ready intern) with his personal details, a finished central cohort
    (Japanese 80, culture 70; three of four sessions attended; JLPT N4), a failed medical
    at the centre and a discipline record, which the CV must not show."""
    application = departure.ready[0].application
    candidate = application.candidate
    candidate.address, candidate.phone, candidate.email = (
        "Jalan Melati 7", "081234567890", "budi@example.com",
    )  # fmt: skip
    candidate.save()
    application.education, application.education_institution = "smk", "SMK Negeri 1 Bandung"
    application.graduation_year, application.height_cm = 2021, 168
    application.weight_kg = Decimal("61.5")
    application.save()
    centre = f.OrganisationFactory(kind="training_centre", name="BBPVP Bekasi 2")
    curriculum = Curriculum.objects.create(
        programme=application.round.programme, code="titp-cv", name="TITP", year=2026
    )
    modules = [
        Module.objects.create(curriculum=curriculum, order=1, key="japanese",
                              name_en="Japanese language", name_id="Bahasa Jepang",
                              category="japanese", planned_hours=40, weight=3),
        Module.objects.create(curriculum=curriculum, order=2, key="culture",
                              name_en="Culture and manners", name_id="Budaya",
                              category="culture", planned_hours=20, weight=1),
    ]  # fmt: skip
    cohort = Cohort.objects.create(
        centre=centre, curriculum=curriculum, code="bekasi-cv", name="Angkatan Desember 2026",
        stage="central", starts_on=dt.date(2026, 12, 1), ends_on=dt.date(2027, 1, 31),
        capacity=40,
    )  # fmt: skip
    klass = TrainingClass.objects.create(cohort=cohort, name="A")
    enrolment = Enrolment.objects.create(
        cohort=cohort, application=application, training_class=klass, state="graduated",
        enrolled_on=dt.date(2026, 12, 1), ended_on=dt.date(2027, 1, 31), japanese_level="N4",
        medical_passed=False, medical_checked_on=dt.date(2027, 1, 5),
    )  # fmt: skip
    now = timezone.now()
    for module, score in zip(modules, (80, 70), strict=True):
        assessment = Assessment.objects.create(
            cohort=cohort, module=module, kind="written", name=f"{module.key} final",
            held_on=dt.date(2027, 1, 20),
        )  # fmt: skip
        Score.objects.create(assessment=assessment, enrolment=enrolment, score=score,
                             recorded_at=now)  # fmt: skip
    for day, status in enumerate(("present", "present", "late", "absent"), start=2):
        start = timezone.make_aware(dt.datetime(2026, 12, day, 8))
        session = Session.objects.create(
            training_class=klass, module=modules[0], trainer=cast.trainer, room="R1",
            starts_at=start, ends_at=start + dt.timedelta(hours=2),
        )  # fmt: skip
        Attendance.objects.create(session=session, enrolment=enrolment, status=status,
                                  recorded_at=now)  # fmt: skip
    DisciplineRecord.objects.create(
        enrolment=enrolment, kind="demerit", points=5, occurred_on=dt.date(2026, 12, 10),
        description="Merokok di asrama", recorded_at=now, recorded_by=cast.trainer,
    )  # fmt: skip
    return departure


def client_for(user: Any) -> Client:
    client = Client(headers={"accept-language": "en"})
    if user is not None:
        client.force_login(user)
    return client


def cv_of(user: Any, application_id: int) -> Any:
    return client_for(user).get(reverse("placement:cv", args=[application_id]))


# --- The PDF ----------------------------------------------------------------------------


def test_the_cv_embeds_ipaex_gothic_and_nothing_else(trained: Departure, cast: Any) -> None:
    response = cv_of(cast.central, trained.ready[0].application_id)
    pdf = response.content
    assert pdf.startswith(b"%PDF-")
    assert b"/FontFile2" in pdf
    fonts = set(re.findall(rb"/BaseFont /(\S+)", pdf))
    assert fonts and all(font.endswith(b"+IPAexGothic") for font in fonts)


def test_the_cv_shows_the_rirekisho_in_japanese_and_english(trained: Departure, cast: Any) -> None:
    text = pdf_text(cv_of(cast.host, trained.ready[0].application_id).content)
    today = timezone.localdate()
    age = today.year - 2003 - ((today.month, today.day) < (5, 17))
    for expected in (
        "履歴書", "Curriculum vitae", "フリガナ", "氏名", "Name", "ブディ・サントソ",
        "Budi Santoso",
        "生年月日", f"2003年5月17日生（満{age}歳）", f"17 May 2003 (age {age})", "男 / Male",
        "学歴", "SMK Negeri 1 Bandung 職業高等学校 卒業", "Vocational high school graduated",
        "168 cm", "61.5 kg", "JLPT N4",
        "研修成績", "Japanese language", "80.0", "Culture and manners", "70.0",
        "総合（加重平均）", "77.5", "出席率", "75.0%",
        "鋳造（鋳鉄鋳物鋳造）", "Casting (Cast iron casting)", "宮城県", "Miyagi", "SS-2027-01",
        "写真",
    ):  # fmt: skip
        assert expected in text, expected


def test_the_cv_keeps_health_family_contacts_and_discipline_out(
    trained: Departure, cast: Any
) -> None:
    application = trained.ready[0].application
    text = pdf_text(cv_of(cast.central, application.pk).content)
    for private in (*PRIVATE, application.candidate.nik):
        assert private not in text, private


def test_the_cv_shows_the_photo_read_through_the_storage(
    trained: Departure, cast: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    application = trained.ready[0].application
    photo_type = DocumentType.objects.filter(is_photo=True).first() or (
        DocumentType.objects.create(
            code="cv-photo", name_en="Photo", name_id="Pas foto", name_ja="写真", is_photo=True
        )
    )
    buffer = io.BytesIO()
    Image.new("RGB", (300, 400), (200, 30, 40)).save(buffer, format="PNG")
    document = Document(
        application=application, document_type=photo_type, content_type="image/png",
        size=len(buffer.getvalue()), sha256="0" * 64, status=Document.Status.ACCEPTED,
    )  # fmt: skip
    document.file.save("photo.png", ContentFile(buffer.getvalue()), save=False)
    document.save()
    pdf = cv_of(cast.central, application.pk).content
    assert b"/Subtype /Image" in pdf
    assert "写真" not in pdf_text(pdf)
    # A photo whose file is gone leaves the empty frame, not an error.
    document.file.storage.delete(document.file.name)
    pdf = cv_of(cast.central, application.pk).content
    assert b"/Subtype /Image" not in pdf and "写真" in pdf_text(pdf)


def test_a_long_curriculum_takes_a_second_page_and_no_training_shows_so() -> None:
    base = CurriculumVitae(
        registration_number="T-1", name="Siti <Aminah> & co", name_katakana="シティ・アミナ",
        birth_date=dt.date(2004, 2, 29), sex="F", as_of=dt.date(2027, 2, 28),
    )  # fmt: skip
    alone = render_cv(base)
    assert b"/Count 1 " in alone
    text = pdf_text(alone)
    assert "Siti <Aminah> & co" in text  # escaped for the layout, shown as written
    assert "2004年2月29日生（満22歳）" in text and "女 / Female" in text
    assert "記録なし / No training record" in text
    long = dataclasses.replace(
        base,
        training=TrainingResult(
            cohort="Angkatan", starts_on=dt.date(2026, 12, 1), ends_on=dt.date(2027, 1, 31),
            modules=tuple(ModuleResult(f"Module {i}", 60.0 + i) for i in range(30)),
            weighted_total=None, attendance_rate=None,
        ),
    )  # fmt: skip
    assert b"/Count 2 " in render_cv(long)


# --- Who may download it ----------------------------------------------------------------


def test_who_may_download_a_placed_interns_cv(departure: Departure, cast: Any) -> None:
    application_id = departure.ready[0].application_id
    for name in ("central", "leadership", "admin", "partner", "host"):
        response = cv_of(getattr(cast, name), application_id)
        assert response.status_code == 200, name
        assert response["Content-Type"] == "application/pdf"
        number = departure.ready[0].application.registration_number
        assert response["Content-Disposition"] == f'attachment; filename="cv-{number}.pdf"'
        assert response["Cache-Control"] == "private, no-store"
    assert cv_of(cast.host_other, application_id).status_code == 404
    for name in NOBODY:
        assert cv_of(getattr(cast, name), application_id).status_code == 403, name
    anonymous = cv_of(None, application_id)
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]
    assert cv_of(cast.central, 999_999).status_code == 404


def test_hosts_read_the_cvs_of_their_shortlists_and_final_matches(
    departure: Departure, placement: Any, cast: Any
) -> None:
    order, order_other = departure.order, departure.order_other
    graduate = placement.graduates[4]  # no departure file
    assert cv_of(cast.host, graduate.pk).status_code == 404
    assert cv_of(cast.central, graduate.pk).status_code == 200  # a CV without a job order
    Candidacy.objects.create(job_order=order, application=graduate)
    assert cv_of(cast.host, graduate.pk).status_code == 200
    assert cv_of(cast.host_other, graduate.pk).status_code == 404
    run = MatchRun.objects.create(input_digest="x", created_at=timezone.now())
    Match.objects.create(run=run, application=graduate, job_order=order_other)
    assert cv_of(cast.host_other, graduate.pk).status_code == 404  # a draft is not a match
    MatchRun.objects.filter(pk=run.pk).update(state=MatchState.FINAL)
    response = cv_of(cast.host_other, graduate.pk)
    assert response.status_code == 200
    assert "NK-2027-01" in pdf_text(response.content)  # the host's own job order


def test_without_the_font_the_cv_says_what_to_install(
    trained: Departure, cast: Any, settings: Any
) -> None:
    from magang.placement.cv import register_font

    settings.MAGANG_PDF_FONT = "/nonexistent/ipaexg.ttf"
    register_font.cache_clear()
    try:
        response = cv_of(cast.central, trained.ready[0].application_id)
    finally:
        register_font.cache_clear()
    assert response.status_code == 503
    assert "fonts-ipaexfont-gothic" in response.content.decode()
