"""Reads for selection, always starting from what the user may see.

Each module below serves one area of the selection pages; add new reads in a module of
their own rather than widening an existing one.

- ``grid``: the results grid, who may open a stage's grid at a site, the people who sat the
  stage there, and how far each grid is filled in (the index).
- ``funnel``: the funnel of a round, per selection site.
- ``people``: a candidate's own selection, and one application's results for staff.
- ``runs``: ranking runs, what changed from the previous run and why.
"""

from .funnel import (
    FUNNEL_ROLES,
    NOT_ENTERED,
    Funnel,
    FunnelRow,
    StageCount,
    final_run,
    funnel,
    funnel_rounds,
    funnel_sites,
    round_plan,
)
from .grid import (
    GRID_ROLES,
    GridAccess,
    GridProgress,
    GridRound,
    GridRow,
    GridSiteProgress,
    access_grid,
    grid_applications,
    grid_counts,
    grid_index,
    grid_row,
    grid_rows,
)
from .people import (
    RESULT_READER_ROLES,
    ApplicationResults,
    ChangeLine,
    MySelection,
    ResultLine,
    StageLine,
    StageState,
    access_application_results,
    application_results,
    in_language,
    my_selection,
    result_display,
    stage_name,
    value_text,
)
from .runs import ResultCorrection, StatusChange, run_changes

__all__ = [
    "FUNNEL_ROLES",
    "GRID_ROLES",
    "NOT_ENTERED",
    "RESULT_READER_ROLES",
    "ApplicationResults",
    "ChangeLine",
    "Funnel",
    "FunnelRow",
    "GridAccess",
    "GridProgress",
    "GridRound",
    "GridRow",
    "GridSiteProgress",
    "MySelection",
    "ResultCorrection",
    "ResultLine",
    "StageCount",
    "StageLine",
    "StageState",
    "StatusChange",
    "access_application_results",
    "access_grid",
    "application_results",
    "final_run",
    "funnel",
    "funnel_rounds",
    "funnel_sites",
    "grid_applications",
    "grid_counts",
    "grid_index",
    "grid_row",
    "grid_rows",
    "in_language",
    "my_selection",
    "result_display",
    "round_plan",
    "run_changes",
    "stage_name",
    "value_text",
]
