"""Internships API at /api/v1/internships/: the same scopes as the pages. One module per
area, each with its ``router``; add an area by adding its router here."""

from ninja import Router

from .alumni import router as alumni_router
from .cases import router as cases_router
from .stay import router as stay_router

router = Router(tags=["internships"])
# The order does not matter: the stay's /{int:internship_id} takes only numbers, so it never
# catches /cases or /alumni/... (test_api_paths.py).
router.add_router("", cases_router)
router.add_router("", alumni_router)
router.add_router("", stay_router)
