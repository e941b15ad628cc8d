"""Access-matrix rows for statistics (format: ``magang/tests/access.py``)."""

from pathlib import Path

from django.conf import settings

from magang.tests.access import ALL, NATIONWIDE, SIGNED_IN, Entry

STAFF = SIGNED_IN - {"candidate", "candidate_other"}
OFFICERS = frozenset({"officer_a", "officer_b"})
PARTNERS_AND_HOSTS = frozenset({"partner_a", "partner_b", "host_a", "host_b"})
# The PDF embeds a system font; without it the download says so with a 503.
PDF_STATUS = (200,) if Path(settings.MAGANG_PDF_FONT).is_file() else (200, 503)

ENTRIES = [
    Entry("stats:public", allowed=ALL),
    Entry("stats:summary_csv", allowed=ALL),
    Entry("stats:summary_xlsx", allowed=ALL),
    Entry("stats:summary_pdf", allowed=ALL, allowed_status=PDF_STATUS),
    Entry("GET /api/v1/stats/summary", allowed=ALL),
    Entry("stats:dashboard", allowed=STAFF),
    Entry("stats:funnel", allowed=NATIONWIDE | OFFICERS),
    Entry("stats:rates", allowed=NATIONWIDE),
    # Each role's own slice: site A's registration number only to its officer and the ministry.
    Entry("stats:drill_applications", allowed=NATIONWIDE | {"officer_a"},
          query=lambda w: f"?round={w.round.pk}", shows="application_a.registration_number"),
    Entry("stats:drill_internships", allowed=NATIONWIDE | PARTNERS_AND_HOSTS),
]  # fmt: skip
