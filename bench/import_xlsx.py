"""Importing a 100,000-row XLSX of registrations, against only reading the same file.

Generates a valid workbook (openpyxl, write-only; realistic names, NIKs of real districts,
dates as Date cells, NIK and phone as text), then:

- baseline: read it with the importer's reader (python-calamine, every cell with its type);
- preview: read + check every row (``import_preview``: the page's preview, nothing written);
- import: read + check + write every row (``registrations_import``), end to end,

on SQLite (a fresh file, as `make demo` uses) and on PostgreSQL (a throwaway database on
postgres://postgres@127.0.0.1:5432, dropped afterwards; skipped with a note when it cannot be
reached). Each database runs in its own process (Django settings are per process). The
reference data are loaded with ``reference_load_all()`` before timing. Prints one JSON object.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ROWS = int(os.environ.get("MAGANG_BENCH_IMPORT_ROWS", "100000"))
POSTGRES = os.environ.get("MAGANG_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
GOAL_SECONDS = 20.0
# Candidates written both ways to compare the writer with bulk_create.
SAMPLE = 20_000

GIVEN = (
    "Budi", "Agus", "Andi", "Ahmad", "Muhammad", "Rizky", "Dimas", "Fajar", "Hendra", "Joko",
    "Eko", "Bayu", "Teguh", "Wahyu", "Yusuf", "Ilham", "Arif", "Fikri", "Reza", "Aditya",
    "Bagus", "Dwi", "Tri", "Slamet", "Sutrisno", "Bambang", "Hadi", "Irfan", "Rudi", "Doni",
    "Siti", "Dewi", "Sri", "Ayu", "Putri", "Rina", "Wulan", "Indah", "Lestari", "Nur", "Fitri",
    "Ani", "Yuni", "Ratna", "Ma'ruf", "Syafi'i",
)  # fmt: skip
FAMILY = (
    "Santoso", "Wijaya", "Saputra", "Pratama", "Hidayat", "Nugroho", "Kurniawan", "Setiawan",
    "Gunawan", "Susanto", "Prasetyo", "Wibowo", "Siregar", "Nasution", "Harahap", "Lubis",
    "Simanjuntak", "Sihombing", "Situmorang", "Ginting", "Tarigan", "Purba", "Sembiring",
    "Manurung", "Hutapea", "Pangaribuan", "Rahman", "Hakim", "Firmansyah", "Ramadhan",
)  # fmt: skip
SCHOOLS = ("SMK Negeri 1", "SMA Negeri 2", "SMK Muhammadiyah 1", "MA Al-Hikmah", "SMK PGRI 3")


def generate(path: Path, rows: int, seed: int = 20260101) -> None:
    """A valid registrations workbook of ``rows`` people (deterministic)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    from magang.recruitment.eligibility import DECLARATIONS
    from magang.recruitment.services.imports import COLUMN_NAMES, SHEET_NAME
    from magang.reference.services import wilayah_source

    rng = random.Random(seed)
    districts = sorted(code for code in wilayah_source() if code.count(".") == 2)
    declarations = list(DECLARATIONS)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_NAME)
    sheet.append(list(COLUMN_NAMES))
    seen: set[str] = set()

    def text(value: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "@"
        return cell

    def day(value: dt.date) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell

    while len(seen) < rows:
        district = rng.choice(districts)
        female = rng.random() < 0.2
        birth = dt.date(1999, 1, 1) + dt.timedelta(days=rng.randrange(0, 8 * 365))
        serial = rng.randrange(1, 10_000)
        nik = (
            district.replace(".", "")
            + f"{birth.day + (40 if female else 0):02d}{birth.month:02d}{birth.year % 100:02d}"
            + f"{serial:04d}"
        )
        if nik in seen:
            continue
        seen.add(nik)
        regency = district[:5]
        given = rng.choice(GIVEN)
        family = rng.choice(FAMILY) if rng.random() < 0.7 else ""
        sheet.append(
            [
                text(nik),
                given if rng.random() < 0.5 else f"{given} {rng.choice(GIVEN)}",
                family,
                "F" if female else "M",
                day(birth),
                rng.choice(FAMILY) if rng.random() < 0.3 else "Bekasi",
                regency[:2],
                text(regency),
                f"Jl. {rng.choice(FAMILY)} No. {rng.randrange(1, 200)}, RT 0{rng.randrange(1, 9)}",
                text(f"08{rng.randrange(1_000_000_000, 9_999_999_999)}"),
                f"{given.lower().replace(chr(39), '')}{len(seen)}@example.com",
                rng.choice(("sma", "smk", "smk", "d3", "s1")),
                f"{rng.choice(SCHOOLS)} {rng.choice(FAMILY)}",
                rng.randrange(2016, 2026),
                rng.randrange(150, 185),
                round(rng.uniform(45, 85), 1),
                ", ".join(d for d in declarations if rng.random() < 0.9),
            ]
        )
    workbook.save(path)


def read_only(path: Path) -> float:
    """Seconds to read every cell with the importer's reader, best of 3."""
    from python_calamine import CalamineWorkbook

    timings = []
    for _ in range(3):
        started = time.perf_counter()
        workbook = CalamineWorkbook.from_path(str(path))
        grid = workbook.get_sheet_by_name("registrations").to_python(skip_empty_area=False)
        timings.append(time.perf_counter() - started)
        assert len(grid) == ROWS + 1
    return min(timings)


def _setup(database_url: str | None, directory: Path) -> None:
    os.environ["MAGANG_VAR_DIR"] = str(directory)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def measure(database_url: str | None, path: Path) -> dict[str, Any]:
    """In this process: migrate a fresh database, load reference data, preview and import."""
    directory = Path(tempfile.mkdtemp(prefix="magang-bench-import-"))
    _setup(database_url, directory)
    from django.core.management import call_command

    from magang.accounts.models import Membership, Organisation, Role, User
    from magang.recruitment.models import (
        Application,
        Candidate,
        JourneyEvent,
        Programme,
        RecruitmentRound,
        SelectionSite,
    )
    from magang.recruitment.services import imports as service
    from magang.reference.models import Province
    from magang.reference.services import reference_load_all

    call_command("migrate", verbosity=0)
    reference_load_all()
    organisation = Organisation.objects.create(
        kind=Organisation.Kind.REGIONAL_OFFICE,
        name="Disnaker Jawa Barat",
        province=Province.objects.get(code="32"),
    )
    officer = User.objects.create_user(username="officer", password=None)
    Membership.objects.create(user=officer, organisation=organisation, role=Role.REGIONAL_OFFICER)
    programme = Programme.objects.create(
        code="titp",
        name="TITP",
        duration_months=36,
        max_duration_months=60,
        valid_from=dt.date(1993, 1, 1),
    )
    round_ = RecruitmentRound.objects.create(
        programme=programme,
        code="titp-2026",
        name="TITP 2026",
        year=2026,
        opens_on=dt.date(2026, 1, 10),
        closes_on=dt.date(2026, 12, 20),
        reference_date=dt.date(2026, 12, 31),
        eligibility_rules={
            "reference_date": "2026-12-31",
            "allowed_sexes": ["M"],
            "min_age_years": 18,
            "max_age_years": 26,
            "min_education": "sma",
            "min_age_months_by_education": {"sma": 222},
            "min_height_cm": {"M": 158, "F": 150},
            "min_weight_kg": {"M": 50, "F": 40},
            "required_declarations": ["no_previous_participation", "no_tattoo"],
        },
    )
    site = SelectionSite.objects.create(
        round=round_,
        organisation=organisation,
        name="Bandung",
        province=Province.objects.get(code="32"),
        registration_deadline=dt.date(2026, 12, 20),
    )
    sha256 = service.file_sha256(path)

    started = time.perf_counter()
    sheet = service.workbook_read(path)
    read_seconds = time.perf_counter() - started
    report = service.import_preview(site=site, rows=sheet.rows, sha256=sha256)
    preview_seconds = time.perf_counter() - started
    assert not report.errors, [str(p) for p in report.errors[:5]]

    started = time.perf_counter()
    sheet = service.workbook_read(path)
    batch = service.registrations_import(
        site=site, rows=sheet.rows, by=officer, file_name=path.name, sha256=sha256
    )
    import_seconds = time.perf_counter() - started
    assert batch.created == ROWS
    assert Application.objects.count() == ROWS == Candidate.objects.count()
    assert JourneyEvent.objects.count() == ROWS

    started = time.perf_counter()
    again = service.import_preview(site=site, rows=service.workbook_read(path).rows)
    reupload_seconds = time.perf_counter() - started
    assert again.unchanged == ROWS
    from django.db import connection

    if connection.vendor == "sqlite":
        version = ".".join(map(str, connection.Database.sqlite_version_info))
    else:
        number = connection.cursor().connection.info.server_version
        version = f"{number // 10000}.{number % 10000}"
    result = {
        "vendor": connection.vendor,
        "version": version,
        "read_seconds": round(read_seconds, 2),
        "preview_seconds": round(preview_seconds, 2),
        "import_seconds": round(import_seconds, 2),
        "write_seconds": round(import_seconds - preview_seconds, 2),
        "reupload_preview_seconds": round(reupload_seconds, 2),
        "rows_per_second": round(ROWS / import_seconds),
        "ineligible": report.ineligible,
        "warnings": len(report.warnings),
    }
    if connection.vendor == "sqlite":
        result["breakdown"] = breakdown(site, sheet.rows)
    connection.close()
    shutil.rmtree(directory, ignore_errors=True)
    return result


def breakdown(site: Any, rows: list[Any]) -> dict[str, float]:
    """Where the time goes, step by step over the same rows (each timed on its own), and
    Django's ``bulk_create`` against the import's writer for the same candidates."""
    from decimal import Decimal

    from django.db import transaction
    from django.utils import timezone

    from magang.recruitment.eligibility import Applicant, evaluate
    from magang.recruitment.models import Candidate
    from magang.recruitment.services.imports import cells, checking, writing
    from magang.recruitment.services.imports.reading import paused_gc
    from magang.recruitment.services.registration import (
        RegionIndex,
        registration_check,
        round_rules,
    )

    times: dict[str, float] = {}

    def timed(key: str, work: Any) -> Any:
        with paused_gc():  # as the import runs them
            started = time.perf_counter()
            value = work()
            times[key] = round(time.perf_counter() - started, 2)
        return value

    regions = RegionIndex.load()
    today = timezone.localdate()
    data = timed("cells", lambda: [cells.row_data(row)[0] for row in rows])
    checked = timed(
        "registration_check",
        lambda: [registration_check(data=d, regions=regions, today=today).data for d in data],
    )
    rules = round_rules(site)
    assert rules is not None
    timed(
        "rules",
        lambda: [
            evaluate(
                rules,
                Applicant(
                    birth_date=d.birth_date, sex=d.sex, education=d.education or "sd",
                    height_cm=d.height_cm or 0, weight_kg=d.weight_kg or Decimal(0),
                    declarations=d.declarations,
                ),
            )
            for d in checked
        ],
    )  # fmt: skip
    # The same people under NIKs nobody has (the real ones are imported already); rolled back.
    sample = [
        checking.RowResult(row=i, data=dataclasses.replace(d, nik=f"{i:016d}"))
        for i, d in enumerate(checked[:SAMPLE])
    ]
    times["sample_rows"] = len(sample)
    with transaction.atomic():
        timed(
            "writer_candidates", lambda: writing._write_candidates(sample, regions, timezone.now())
        )
        transaction.set_rollback(True)
    objects = [
        Candidate(
            nik=r.data.nik, full_name=r.data.full_name, family_name=r.data.family_name,
            name_katakana=writing._katakana(r.data.full_name, r.data.family_name),
            sex=r.data.sex, birth_date=r.data.birth_date, birth_place=r.data.birth_place,
            province_id=regions.provinces[r.data.province_code],
            regency_id=regions.regencies[r.data.regency_code][0] if r.data.regency_code else None,
            address=r.data.address, phone=r.data.phone, email=r.data.email,
        )
        for r in sample
    ]  # fmt: skip
    with transaction.atomic():
        timed(
            "bulk_create_candidates",
            lambda: Candidate.objects.bulk_create(objects, batch_size=2000),
        )
        transaction.set_rollback(True)
    return times


def _child(database_url: str | None, path: Path) -> dict[str, Any]:
    args = [sys.executable, "-m", "bench.import_xlsx", "--measure", str(path)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DATABASE_URL", None)
    if database_url:
        env["MAGANG_BENCH_DATABASE_URL"] = database_url
    output = subprocess.run(  # noqa: S603  (our own module, fixed arguments)
        args, cwd=ROOT, check=True, capture_output=True, text=True, env=env
    ).stdout
    return dict(json.loads(output.strip().splitlines()[-1]))


def _postgres() -> tuple[str | None, str]:
    """A throwaway database's URL (None when PostgreSQL is unreachable) and a note."""
    try:
        import psycopg

        name = f"magang_bench_{os.getpid()}"
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"{POSTGRES}/{name}", ""
    except Exception as exc:  # any failure means "not here", and is reported as such
        return None, f"PostgreSQL not reachable at {POSTGRES} ({type(exc).__name__}); skipped."


def _drop(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--measure":
        url = os.environ.get("MAGANG_BENCH_DATABASE_URL") or None
        print(json.dumps(measure(url, Path(sys.argv[2]))))
        return
    directory = Path(tempfile.mkdtemp(prefix="magang-bench-xlsx-"))
    _setup(None, directory)  # settings only, for the column names; no database is touched
    path = directory / "registrations.xlsx"
    started = time.perf_counter()
    generate(path, ROWS)
    generate_seconds = time.perf_counter() - started
    baseline = read_only(path)
    results: dict[str, Any] = {
        "rows": ROWS,
        "load_average": round(os.getloadavg()[0], 1),
        "file_megabytes": round(path.stat().st_size / 1024 / 1024, 1),
        "generate_seconds": round(generate_seconds, 1),
        "read_only_seconds": round(baseline, 2),
        "goal_seconds": GOAL_SECONDS,
    }
    results["sqlite"] = _child(None, path)
    url, note = _postgres()
    if url is None:
        results["postgresql"] = None
        results["postgresql_note"] = note
    else:
        try:
            results["postgresql"] = _child(url, path)
            results["postgresql_note"] = ""
        finally:
            _drop(url)
    for key in ("sqlite", "postgresql"):
        if results.get(key):
            results[key]["ratio"] = round(results[key]["import_seconds"] / baseline, 1)
    shutil.rmtree(directory, ignore_errors=True)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
