"""Access-matrix rows for recruitment (format: ``magang/tests/access.py``)."""

from magang.recruitment.services.imports import import_store
from magang.tests.access import ALL, NATIONWIDE, SIGNED_IN, Entry, Literal
from magang.tests.world import World, document_for, xlsx_upload

OFFICER_A = frozenset({"officer_a"}) | NATIONWIDE
OFFICER_A_WRITES = frozenset({"officer_a", "central", "admin"})
IMPORTERS = frozenset({"officer_a", "officer_b", "central", "admin"})
NUMBER = "application_a.registration_number"
OWNER = frozenset({"candidate"})
CORRECTORS_A = frozenset({"officer_a", "central", "admin"})
APP = {"pk": "application_a"}
API_APP = {"application_id": "application_a"}


def build(world: World) -> None:
    from magang.recruitment.models import CorrectionRequest

    document = world.add(
        "document_a", document_for(world.application_a, by=world.users["candidate"])
    )
    world.round.required_documents.add(document.document_type)
    for name in ("registration_upload_preview", "registration_upload_commit"):
        stored = import_store(
            upload=xlsx_upload(), size=None, user=world.users["officer_a"], site=world.site_a,
            file_name="registrations.xlsx",
        )  # fmt: skip
        world.add(name, Literal(stored.token))
    world.add(
        "correction_a",
        CorrectionRequest.objects.create(
            candidate=world.candidate_a, site=world.site_a, field="phone", proposed="0812777000111"
        ),
    )


ENTRIES = [
    Entry("recruitment:rounds", allowed=ALL),
    Entry("recruitment:signup", allowed={"anonymous"}, redirected=SIGNED_IN),
    Entry("recruitment:register", {"site_id": "site_a"}, allowed=SIGNED_IN,
          redirected={"anonymous"}),
    Entry("recruitment:regency_options", allowed=SIGNED_IN),
    Entry("recruitment:my_application", {"application_id": "application_a"}, allowed=OWNER),
    Entry("recruitment:my_documents", {"application_id": "application_a"}, allowed=OWNER),
    Entry("recruitment:document_file", {"pk": "document_a"}, allowed=OWNER | OFFICER_A),
    Entry("recruitment:document_review", {"pk": "document_a"}, method="POST",
          data={"decision": "accept"}, allowed=OFFICER_A_WRITES),
    Entry("recruitment:application_list", allowed=OFFICER_A, shows=NUMBER),
    Entry("recruitment:application_detail", APP, allowed=OFFICER_A, redirected={"candidate"}),
    Entry("recruitment:application_verify", APP, method="POST", allowed=OFFICER_A_WRITES),
    Entry("recruitment:candidate_katakana", APP, method="POST", allowed=OFFICER_A_WRITES),
    Entry("recruitment:application_export_csv", allowed=OFFICER_A, shows=NUMBER),
    Entry("recruitment:application_export_xlsx", allowed=OFFICER_A, shows=NUMBER),
    Entry("recruitment:import_upload", allowed=IMPORTERS),
    Entry("recruitment:import_template", allowed=IMPORTERS),
    Entry("recruitment:import_preview", {"token": "registration_upload_preview"},
          allowed={"officer_a"}),
    Entry("recruitment:import_commit", {"token": "registration_upload_commit"},
          method="POST", allowed={"officer_a"}),
    Entry("recruitment:my_data", allowed=SIGNED_IN),
    Entry("recruitment:my_data_json", allowed=frozenset({"candidate", "candidate_other"})),
    Entry("recruitment:correction_list", allowed=CORRECTORS_A, shows="candidate_a.full_name"),
    Entry("recruitment:correction_detail", {"pk": "correction_a"}, allowed=CORRECTORS_A),
    Entry("recruitment:correction_detail", {"pk": "correction_a"}, method="POST",
          data={"decision": "accept"}, allowed=CORRECTORS_A),
    Entry("GET /api/v1/recruitment/me/applications", allowed=SIGNED_IN),
    Entry("GET /api/v1/recruitment/me/applications/{application_id}", API_APP, allowed=OWNER),
    Entry("POST /api/v1/recruitment/me/applications/{application_id}/documents/{type_code}",
          {"application_id": "application_a", "type_code": "document_a.document_type.code"},
          allowed=OWNER),
    Entry("GET /api/v1/recruitment/applications", allowed=OFFICER_A, shows=NUMBER),
    Entry("GET /api/v1/recruitment/applications/{application_id}", API_APP, allowed=OFFICER_A),
    Entry("POST /api/v1/recruitment/documents/{document_id}/review",
          {"document_id": "document_a"}, allowed=OFFICER_A_WRITES),
    Entry("POST /api/v1/recruitment/applications/{application_id}/verify", API_APP,
          allowed=OFFICER_A_WRITES),
]  # fmt: skip
