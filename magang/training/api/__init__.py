"""Training API at /api/v1/training/: the same operations and scopes as the pages. Staff
endpoints need a training reader's role (403 otherwise) and answer 404 for cohorts outside
the caller's scope; only training staff of the cohort's centre write (403 for readers).
``/me/training`` answers about the caller's own training only."""

from ninja import Router

from .cohorts import router as cohorts_router
from .grades import router as grades_router
from .graduation import router as graduation_router
from .me import router as me_router
from .records import router as records_router
from .timetable import router as timetable_router

router = Router(tags=["training"])
router.add_router("", cohorts_router)
router.add_router("", timetable_router)
router.add_router("", grades_router)
router.add_router("", records_router)
router.add_router("", graduation_router)
router.add_router("", me_router)
