"""Recording stage results: parsing what people type, the stage's pass rule, who may record
which stage, and changes with a reason, a history and a refusal of stale edits."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, TypeAlias

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from magang.accounts.models import Role, User
from magang.accounts.scopes import scope_for
from magang.core.services import audit_record
from magang.recruitment.models import Application, ApplicationStatus, SelectionSite

from ..models import RecordedBy, Stage, StageKind, StageResult, StageResultChange

ResultValue: TypeAlias = "bool | Decimal | Mapping[str, Decimal]"

_TRUE = frozenset({"1", "y", "ya", "yes", "true", "pass", "passed", "lulus", "l", "ok"})
_FALSE = frozenset({"0", "n", "no", "tidak", "t", "false", "fail", "failed", "gagal", "tl"})
_CENT = Decimal("0.01")
_LIMIT = Decimal(1_000_000)
RECORDABLE = frozenset({ApplicationStatus.IN_SELECTION})


class StaleResult(ValidationError):
    """Someone else saved this result after the editor loaded it; ``current`` is theirs."""

    def __init__(self, current: StageResult) -> None:
        self.current = current
        super().__init__(
            _("%(who)s saved this result meanwhile as %(value)s. Check it, then save again.")
            % {
                "who": current.recorded_by or _("someone else"),
                "value": result_text(current, detail=True),
            },
            code="stale",
        )


def plain(number: Decimal) -> str:
    """A decimal without trailing zeros or exponent: 20, 14.5."""
    return format(number.normalize(), "f")


def _number(raw: object, what: str) -> Decimal:
    if isinstance(raw, bool):
        raise ValidationError(_("%(what)s must be a number.") % {"what": what})
    if isinstance(raw, (int, float, Decimal)):
        text = str(raw)
    else:
        text = str(raw or "").strip().replace(",", ".")
    if not text:
        raise ValidationError(_("%(what)s is empty.") % {"what": what})
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise ValidationError(
            _("%(what)s: '%(text)s' is not a number.") % {"what": what, "text": text}
        ) from exc
    if not number.is_finite():
        raise ValidationError(_("%(what)s must be a number.") % {"what": what})
    if abs(number) >= _LIMIT:  # the columns hold 8 digits, 2 after the point
        raise ValidationError(_("%(what)s is far too large.") % {"what": what})
    if number != number.quantize(_CENT):
        raise ValidationError(_("%(what)s has more than two decimals.") % {"what": what})
    return number.quantize(_CENT)


def result_parse(stage: Stage, raw: Any) -> ResultValue:
    """The value of ``raw`` (text from a grid or a spreadsheet cell, or a typed value) for
    this stage, or a ValidationError saying what is wrong. Scores must lie in the stage's
    range; a measurement stage needs every measurement, none negative."""
    if stage.kind == StageKind.GATE:
        if isinstance(raw, bool):
            return raw
        text = str(raw if raw is not None else "").strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValidationError(
            _("'%(text)s' is not a result: write 1 (passed) or 0 (failed).") % {"text": raw}
        )
    if stage.kind == StageKind.SCORE:
        score = _number(raw, _("The score"))
        low, high = stage.min_score or Decimal(0), stage.max_score or Decimal(100)
        if not low <= score <= high:
            raise ValidationError(
                _("The score %(score)s is outside the range %(low)s to %(high)s.")
                % {"score": plain(score), "low": plain(low), "high": plain(high)}
            )
        return score
    if not isinstance(raw, Mapping):
        raise ValidationError(_("Give every measurement of this stage."))
    values: dict[str, Decimal] = {}
    problems: list[str] = []
    for measure in stage.measures:
        try:
            values[measure["key"]] = measurement_parse(measure, raw.get(measure["key"]))
        except ValidationError as exc:
            problems.extend(exc.messages)
    unknown = sorted(set(raw) - {m["key"] for m in stage.measures})
    if unknown:
        problems.append(_("Unknown measurement: %(keys)s.") % {"keys": ", ".join(unknown)})
    if problems:
        raise ValidationError(problems)
    return values


def measurement_parse(measure: Mapping[str, Any], raw: Any) -> Decimal:
    """One measurement of a measurement stage (``result_parse`` checks each with this), so
    that a spreadsheet can report a problem against its own column."""
    name = measure.get("name_en", measure["key"])
    value = _number(raw, name)
    if value < 0:
        raise ValidationError(_("%(what)s cannot be negative.") % {"what": name})
    return value


def result_passes(stage: Stage, value: ResultValue, sex: str) -> bool:
    """The stage's rule (the same as ``ranking``'s rule 1) applied to one value."""
    if stage.kind == StageKind.GATE:
        return bool(value)
    if stage.kind == StageKind.SCORE:
        assert isinstance(value, Decimal)  # noqa: S101 - result_parse gave it
        return stage.pass_mark is None or value >= stage.pass_mark
    assert isinstance(value, Mapping)  # noqa: S101
    for measure in stage.measures:
        limit = measure["limits"].get(sex)
        if limit is None:
            raise ValidationError(
                _("%(what)s has no limit for this candidate's sex.")
                % {"what": measure.get("name_en", measure["key"])}
            )
        number = value[measure["key"]]
        if measure["better"] == "lower" and number > Decimal(str(limit)):
            return False
        if measure["better"] == "higher" and number < Decimal(str(limit)):
            return False
    return True


def _stored(stage: Stage, value: ResultValue) -> dict[str, Any]:
    """The model fields holding ``value``."""
    if stage.kind == StageKind.SCORE:
        return {"score": value, "measurements": {}}
    if stage.kind == StageKind.MEASURE:
        assert isinstance(value, Mapping)  # noqa: S101
        return {"score": None, "measurements": {k: str(v) for k, v in value.items()}}
    return {"score": None, "measurements": {}}


def result_value(result: StageResult) -> ResultValue:
    kind = result.stage.kind
    if kind == StageKind.SCORE:
        assert result.score is not None  # noqa: S101
        return result.score
    if kind == StageKind.MEASURE:
        return {k: Decimal(v) for k, v in result.measurements.items()}
    return result.passed


def _snapshot(result: StageResult) -> dict[str, Any]:
    """A result's value for the history and the audit trail (JSON)."""
    data: dict[str, Any] = {"passed": result.passed}
    if result.score is not None:
        data["score"] = str(result.score)
    if result.measurements:
        data["measurements"] = dict(result.measurements)
    if result.note:
        data["note"] = result.note
    return data


