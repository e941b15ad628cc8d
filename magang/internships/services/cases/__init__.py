"""Incidents and grievances: filing, the timeline (notes, assignments, status changes),
target times and escalation, resolution and the intern's confirmation or reopening.

Every function runs in one transaction and writes its audit row; who may do what is checked
against ``cases_access`` so a page, the API and a command refuse the same people.

The package: ``filing`` (filing a case and its attachments), ``handling`` (notes, assignment,
severity and sharing), ``moves`` (the status moves up to closing), ``escalation`` (overdue
cases and their e-mail) and ``helpers`` (the steps they share).
"""

from .escalation import cases_escalate, notify_escalations
from .filing import MAX_ATTACHMENTS_PER_CASE, Upload, case_attach, case_file, checked, filer_role
from .handling import (
    assignable_officers,
    case_assign,
    case_change_severity,
    case_note_add,
    case_set_sharing,
    may_be_assigned,
)
from .helpers import DEFAULT_TARGET_HOURS, target_hours
from .moves import case_close, case_confirm, case_reopen, case_resolve, case_start

__all__ = [
    "DEFAULT_TARGET_HOURS",
    "MAX_ATTACHMENTS_PER_CASE",
    "Upload",
    "assignable_officers",
    "case_assign",
    "case_attach",
    "case_change_severity",
    "case_close",
    "case_confirm",
    "case_file",
    "case_note_add",
    "case_reopen",
    "case_resolve",
    "case_set_sharing",
    "case_start",
    "cases_escalate",
    "checked",
    "filer_role",
    "may_be_assigned",
    "notify_escalations",
    "target_hours",
]
