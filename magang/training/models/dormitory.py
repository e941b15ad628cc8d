"""Dormitory buildings, rooms and beds of a training centre, and who sleeps where.

The database itself refuses a bed for two people, two beds for one person and a room of
mixed sexes: partial unique indexes, and a trigger comparing the trainee's sex with the
room's (see migration 0002)."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from magang.accounts.models import Organisation
from magang.recruitment.models import Sex

from .cohorts import Enrolment


class Building(models.Model):
    centre = models.ForeignKey(
        Organisation,
        verbose_name=_("training centre"),
        on_delete=models.PROTECT,
        related_name="dormitory_buildings",
        limit_choices_to={"kind": Organisation.Kind.TRAINING_CENTRE},
    )
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        verbose_name = _("dormitory building")
        verbose_name_plural = _("dormitory buildings")
        ordering = ["centre", "name"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "name"], name="building_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class DormRoom(models.Model):
    building = models.ForeignKey(
        Building, verbose_name=_("building"), on_delete=models.CASCADE, related_name="rooms"
    )
    name = models.CharField(_("name"), max_length=30)
    sex = models.CharField(_("for"), max_length=1, choices=Sex.choices)

    class Meta:
        verbose_name = _("dormitory room")
        verbose_name_plural = _("dormitory rooms")
        ordering = ["building", "name"]
        constraints = [
            models.UniqueConstraint(fields=["building", "name"], name="room_name_unique"),
            models.CheckConstraint(condition=Q(sex__in=Sex.values), name="room_sex_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.building} {self.name}"


class Bed(models.Model):
    room = models.ForeignKey(
        DormRoom, verbose_name=_("room"), on_delete=models.CASCADE, related_name="beds"
    )
    label = models.CharField(_("bed"), max_length=10)

    class Meta:
        verbose_name = _("bed")
        verbose_name_plural = _("beds")
        ordering = ["room", "label"]
        constraints = [
            models.UniqueConstraint(fields=["room", "label"], name="bed_label_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.room}-{self.label}"


class BedAssignment(models.Model):
    bed = models.ForeignKey(
        Bed, verbose_name=_("bed"), on_delete=models.PROTECT, related_name="assignments"
    )
    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("trainee"),
        on_delete=models.CASCADE,
        related_name="bed_assignments",
    )
    from_date = models.DateField(_("from"))
    to_date = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("bed assignment")
        verbose_name_plural = _("bed assignments")
        ordering = ["bed", "-from_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["bed"],
                condition=Q(to_date__isnull=True),
                name="one_person_per_bed",
                violation_error_message=_("This bed is taken."),
            ),
            models.UniqueConstraint(
                fields=["enrolment"],
                condition=Q(to_date__isnull=True),
                name="one_bed_per_person",
                violation_error_message=_("This trainee already has a bed."),
            ),
            models.CheckConstraint(
                condition=Q(to_date__isnull=True) | Q(to_date__gte=F("from_date")),
                name="bed_assignment_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bed}: {self.enrolment_id}"
