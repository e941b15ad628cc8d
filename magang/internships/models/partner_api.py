"""Idempotency of partner batches: a retried request with the same key changes nothing twice."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from magang.accounts.models import User


class IdempotentRequest(models.Model):
    """The first request made with a key, its body's SHA-256 and the response it got."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(_("idempotency key"), max_length=100)
    endpoint = models.CharField(_("endpoint"), max_length=100)
    request_sha256 = models.CharField(_("request SHA-256"), max_length=64)
    response_status = models.PositiveSmallIntegerField(_("response status"))
    response = models.JSONField(_("response"), default=dict)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("idempotent request")
        verbose_name_plural = _("idempotent requests")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotent_request_key_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.endpoint})"
