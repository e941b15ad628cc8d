"""Writes for training. Pages, the API, imports and the demo all go through these."""

from .cohorts import (
    class_assign,
    class_create,
    cohort_enrol,
    curriculum_copy,
    enrolment_complete_stage,
    enrolment_drop_out,
    enrolment_graduate,
)
from .medical import enrolment_medical_record
from .records import (
    assessment_create,
    bed_assign,
    bed_release,
    discipline_record,
    score_parse,
    scores_save,
)
from .timetable import SessionClash, roll_call_save, session_save

__all__ = [
    "SessionClash",
    "assessment_create",
    "bed_assign",
    "bed_release",
    "class_assign",
    "class_create",
    "cohort_enrol",
    "curriculum_copy",
    "discipline_record",
    "enrolment_complete_stage",
    "enrolment_drop_out",
    "enrolment_graduate",
    "enrolment_medical_record",
    "roll_call_save",
    "score_parse",
    "scores_save",
    "session_save",
]
