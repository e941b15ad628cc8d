"""How placement's tables forget a person (``core.privacy``; docs/security.md): a match
stays as an anonymous record (matched per job order and prefecture are counted), without
its reasons; preferences, shortlists, interviews and the departure file (passport) are
deleted with the person, as every table not named here."""

from magang.core.privacy import register

register(
    "placement.Match",
    keep=True,
    reason="Matches per job order are counted; reasons and manual-change notes erased.",
    values={"reasons": [], "change_reason": ""},
)
