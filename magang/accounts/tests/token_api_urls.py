"""A tiny API behind ``api_auth``, for the token tests only (``@pytest.mark.urls``)."""

from django.http import HttpRequest
from django.urls import path
from ninja import NinjaAPI, Router

from magang.accounts.api_auth import api_auth
from magang.accounts.models import User
from magang.accounts.scopes import scope_for

router = Router(auth=api_auth)


@router.get("/whoami")
def whoami(request: HttpRequest) -> dict[str, object]:
    user = request.user
    assert isinstance(user, User)
    return {"username": user.username, "roles": sorted(scope_for(user).roles)}


@router.post("/echo")
def echo(request: HttpRequest) -> dict[str, str]:
    return {"username": request.user.get_username()}


api = NinjaAPI(urls_namespace="token-test-api")
api.add_router("/", router)

urlpatterns = [path("api/", api.urls)]
