"""A central cohort at BBPVP Bekasi with one class of four trainees (the cast candidate among
them), a curriculum of four modules, and a second centre with its own trainer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from magang import factories as f
from magang.accounts.models import Organisation, Role, User
from magang.recruitment.journey import Status
from magang.recruitment.models import Application
from magang.training.models import Cohort, Curriculum, Enrolment, Module, TrainingClass
from magang.training.services import cohort_enrol

MODULES = (
    ("japanese", "Japanese language", "Bahasa Jepang", "japanese", 3),
    ("culture", "Culture and manners", "Budaya dan tata krama", "culture", 1),
    ("physical", "Discipline and physical", "Disiplin dan fisik", "discipline", 1),
    ("safety", "Occupational safety", "Keselamatan kerja", "safety", 1),
)


@dataclass
class Training:
    centre: Organisation
    other_centre: Organisation
    trainer_other: User
    curriculum: Curriculum
    modules: dict[str, Module]
    cohort: Cohort
    klass: TrainingClass
    enrolments: list[Enrolment]
    applications: list[Application]


@pytest.fixture
def training(cast: Any) -> Training:
    centre = Organisation.objects.get(name="BBPVP Bekasi")
    other_centre = f.OrganisationFactory(
        kind=Organisation.Kind.TRAINING_CENTRE, name="BPVP Semarang"
    )
    trainer_other = f.member("trainer.semarang", Role.TRAINING_STAFF, other_centre)
    curriculum = Curriculum.objects.create(
        programme=cast.application_jabar.round.programme, code="titp-2026", name="TITP 2026",
        year=2026,
    )  # fmt: skip
    modules = {
        key: Module.objects.create(
            curriculum=curriculum,
            order=order,
            key=key,
            name_en=en,
            name_id=id_,
            category=category,
            planned_hours=40,
            pass_mark=60,
            weight=weight,
        )
        for order, (key, en, id_, category, weight) in enumerate(MODULES, 1)
    }
    cohort = Cohort.objects.create(
        centre=centre, curriculum=curriculum, code="bekasi-2026-12", name="Angkatan Desember 2026",
        stage="central", starts_on=dt.date(2026, 12, 1), ends_on=dt.date(2027, 1, 31),
        capacity=40, round=cast.application_jabar.round,
    )  # fmt: skip
    klass = TrainingClass.objects.create(cohort=cohort, name="A", homeroom_trainer=cast.trainer)
    Application.objects.filter(pk=cast.application_jabar.pk).update(status=Status.SELECTED)
    cast.application_jabar.refresh_from_db()
    applications = [cast.application_jabar] + [
        f.ApplicationFactory(site=cast.site_jabar, status=Status.SELECTED) for _ in range(3)
    ]
    applications[3].candidate.sex = "F"
    applications[3].candidate.save()
    enrolments = cohort_enrol(
        cohort=cohort, applications=applications, by=cast.trainer, training_class=klass,
        on=dt.date(2026, 12, 1),
    )  # fmt: skip
    return Training(
        centre=centre, other_centre=other_centre, trainer_other=trainer_other,
        curriculum=curriculum, modules=modules, cohort=cohort, klass=klass,
        enrolments=enrolments, applications=applications,
    )  # fmt: skip
