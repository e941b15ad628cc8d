"""The JSON API root: /api/v1/, OpenAPI schema at /api/v1/openapi.json, docs at /api/v1/docs."""

from ninja import NinjaAPI

from magang.internships.api import router as internships_router
from magang.partnerships.api import router as partnerships_router
from magang.placement.api import router as placement_router
from magang.recruitment.api import router as recruitment_router
from magang.selection.api import router as selection_router
from magang.stats.api import router as stats_router
from magang.training.api import router as training_router

api = NinjaAPI(
    title="Magang API",
    version="1",
    description="Indonesia-Japan technical intern programme. Same scopes as the web pages.",
    urls_namespace="api-v1",
)
api.add_router("/recruitment/", recruitment_router)
api.add_router("/selection/", selection_router)
api.add_router("/training/", training_router)
api.add_router("/placement/", placement_router)
api.add_router("/internships/", internships_router)
api.add_router("/partnerships/", partnerships_router)
api.add_router("/stats/", stats_router)
