"""The rules of agreements: who writes, what a signed or terminated agreement needs, what a
document must be. A refused write leaves the database as it was."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import Cast
from magang import factories as f
from magang.accounts.models import Organisation
from magang.core.models import AuditEntry
from magang.partnerships.models import (
    Agreement,
    AgreementDocument,
    AgreementKind,
    AgreementState,
    AgreementStatus,
)
from magang.partnerships.services import (
    AgreementData,
    agreement_document_add,
    agreement_document_remove,
    agreement_save,
    agreement_terminate,
)

from .conftest import PDF_BYTES, MakeAgreement

pytestmark = pytest.mark.django_db


def data(**overrides: object) -> AgreementData:
    values: dict[str, object] = {
        "title": "Miyagi MoC",
        "kind": AgreementKind.MOC,
        "status": AgreementStatus.SIGNED,
        "prefecture": f.prefecture("04"),
        "signed_on": dt.date(2023, 7, 10),
        "valid_from": dt.date(2023, 7, 10),
    }
    values.update(overrides)
    return AgreementData(**values)  # type: ignore[arg-type]


def test_it_lets_the_central_team_record_an_agreement_with_an_audit_row(cast: Cast) -> None:
    agreement = agreement_save(
        data=data(organisations=[cast.imjapan], trades=[f.trade()], intern_quota=300),
        by=cast.central,
    )
    assert agreement.status == AgreementStatus.SIGNED
    assert list(agreement.organisations.all()) == [cast.imjapan]
    assert agreement.trades.count() == 1
    entry = AuditEntry.objects.get(action="partnerships.agreement_create")
    assert entry.actor_id == cast.central.pk
    assert entry.changes["title"] == [None, "Miyagi MoC"]


@pytest.mark.parametrize("who", ["leadership", "partner", "host", "officer_jabar", "outsider"])
def test_it_refuses_writers_other_than_central_team_and_administrators(
    cast: Cast, who: str
) -> None:
    with pytest.raises(PermissionDenied):
        agreement_save(data=data(), by=getattr(cast, who))
    assert not Agreement.objects.exists()


def test_administrators_may_write(cast: Cast) -> None:
    assert agreement_save(data=data(), by=cast.admin).pk


def test_it_needs_a_japanese_party(cast: Cast) -> None:
    with pytest.raises(ValidationError) as exc:
        agreement_save(data=data(prefecture=None), by=cast.central)
    assert "Name the Japanese party" in str(exc.value)
    assert not Agreement.objects.exists()


def test_an_organisation_alone_is_a_japanese_party(cast: Cast) -> None:
    agreement = agreement_save(
        data=data(prefecture=None, organisations=[cast.imjapan]), by=cast.central
    )
    assert agreement.prefecture is None


def test_only_japanese_organisations_are_japanese_parties(cast: Cast) -> None:
    office = Organisation.objects.get(name="Disnaker Jawa Barat")
    with pytest.raises(ValidationError) as exc:
        agreement_save(data=data(organisations=[office]), by=cast.central)
    assert "Disnaker Jawa Barat" in str(exc.value)
    assert not Agreement.objects.exists()


def test_a_signed_agreement_needs_its_dates(cast: Cast) -> None:
    with pytest.raises(ValidationError) as exc:
        agreement_save(data=data(signed_on=None, valid_from=None), by=cast.central)
    assert set(exc.value.message_dict) == {"signed_on", "valid_from"}


def test_a_draft_needs_no_dates(cast: Cast) -> None:
    draft = agreement_save(
        data=data(status=AgreementStatus.DRAFT, signed_on=None, valid_from=None),
        by=cast.central,
    )
    assert draft.state_on(dt.date(2026, 1, 1)) == AgreementState.DRAFT


def test_it_refuses_a_signing_date_in_the_future(cast: Cast) -> None:
    with pytest.raises(ValidationError) as exc:
        agreement_save(data=data(signed_on=dt.date(2999, 1, 1)), by=cast.central)
    assert "future" in str(exc.value)


def test_it_refuses_an_end_before_the_start(cast: Cast) -> None:
    with pytest.raises(ValidationError) as exc:
        agreement_save(data=data(valid_until=dt.date(2022, 1, 1)), by=cast.central)
    assert "2022-01-01" in str(exc.value)
    assert not Agreement.objects.exists()


def test_a_draft_cannot_be_public(cast: Cast) -> None:
    with pytest.raises(ValidationError):
        agreement_save(data=data(status=AgreementStatus.DRAFT, is_public=True), by=cast.central)


def test_the_database_refuses_a_public_draft_too(cast: Cast) -> None:
    from django.db import IntegrityError, transaction

    agreement = agreement_save(data=data(status=AgreementStatus.DRAFT), by=cast.central)
    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.filter(pk=agreement.pk).update(is_public=True)


def test_a_signed_agreement_does_not_go_back_to_draft(
    cast: Cast, make_agreement: MakeAgreement
) -> None:
    agreement = make_agreement()
    with pytest.raises(ValidationError) as exc:
        agreement_save(
            agreement=agreement, data=data(status=AgreementStatus.DRAFT), by=cast.central
        )
    assert "terminate" in str(exc.value)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED


def test_a_change_is_audited_with_before_and_after(
    cast: Cast, make_agreement: MakeAgreement
) -> None:
    agreement = make_agreement()
    agreement_save(agreement=agreement, data=data(title="Miyagi MoC (rev.)"), by=cast.central)
    entry = AuditEntry.objects.get(action="partnerships.agreement_change")
    assert entry.changes["title"] == ["Miyagi MoC", "Miyagi MoC (rev.)"]


def test_state_follows_the_dates(make_agreement: MakeAgreement) -> None:
    agreement = make_agreement(valid_from=dt.date(2023, 8, 1), valid_until=dt.date(2028, 7, 31))
    assert agreement.state_on(dt.date(2023, 7, 20)) == AgreementState.NOT_YET_IN_FORCE
    assert agreement.state_on(dt.date(2023, 8, 1)) == AgreementState.IN_FORCE
    assert agreement.state_on(dt.date(2028, 7, 31)) == AgreementState.IN_FORCE
    assert agreement.state_on(dt.date(2028, 8, 1)) == AgreementState.EXPIRED


def test_termination_needs_a_reason_and_freezes_the_agreement(
    cast: Cast, make_agreement: MakeAgreement
) -> None:
    agreement = make_agreement()
    with pytest.raises(ValidationError):
        agreement_terminate(
            agreement=agreement, on=dt.date(2025, 1, 1), reason=" ", by=cast.central
        )
    ended = agreement_terminate(
        agreement=agreement, on=dt.date(2025, 1, 1), reason="Replaced by the 2025 MoC",
        by=cast.central,
    )  # fmt: skip
    assert ended.state_on(dt.date(2024, 1, 1)) == AgreementState.TERMINATED
    with pytest.raises(ValidationError) as exc:
        agreement_save(agreement=ended, data=data(title="Changed"), by=cast.central)
    assert "terminated" in str(exc.value)
    with pytest.raises(ValidationError):
        agreement_terminate(agreement=ended, on=dt.date(2025, 2, 1), reason="x", by=cast.central)


def test_termination_cannot_precede_signing(cast: Cast, make_agreement: MakeAgreement) -> None:
    agreement = make_agreement()
    with pytest.raises(ValidationError) as exc:
        agreement_terminate(
            agreement=agreement, on=dt.date(2020, 1, 1), reason="x", by=cast.central
        )
    assert "2023-07-10" in str(exc.value)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED


def test_leadership_cannot_terminate(cast: Cast, make_agreement: MakeAgreement) -> None:
    with pytest.raises(PermissionDenied):
        agreement_terminate(
            agreement=make_agreement(), on=dt.date(2025, 1, 1), reason="x", by=cast.leadership
        )


def test_a_pdf_is_stored_privately_with_its_digest(
    cast: Cast, make_agreement: MakeAgreement
) -> None:
    agreement = make_agreement()
    document = agreement_document_add(
        agreement=agreement, title="Signed text", upload=io.BytesIO(PDF_BYTES),
        size=len(PDF_BYTES), by=cast.central,
    )  # fmt: skip
    assert document.file.name.startswith(f"agreements/{agreement.pk}/")
    assert document.file.name.endswith(".pdf")
    with pytest.raises(ValueError, match="no URL"):
        document.file.url  # noqa: B018
    with document.file.open("rb") as handle:
        assert handle.read() == PDF_BYTES
    assert len(document.sha256) == 64
    assert AuditEntry.objects.filter(action="partnerships.document_add").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n" + b"0" * 100, "not one"),
        (b"<html><script>alert(1)</script>", "not one"),
        (b"%PDF-1.4\n1 0 obj <<>> endobj\n", "incomplete"),
    ],
)
def test_it_refuses_what_is_not_a_complete_pdf(
    cast: Cast, make_agreement: MakeAgreement, content: bytes, message: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        agreement_document_add(
            agreement=make_agreement(), title="Signed text", upload=io.BytesIO(content),
            size=len(content), by=cast.central,
        )  # fmt: skip
    assert message in str(exc.value)
    assert not AgreementDocument.objects.exists()


def test_it_refuses_a_file_over_the_limit(
    cast: Cast, make_agreement: MakeAgreement, settings: object
) -> None:
    settings.MAGANG_MAX_UPLOAD_BYTES = 32  # type: ignore[attr-defined]
    with pytest.raises(ValidationError) as exc:
        agreement_document_add(
            agreement=make_agreement(), title="Signed text", upload=io.BytesIO(PDF_BYTES),
            size=len(PDF_BYTES), by=cast.central,
        )  # fmt: skip
    assert "larger" in str(exc.value)


def test_a_document_needs_a_title_and_an_editor(cast: Cast, make_agreement: MakeAgreement) -> None:
    agreement = make_agreement()
    with pytest.raises(ValidationError):
        agreement_document_add(
            agreement=agreement, title=" ", upload=io.BytesIO(PDF_BYTES), size=None,
            by=cast.central,
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        agreement_document_add(
            agreement=agreement, title="x", upload=io.BytesIO(PDF_BYTES), size=None,
            by=cast.partner,
        )  # fmt: skip
    assert not AgreementDocument.objects.exists()


def test_removing_a_document_needs_a_reason_and_is_audited(
    cast: Cast, make_agreement: MakeAgreement, django_capture_on_commit_callbacks: object
) -> None:
    document = agreement_document_add(
        agreement=make_agreement(), title="Wrong file", upload=io.BytesIO(PDF_BYTES),
        size=None, by=cast.central,
    )  # fmt: skip
    storage, name = document.file.storage, document.file.name
    with pytest.raises(ValidationError):
        agreement_document_remove(document=document, reason="", by=cast.central)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        agreement_document_remove(document=document, reason="Wrong file", by=cast.central)
    assert not AgreementDocument.objects.exists()
    assert not storage.exists(name)
    assert AuditEntry.objects.get(action="partnerships.document_remove").reason == "Wrong file"
