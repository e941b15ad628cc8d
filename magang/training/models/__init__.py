"""Pre-departure training: curricula, cohorts and classes, timetable and roll call, grades,
dormitory and discipline."""

from .cohorts import Cohort, Enrolment, EnrolmentState, TrainingClass, TrainingStage
from .curriculum import Category, Curriculum, Module, default_alert_rules, default_readiness_rules
from .discipline import DisciplineKind, DisciplineRecord
from .dormitory import Bed, BedAssignment, Building, DormRoom
from .grades import Assessment, AssessmentKind, Score
from .timetable import Attendance, AttendanceStatus, Session

__all__ = [
    "Assessment",
    "AssessmentKind",
    "Attendance",
    "AttendanceStatus",
    "Bed",
    "BedAssignment",
    "Building",
    "Category",
    "Cohort",
    "Curriculum",
    "DisciplineKind",
    "DisciplineRecord",
    "DormRoom",
    "Enrolment",
    "EnrolmentState",
    "Module",
    "Score",
    "Session",
    "TrainingClass",
    "TrainingStage",
    "default_alert_rules",
    "default_readiness_rules",
]
