"""Access-matrix rows for accounts (format: ``magang/tests/access.py``)."""

from magang.tests.access import ALL, SIGNED_IN, Entry

STAFF = SIGNED_IN - {"candidate", "candidate_other"}

ENTRIES = [
    # Signed-in people opening the login page are sent home.
    Entry("accounts:login", allowed={"anonymous"}, redirected=SIGNED_IN),
    Entry("accounts:logout", method="POST", allowed=ALL, allowed_status=(302,)),
    Entry("accounts:home", allowed=SIGNED_IN),
    Entry("accounts:audit_log", allowed={"admin"}),
    # Two-step verification is for staff and partner roles; nobody in the world has an app yet,
    # so verifying and recovery codes send them to set one up.
    Entry("accounts:two_factor_enrol", allowed=STAFF),
    Entry("accounts:two_factor_verify", redirected=STAFF),
    Entry("accounts:two_factor_recovery", redirected=STAFF),
]  # fmt: skip
