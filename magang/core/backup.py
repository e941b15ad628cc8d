"""Backups of the database and the private file store, and their restore with a check.

A backup is one tar file holding ``manifest.json``, the database (``database.dump`` from
``pg_dump --format=custom`` on PostgreSQL, ``database.sqlite3`` from SQLite's online backup)
and ``files/`` (everything under ``MEDIA_ROOT``). The manifest records the row count of every
table *in the same snapshot as the dump* and the SHA-256 of every file, so a restore can prove
it brought back exactly what was saved.

Restoring never overwrites: the target database must be empty and the target file directory
empty or absent. After restoring, ``restore`` recounts every table and rehashes every file and
reports each difference.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
FILES = "files"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


@dataclass(frozen=True)
class Manifest:
    created: str
    engine: str
    tables: dict[str, int]
    files: dict[str, str]
    format_version: int = FORMAT_VERSION

    def as_json(self) -> str:
        return json.dumps(
            {
                "format_version": self.format_version,
                "created": self.created,
                "engine": self.engine,
                "tables": self.tables,
                "files": self.files,
            },
            indent=2,
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data = json.loads(text)
        if data.get("format_version") != FORMAT_VERSION:
            raise BackupError(f"Unknown backup format {data.get('format_version')!r}.")
        return cls(
            created=data["created"],
            engine=data["engine"],
            tables={str(k): int(v) for k, v in data["tables"].items()},
            files={str(k): str(v) for k, v in data["files"].items()},
        )


@dataclass
class RestoreReport:
    tables: int = 0
    rows: int = 0
    files: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _engine() -> str:
    if connection.vendor == "postgresql":
        return "postgresql"
    if connection.vendor == "sqlite":
        return "sqlite"
    raise BackupError(f"Backups support PostgreSQL and SQLite, not {connection.vendor}.")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _media_files(root: Path) -> Iterator[tuple[str, Path]]:
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path.relative_to(root).as_posix(), path


def _pg_env(params: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    mapping = {"HOST": "PGHOST", "PORT": "PGPORT", "USER": "PGUSER", "PASSWORD": "PGPASSWORD"}
    for key, var in mapping.items():
        if params.get(key):
            env[var] = str(params[key])
    return env


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _count_tables(cursor: Any, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        # Table names come from the database's own catalogue, quoted.
        cursor.execute(f"SELECT count(*) FROM {_quote(table)}")  # noqa: S608
        counts[table] = int(cursor.fetchone()[0])
    return counts


def _dump_postgresql(target: Path) -> dict[str, int]:
    """Dump the database with ``pg_dump`` inside the snapshot whose rows are counted."""
    params = connection.settings_dict
    if connection.in_atomic_block:
        raise BackupError("A backup runs outside any transaction.")
    with connection.cursor() as probe:
        probe.execute("SELECT 1")
    raw = connection.connection
    if raw is None:
        raise BackupError("No database connection.")
    previous = raw.autocommit
    raw.autocommit = False
    try:
        with raw.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            cursor.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                "ORDER BY tablename"
            )
            tables = [row[0] for row in cursor.fetchall()]
            counts = _count_tables(cursor, tables)
            # A fixed program; the arguments come from settings and the database.
            result = subprocess.run(  # noqa: S603
                [
                    shutil.which("pg_dump") or "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={target}",
                    str(params["NAME"]),
                ],
                env=_pg_env(params),
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0:
                raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        raw.rollback()
    finally:
        raw.autocommit = previous
    return counts


def _dump_sqlite(target: Path) -> dict[str, int]:
    with connection.cursor() as probe:
        probe.execute("SELECT 1")
    raw = connection.connection
    if raw is None:
        raise BackupError("No database connection.")
    copy = sqlite3.connect(target)
    try:
        raw.backup(copy)
        cursor = copy.cursor()
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
        tables = [row[0] for row in cursor.fetchall()]
        return _count_tables(cursor, tables)
    finally:
        copy.close()


def backup_create(directory: Path, *, media_root: Path | None = None) -> tuple[Path, Manifest]:
    """Write ``magang-<time>.tar`` into ``directory``; returns its path and manifest."""
    engine = _engine()
    media = Path(media_root or settings.MEDIA_ROOT)
    directory.mkdir(parents=True, exist_ok=True)
    created = timezone.now()
    name = f"magang-{created.strftime('%Y%m%dT%H%M%S%f')}.tar"
    archive = directory / name
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / (PG_DUMP if engine == "postgresql" else SQLITE_COPY)
        tables = _dump_postgresql(dump) if engine == "postgresql" else _dump_sqlite(dump)
        files = {rel: _sha256(path) for rel, path in _media_files(media)}
        manifest = Manifest(created=created.isoformat(), engine=engine, tables=tables, files=files)
        partial = archive.with_suffix(".tar.partial")
        with tarfile.open(partial, "w") as tar:
            manifest_path = Path(work) / MANIFEST
            manifest_path.write_text(manifest.as_json(), encoding="utf-8")
            tar.add(manifest_path, arcname=MANIFEST)
            tar.add(dump, arcname=dump.name)
            for rel, path in _media_files(media):
                tar.add(path, arcname=f"{FILES}/{rel}")
        partial.rename(archive)
    return archive, manifest


def backup_manifest(archive: Path) -> Manifest:
    with tarfile.open(archive, "r") as tar:
        member = tar.extractfile(MANIFEST)
        if member is None:
            raise BackupError(f"{archive} has no {MANIFEST}.")
        return Manifest.from_json(member.read().decode("utf-8"))


def _safe_member(member: tarfile.TarInfo) -> PurePosixPath:
    path = PurePosixPath(member.name)
    if path.is_absolute() or ".." in path.parts or not (member.isfile() or member.isdir()):
        raise BackupError(f"Refusing archive member {member.name!r}.")
    return path


def _pg_tables(url: str) -> dict[str, int] | None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
        )
        tables = [row[0] for row in cursor.fetchall()]
        return _count_tables(cursor, tables)


def _sqlite_tables(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        cursor = conn.cursor()
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
        return _count_tables(cursor, [row[0] for row in cursor.fetchall()])
    finally:
        conn.close()


def _compare(expected: dict[str, int], found: dict[str, int], report: RestoreReport) -> None:
    for table, rows in sorted(expected.items()):
        got = found.get(table)
        if got is None:
            report.problems.append(f"table {table} is missing")
        elif got != rows:
            report.problems.append(f"table {table}: {got} rows, the backup had {rows}")
        else:
            report.tables += 1
            report.rows += rows
    for table in sorted(set(found) - set(expected)):
        report.problems.append(f"table {table} is not in the backup")


def backup_restore(
    archive: Path,
    *,
    media_root: Path,
    database_url: str | None = None,
    sqlite_path: Path | None = None,
) -> RestoreReport:
    """Restore ``archive`` into an empty database and file directory, then check both."""
    manifest = backup_manifest(archive)
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(f"{media_root} is not empty; restore into an empty directory.")
    if manifest.engine == "postgresql":
        if not database_url:
            raise BackupError("A PostgreSQL backup restores into --database-url.")
        if _pg_tables(database_url):
            raise BackupError("The target database is not empty; restore into a fresh one.")
    elif sqlite_path is None:
        raise BackupError("A SQLite backup restores into --sqlite-path.")
    elif sqlite_path.exists():
        raise BackupError(f"{sqlite_path} exists; restore into a new file.")

    report = RestoreReport()
    with tempfile.TemporaryDirectory() as work, tarfile.open(archive, "r") as tar:
        for member in tar.getmembers():
            path = _safe_member(member)
            if member.isdir():
                continue
            source = tar.extractfile(member)
            if source is None:
                continue
            if path.parts[0] == FILES and len(path.parts) > 1:
                target = media_root.joinpath(*path.parts[1:])
            elif str(path) in {PG_DUMP, SQLITE_COPY}:
                target = Path(work) / str(path)
            else:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("wb") as out:
                shutil.copyfileobj(source, out)

        if database_url and manifest.engine == "postgresql":
            result = subprocess.run(  # noqa: S603
                [
                    shutil.which("pg_restore") or "pg_restore",
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    f"--dbname={database_url}",
                    str(Path(work) / PG_DUMP),
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0:
                raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
            found = _pg_tables(database_url) or {}
        elif sqlite_path is not None:
            sqlite_path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(Path(work) / SQLITE_COPY, sqlite_path)
            found = _sqlite_tables(sqlite_path)
        else:  # unreachable: checked above
            raise BackupError("No restore target.")

    _compare(manifest.tables, found, report)
    for rel, digest in sorted(manifest.files.items()):
        restored = media_root / rel
        if not restored.is_file():
            report.problems.append(f"file {rel} is missing")
        elif _sha256(restored) != digest:
            report.problems.append(f"file {rel} differs from the backup")
        else:
            report.files += 1
    return report


def backup_prune(directory: Path, *, keep_days: int, today: dt.date | None = None) -> list[Path]:
    """Delete backups older than ``keep_days``; returns what was removed."""
    today = today or timezone.localdate()
    removed = []
    for archive in sorted(directory.glob("magang-*.tar")):
        try:
            day = dt.datetime.strptime(archive.name[7:15], "%Y%m%d").date()
        except ValueError:
            continue
        if (today - day).days > keep_days:
            archive.unlink()
            removed.append(archive)
    return removed
