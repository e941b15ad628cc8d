"""Access-matrix rows for internships: the stay, cases and alumni (format:
``magang/tests/access.py``; the rules: ``access.py``, ``cases_access.py``, ``alumni_access.py``).

The world gains, on an earlier round so the 2026 applications of the core world keep their
status: candidate A in Japan at host company A under partner A (registered at site A), with a
monitoring visit overdue; candidate B in Japan at host company B under partner B (site B);
three cases about A's stay (a grievance about host company A shared with the partner, one the
intern did not share, a health case shared with the partner); candidate A's earlier stay,
ended and returned with an eligible grant (so candidate A is also an alumnus); another site-A
intern whose stay ended and whose return is not recorded yet; and a job event.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from magang import factories as f
from magang.internships.models import (
    BusinessGrant,
    GrantScheme,
    JobEvent,
    MonitoringDuty,
)
from magang.internships.services import alumni as alumni_services
from magang.internships.services import cases as case_services
from magang.recruitment.journey import Status
from magang.tests.access import NATIONWIDE, Entry, Literal
from magang.tests.world import SENTINELS, World

# Text of the cases that must reach only those the case rules allow (never host company A;
# the unshared one never partner A).
GRIEVANCE = "GRIEVANCE-SENTINEL-unpaid-overtime-3318"
UNSHARED = "UNSHARED-SENTINEL-private-6620"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 40)).save(out, format="PNG")
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

CENTRAL = frozenset({"central"})
OWNER = frozenset({"candidate"})
# Who reads internship A: its site's officer, its partner, its host company, the intern and
# nationwide staff.
STAY_A = frozenset({"officer_a", "partner_a", "host_a"}) | NATIONWIDE
STAY_MANAGERS_A = frozenset({"partner_a", "central"})
CASE_STAFF = frozenset({"officer_a", "officer_b", "partner_a", "partner_b"}) | NATIONWIDE
# A case the intern shared with the partner; host companies never.
SHARED_CASE_A = frozenset({"candidate", "officer_a", "partner_a"}) | NATIONWIDE
UNSHARED_CASE_A = frozenset({"candidate", "officer_a"}) | NATIONWIDE
CASE_MANAGERS_A = frozenset({"officer_a", "central", "admin"})
CASE_WRITERS_A = SHARED_CASE_A - {"leadership"}
RETURNS_A = frozenset({"officer_a"}) | NATIONWIDE
RETURN_RECORDERS_A = frozenset({"officer_a", "central", "admin"})
# Directory and job events: alumni (candidate A), ministry staff and partners.
ALUMNI_READERS = frozenset({"candidate", "officer_a", "officer_b", "partner_a", "partner_b"}) | (
    NATIONWIDE
)
EVENT_ORGANISERS = frozenset({"central", "officer_a", "officer_b", "partner_a", "partner_b"})
MARKER = "internship_a.application.registration_number"
RETURNED_MARKER = "returned_a.application.registration_number"
STAY = {"pk": "internship_a"}
API_STAY = {"internship_id": "internship_a"}
CASE = {"case_id": "case_a"}


def _intern(world: World, *, name: str, candidate: Any, site: Any, host: Any, partner: Any,
            status: str, departed_on: dt.date) -> Any:  # fmt: skip
    application = f.ApplicationFactory(
        site=site, candidate=candidate, status=status, round=site.round
    )
    internship = f.InternshipFactory(
        application=application, supervising_organisation=partner, host_company=host,
        prefecture=host.prefecture, departed_on=departed_on,
    )  # fmt: skip
    return world.add(name, internship)


def build(world: World) -> None:
    today = timezone.localdate()
    past = f.RoundFactory(year=2022, programme=world.round.programme)
    older = f.RoundFactory(year=2019, programme=world.round.programme)
    site_a = f.SiteFactory(round=past, organisation=world.office_a, name="Bandung 2022")
    site_b = f.SiteFactory(
        round=past, organisation=world.office_b, name="Semarang 2022", province=f.province("33")
    )
    site_a_old = f.SiteFactory(round=older, organisation=world.office_a, name="Bandung 2019")
    intern_a = _intern(
        world, name="internship_a", candidate=world.candidate_a, site=site_a,
        host=world.host_org_a, partner=world.partner_org_a, status=Status.IN_JAPAN.value,
        departed_on=dt.date(2023, 9, 21),
    )  # fmt: skip
    _intern(
        world, name="internship_b", candidate=world.application_b.candidate, site=site_b,
        host=world.host_org_b, partner=world.partner_org_b, status=Status.IN_JAPAN.value,
        departed_on=dt.date(2023, 9, 21),
    )  # fmt: skip
    world.add(
        "duty_a",
        MonitoringDuty.objects.create(
            internship=intern_a, supervising_organisation=world.partner_org_a,
            host_company=world.host_org_a, kind="visit", sequence=1,
            due_on=today - dt.timedelta(days=40), overdue_from=today - dt.timedelta(days=10),
        ),
    )  # fmt: skip

    intern = world.users["candidate"]
    world.add(
        "case_a",
        case_services.case_file(
            internship=intern_a, by=intern, kind="grievance", category="wages",
            severity="medium", description=GRIEVANCE, about_host_company=True,
            share_with_partner=True,
            uploads=[case_services.Upload(file=io.BytesIO(_png()), size=None)],
        ),
    )  # fmt: skip
    world.add("attachment_a", world.case_a.attachments.get())
    # What the intern's own pages print for their stay and their case (ids, unique).
    world.add("my_stay_marker", Literal(f'id="my-stay-{intern_a.pk}"'))
    world.add("my_case_marker", Literal(f'data-case="{world.case_a.pk}"'))
    world.add(
        "case_unshared",
        case_services.case_file(
            internship=intern_a, by=intern, kind="grievance", category="harassment",
            severity="high", description=UNSHARED, about_host_company=True,
            share_with_partner=False,
        ),
    )  # fmt: skip
    world.add(
        "case_health",
        case_services.case_file(
            internship=intern_a, by=intern, kind="incident", category="health",
            severity="high", description="Breathing trouble at work.",
            health_details=SENTINELS["medical"], share_with_partner=True,
        ),
    )  # fmt: skip

    # Candidate A's earlier stay, ended and returned: the grant and the alumni profile.
    GrantScheme.objects.create(
        programme=world.round.programme, year=today.year, amount=Decimal(10_000_000),
        min_months_in_japan=33,
    )  # fmt: skip
    returned = _intern(
        world, name="returned_a", candidate=world.candidate_a, site=site_a_old,
        host=world.host_org_a, partner=world.partner_org_a, status=Status.COMPLETED.value,
        departed_on=today - dt.timedelta(days=365 * 3 + 30),
    )  # fmt: skip
    returned.ended_on = today - dt.timedelta(days=20)
    returned.end_reason = "completed"
    returned.save(update_fields=["ended_on", "end_reason"])
    alumni_services.return_record(
        internship=returned, returned_on=today - dt.timedelta(days=18),
        by=world.users["central"], certificate_number="OTIT-ACCESS-1",
        certificate=case_services.Upload(file=SimpleUploadedFile("c.pdf", PDF), size=len(PDF)),
    )  # fmt: skip
    world.add("grant_a", BusinessGrant.objects.get(return_record__internship=returned))
    ended = _intern(
        world, name="ended_a", candidate=f.CandidateFactory(), site=site_a_old,
        host=world.host_org_a, partner=world.partner_org_a, status=Status.COMPLETED.value,
        departed_on=today - dt.timedelta(days=365 * 3 + 30),
    )  # fmt: skip
    ended.ended_on = today - dt.timedelta(days=10)
    ended.end_reason = "completed"
    ended.save(update_fields=["ended_on", "end_reason"])
    world.add(
        "job_event",
        JobEvent.objects.create(
            title="Job fair ACCESS-EVENT-41", venue="Bandung", province=f.province("32"),
            starts_at=timezone.now() + dt.timedelta(days=30), created_by=world.users["central"],
        ),
    )  # fmt: skip


def new_case(world: World) -> dict[str, object]:
    return {
        "internship_id": world.internship_a.pk, "category": "wages", "severity": "low",
        "description": "Access matrix case.",
    }  # fmt: skip


def status_batch(world: World) -> dict[str, object]:
    number = world.internship_a.application.registration_number
    return {"items": [{"registration_number": number, "action": "found",
                       "effective_on": "2026-01-05"}]}  # fmt: skip


def exam_batch(world: World) -> dict[str, object]:
    number = world.internship_a.application.registration_number
    return {"items": [{"registration_number": number, "exam": "titp-basic",
                       "taken_on": "2026-01-05", "result": "passed"}]}  # fmt: skip


def new_return(world: World) -> dict[str, object]:
    return {"internship_id": world.ended_a.pk, "returned_on": str(timezone.localdate())}


def new_event(world: World) -> dict[str, object]:
    starts = timezone.now() + dt.timedelta(days=40)
    return {"title": "Fair", "venue": "Bekasi", "province_code": "32",
            "starts_at": starts.isoformat()}  # fmt: skip


# Staff who may send partner batches (items outside the caller's scope fail one by one, with
# nothing changed; see test_stay_api). Without an Idempotency-Key header they answer 400.
BATCH_SENDERS = frozenset({"officer_a", "officer_b", "partner_a", "partner_b", "host_a",
                           "host_b"}) | NATIONWIDE  # fmt: skip

ENTRIES = [
    # The stay.
    Entry("internships:list", allowed=STAY_A, shows=MARKER),
    Entry("internships:mine", allowed=OWNER, shows="my_stay_marker.value"),
    Entry("internships:detail", STAY, allowed=STAY_A | OWNER),
    # The host company notifies "missing"; the partner and the central team act. An empty
    # form answers 422 and changes nothing.
    Entry("internships:act", {"pk": "internship_a", "action": Literal("missing")},
          method="POST", allowed=STAY_MANAGERS_A | {"host_a"}),
    Entry("internships:act", {"pk": "internship_a", "action": Literal("completed")},
          method="POST", allowed=STAY_MANAGERS_A, note="partner or central only"),
    Entry("internships:duties", allowed=STAY_A, shows=MARKER),
    Entry("internships:duty_record", {"pk": "duty_a"}, method="POST", allowed=STAY_MANAGERS_A),
    Entry("internships:organisation", {"pk": "partner_org_a"},
          allowed={"partner_a"} | NATIONWIDE, shows=MARKER),
    Entry("internships:my_organisation", allowed={"partner_a", "partner_b"},
          allowed_status=(302,)),
    Entry("GET /api/v1/internships/", allowed=STAY_A, shows=MARKER),
    Entry("GET /api/v1/internships/{internship_id}", API_STAY, allowed=STAY_A | OWNER),
    Entry("GET /api/v1/internships/duties/overdue", allowed=STAY_A, shows=MARKER),
    Entry("POST /api/v1/internships/batches/status", allowed=BATCH_SENDERS, data=status_batch),
    Entry("POST /api/v1/internships/batches/exams", allowed=BATCH_SENDERS, data=exam_batch),
    # Cases: never a host company; a partner only what the intern shared.
    Entry("internships:case_list", allowed={"officer_a", "partner_a"} | NATIONWIDE,
          shows=MARKER),
    Entry("internships:case_my", allowed=OWNER, shows="my_case_marker.value"),
    Entry("internships:case_new", allowed=CASE_STAFF | {"candidate", "candidate_other"}),
    Entry("internships:case_detail", {"pk": "case_a"}, allowed=SHARED_CASE_A),
    Entry("internships:case_detail", {"pk": "case_unshared"}, allowed=UNSHARED_CASE_A,
          note="not shared"),
    # A health case the intern shared: the partner reads that it exists, never its details.
    Entry("internships:case_detail", {"pk": "case_health"}, allowed=SHARED_CASE_A,
          note="health"),
    Entry("internships:case_attachment_file", {"pk": "attachment_a"}, allowed=SHARED_CASE_A),
    Entry("GET /api/v1/internships/cases", allowed=SHARED_CASE_A, shows=MARKER),
    # Filing for another's intern: 404, nothing filed.
    Entry("POST /api/v1/internships/cases", allowed=SHARED_CASE_A - {"leadership"},
          data=new_case),
    Entry("GET /api/v1/internships/cases/statistics", allowed=CASE_STAFF),
    Entry("GET /api/v1/internships/cases/{case_id}", CASE, allowed=SHARED_CASE_A),
    Entry("GET /api/v1/internships/cases/{case_id}", {"case_id": "case_unshared"},
          allowed=UNSHARED_CASE_A, note="not shared"),
    Entry("GET /api/v1/internships/cases/{case_id}", {"case_id": "case_health"},
          allowed=SHARED_CASE_A, note="health"),
    # Leadership reads cases but writes nothing on them.
    Entry("POST /api/v1/internships/cases/{case_id}/notes", CASE, allowed=CASE_WRITERS_A),
    Entry("POST /api/v1/internships/cases/{case_id}/attachments", CASE, allowed=CASE_WRITERS_A),
    Entry("POST /api/v1/internships/cases/{case_id}/assign", CASE, allowed=CASE_MANAGERS_A,
          data=lambda w: {"assignee_id": w.users["officer_a"].pk}),
    Entry("POST /api/v1/internships/cases/{case_id}/transition", CASE, allowed=CASE_MANAGERS_A,
          data={"action": "close", "text": "Access matrix."}),
    Entry("POST /api/v1/internships/cases/{case_id}/severity", CASE, allowed=CASE_MANAGERS_A,
          data={"severity": "high", "reason": "Access matrix."}),
    Entry("POST /api/v1/internships/cases/{case_id}/sharing", CASE, allowed=OWNER,
          data={"share_with_partner": True}),
    # Returns, grants, alumni.
    Entry("internships:alumni_list", allowed=RETURNS_A, shows=RETURNED_MARKER),
    Entry("internships:alumni_return", {"internship_id": "returned_a"}, allowed=RETURNS_A),
    Entry("internships:alumni_certificate", {"internship_id": "returned_a"},
          allowed=RETURNS_A | OWNER),
    Entry("internships:alumni_me", allowed=OWNER),
    Entry("internships:alumni_directory", allowed=ALUMNI_READERS),
    Entry("internships:alumni_events", allowed=ALUMNI_READERS, shows="job_event.title"),
    Entry("GET /api/v1/internships/alumni/returns", allowed=RETURNS_A, shows=RETURNED_MARKER),
    Entry("POST /api/v1/internships/alumni/returns", allowed=RETURN_RECORDERS_A,
          data=new_return),
    Entry("POST /api/v1/internships/alumni/grants/{grant_id}/decision",
          {"grant_id": "grant_a"}, allowed=CENTRAL, data={"action": "approve"}),
    Entry("GET /api/v1/internships/alumni/directory", allowed=ALUMNI_READERS),
    Entry("GET /api/v1/internships/alumni/events", allowed=ALUMNI_READERS,
          shows="job_event.title"),
    Entry("POST /api/v1/internships/alumni/events", allowed=EVENT_ORGANISERS, data=new_event),
    Entry("POST /api/v1/internships/alumni/events/{event_id}/interest",
          {"event_id": "job_event"}, allowed=OWNER),
    Entry("GET /api/v1/internships/alumni/me", allowed=OWNER),
    Entry("POST /api/v1/internships/alumni/me/surveys", allowed=OWNER),
]  # fmt: skip
