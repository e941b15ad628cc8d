"""Reads for the cohort pages: the cohorts a user may see, one cohort's classes and trainees,
the applications that could join it, and the trainers of a centre."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, When

from magang.accounts.models import Role, User
from magang.recruitment.journey import Status
from magang.recruitment.models import Application, SelectionSite

from ..access import cohort_scope
from ..models import Cohort, Enrolment, EnrolmentState, TrainingClass

ACTIVE = Q(enrolments__state=EnrolmentState.ACTIVE)


def cohort_list(*, user: Any) -> QuerySet[Cohort]:
    """The cohorts the user may read, newest first, with their active trainees and classes."""
    return (
        cohort_scope(user=user)
        .select_related("centre", "curriculum")
        .annotate(
            active=Count("enrolments", filter=ACTIVE, distinct=True),
            class_count=Count("classes", distinct=True),
        )
        .order_by("-starts_on", "code")
    )


def cohort_classes(cohort: Cohort) -> QuerySet[TrainingClass]:
    """The cohort's classes with their number of active trainees (``size``)."""
    return (
        cohort.classes.select_related("homeroom_trainer")
        .annotate(size=Count("enrolments", filter=ACTIVE))
        .order_by("name")
    )


def cohort_trainees(cohort: Cohort) -> QuerySet[Enrolment]:
    """Everyone enrolled in the cohort, active ones first, by class and registration number."""
    return (
        Enrolment.objects.filter(cohort=cohort)
        .select_related("application__candidate", "application__site", "training_class")
        .alias(ended=Case(When(state=EnrolmentState.ACTIVE, then=0), default=1))
        .order_by("ended", "training_class__name", "application__registration_number")
    )


def enrollable_applications(*, cohort: Cohort, site: int | None = None) -> QuerySet[Application]:
    """Applications that could join the cohort: selected ones, and those in training with no
    active enrolment (after Stage I), of the cohort's round (any round when it has none),
    never already in this cohort. ``cohort_enrol`` checks all of this again."""
    active = Enrolment.objects.filter(application=OuterRef("pk"), state=EnrolmentState.ACTIVE)
    applications = Application.objects.alias(has_active=Exists(active)).filter(
        Q(status=Status.SELECTED) | Q(status=Status.IN_TRAINING, has_active=False)
    )
    if cohort.round_id is not None:
        applications = applications.filter(round_id=cohort.round_id)
    if site is not None:
        applications = applications.filter(site_id=site)
    return (
        applications.exclude(enrolments__cohort=cohort)
        .select_related("candidate", "site")
        .order_by("site__name", "registration_number")
    )


def enrolment_sites(cohort: Cohort) -> QuerySet[SelectionSite]:
    """The selection sites to filter the enrolment list by."""
    sites = SelectionSite.objects.all()
    if cohort.round_id is not None:
        sites = sites.filter(round_id=cohort.round_id)
    return sites.order_by("name")


def centre_trainers(centre_id: int) -> QuerySet[User]:
    """Active training staff of the centre: the people who may teach or lead a class there."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation_id=centre_id,
            memberships__role=Role.TRAINING_STAFF,
            memberships__is_active=True,
        )
        .distinct()
        .order_by("full_name", "username")
    )
