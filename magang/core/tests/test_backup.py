"""Backup and restore: what comes back is exactly what was saved, row for row, byte for byte."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from magang.core.backup import (
    BackupError,
    backup_create,
    backup_manifest,
    backup_prune,
    backup_restore,
)
from magang.factories import ApplicationFactory

# Every test that commits for real restores the migrated rows afterwards (serialized rollback),
# like the browser tests: a plain flush would recreate content types that the next serialized
# test then loads again, and the two collide.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def media(tmp_path: Path, settings: object) -> Path:
    root = tmp_path / "private"
    (root / "documents" / "2026").mkdir(parents=True)
    (root / "documents" / "2026" / "ktp.jpg").write_bytes(b"\xff\xd8\xff" + bytes(range(256)) * 40)
    (root / "cv.pdf").write_bytes(b"%PDF-1.7 minimal")
    settings.MEDIA_ROOT = root  # type: ignore[attr-defined]
    return root


@pytest.fixture
def fresh_pg_url() -> Iterator[str]:
    """An empty PostgreSQL database beside the test database, dropped afterwards."""
    import psycopg

    params = connection.settings_dict
    name = f"magang_restore_{uuid.uuid4().hex[:10]}"
    auth = params["USER"] + (f":{params['PASSWORD']}" if params.get("PASSWORD") else "")
    base = f"postgresql://{auth}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _restore_target(tmp_path: Path, request: pytest.FixtureRequest) -> dict[str, Any]:
    if connection.vendor == "postgresql":
        return {"database_url": request.getfixturevalue("fresh_pg_url")}
    return {"sqlite_path": tmp_path / "restored" / "magang.sqlite3"}


def test_backup_then_restore_brings_back_every_row_and_file(
    tmp_path: Path, media: Path, request: pytest.FixtureRequest
) -> None:
    ApplicationFactory.create_batch(3)
    archive, manifest = backup_create(tmp_path / "backups")

    assert manifest.engine == connection.vendor
    assert manifest.tables["recruitment_application"] == 3
    assert set(manifest.files) == {"cv.pdf", "documents/2026/ktp.jpg"}
    assert backup_manifest(archive) == manifest

    restored = tmp_path / "restored-private"
    report = backup_restore(archive, media_root=restored, **_restore_target(tmp_path, request))

    assert report.ok, report.problems
    assert report.tables == len(manifest.tables)
    assert report.rows == sum(manifest.tables.values())
    assert report.files == 2
    assert (restored / "cv.pdf").read_bytes() == b"%PDF-1.7 minimal"


def test_restore_refuses_a_target_that_is_not_empty(
    tmp_path: Path, media: Path, request: pytest.FixtureRequest
) -> None:
    archive, _ = backup_create(tmp_path / "backups")
    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "keep.txt").write_text("mine")

    with pytest.raises(BackupError, match="not empty"):
        backup_restore(archive, media_root=occupied, **_restore_target(tmp_path, request))
    assert (occupied / "keep.txt").read_text() == "mine"


def test_restore_reports_a_file_that_does_not_match(
    tmp_path: Path, media: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive, _ = backup_create(tmp_path / "backups")
    restored = tmp_path / "restored-private"

    from magang.core import backup

    real = backup._sha256

    def tampered(path: Path) -> str:
        return "0" * 64 if path.name == "cv.pdf" else real(path)

    monkeypatch.setattr(backup, "_sha256", tampered)
    report = backup_restore(archive, media_root=restored, **_restore_target(tmp_path, request))

    assert not report.ok
    assert report.problems == ["file cv.pdf differs from the backup"]


def test_the_commands_back_up_restore_and_fail_loudly(
    tmp_path: Path, media: Path, request: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str]
) -> None:
    ApplicationFactory.create()
    call_command("backup", output=tmp_path / "backups")
    archive = next((tmp_path / "backups").glob("magang-*.tar"))
    assert "files" in capsys.readouterr().out

    target = _restore_target(tmp_path, request)
    call_command("restore", str(archive), media_root=tmp_path / "r", **target)
    assert "Restored and checked" in capsys.readouterr().out

    with pytest.raises(CommandError):
        call_command("restore", str(archive), media_root=tmp_path / "r", **target)


def test_prune_keeps_recent_archives(tmp_path: Path) -> None:
    import datetime as dt

    for name in ("magang-20261101T000000000000.tar", "magang-20261126T000000000000.tar"):
        (tmp_path / name).write_bytes(b"")
    removed = backup_prune(tmp_path, keep_days=14, today=dt.date(2026, 11, 28))
    assert [path.name for path in removed] == ["magang-20261101T000000000000.tar"]
    assert (tmp_path / "magang-20261126T000000000000.tar").exists()
