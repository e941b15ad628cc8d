"""Access-matrix rows for the core pages (format: ``magang/tests/access.py``)."""

from magang.tests.access import ALL, Entry

ENTRIES = [
    Entry("core:index", allowed=ALL),
    Entry("core:healthz", allowed=ALL),
    Entry("api-v1:openapi-json", allowed=ALL),
    Entry("api-v1:openapi-view", allowed=ALL),
    # Ninja names its root for reverse() only; there is no page behind it.
    Entry("api-v1:api-root", allowed=ALL, allowed_status=(404,)),
    Entry("set_language", method="POST", data={"language": "en"}, allowed=ALL,
          allowed_status=(302,)),
]  # fmt: skip
