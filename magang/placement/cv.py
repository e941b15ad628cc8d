"""The curriculum vitae (履歴書, rirekisho) a host company reads before and after matching.

``render_cv`` draws a ``CurriculumVitae`` (plain data) as an A4 PDF in the rirekisho's order:
name in katakana and in Latin letters, photo, birth date and age, sex, education,
measurements, Japanese level, pre-departure training results and the job order. Every label
is a fixed Japanese / English pair, the form's own, whatever the reader's language. All text
uses the embedded IPAex Gothic, so Japanese renders the same in every viewer.
``curriculum_vitae`` loads the data for one application.

Never on a CV: health details, family contacts, discipline records, address or NIK.
"""

# Japanese text uses full-width parentheses, and the form a multiplication sign and dashes.
# ruff: noqa: RUF001

from __future__ import annotations

import datetime as dt
import functools
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from PIL import Image as PILImage
from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.lib.utils import ImageReader  # type: ignore[import-untyped]
from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    Image,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from .eligibility import LEVEL_NAMES, age_on

if TYPE_CHECKING:
    from magang.recruitment.models import Application

    from .models import JobOrder

FONT = "IPAexGothic"


class FontMissing(RuntimeError):
    """The Japanese font for PDFs is not installed where ``MAGANG_PDF_FONT`` points."""


PHOTO_WIDTH, PHOTO_HEIGHT = 30 * mm, 40 * mm

EDUCATION = {
    "sd": ("小学校", "Primary school"),
    "smp": ("中学校", "Junior high school"),
    "sma": ("高等学校", "Senior high school"),
    "smk": ("職業高等学校", "Vocational high school"),
    "d1": ("専門学校（1年制）", "Diploma 1"),
    "d2": ("専門学校（2年制）", "Diploma 2"),
    "d3": ("短期大学（3年制）", "Diploma 3"),
    "d4": ("大学（応用学士）", "Diploma 4"),
    "s1": ("大学（学士）", "Bachelor"),
    "s2": ("大学院（修士）", "Master"),
}
SEX = {"M": ("男", "Male"), "F": ("女", "Female")}


@dataclass(frozen=True)
class ModuleResult:
    name: str
    average: float | None


@dataclass(frozen=True)
class TrainingResult:
    cohort: str
    starts_on: dt.date
    ends_on: dt.date
    modules: tuple[ModuleResult, ...]
    weighted_total: float | None
    attendance_rate: float | None


@dataclass(frozen=True)
class CurriculumVitae:
    registration_number: str
    name: str
    name_katakana: str
    birth_date: dt.date
    sex: str
    as_of: dt.date
    education: str = ""
    institution: str = ""
    graduation_year: int | None = None
    height_cm: int | None = None
    weight_kg: Decimal | None = None
    japanese_level: str = ""
    training: TrainingResult | None = None
    job_order: str = ""
    trade_ja: str = ""
    trade_en: str = ""
    prefecture_ja: str = ""
    prefecture_en: str = ""
    photo: bytes | None = None


@functools.cache
def register_font() -> str:
    """Register IPAex Gothic once per process; reportlab embeds the glyphs used (a subset).
    The font comes from the system (``apt-get install fonts-ipaexfont-gothic``), not the
    repository; ``MAGANG_PDF_FONT`` names another path."""
    path = Path(settings.MAGANG_PDF_FONT)
    if not path.is_file():
        raise FontMissing(
            f"No Japanese font at {path}: install fonts-ipaexfont-gothic or set MAGANG_PDF_FONT."
        )
    pdfmetrics.registerFont(TTFont(FONT, str(path)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT, italic=FONT, boldItalic=FONT)
    return FONT


# --- Drawing --------------------------------------------------------------------------


def _styles() -> dict[str, ParagraphStyle]:
    font = register_font()
    base = ParagraphStyle("cv", fontName=font, fontSize=9.5, leading=13, wordWrap="CJK")
    return {
        "text": base,
        "label": ParagraphStyle("label", parent=base, fontSize=8, leading=10.5),
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=10,
                                textColor=colors.HexColor("#444444")),
        "name": ParagraphStyle("name", parent=base, fontSize=17, leading=22),
        "title": ParagraphStyle("title", parent=base, fontSize=22, leading=27),
        "right": ParagraphStyle("right", parent=base, fontSize=8.5, alignment=2),
        "centre": ParagraphStyle("centre", parent=base, fontSize=7.5, leading=10, alignment=1,
                                 textColor=colors.HexColor("#444444")),
    }  # fmt: skip


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _label(ja: str, en: str, styles: dict[str, ParagraphStyle]) -> Paragraph:
    return Paragraph(f"{escape(ja)}<br/>{escape(en)}", styles["label"])


MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip


def _date(day: dt.date) -> tuple[str, str]:
    """Japanese and English dates, whatever the server's locale."""
    return f"{day.year}年{day.month}月{day.day}日", f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _number(value: float | None, suffix: str = "") -> str:
    return "—" if value is None else f"{value:.1f}{suffix}"


# Every table names the font: reportlab's default for table cells would add Helvetica.
TEXT = ("FONTNAME", (0, 0), (-1, -1), FONT)
GRID = [
    TEXT,
    ("BOX", (0, 0), (-1, -1), 1, colors.black),
    ("INNERGRID", (0, 0), (-1, -1), 0.4, colors.black),
    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ("TOPPADDING", (0, 0), (-1, -1), 3),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
]
LABELS = ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f1f1f1"))
HEAD = ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f1f1f1"))


def _photo(photo: bytes | None, styles: dict[str, ParagraphStyle]) -> Any:
    """The photo fitted in the rirekisho's 30 x 40 mm frame, or the empty frame."""
    if photo:
        try:
            # Decode it all now: a stored file that only looks like an image (a damaged or
            # truncated upload) leaves the frame empty instead of failing the whole CV.
            with PILImage.open(io.BytesIO(photo)) as probe:
                probe.load()
            width, height = ImageReader(io.BytesIO(photo)).getSize()
        except (OSError, ValueError, SyntaxError, PILImage.DecompressionBombError):
            width = height = 0
        if width and height:
            scale = min(PHOTO_WIDTH / width, PHOTO_HEIGHT / height)
            return Image(io.BytesIO(photo), width=width * scale, height=height * scale)
    box = Table(
        [[_p("写真\nPhoto\n30 × 40 mm", styles["centre"])]],
        colWidths=[PHOTO_WIDTH],
        rowHeights=[PHOTO_HEIGHT],
    )
    box.setStyle(
        TableStyle(
            [
                TEXT,
                ("BOX", (0, 0), (-1, -1), 0.6, colors.black, None, (2, 2)),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return box


def _personal(cv: CurriculumVitae, styles: dict[str, ParagraphStyle]) -> Table:
    born_ja, born_en = _date(cv.birth_date)
    age = age_on(cv.birth_date, cv.as_of)
    sex_ja, sex_en = SEX.get(cv.sex, ("", cv.sex))
    rows = [
        [_label("フリガナ", "Name in katakana", styles),
         _p(cv.name_katakana or "—", styles["text"])],
        [_label("氏名", "Name", styles), _p(cv.name, styles["name"])],
        [_label("生年月日", "Date of birth", styles),
         _p(f"{born_ja}生（満{age}歳）\n{born_en} (age {age})", styles["text"])],
        [_label("性別", "Sex", styles), _p(f"{sex_ja} / {sex_en}", styles["text"])],
        [_label("登録番号", "Registration no.", styles),
         _p(cv.registration_number, styles["text"])],
    ]  # fmt: skip
    table = Table(rows, colWidths=[32 * mm, 106 * mm])
    table.setStyle(TableStyle([*GRID, LABELS]))
    outer = Table([[table, _photo(cv.photo, styles)]], colWidths=[140 * mm, 40 * mm], hAlign="LEFT")
    outer.setStyle(
        TableStyle(
            [
                TEXT,
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (1, 0), (1, 0), "CENTER"),
                ("LEFTPADDING", (0, 0), (0, 0), 0),
            ]
        )
    )
    return outer


def _section(
    title: tuple[str, str],
    rows: list[list[Any]],
    widths: list[float],
    styles: dict[str, ParagraphStyle],
    *,
    head: bool = False,
) -> list[Any]:
    heading = Paragraph(
        f"{escape(title[0])}　<font size=8>{escape(title[1])}</font>",
        ParagraphStyle("h", parent=styles["text"], fontSize=11, leading=15, spaceBefore=8),
    )
    table = Table(rows, colWidths=widths, hAlign="LEFT", repeatRows=1 if head else 0)
    table.setStyle(TableStyle([*GRID, HEAD if head else LABELS]))
    return [heading, Spacer(1, 2 * mm), table]


def _education(cv: CurriculumVitae, styles: dict[str, ParagraphStyle]) -> list[Any]:
    level_ja, level_en = EDUCATION.get(cv.education, ("", ""))
    what = " ".join(x for x in (cv.institution, level_ja) if x) or "—"
    english = " ".join(x for x in (level_en, "graduated" if cv.graduation_year else "") if x)
    year = f"{cv.graduation_year}年\n{cv.graduation_year}" if cv.graduation_year else "—"
    rows = [
        [_label("年", "Year", styles), _label("学歴", "Education", styles)],
        [_p(year, styles["text"]),
         _p(f"{what}　卒業\n{english}" if cv.graduation_year else f"{what}\n{english}",
            styles["text"])],
    ]  # fmt: skip
    return _section(("学歴", "Education"), rows, [28 * mm, 152 * mm], styles, head=True)


def _measurements(cv: CurriculumVitae, styles: dict[str, ParagraphStyle]) -> list[Any]:
    height = f"{cv.height_cm} cm" if cv.height_cm else "—"
    weight = f"{cv.weight_kg:.1f} kg" if cv.weight_kg is not None else "—"
    level = LEVEL_NAMES.get(cv.japanese_level, "未取得 / Not yet certified")
    rows = [
        [_label("身長", "Height", styles), _p(height, styles["text"]),
         _label("体重", "Weight", styles), _p(weight, styles["text"])],
        [_label("日本語能力", "Japanese level", styles), _p(level, styles["text"]), "", ""],
    ]  # fmt: skip
    section = _section(
        ("身体・日本語", "Measurements and Japanese"),
        rows,
        [32 * mm, 58 * mm, 32 * mm, 58 * mm],
        styles,
    )
    section[-1].setStyle(
        TableStyle(
            [
                ("SPAN", (1, 1), (3, 1)),
                ("BACKGROUND", (2, 0), (2, 0), colors.HexColor("#f1f1f1")),
            ]
        )
    )
    return section


def _training(cv: CurriculumVitae, styles: dict[str, ParagraphStyle]) -> list[Any]:
    result = cv.training
    title = ("研修成績", "Pre-departure training results")
    if result is None:
        empty = [[_p("記録なし / No training record", styles["text"])]]
        return _section(title, empty, [180 * mm], styles, head=True)
    start_ja, start_en = _date(result.starts_on)
    end_ja, end_en = _date(result.ends_on)
    rows: list[list[Any]] = [
        [_label("科目", "Module", styles),
         _label("平均点（100点満点）", "Average (of 100)", styles)],
        *[[_p(m.name, styles["text"]), _p(_number(m.average), styles["text"])]
          for m in result.modules],
        [_label("総合（加重平均）", "Weighted total", styles),
         _p(_number(result.weighted_total), styles["text"])],
        [_label("出席率", "Attendance", styles),
         _p(_number(None if result.attendance_rate is None else result.attendance_rate * 100, "%"),
            styles["text"])],
    ]  # fmt: skip
    cohort = _p(f"{result.cohort}　{start_ja}〜{end_ja}（{start_en} – {end_en}）", styles["small"])
    heading, *table = _section(title, rows, [120 * mm, 60 * mm], styles, head=True)
    return [heading, cohort, *table]


def _job_order(cv: CurriculumVitae, styles: dict[str, ParagraphStyle]) -> list[Any]:
    rows = [
        [_label("職種", "Trade", styles),
         _p(f"{cv.trade_ja or '—'}\n{cv.trade_en}", styles["text"])],
        [_label("就労予定地", "Prefecture", styles),
         _p(f"{cv.prefecture_ja or '—'}\n{cv.prefecture_en}", styles["text"])],
        [_label("求人番号", "Job order", styles), _p(cv.job_order or "—", styles["text"])],
    ]  # fmt: skip
    return _section(("応募職種", "Job order applied for"), rows, [32 * mm, 148 * mm], styles)


def _footer(canvas: Any, doc: Any) -> None:
    canvas.saveState()
    canvas.setFont(FONT, 7.5)
    canvas.drawRightString(A4[0] - 15 * mm, 10 * mm, f"{doc.title}　{canvas.getPageNumber()}")
    canvas.restoreState()


def render_cv(cv: CurriculumVitae) -> bytes:
    """The PDF's bytes: one page, a second when the training has many modules."""
    styles = _styles()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=14 * mm,
        bottomMargin=16 * mm, title=f"履歴書 / Curriculum vitae {cv.registration_number}",
        author="Magang", creator="Magang", pageCompression=1, initialFontName=FONT,
        initialFontSize=9.5, lang="ja",
    )  # fmt: skip
    as_of_ja, as_of_en = _date(cv.as_of)
    header = Table(
        [[_p("履歴書", styles["title"]), _p(f"{as_of_ja}現在\nas of {as_of_en}", styles["right"])],
         [_p("Curriculum vitae", styles["text"]), ""]],
        colWidths=[120 * mm, 60 * mm], hAlign="LEFT",
    )  # fmt: skip
    header.setStyle(TableStyle([TEXT, ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                                ("LEFTPADDING", (0, 0), (0, -1), 0)]))  # fmt: skip
    story: list[Any] = [
        header,
        Spacer(1, 3 * mm),
        _personal(cv, styles),
        *_education(cv, styles),
        *_measurements(cv, styles),
        *_training(cv, styles),
        *_job_order(cv, styles),
    ]
    doc.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return buffer.getvalue()


# --- Loading --------------------------------------------------------------------------


def _photo_bytes(application: Application) -> bytes | None:
    """The candidate's photo, read through the private storage (never by URL)."""
    from magang.recruitment.models import Document

    photos = (
        Document.objects.filter(
            application__candidate_id=application.candidate_id,
            document_type__is_photo=True,
            content_type__in=["image/jpeg", "image/png"],
        )
        .exclude(status=Document.Status.REJECTED)
        .order_by("status", "-created_at")  # "accepted" before "pending"
    )
    mine = [d for d in photos if d.application_id == application.pk]
    for document in mine or list(photos):
        try:
            with document.file.open("rb") as handle:
                data: bytes = handle.read()
        except (FileNotFoundError, OSError):
            continue
        return data
    return None


def _training_result(application: Application) -> tuple[TrainingResult | None, str]:
    from magang.training.models import Enrolment
    from magang.training.readiness import InvalidInput, InvalidRules
    from magang.training.services.readiness import cohort_readiness, module_averages

    enrolments = list(
        Enrolment.objects.filter(application=application)
        .select_related("cohort__curriculum")
        .order_by("-enrolled_on", "-pk")
    )
    level = next((e.japanese_level for e in enrolments if e.japanese_level), "")
    if not enrolments:
        return None, level
    enrolment = enrolments[0]
    cohort = enrolment.cohort
    averages = module_averages(cohort, [enrolment.pk]).get(enrolment.pk, {})
    try:
        verdict = cohort_readiness(cohort=cohort, enrolment_ids=[enrolment.pk])[enrolment.pk]
        total, attendance = verdict.weighted_total, verdict.attendance_rate
    except (InvalidRules, InvalidInput):
        total = attendance = None
    modules = tuple(
        ModuleResult(name=m.name_en, average=averages.get(m.key))
        for m in cohort.curriculum.modules.all()
    )
    result = TrainingResult(
        cohort=cohort.name, starts_on=cohort.starts_on, ends_on=cohort.ends_on, modules=modules,
        weighted_total=total, attendance_rate=attendance,
    )  # fmt: skip
    return result, level


def curriculum_vitae(
    *, application: Application, job_order: JobOrder | None, today: dt.date
) -> CurriculumVitae:
    """What one application's CV shows: nothing about health, family or discipline."""
    candidate = application.candidate
    training, level = _training_result(application)
    trade = job_order.trade if job_order else None
    prefecture = job_order.prefecture if job_order else None
    return CurriculumVitae(
        registration_number=application.registration_number,
        name=candidate.full_name,
        name_katakana=candidate.name_katakana,
        birth_date=candidate.birth_date,
        sex=candidate.sex,
        as_of=today,
        education=application.education,
        institution=application.education_institution,
        graduation_year=application.graduation_year,
        height_cm=application.height_cm,
        weight_kg=application.weight_kg,
        japanese_level=level,
        training=training,
        job_order=job_order.reference if job_order else "",
        trade_ja=f"{trade.job_name_ja}（{trade.name_ja}）" if trade else "",
        trade_en=f"{trade.job_name_en} ({trade.name_en})" if trade else "",
        prefecture_ja=prefecture.name_ja if prefecture else "",
        prefecture_en=prefecture.name_en if prefecture else "",
        photo=_photo_bytes(application),
    )


def cv_attachment(
    *, application: Application, job_order: JobOrder | None, user: Any
) -> HttpResponse:
    """Today's CV of the application as a PDF download, never cached. The CV is made for a
    Japanese partner: each download is logged as a disclosure, with its legal basis."""
    from .disclosures import disclosure_log

    disclosure_log(
        user=user, application_ids=[application.pk], what="placement.cv", job_order=job_order
    )
    data = curriculum_vitae(
        application=application, job_order=job_order, today=timezone.localdate()
    )
    safe = re.sub(r"[^A-Za-z0-9_-]", "", application.registration_number) or "application"
    try:
        content = render_cv(data)
    except FontMissing as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="cv-{safe}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
