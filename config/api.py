"""The JSON API root: /api/v1/, OpenAPI schema at /api/v1/openapi.json, docs at /api/v1/docs."""

from typing import Any

from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from magang.internships.api import router as internships_router
from magang.partnerships.api import router as partnerships_router
from magang.placement.api import router as placement_router
from magang.recruitment.api import router as recruitment_router
from magang.selection.api import router as selection_router
from magang.stats.api import router as stats_router
from magang.training.api import router as training_router

# What Ninja answers, with status 422, to a request whose parameters or body do not fit
# the operation's schema: one entry per problem, ``loc`` naming where.
VALIDATION_ERROR = {
    "title": "ValidationErrorOut",
    "type": "object",
    "required": ["detail"],
    "properties": {
        "detail": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["loc", "msg", "type"],
                "properties": {
                    "loc": {"type": "array", "items": {"anyOf": [{"type": "string"},
                                                                 {"type": "integer"}]}},
                    "msg": {"type": "string"},
                    "type": {"type": "string"},
                },
            },
        }
    },
}  # fmt: skip


class MagangAPI(NinjaAPI):
    """Ninja's API, whose schema also documents its own validation answers: an operation
    that declares a 422 of its own (a refusal by the programme's rules) may also answer 422
    with ``ValidationErrorOut``, and every operation taking input says it may."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})
        schema["components"]["schemas"]["ValidationErrorOut"] = VALIDATION_ERROR
        invalid = {"$ref": "#/components/schemas/ValidationErrorOut"}
        for methods in schema["paths"].values():
            for operation in methods.values():
                if not operation.get("parameters") and not operation.get("requestBody"):
                    continue
                responses = operation.setdefault("responses", {})
                declared = responses.get(422)
                if declared is None:
                    responses[422] = {
                        "description": "Unprocessable Entity",
                        "content": {"application/json": {"schema": invalid}},
                    }
                    continue
                content = declared.setdefault("content", {}).setdefault("application/json", {})
                own = content.get("schema")
                content["schema"] = {"anyOf": [own, invalid]} if own else invalid
        return schema


api = MagangAPI(
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
