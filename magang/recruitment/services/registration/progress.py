"""Where a registration stands: the application's documents (their state, the missing ones)
and the wizard's draft between steps."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...models import Application, DocumentsState, RegistrationDraft, SelectionSite

if TYPE_CHECKING:
    from magang.accounts.models import User


def documents_state(application: Application) -> str:
    """Incomplete until every required document is uploaded; then by their review status."""
    required = set(application.round.required_documents.values_list("id", flat=True))
    if not required:
        return DocumentsState.VERIFIED  # the round asks for nothing to check
    documents = dict(application.documents.values_list("document_type_id", "status"))
    if not required <= set(documents):
        return DocumentsState.INCOMPLETE
    statuses = {documents[type_id] for type_id in required}
    if "rejected" in statuses:
        return DocumentsState.REJECTED
    if statuses == {"accepted"}:
        return DocumentsState.VERIFIED
    return DocumentsState.COMPLETE


def missing_documents(application: Application) -> list[Any]:
    uploaded = set(application.documents.values_list("document_type_id", flat=True))
    return [
        t for t in application.round.required_documents.order_by("order") if t.pk not in uploaded
    ]


def registration_draft_open(*, user: User, site: SelectionSite) -> RegistrationDraft:
    """The user's draft for this site, created empty on first visit."""
    draft, _created = RegistrationDraft.objects.get_or_create(user=user, site=site)
    return draft


def registration_draft_save(*, draft: RegistrationDraft, data: dict[str, Any], step: str) -> None:
    """Keep the answers so far. Only the candidate's own unfinished answers: no audit row
    until they submit (``registration_submit`` audits the result)."""
    draft.data = data
    draft.step = step
    draft.save(update_fields=["data", "step", "updated_at"])
