"""Selection API at /api/v1/selection/: the same operations and scopes as the pages."""

from ninja import Router

from .results import router as results_router
from .runs import router as runs_router

router = Router(tags=["selection"])
router.add_router("", results_router)
router.add_router("", runs_router)
