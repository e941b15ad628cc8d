"""The trades a host company trains in, kept by its supervising organisation or the central
team (job orders are then checked against them)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from magang.accounts.models import Organisation, Role, User
from magang.accounts.scopes import scope_for
from magang.core.services import audit_record
from magang.reference.models import Trade

from ..models import HostTrade, JobOrder, JobOrderState


def _require_keeper(by: User | None, company: Organisation) -> None:
    if company.kind != Organisation.Kind.HOST_COMPANY:
        raise ValidationError(_("Only host companies train in trades."))
    if by is None:
        return
    scope = scope_for(by)
    if not (
        scope.has_role(Role.CENTRAL_TEAM)
        or (
            company.parent_id is not None and company.parent_id in scope.organisations(Role.PARTNER)
        )
    ):
        raise PermissionDenied


@transaction.atomic
def host_trade_add(*, company: Organisation, trade: Trade, by: User | None) -> HostTrade:
    _require_keeper(by, company)
    if HostTrade.objects.filter(host_company=company, trade=trade).exists():
        raise ValidationError(
            _("%(company)s already trains in %(trade)s.")
            % {"company": company, "trade": trade.name_en}
        )
    added = HostTrade.objects.create(host_company=company, trade=trade)
    audit_record(actor=by, action="placement.host_trade_add", obj=company,
                 changes={"trade": trade.code})  # fmt: skip
    return added


@transaction.atomic
def host_trade_remove(*, company: Organisation, trade: Trade, by: User | None) -> None:
    """Refused while an open job order of the company is in that trade."""
    _require_keeper(by, company)
    open_orders = JobOrder.objects.filter(
        host_company=company, trade=trade, state=JobOrderState.OPEN
    ).values_list("reference", flat=True)
    if open_orders:
        raise ValidationError(
            _("Open job orders are in this trade: %(references)s.")
            % {"references": ", ".join(open_orders)}
        )
    deleted, _rows = HostTrade.objects.filter(host_company=company, trade=trade).delete()
    if deleted:
        audit_record(actor=by, action="placement.host_trade_remove", obj=company,
                     changes={"trade": trade.code})  # fmt: skip
