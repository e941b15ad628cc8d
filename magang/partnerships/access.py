"""Who may see and change cooperation agreements, and who reads which prefecture figures.

- The central team and administrators create and change agreements; leadership reads them
  all. Together they are the *ministry roles*, who also read exact figures, host company
  names and incidents on the prefecture pages.
- A partner (supervising organisation) or a host company reads the signed agreements that
  name its organisation as a party, with their documents. Drafts stay inside the ministry.
- Anyone, logged in or not, reads the public list: title, kind, parties and dates of the
  signed agreements marked public, never their scope text or documents.

``access_agreement`` answers "missing" and "not yours" alike (404).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from magang.accounts.models import Role
from magang.accounts.scopes import Scope, scope_for

from .models import Agreement, AgreementDocument, AgreementStatus

EDITOR_ROLES = (Role.CENTRAL_TEAM, Role.ADMINISTRATOR)
MINISTRY_ROLES = (Role.CENTRAL_TEAM, Role.LEADERSHIP, Role.ADMINISTRATOR)
PARTY_ROLES = (Role.PARTNER, Role.HOST_COMPANY)
READER_ROLES = (*MINISTRY_ROLES, *PARTY_ROLES)
# Leadership compares prefectures; the central team and administrators may too.
COMPARE_ROLES = MINISTRY_ROLES
# Primary keys are 64-bit: a larger number in a URL is simply not found (not a database error).
MAX_PK = 2**63 - 1


def is_ministry(scope: Scope) -> bool:
    return scope.has_role(*MINISTRY_ROLES)


def may_edit(user: Any) -> bool:
    return scope_for(user).has_role(*EDITOR_ROLES)


def public_agreements() -> QuerySet[Agreement]:
    """Agreements anyone may see listed: signed (or since terminated) and marked public."""
    return Agreement.objects.filter(is_public=True).exclude(status=AgreementStatus.DRAFT)


def agreement_scope(*, user: Any) -> QuerySet[Agreement]:
    """Agreements the user reads in full: all for ministry roles; for a partner or a host
    company the signed ones naming its organisation; none for anyone else."""
    scope = scope_for(user)
    if is_ministry(scope):
        return Agreement.objects.all()
    organisations = scope.organisations(*PARTY_ROLES)
    if not organisations:
        return Agreement.objects.none()
    named = Agreement.objects.filter(organisations__in=organisations).values("pk")
    return Agreement.objects.filter(pk__in=named).exclude(status=AgreementStatus.DRAFT)


def access_agreement(*, user: Any, pk: int, write: bool = False) -> Agreement:
    """The agreement, or 404 when the user may not read it; 403 when ``write`` and the user
    reads it but may not change it."""
    if not 0 < pk <= MAX_PK:
        raise Http404("No such agreement.")
    agreement = (
        agreement_scope(user=user)
        .select_related("prefecture", "indonesian_province")
        .filter(pk=pk)
        .first()
    )
    if agreement is None:
        raise Http404("No such agreement.")
    if write and not may_edit(user):
        raise PermissionDenied
    return agreement


def access_agreement_document(*, user: Any, pk: int, write: bool = False) -> AgreementDocument:
    """A document of an agreement the user reads in full (404 otherwise)."""
    if not 0 < pk <= MAX_PK:
        raise Http404("No such document.")
    document = (
        AgreementDocument.objects.select_related("agreement")
        .filter(pk=pk, agreement__in=agreement_scope(user=user))
        .first()
    )
    if document is None:
        raise Http404("No such document.")
    if write and not may_edit(user):
        raise PermissionDenied
    return document
