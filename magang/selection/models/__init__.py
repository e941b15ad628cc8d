"""Selection of one round: its stage plan and quotas, the results people record, the ranking
runs that turn them into selected / reserve / not selected, and what follows publication.

The rules themselves live in ``ranking.py`` (pure); these tables hold their inputs and what
each run decided, so any run can be explained and reproduced later.

``plan`` holds the plan, its stages and quotas; ``results`` the recorded results and their
changes; ``runs`` the ranking runs, placements, reserve promotions and objections.
"""

from .plan import Quota, RecordedBy, Redistribution, SelectionPlan, Stage, StageKind, UnitKind
from .results import StageResult, StageResultChange
from .runs import (
    Objection,
    ObjectionState,
    Outcome,
    Placement,
    RankingRun,
    ReservePromotion,
    RunState,
)

__all__ = [
    "Objection",
    "ObjectionState",
    "Outcome",
    "Placement",
    "Quota",
    "RankingRun",
    "RecordedBy",
    "Redistribution",
    "ReservePromotion",
    "RunState",
    "SelectionPlan",
    "Stage",
    "StageKind",
    "StageResult",
    "StageResultChange",
    "UnitKind",
]
