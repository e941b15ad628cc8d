"""Home page sections: a trainee's own training, a homeroom trainer's at-risk trainees, and
the dormitories for training staff."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from magang.accounts.home import register_home_section
from magang.accounts.models import Role
from magang.accounts.scopes import Scope

from .selectors.dormitory import centre_scope
from .selectors.readiness import homeroom_alerts
from .selectors.trainee import my_enrolments


def _trainee(request: HttpRequest, scope: Scope) -> dict[str, Any] | None:
    if scope.user_id is None:
        return None
    enrolment = my_enrolments(user=request.user).first()
    if enrolment is None:
        return None
    return {"enrolment": enrolment}


def _homeroom(request: HttpRequest, scope: Scope) -> dict[str, Any] | None:
    """For each class the user is homeroom trainer of, the trainees with an alert and the
    rules that fired."""
    if not scope.has_role(Role.TRAINING_STAFF):
        return None
    classes = homeroom_alerts(user=request.user)
    if not classes:
        return None
    return {"classes": classes}


def _dormitories(request: HttpRequest, scope: Scope) -> dict[str, Any] | None:
    if not scope.has_role(Role.TRAINING_STAFF):
        return None
    centres = list(
        centre_scope(user=request.user)
        .filter(pk__in=scope.organisations(Role.TRAINING_STAFF))
        .order_by("name")
    )
    return {"centres": centres} if centres else None


register_home_section(
    key="training.trainee", order=17, template_name="training/home_trainee.html", build=_trainee
)
register_home_section(
    key="training.homeroom", order=40, template_name="training/home_homeroom.html", build=_homeroom
)
register_home_section(
    key="training.dormitories",
    order=42,
    template_name="training/home_dormitories.html",
    build=_dormitories,
)
