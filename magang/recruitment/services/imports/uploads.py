"""Who may import where, and the uploaded files waiting for their preview and commit.

An upload is kept under ``MEDIA_ROOT/imports/`` (outside the web root), named by a random
token, never by the user's file name; a small JSON file beside it ties the token to the
uploader and the site. Only that user, while still allowed to import into that site, can
open it; anyone else gets "not found", as for a token that never existed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from magang.accounts.models import Role
from magang.accounts.scopes import scope_for

from ...models import SelectionSite
from ...selectors import site_scope
from .reading import import_check_size, import_check_xlsx, max_import_bytes

if TYPE_CHECKING:
    from magang.accounts.models import User

TOKEN = re.compile(r"[0-9a-f]{40}")
# Uploads never committed are removed after this long.
UPLOAD_MAX_AGE = dt.timedelta(days=1)


def importable_sites(*, user: Any) -> QuerySet[SelectionSite]:
    """Sites the user may import into: a regional officer's own sites; any site for the
    central team and administrators; none for anyone else (leadership only reads)."""
    scope = scope_for(user)
    if scope.has_role(Role.CENTRAL_TEAM, Role.ADMINISTRATOR):
        return site_scope(user=user)
    if scope.has_role(Role.REGIONAL_OFFICER):
        return site_scope(user=user).filter(
            organisation_id__in=scope.organisations(Role.REGIONAL_OFFICER)
        )
    return SelectionSite.objects.none()


@dataclass(frozen=True)
class StoredImport:
    """An uploaded file waiting for its preview and commit."""

    token: str
    path: Path
    site: SelectionSite
    user_id: int
    file_name: str
    sha256: str
    size: int


def _directory() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def import_store(
    *, upload: IO[bytes], size: int | None, user: User, site: SelectionSite, file_name: str
) -> StoredImport:
    """Keep an upload privately for its preview: the size is checked before reading (and
    again while copying), then the content must be an XLSX workbook.

    Raises ``ImportFileError`` (nothing is kept) or ``PermissionDenied``.
    """
    if not importable_sites(user=user).filter(pk=site.pk).exists():
        raise PermissionDenied
    import_check_size(size)
    directory = _directory()
    directory.mkdir(parents=True, exist_ok=True)
    _remove_stale(directory)
    token = secrets.token_hex(20)
    path = directory / f"{token}.xlsx"
    digest = hashlib.sha256()
    written = 0
    limit = max_import_bytes()
    try:
        with path.open("wb") as out:
            while chunk := upload.read(1024 * 1024):
                written += len(chunk)
                if written > limit:
                    import_check_size(written)
                digest.update(chunk)
                out.write(chunk)
        import_check_xlsx(path)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    stored = StoredImport(
        token=token,
        path=path,
        site=site,
        user_id=user.pk,
        file_name=Path(file_name).name[:200],
        sha256=digest.hexdigest(),
        size=written,
    )
    meta = {"user": user.pk, "site": site.pk, "file_name": stored.file_name,
            "sha256": stored.sha256, "size": written}  # fmt: skip
    path.with_suffix(".json").write_text(json.dumps(meta), encoding="utf-8")
    return stored


def access_import(*, user: Any, token: str) -> StoredImport:
    """The stored upload if it is this user's, for a site they may still import into;
    ``Http404`` otherwise (missing and not yours alike)."""
    if not TOKEN.fullmatch(token) or not user.is_authenticated:
        raise Http404("No such import.")
    path = _directory() / f"{token}.xlsx"
    try:
        meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise Http404("No such import.") from None
    site = importable_sites(user=user).select_related("round").filter(pk=meta["site"]).first()
    if meta["user"] != user.pk or site is None or not path.exists():
        raise Http404("No such import.")
    return StoredImport(
        token=token,
        path=path,
        site=site,
        user_id=user.pk,
        file_name=meta["file_name"],
        sha256=meta["sha256"],
        size=meta["size"],
    )


def import_discard(stored: StoredImport) -> None:
    stored.path.unlink(missing_ok=True)
    stored.path.with_suffix(".json").unlink(missing_ok=True)


def _remove_stale(directory: Path) -> None:
    cutoff = time.time() - UPLOAD_MAX_AGE.total_seconds()
    for path in directory.iterdir():
        try:
            if path.suffix in (".xlsx", ".json") and path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
        except OSError:
            continue
