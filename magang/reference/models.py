"""Reference tables: Indonesian regions, Japanese prefectures, OTIT trades.

Each table records the dataset (source, version, date) its rows were loaded from, so that
a later decree or job list is a new load, not a code change.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Dataset(models.Model):
    """One loaded version of a reference table."""

    key = models.CharField(_("key"), max_length=40, unique=True)
    version = models.CharField(_("version"), max_length=80)
    source = models.TextField(_("source"))
    source_date = models.DateField(_("source date"))
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    class Meta:
        verbose_name = _("reference dataset")
        verbose_name_plural = _("reference datasets")
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.key} {self.version}"


class Province(models.Model):
    """An Indonesian province, Kemendagri code ("32" = Jawa Barat)."""

    code = models.CharField(_("code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Regency(models.Model):
    """A regency (kabupaten) or city (kota), Kemendagri code ("32.16" = Kab. Bekasi)."""

    class Kind(models.TextChoices):
        REGENCY = "regency", _("Regency")
        CITY = "city", _("City")

    code = models.CharField(_("code"), max_length=5, unique=True)
    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="regencies"
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)

    class Meta:
        verbose_name = _("regency or city")
        verbose_name_plural = _("regencies and cities")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Prefecture(models.Model):
    """A Japanese prefecture, JIS X 0401 code ("04" = Miyagi), same as ISO 3166-2:JP."""

    code = models.CharField(_("code"), max_length=2, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=40)
    name_ja = models.CharField(_("name (Japanese)"), max_length=20)
    name_id = models.CharField(_("name (Indonesian)"), max_length=40)
    region = models.CharField(_("region"), max_length=40)

    class Meta:
        verbose_name = _("prefecture")
        verbose_name_plural = _("prefectures")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name_en


class Trade(models.Model):
    """An OTIT transferable operation, coded group-job-operation ("2-1-9")."""

    class Group(models.TextChoices):
        AGRICULTURE = "agriculture", _("Agriculture")
        FISHERIES = "fisheries", _("Fisheries")
        CONSTRUCTION = "construction", _("Construction")
        FOOD = "food", _("Food manufacturing")
        TEXTILES = "textiles", _("Textiles and clothing")
        MACHINERY = "machinery", _("Machinery and metal")
        OTHER = "other", _("Other")

    code = models.CharField(_("code"), max_length=12, unique=True)
    group = models.CharField(_("group"), max_length=20, choices=Group.choices)
    job_code = models.CharField(_("job type code"), max_length=8)
    job_name_en = models.CharField(_("job type (English)"), max_length=120)
    job_name_ja = models.CharField(_("job type (Japanese)"), max_length=80)
    job_name_id = models.CharField(_("job type (Indonesian)"), max_length=120)
    name_en = models.CharField(_("operation (English)"), max_length=160)
    name_ja = models.CharField(_("operation (Japanese)"), max_length=80)
    name_id = models.CharField(_("operation (Indonesian)"), max_length=160)
    stage3_eligible = models.BooleanField(_("TITP stage 3 allowed"), default=True)

    class Meta:
        verbose_name = _("trade")
        verbose_name_plural = _("trades")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.job_name_en}: {self.name_en}"
