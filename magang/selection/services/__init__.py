"""Writes for selection. Pages, imports, the API and the demo all go through these."""

from .plans import USUAL_STAGES, default_quotas, plan_check, plan_copy, plan_create
from .results import (
    StaleResult,
    may_record,
    may_see_detail,
    result_parse,
    result_passes,
    result_record,
    result_text,
    result_value,
)

__all__ = [
    "USUAL_STAGES",
    "StaleResult",
    "default_quotas",
    "may_record",
    "may_see_detail",
    "plan_check",
    "plan_copy",
    "plan_create",
    "result_parse",
    "result_passes",
    "result_record",
    "result_text",
    "result_value",
]
