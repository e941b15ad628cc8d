"""How internships' tables forget a person (``core.privacy``; docs/security.md): the stay
itself (where, when, how it ended) is an anonymous record behind the published figures
(departed, in Japan on a date); incidents, grievances, stages and alumni records are
deleted with the person, as every table not named here."""

from magang.core.privacy import register

register(
    "internships.Internship",
    keep=True,
    reason="Departures and interns in Japan by prefecture and trade are published figures.",
)
