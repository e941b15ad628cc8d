"""Placement's background work: telling partners and host companies about a final match."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="magang.placement.tasks.tell_partners")
def tell_partners_task(*, run_id: int) -> None:
    from .services.matching import tell_partners

    tell_partners(run_id=run_id)
