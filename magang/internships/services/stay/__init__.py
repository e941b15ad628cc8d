"""Writes of the stay: arrival, stages, exams, temporary returns home, transfers, early
return, missing, found again, completion. Each is one transaction with its audit row; every
status change goes through the journey (``application_advance``), and ``Internship.ended_on``
/ ``end_reason`` follow the status so that statistics stay right.

The package: ``moves`` (the journey moves of one internship), ``advancement`` (stages, exams and
home leave), ``bulk`` (many stays at once, for partner batches) and ``helpers`` (the steps and
rule checks they share)."""

from .advancement import (
    exam_record,
    home_leave_record,
    internship_next_stage,
    next_stage_check,
    reason_text,
    stage_facts,
    stage_rules_of,
)
from .bulk import BULK_KINDS, StayChange, refused, stay_changes_bulk
from .moves import (
    internship_arrive,
    internship_complete,
    internship_early_return,
    internship_found,
    internship_missing,
    internship_transfer,
)

__all__ = [
    "BULK_KINDS",
    "StayChange",
    "exam_record",
    "home_leave_record",
    "internship_arrive",
    "internship_complete",
    "internship_early_return",
    "internship_found",
    "internship_missing",
    "internship_next_stage",
    "internship_transfer",
    "next_stage_check",
    "reason_text",
    "refused",
    "stage_facts",
    "stage_rules_of",
    "stay_changes_bulk",
]
