"""Access-matrix rows for partnerships (format: ``magang/tests/access.py``).

Miyagi's agreement (public) names partner A; Aichi's (not public) names partner B. Partner A
reads only the first in full; everyone reads Miyagi's public page; only ministry roles and
partner B open Aichi's page.
"""

import datetime as dt
import io

from magang import factories as f
from magang.partnerships.models import AgreementKind, AgreementStatus
from magang.partnerships.services import AgreementData, agreement_document_add, agreement_save
from magang.tests.access import ALL, NATIONWIDE, STAFF_NATIONWIDE_WRITE, Entry, Literal
from magang.tests.world import World

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
READ_A = NATIONWIDE | {"partner_a"}
AICHI_READERS = NATIONWIDE | {"partner_b"}
AGREEMENT = {"pk": "agreement_a"}
MIYAGI = {"code": Literal("04")}
AICHI = {"code": Literal("23")}


def form(world: World) -> dict[str, object]:
    return {
        "title": "Miyagi MoC (access matrix)", "kind": "moc", "status": "signed",
        "prefecture": f.prefecture("04").pk, "organisations": [world.partner_org_a.pk],
        "signed_on": "2023-08-01", "valid_from": "2023-08-01",
    }  # fmt: skip


def build(world: World) -> None:
    miyagi = world.add(
        "agreement_a",
        agreement_save(
            data=AgreementData(
                title="MATRIX-AGREEMENT-Miyagi-MoC", kind=AgreementKind.MOC,
                status=AgreementStatus.SIGNED, prefecture=f.prefecture("04"),
                organisations=[world.partner_org_a], signed_on=dt.date(2023, 8, 1),
                valid_from=dt.date(2023, 8, 1), is_public=True,
            ),
            by=None,
        ),
    )  # fmt: skip
    world.add(
        "agreement_b",
        agreement_save(
            data=AgreementData(
                title="MATRIX-AGREEMENT-Aichi-MoU", kind=AgreementKind.MOU,
                status=AgreementStatus.SIGNED, prefecture=f.prefecture("23"),
                organisations=[world.partner_org_b], signed_on=dt.date(2024, 1, 1),
                valid_from=dt.date(2024, 1, 1),
            ),
            by=None,
        ),
    )  # fmt: skip
    world.add(
        "agreement_document_a",
        agreement_document_add(
            agreement=miyagi, title="Signed text", upload=io.BytesIO(PDF), size=len(PDF), by=None
        ),
    )


ENTRIES = [
    Entry("partnerships:index", allowed=ALL),
    Entry("partnerships:prefecture_detail", MIYAGI, ALL, note="public partner prefecture"),
    Entry("partnerships:prefecture_detail", AICHI, AICHI_READERS, note="non-public agreement"),
    Entry("partnerships:compare", allowed=NATIONWIDE),
    Entry("partnerships:agreement_list", allowed=READ_A, shows="agreement_a.title"),
    Entry("partnerships:agreement_detail", AGREEMENT, READ_A),
    Entry("partnerships:agreement_create", allowed=STAFF_NATIONWIDE_WRITE),
    Entry("partnerships:agreement_create", method="POST", data=form,
          allowed=STAFF_NATIONWIDE_WRITE),
    Entry("partnerships:agreement_edit", AGREEMENT, STAFF_NATIONWIDE_WRITE),
    Entry("partnerships:agreement_edit", AGREEMENT, STAFF_NATIONWIDE_WRITE, method="POST",
          data=form),
    # The first allowed role terminates; the next is told it is no longer signed (a redirect).
    Entry("partnerships:agreement_terminate", AGREEMENT, STAFF_NATIONWIDE_WRITE, method="POST",
          data={"on": "2026-01-31", "reason": "Replaced"}),
    # Without a file the form is refused with a message on the agreement's page.
    Entry("partnerships:document_upload", AGREEMENT, STAFF_NATIONWIDE_WRITE, method="POST",
          data={"title": "Annex"}),
    Entry("partnerships:document_file", {"pk": "agreement_document_a"}, READ_A),
    # Without a reason the removal is refused (the document stays for the next role).
    Entry("partnerships:document_remove", {"pk": "agreement_document_a"},
          STAFF_NATIONWIDE_WRITE, method="POST", data={"reason": ""}),
    Entry("GET /api/v1/partnerships/public/agreements", allowed=ALL),
    Entry("GET /api/v1/partnerships/agreements", allowed=READ_A, shows="agreement_a.title"),
    Entry("GET /api/v1/partnerships/agreements/{agreement_id}",
          {"agreement_id": "agreement_a"}, READ_A),
    Entry("GET /api/v1/partnerships/prefectures/{code}", MIYAGI, ALL, note="public"),
    Entry("GET /api/v1/partnerships/prefectures/{code}", AICHI, AICHI_READERS,
          note="non-public agreement"),
]  # fmt: skip