def result_text(result: StageResult, *, detail: bool) -> str:
    """How a result reads for people; ``detail=False`` gives pass/fail only (medical)."""
    verdict = _("passed") if result.passed else _("failed")
    if not detail or result.stage.kind == StageKind.GATE:
        return verdict
    if result.stage.kind == StageKind.SCORE:
        return f"{result.score} ({verdict})"
    parts = [f"{k} {v}" for k, v in result.measurements.items()]
    return f"{', '.join(parts)} ({verdict})"


def may_record(user: Any, stage: Stage, application: Application) -> bool:
    """Site stages: the site's regional officers and the central team; central stages: the
    central team. Administrators may do both; leadership only reads."""
    return may_record_at(user, stage, application.site)


def may_record_at(user: Any, stage: Stage, site: SelectionSite) -> bool:
    """``may_record`` for every application of ``site`` (the rule depends on the site only)."""
    scope = scope_for(user)
    if scope.has_role(Role.CENTRAL_TEAM, Role.ADMINISTRATOR):
        return True
    if stage.recorded_by != RecordedBy.SITE:
        return False
    return site.organisation_id in scope.organisations(Role.REGIONAL_OFFICER)


def may_see_detail(user: Any, stage: Stage, application: Application) -> bool:
    """Medical detail: the central team and the candidate; everyone else sees pass/fail."""
    if sees_stage_detail(user, stage):
        return True
    scope = scope_for(user)
    return application.candidate.user_id is not None and application.candidate.user_id == (
        scope.user_id
    )


