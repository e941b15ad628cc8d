"""What every training endpoint shares: the error schema, who may call staff endpoints, the
scoped look-ups (404 outside the caller's cohorts, 403 when they may read but not act) and
how a refused write answers."""

# No "from __future__ import annotations": Ninja reads the endpoint signatures at import.
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import HttpError

from magang.accounts.models import User
from magang.accounts.scopes import scope_for
from magang.recruitment.journey import InvalidTransition

from ..access import READER_ROLES, cohort_scope, may_manage
from ..models import Assessment, Cohort, Enrolment, Session, TrainingClass
from ..selectors import readiness as readiness_selectors
from ..services import SessionClash


class ErrorOut(Schema):
    detail: str


class ClashOut(Schema):
    detail: str
    clashes: list[str]


def user_of(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - api_auth let only users through
    return user


def staff(request: HttpRequest) -> User:
    """The caller, when their role reads training (training staff, the central team,
    leadership, administrators); 403 for everyone else."""
    user = user_of(request)
    if not scope_for(user).has_role(*READER_ROLES):
        raise HttpError(403, _("Your role may not do this."))
    return user


@contextmanager
def refusals() -> Iterator[None]:
    """A refused write answers 403 (may read, may not act), 409 (a timetable clash) or 422
    (the service's or the journey's reasons); nothing is changed."""
    try:
        yield
    except PermissionDenied as exc:
        raise HttpError(403, _("Your role may not do this.")) from exc
    except SessionClash as exc:
        raise HttpError(409, " ".join(exc.messages)) from exc
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from exc
    except InvalidTransition as exc:  # the journey moved on meanwhile (e.g. withdrawn)
        raise HttpError(422, str(exc)) from exc


def _writable(user: User, cohort: Cohort, write: bool) -> None:
    if write and not may_manage(user, cohort):
        raise HttpError(403, _("Your role may not do this."))


def cohort_for(user: User, pk: int, write: bool = False) -> Cohort:
    cohort = cohort_scope(user=user).select_related("centre", "curriculum").filter(pk=pk).first()
    if cohort is None:
        raise Http404("No such cohort.")
    _writable(user, cohort, write)
    return cohort


def class_for(user: User, pk: int, write: bool = False) -> TrainingClass:
    with refusals():
        return readiness_selectors.access_class(user=user, pk=pk, write=write)


def enrolment_for(user: User, pk: int, write: bool = False) -> Enrolment:
    with refusals():
        return readiness_selectors.access_enrolment(user=user, pk=pk, write=write)


def assessment_for(user: User, pk: int, write: bool = False) -> Assessment:
    assessment = (
        Assessment.objects.filter(pk=pk, cohort__in=cohort_scope(user=user))
        .select_related("cohort__centre", "module")
        .first()
    )
    if assessment is None:
        raise Http404("No such assessment.")
    _writable(user, assessment.cohort, write)
    return assessment


def session_for(user: User, pk: int, write: bool = False) -> Session:
    session = (
        Session.objects.filter(pk=pk, training_class__cohort__in=cohort_scope(user=user))
        .select_related("training_class__cohort__centre", "module", "trainer")
        .first()
    )
    if session is None:
        raise Http404("No such session.")
    _writable(user, session.training_class.cohort, write)
    return session


def clash_response(exc: SessionClash) -> dict[str, Any]:
    return {"detail": " ".join(exc.messages), "clashes": list(exc.messages)}
