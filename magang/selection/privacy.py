"""How selection's tables forget a person (``core.privacy``; docs/security.md).

Results are kept as anonymous pass/fail and scores (the statistics count who passed each
stage), without notes or measurements; their change history is deleted. Ranking runs keep
their placements, so a final run still reads whole; promotions keep their link between two
(now anonymous) applications without the reason.
"""

from magang.core.privacy import register

register(
    "selection.StageResult",
    keep=True,
    reason="Pass rates per stage; measurements (health) and notes erased.",
    values={"measurements": {}, "note": ""},
)
register(
    "selection.Placement",
    keep=True,
    reason="A final ranking run stays whole; it names nobody once the application is anonymous.",
)
register(
    "selection.ReservePromotion",
    keep=True,
    reason="It links two applications; the other person's promotion must survive.",
    values={"reason": ""},
)