def sees_stage_detail(user: Any, stage: Stage) -> bool:
    """Whether ``user`` sees the detail of *everyone's* results at this stage (staff pages):
    any stage but a medical one, and a medical one only for the central team."""
    return not stage.is_medical or scope_for(user).has_role(Role.CENTRAL_TEAM)


def result_changes(current: StageResult, value: ResultValue, *, sex: str, note: str = "") -> bool:
    """Whether recording ``value`` (and ``note``) over ``current`` would change it, exactly as
    ``result_record`` decides: an unchanged result needs no reason and writes nothing."""
    stage = current.stage
    after = StageResult(
        stage=stage,
        passed=result_passes(stage, value, sex),
        note=note or current.note,
        **_stored(stage, value),
    )
    return _snapshot(after) != _snapshot(current)


@transaction.atomic
def result_record(
    *,
    application: Application,
    stage: Stage,
    value: ResultValue,
    by: User | None,
    reason: str = "",
    note: str = "",
    expected_version: int | None = None,
    check_access: bool = True,
) -> StageResult | None:
    """Record or change one result. Returns the result, or None when nothing changed.

    A first entry needs no reason; a change does, and is kept in ``StageResultChange``. Give
    ``expected_version`` (the version the editor loaded; 0 for "there was none") to refuse
    an edit made from a stale copy with ``StaleResult``.
    """
    if check_access and not may_record(by, stage, application):
        raise PermissionDenied
    if stage.plan.round_id != application.round_id:
        raise ValidationError(_("This stage belongs to another round."))
    if application.status not in RECORDABLE:
        raise ValidationError(
            _("Results are recorded for applications in selection; this one is %(status)s.")
            % {"status": application.get_status_display()}
        )
    value = result_parse(stage, value)  # the range and shape are checked whoever calls
    passed = result_passes(stage, value, application.candidate.sex)
    fields = _stored(stage, value)
    now = timezone.now()
    # Two first entries of one result have no row to lock yet: lock the application so the
    # second waits, then sees the first's version and is refused as stale (not an
    # IntegrityError from the unique constraint).
    Application.objects.select_for_update().filter(pk=application.pk).values_list("pk").first()
    current = (
        StageResult.objects.select_for_update(of=("self",))
        .select_related("recorded_by", "stage")
        .filter(application=application, stage=stage)
        .first()
    )
    if expected_version is not None and (current.version if current else 0) != expected_version:
        if current is None:
            raise ValidationError(_("This result was removed meanwhile. Reload the page."))
        raise StaleResult(current)
    if current is None:
        result = StageResult.objects.create(
            application=application, stage=stage, passed=passed, note=note, recorded_by=by, **fields
        )
        audit_record(actor=by, action="selection.result_record", obj=result, changes=_audit(result))
        return result
    old = _snapshot(current)
    current.passed = passed
    current.note = note or current.note
    for name, field_value in fields.items():
        setattr(current, name, field_value)
    new = _snapshot(current)
    if new == old:
        return None
    if not reason.strip():
        raise ValidationError(
            _("This result was already recorded; give a reason for changing it."),
            code="reason_required",
        )
    current.version += 1
    current.recorded_by = by
    current.save()
    StageResultChange.objects.create(
        result=current, changed_by=by, changed_at=now, old=old, new=new, reason=reason.strip()
    )
    audit_record(
        actor=by,
        action="selection.result_change",
        obj=current,
        changes=_audit(current, old=old),
        reason=reason.strip(),
    )
    return current


def _audit(result: StageResult, old: dict[str, Any] | None = None) -> dict[str, Any]:
    """The audit trail keeps values, except medical ones (only whether it passed)."""
    new = _snapshot(result)
    if result.stage.is_medical:
        new = {"passed": new["passed"]}
        old = None if old is None else {"passed": old["passed"]}
    changes: dict[str, Any] = {"stage": result.stage.key, "application": result.application_id}
    changes["value"] = new if old is None else [old, new]
    return changes
