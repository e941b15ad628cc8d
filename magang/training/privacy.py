"""How training's tables forget a person (``core.privacy``; docs/security.md): the
enrolment stays as an anonymous record (graduates per cohort are counted), without the
medical check or the reason it ended; attendance, scores, beds and discipline records are
deleted with the person, as every table not named here."""

from magang.core.privacy import register

register(
    "training.Enrolment",
    keep=True,
    reason="Graduates and drop-outs per cohort are counted; health and reasons erased.",
    values={"end_reason": "", "medical_passed": None, "medical_checked_on": None},
)
