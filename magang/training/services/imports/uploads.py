"""An uploaded scores file, kept privately under a random token tied to its uploader and
assessment until its preview is committed or discarded."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404

from magang.accounts.models import User
from magang.recruitment.services.imports import (
    import_check_size,
    import_check_xlsx,
    max_import_bytes,
)
from magang.recruitment.services.imports.uploads import TOKEN
from magang.recruitment.services.imports.uploads import _remove_stale as remove_stale

from ...access import may_manage
from ...models import Assessment


@dataclass(frozen=True)
class StoredScores:
    """An uploaded scores file waiting for its preview and commit."""

    token: str
    path: Path
    assessment_id: int
    user_id: int
    file_name: str


def _directory() -> Path:
    # Beside the registration imports' files, in a folder of its own: their clean-up only
    # looks at files, ours at this folder.
    return Path(settings.MEDIA_ROOT) / "imports" / "training-scores"


def score_upload_store(
    *, upload: IO[bytes], size: int | None, user: User, assessment: Assessment, file_name: str
) -> StoredScores:
    """Keep an upload privately for its preview: the size is checked before reading (and
    again while copying), then the content must be an XLSX workbook.

    Raises ``ImportFileError`` (nothing is kept) or ``PermissionDenied``.
    """
    if not may_manage(user, assessment.cohort):
        raise PermissionDenied
    import_check_size(size)
    directory = _directory()
    directory.mkdir(parents=True, exist_ok=True)
    remove_stale(directory)
    token = secrets.token_hex(20)
    path = directory / f"{token}.xlsx"
    written, limit = 0, max_import_bytes()
    try:
        with path.open("wb") as out:
            while chunk := upload.read(1024 * 1024):
                written += len(chunk)
                if written > limit:
                    import_check_size(written)
                out.write(chunk)
        import_check_xlsx(path)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    stored = StoredScores(
        token=token, path=path, assessment_id=assessment.pk, user_id=user.pk,
        file_name=Path(file_name).name[:200],
    )  # fmt: skip
    meta = {"user": user.pk, "assessment": assessment.pk, "file_name": stored.file_name}
    path.with_suffix(".json").write_text(json.dumps(meta), encoding="utf-8")
    return stored


def access_score_upload(*, user: Any, token: str, assessment: Assessment) -> StoredScores:
    """The stored upload if it is this user's, for this assessment, which they may still
    change; ``Http404`` otherwise (missing and not yours alike)."""
    if not TOKEN.fullmatch(token) or not user.is_authenticated:
        raise Http404("No such import.")
    path = _directory() / f"{token}.xlsx"
    try:
        meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise Http404("No such import.") from None
    if (
        meta.get("user") != user.pk
        or meta.get("assessment") != assessment.pk
        or not may_manage(user, assessment.cohort)
        or not path.exists()
    ):
        raise Http404("No such import.")
    return StoredScores(
        token=token, path=path, assessment_id=assessment.pk, user_id=user.pk,
        file_name=str(meta.get("file_name", "")),
    )  # fmt: skip


def score_upload_discard(stored: StoredScores) -> None:
    stored.path.unlink(missing_ok=True)
    stored.path.with_suffix(".json").unlink(missing_ok=True)
