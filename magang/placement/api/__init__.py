"""Placement API at /api/v1/placement/: the same operations and scopes as the pages. Staff
endpoints answer 403 to roles that never see job orders, 404 for a job order outside the
caller's scope and 403 when the caller may read it but not change it. ``/me/preferences``
answers about the caller's own ranking only. One module per area, each with its
``router``; add an area by adding its router here. Shared pieces are in ``common``."""

from ninja import Router

from .departure import router as departure_router
from .matching import router as matching_router
from .orders import router as orders_router
from .preferences import router as preferences_router

router = Router(tags=["placement"])
router.add_router("", orders_router)
router.add_router("", preferences_router)
router.add_router("", matching_router)
router.add_router("", departure_router)
