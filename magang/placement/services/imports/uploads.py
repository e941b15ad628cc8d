"""Who may import job orders, and the upload kept privately under a random token tied to the
uploader until its preview and commit."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404

from magang.accounts.models import Role, User
from magang.accounts.scopes import scope_for
from magang.recruitment.services.imports import (
    import_check_size,
    import_check_xlsx,
    max_import_bytes,
)
from magang.recruitment.services.imports.uploads import TOKEN
from magang.recruitment.services.imports.uploads import _remove_stale as remove_stale

IMPORT_ROLES = (Role.PARTNER, Role.CENTRAL_TEAM)


def may_import_orders(user: Any) -> bool:
    return scope_for(user).has_role(*IMPORT_ROLES)


@dataclass(frozen=True)
class StoredOrders:
    token: str
    path: Path
    user_id: int
    file_name: str


def _directory() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / "placement-orders"


def order_upload_store(
    *, upload: IO[bytes], size: int | None, user: User, file_name: str
) -> StoredOrders:
    """Keep an upload privately for its preview: the size is checked before reading (and
    again while copying), then the content must be an XLSX workbook.

    Raises ``ImportFileError`` (nothing is kept) or ``PermissionDenied``.
    """
    if not may_import_orders(user):
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
    stored = StoredOrders(token=token, path=path, user_id=user.pk,
                          file_name=Path(file_name).name[:200])  # fmt: skip
    meta = {"user": user.pk, "file_name": stored.file_name}
    path.with_suffix(".json").write_text(json.dumps(meta), encoding="utf-8")
    return stored


def access_order_upload(*, user: Any, token: str) -> StoredOrders:
    """The stored upload if it is this user's and they still import; ``Http404`` otherwise
    (missing and not yours alike)."""
    if not TOKEN.fullmatch(token) or not user.is_authenticated:
        raise Http404("No such import.")
    path = _directory() / f"{token}.xlsx"
    try:
        meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise Http404("No such import.") from None
    if meta.get("user") != user.pk or not may_import_orders(user) or not path.exists():
        raise Http404("No such import.")
    return StoredOrders(token=token, path=path, user_id=user.pk,
                        file_name=str(meta.get("file_name", "")))  # fmt: skip


def order_upload_discard(stored: StoredOrders) -> None:
    stored.path.unlink(missing_ok=True)
    stored.path.with_suffix(".json").unlink(missing_ok=True)
