"""Building the API's outputs from applications, documents and journey events, in the
caller's language."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language

from .. import selectors
from ..models import Application, ApplicationStatus, Document, DocumentsState, JourneyEvent
from .schemas import (
    ApplicationDetailOut,
    ApplicationDocumentOut,
    ApplicationRowOut,
    DocumentTypeOut,
    EligibilityOut,
    FailureOut,
    HistoryOut,
    JourneyEventOut,
    MyApplicationDetailOut,
    MyApplicationOut,
    StaffEventOut,
)


def _document_out(document: Document) -> ApplicationDocumentOut:
    return ApplicationDocumentOut(
        id=document.pk,
        type_code=document.document_type.code,
        type_name=document.document_type.name_for(get_language()),
        status=Document.Status(document.status),
        rejection_reason=document.rejection_reason,
        content_type=document.content_type,
        size=document.size,
        updated_at=document.updated_at,
        reviewed_at=document.reviewed_at,
    )


def _eligibility_out(eligibility: dict[str, Any]) -> EligibilityOut:
    key = "id" if (get_language() or "").startswith("id") else "en"
    return EligibilityOut(
        checked=bool(eligibility),
        eligible=eligibility.get("eligible") if eligibility else None,
        failures=[
            FailureOut(rule=str(f.get("rule", "")), message=str(f.get(key) or f.get("en") or ""))
            for f in eligibility.get("failures", [])
        ],
    )


def _event_out(event: JourneyEvent) -> JourneyEventOut:
    return JourneyEventOut(
        from_status=event.from_status,
        to_status=ApplicationStatus(event.to_status),
        effective_on=event.effective_on,
        recorded_at=event.recorded_at,
        reason=event.reason,
    )


def _documents(
    application: Application,
) -> tuple[list[ApplicationDocumentOut], list[DocumentTypeOut]]:
    language = get_language()
    uploaded, missing = [], []
    for item in selectors.document_checklist(application=application):
        if item.document is not None:
            uploaded.append(_document_out(item.document))
        elif item.required:
            missing.append(
                DocumentTypeOut(
                    code=item.document_type.code, name=item.document_type.name_for(language)
                )
            )
    return uploaded, missing


def _my_out(application: Application) -> MyApplicationOut:
    return MyApplicationOut(
        id=application.pk,
        registration_number=application.registration_number,
        round_code=application.round.code,
        round_name=application.round.name,
        site_name=application.site.name,
        status=ApplicationStatus(application.status),
        status_label=str(application.get_status_display()),
        documents_state=DocumentsState(application.documents_state),
        submitted_at=application.submitted_at,
    )


def _my_detail_out(application: Application) -> MyApplicationDetailOut:
    documents, missing = _documents(application)
    return MyApplicationDetailOut(
        **_my_out(application).model_dump(),
        missing_documents=missing,
        rejected_documents=[d for d in documents if d.status == Document.Status.REJECTED],
        documents=documents,
        eligibility=_eligibility_out(application.eligibility or {}),
        events=[_event_out(e) for e in selectors.application_events(application=application)],
    )


def _detail_out(request: HttpRequest, application: Application) -> ApplicationDetailOut:
    documents, missing = _documents(application)
    return ApplicationDetailOut(
        **ApplicationRowOut.from_orm(application).model_dump(),
        name_katakana=application.candidate.name_katakana,
        warnings=[str(w) for w in application.warnings or []],
        eligibility=_eligibility_out(application.eligibility or {}),
        missing_documents=missing,
        documents=documents,
        events=[
            StaffEventOut(**_event_out(e).model_dump(), actor=str(e.actor) if e.actor else None)
            for e in selectors.application_events(application=application)
        ],
        history=[
            HistoryOut(
                id=other.pk,
                registration_number=other.registration_number,
                round_code=other.round.code,
                site_name=other.site.name,
                status=ApplicationStatus(other.status),
            )
            for other in selectors.candidate_history(user=request.user, application=application)
        ],
        can_change=selectors.can_change_application(user=request.user, application=application),
    )
