"""Summary tables: small, recomputed in the background by ``refresh.stats_refresh``.

No page, download or API call counts rows of the programme's own tables: they read these.
Every table here is derived; deleting all of them and running ``manage.py stats_refresh``
gives them back. Counts here are true counts: suppression happens when they are published.

"As of any date" without scanning history: ``FlowDay`` holds what happened on each day per
dimension value (departures, and endings by reason), and ``FlowMonth`` holds the running
totals *before* the first day of each month. The figures for a day D are the totals of D's
month plus the day rows from the first of that month to D: about 300 + 31 x (values that
moved) rows, whatever the size of the programme.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class Dimension(models.TextChoices):
    TOTAL = "total", _("Total")
    YEAR = "year", _("Departure year")
    PROVINCE = "province", _("Province of origin")
    PREFECTURE = "prefecture", _("Prefecture")
    TRADE = "trade", _("Trade")


class _Summary(models.Model):
    """A derived row: named by its values, for the admin and the shell."""

    class Meta:
        abstract = True

    def __str__(self) -> str:
        fields = (f for f in self._meta.concrete_fields if not f.primary_key)
        return ", ".join(f"{f.name}={getattr(self, f.attname)}" for f in fields)


class Refresh(_Summary):
    """One run of the refresh: the figures are as of ``data_as_of``. ``token`` names this
    run's figures in the cache of rendered pages (``rendered.py``): a new refresh, a new
    token, so nothing rendered from older figures is served again."""

    token = models.UUIDField(_("token"), default=uuid.uuid4, editable=False)
    data_as_of = models.DateTimeField(_("figures as of"))
    finished_at = models.DateTimeField(_("finished at"))
    seconds = models.FloatField(_("seconds"))
    rows = models.JSONField(_("rows written"), default=dict)
    parts = models.JSONField(_("seconds per table"), default=dict)

    class Meta:
        verbose_name = _("statistics refresh")
        verbose_name_plural = _("statistics refreshes")
        ordering = ["-data_as_of"]
        get_latest_by = "data_as_of"


class _Flow(_Summary):
    dimension = models.CharField(_("dimension"), max_length=10, choices=Dimension.choices)
    key = models.CharField(_("key"), max_length=20, blank=True)
    departed = models.PositiveIntegerField(_("departed"), default=0)
    completed = models.PositiveIntegerField(_("completed"), default=0)
    early_return = models.PositiveIntegerField(_("early return"), default=0)
    missing = models.PositiveIntegerField(_("missing"), default=0)

    class Meta(_Summary.Meta):
        abstract = True


class FlowDay(_Flow):
    """Departures and endings that happened on ``day``, for one value of one dimension.

    Endings of the ``year`` dimension are counted under the year the intern *departed*, so
    that outcomes per departure year are the same running totals.
    """

    day = models.DateField(_("day"))

    class Meta:
        verbose_name = _("daily flow")
        verbose_name_plural = _("daily flows")
        constraints = [
            models.UniqueConstraint(fields=["day", "dimension", "key"], name="stats_flowday_unique")
        ]


class FlowMonth(_Flow):
    """Running totals of everything that happened *before* ``month`` (its first day)."""

    month = models.DateField(_("month"))

    class Meta:
        verbose_name = _("monthly running total")
        verbose_name_plural = _("monthly running totals")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "dimension", "key"], name="stats_flowmonth_unique"
            )
        ]


class PlacementCount(_Summary):
    """Internships by supervising organisation, host company, prefecture and trade, on the
    day of the refresh: the scoped dashboards filter it by organisation."""

    supervising_organisation_id = models.IntegerField()
    host_company_id = models.IntegerField(null=True)
    prefecture_code = models.CharField(max_length=2)
    trade_code = models.CharField(max_length=12)
    departed = models.PositiveIntegerField(default=0)
    in_japan = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)
    early_return = models.PositiveIntegerField(default=0)
    missing = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["supervising_organisation_id"], name="stats_place_so_idx"),
            models.Index(fields=["host_company_id"], name="stats_place_host_idx"),
        ]


class StatusCount(_Summary):
    """Applications of one round and site by current status."""

    round_id = models.IntegerField()
    site_id = models.IntegerField()
    status = models.CharField(max_length=20)
    count = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["round_id", "site_id"], name="stats_status_round_idx")]


class StageCount(_Summary):
    """Recorded results of one selection stage at one site: passed and failed."""

    round_id = models.IntegerField()
    site_id = models.IntegerField()
    stage_id = models.IntegerField()
    passed = models.PositiveIntegerField()
    failed = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["round_id", "site_id"], name="stats_stage_round_idx")]


class CohortCount(_Summary):
    """Enrolments of one training cohort by state."""

    cohort_id = models.IntegerField()
    centre_id = models.IntegerField()
    state = models.CharField(max_length=20)
    count = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["centre_id"], name="stats_cohort_centre_idx")]


class OrderCount(_Summary):
    """Job orders by organisation, place, trade and state, with slots and interns matched
    by final match runs."""

    supervising_organisation_id = models.IntegerField()
    host_company_id = models.IntegerField()
    prefecture_code = models.CharField(max_length=2)
    trade_code = models.CharField(max_length=12)
    state = models.CharField(max_length=20)
    orders = models.PositiveIntegerField()
    slots = models.PositiveIntegerField()
    filled = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["supervising_organisation_id"], name="stats_order_so_idx"),
            models.Index(fields=["host_company_id"], name="stats_order_host_idx"),
        ]


class CaseCount(_Summary):
    """Incidents and grievances by category and by who may see them: the supervising
    organisation (only cases shared with it), the regional office of the intern's site."""

    category = models.CharField(max_length=20)
    supervising_organisation_id = models.IntegerField()
    site_organisation_id = models.IntegerField()
    shared_with_partner = models.BooleanField()
    filed = models.PositiveIntegerField()
    open = models.PositiveIntegerField()
    resolved = models.PositiveIntegerField()
    escalated = models.PositiveIntegerField()
    hours_to_resolution = models.FloatField(default=0)  # summed over the resolved cases


class AlumniCount(_Summary):
    """Returned interns' latest survey answers: what they do now."""

    employment = models.CharField(max_length=16)
    business_started = models.BooleanField()
    back_in_japan_ssw = models.BooleanField()
    count = models.PositiveIntegerField()
