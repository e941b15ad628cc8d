"""Dashboard figures, scoped to the user, read from the summary tables.

Who sees which panel (``panels_for``):

- the funnel of a round per selection site: nationwide roles (central team, leadership,
  administrator) every site, a regional officer the sites of their own office;
- training outcomes per cohort: nationwide roles every cohort, training staff their centre's;
- placements per prefecture and trade, and job orders open and filled: nationwide roles
  everything, a partner what it supervises, a host company its own;
- early return and missing rates by host company and trade: ministry roles only;
- incidents and grievances by category with time to resolution: ministry roles all, a
  regional officer those of interns from their sites, a partner those the intern shared with
  it (the rules of ``internships.cases_access.case_scope``); host companies none;
- alumni outcomes (latest survey answers): ministry roles.

Counts are exact (staff read the people behind them anyway); every figure links to the list
behind it, which is filtered by the same scope (``drill``).

The package: ``panels`` (roles and panels), ``funnels``, ``cohorts``, ``placements`` (with job
orders), ``outcomes`` (incidents and alumni) and ``drill`` (the lists behind the figures).
"""

from .cohorts import COHORT_STATES, CohortRow, cohort_counts, cohort_outcomes
from .drill import DRILL_PAGE, OUTCOMES, application_drill, internship_drill
from .funnels import (
    DEPARTED,
    ELIGIBLE_OR_LATER,
    STATUS_STEPS,
    TRAINED,
    Funnel,
    FunnelRow,
    Step,
    access_site,
    funnel,
    funnel_rounds,
    stage_counts,
    stage_steps,
    status_counts,
    visible_sites,
)
from .outcomes import AlumniLine, CaseLine, alumni_outcomes, incidents
from .panels import DASHBOARD_ROLES, MINISTRY_ROLES, panels_for
from .placements import (
    OrderLine,
    PlacementLine,
    _organisation_filter,
    order_rows,
    orders_by_prefecture,
    placement_rows,
    placements_by,
    rates_by_host,
)

__all__ = [
    "COHORT_STATES",
    "DASHBOARD_ROLES",
    "DEPARTED",
    "DRILL_PAGE",
    "ELIGIBLE_OR_LATER",
    "MINISTRY_ROLES",
    "OUTCOMES",
    "STATUS_STEPS",
    "TRAINED",
    "AlumniLine",
    "CaseLine",
    "CohortRow",
    "Funnel",
    "FunnelRow",
    "OrderLine",
    "PlacementLine",
    "Step",
    "_organisation_filter",
    "access_site",
    "alumni_outcomes",
    "application_drill",
    "cohort_counts",
    "cohort_outcomes",
    "funnel",
    "funnel_rounds",
    "incidents",
    "internship_drill",
    "order_rows",
    "orders_by_prefecture",
    "panels_for",
    "placement_rows",
    "placements_by",
    "rates_by_host",
    "stage_counts",
    "stage_steps",
    "status_counts",
    "visible_sites",
]
