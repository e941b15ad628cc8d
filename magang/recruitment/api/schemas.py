"""The recruitment API's input and output schemas. Inputs forbid unknown fields, so a
caller cannot slip in a status."""

# No "from __future__ import annotations": Ninja reads the endpoint signatures at import.
import datetime as dt

from ninja import Field, Schema
from pydantic import ConfigDict

from .. import selectors
from ..models import Application, ApplicationStatus, Document, DocumentsState


class ErrorOut(Schema):
    detail: str


class DocumentTypeOut(Schema):
    code: str
    name: str


class ApplicationDocumentOut(Schema):
    id: int
    type_code: str
    type_name: str
    status: Document.Status
    rejection_reason: str = Field(description="Why it was rejected; empty unless rejected.")
    content_type: str
    size: int = Field(description="Bytes, after images were re-encoded.")
    updated_at: dt.datetime = Field(
        description="Changes on every upload and review; send it back as seen_updated_at."
    )
    reviewed_at: dt.datetime | None


class FailureOut(Schema):
    rule: str
    message: str = Field(description="In Indonesian when the request asks for it, else English.")


class EligibilityOut(Schema):
    checked: bool = Field(description="False when the round has no eligibility rules.")
    eligible: bool | None
    failures: list[FailureOut]


class JourneyEventOut(Schema):
    from_status: str
    to_status: ApplicationStatus
    effective_on: dt.date
    recorded_at: dt.datetime
    reason: str


class StaffEventOut(JourneyEventOut):
    actor: str | None


class MyApplicationOut(Schema):
    id: int
    registration_number: str
    round_code: str
    round_name: str
    site_name: str
    status: ApplicationStatus
    status_label: str
    documents_state: DocumentsState
    submitted_at: dt.datetime | None


class MyApplicationDetailOut(MyApplicationOut):
    missing_documents: list[DocumentTypeOut]
    rejected_documents: list[ApplicationDocumentOut]
    documents: list[ApplicationDocumentOut]
    eligibility: EligibilityOut
    events: list[JourneyEventOut]


class ApplicationOut(Schema):
    id: int
    registration_number: str
    nik: str
    full_name: str
    family_name: str
    sex: str
    birth_date: dt.date
    province: str
    regency: str | None
    site_id: int
    site_name: str
    round_code: str
    status: ApplicationStatus
    documents_state: DocumentsState
    warnings_count: int
    submitted_at: dt.datetime | None


class ApplicationRowOut(ApplicationOut):
    """A list row, read straight from the ORM (the resolvers follow the relations)."""

    @staticmethod
    def resolve_nik(obj: Application) -> str:
        return str(obj.candidate.nik)

    @staticmethod
    def resolve_full_name(obj: Application) -> str:
        return obj.candidate.full_name

    @staticmethod
    def resolve_family_name(obj: Application) -> str:
        return obj.candidate.family_name

    @staticmethod
    def resolve_sex(obj: Application) -> str:
        return obj.candidate.sex

    @staticmethod
    def resolve_birth_date(obj: Application) -> dt.date:
        return obj.candidate.birth_date

    @staticmethod
    def resolve_province(obj: Application) -> str:
        return obj.candidate.province.name

    @staticmethod
    def resolve_regency(obj: Application) -> str | None:
        return obj.candidate.regency.name if obj.candidate.regency else None

    @staticmethod
    def resolve_site_name(obj: Application) -> str:
        return obj.site.name

    @staticmethod
    def resolve_round_code(obj: Application) -> str:
        return obj.round.code

    @staticmethod
    def resolve_warnings_count(obj: Application) -> int:
        return len(obj.warnings) if isinstance(obj.warnings, list) else 0


class HistoryOut(Schema):
    id: int
    registration_number: str
    round_code: str
    site_name: str
    status: ApplicationStatus


class ApplicationDetailOut(ApplicationOut):
    name_katakana: str
    warnings: list[str] = Field(description="For the officer: NIK mismatches, earlier attempts.")
    eligibility: EligibilityOut
    missing_documents: list[DocumentTypeOut]
    documents: list[ApplicationDocumentOut]
    events: list[StaffEventOut]
    history: list[HistoryOut] = Field(description="The same person's other applications.")
    can_change: bool = Field(description="Whether the caller may review and verify it.")


class ApplicationQuery(Schema):
    status: ApplicationStatus | None = None
    round: str | None = Field(None, max_length=40, description="Round code.")
    site: int | None = Field(None, ge=1, le=999_999_999, description="Selection site id.")
    q: str | None = Field(
        None, max_length=100, description="Registration number, NIK or part of the name."
    )
    documents_state: DocumentsState | None = None
    has_warnings: bool | None = None

    def filters(self) -> selectors.ApplicationFilters:
        return selectors.ApplicationFilters(
            status=self.status.value if self.status else "",
            round_code=self.round or "",
            site_id=self.site,
            query=self.q or "",
            documents_state=self.documents_state.value if self.documents_state else "",
            has_warnings=self.has_warnings,
        )


class ReviewIn(Schema):
    model_config = ConfigDict(extra="forbid")

    accept: bool
    reason: str = Field("", max_length=1000, description="Required when rejecting.")
    seen_updated_at: dt.datetime | None = Field(
        None,
        description="The document's updated_at as the reviewer saw it; when it changed "
        "since (another review, a new upload) the review is refused with 409.",
    )


class ReviewOut(Schema):
    document: ApplicationDocumentOut
    documents_state: DocumentsState


class VerifyIn(Schema):
    model_config = ConfigDict(extra="forbid")

    note: str = Field("", max_length=500)
