"""Writes for selection. Pages, imports, the API and the demo all go through these."""

from .objections import objection_file, objection_review, published_run
from .plans import USUAL_STAGES, default_quotas, plan_check, plan_copy, plan_create
from .promotions import seat_vacate
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
from .runs import (
    RunInputs,
    published_content,
    published_list,
    ranking_run,
    run_approve,
    run_inputs,
    run_propose,
    run_publish,
)

__all__ = [
    "USUAL_STAGES",
    "RunInputs",
    "StaleResult",
    "default_quotas",
    "may_record",
    "may_see_detail",
    "objection_file",
    "objection_review",
    "plan_check",
    "plan_copy",
    "plan_create",
    "published_content",
    "published_list",
    "published_run",
    "ranking_run",
    "result_parse",
    "result_passes",
    "result_record",
    "result_text",
    "result_value",
    "run_approve",
    "run_inputs",
    "run_propose",
    "run_publish",
    "seat_vacate",
]
