"""Batches from partners (IM Japan, supervising organisations): status changes and exam
results, many interns per request.

Decisions, documented in the API too:

- **Per-item results, bulk writes.** Every item is checked on its own, with the same rules
  and messages as the web page; a bad item is reported with its index and message and
  changes nothing, the good ones are applied. (All-or-nothing would make one typo block a
  thousand valid updates.) Status batches read all their interns in a few queries and write
  in bulk (``stay.stay_changes_bulk``), so a batch costs a fixed number of queries whatever
  its size; arrivals, next stages, "found" and an intern named twice in one batch go one by
  one through the page's (atomic) services, a savepoint each. Should the bulk write break a
  database constraint, its items are retried one by one to tell which.
- **Idempotency.** Every batch carries an ``Idempotency-Key``. The first request with a key
  stores the SHA-256 of its body (canonical JSON) and its response in the same transaction as
  its changes; a retry with the same key and body gets the stored response back
  (``replayed: true``) and changes nothing; the same key with another body is refused. Keys
  belong to the calling user. A concurrent retry waits for the first request to finish.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from magang.accounts.models import Organisation, User

from ..access import internship_scope, may_manage, may_notify_missing
from ..models import ExamType, IdempotentRequest, Internship, Source
from . import stay

MAX_ITEMS = 2_000
ACTIONS = (
    "arrival",
    "next_stage",
    "home_leave",
    "transfer",
    "early_return",
    "missing",
    "found",
    "completed",
)


AFTER = {
    "arrival": "in_japan",
    "transfer": "in_japan",
    "early_return": "early_return",
    "missing": "missing",
    "found": "in_japan",
    "completed": "completed",
}


class KeyReused(Exception):
    """The idempotency key was used before with a different request."""


@dataclass(frozen=True)
class BatchOutcome:
    status: int
    body: dict[str, Any]
    replayed: bool


def request_sha256(endpoint: str, payload: Any) -> str:
    text = json.dumps({"endpoint": endpoint, "body": payload}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _messages(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def _apply_one(
    index: int, item: dict[str, Any], apply: Callable[[dict[str, Any]], dict[str, Any]]
) -> dict[str, Any]:
    entry: dict[str, Any] = {"index": index, "registration_number": item["registration_number"]}
    try:
        # Every service is atomic: inside the batch's transaction that is a savepoint, so
        # a refused item leaves nothing behind without a second savepoint of our own.
        entry.update(apply(item))
        entry["ok"] = True
    except Exception as exc:
        entry.update(ok=False, error=_refused(exc))
    return entry


def _refused(exc: Exception) -> str:
    """The words an item's result gives for ``exc``; anything unexpected propagates."""
    if isinstance(exc, ValidationError):
        return _messages(exc)
    if isinstance(exc, PermissionDenied):
        return _("You may not change this internship.")
    if isinstance(exc, (ValueError, KeyError)):
        return str(exc)
    if isinstance(exc, IntegrityError):
        return _("The database refused this change.")
    raise exc


def _summary(results: list[dict[str, Any]]) -> dict[str, Any]:
    applied = sum(1 for r in results if r["ok"])
    return {"applied": applied, "failed": len(results) - applied, "results": results}


def _apply_each(
    items: Sequence[dict[str, Any]], apply: Callable[[dict[str, Any]], dict[str, Any]]
) -> dict[str, Any]:
    return _summary([_apply_one(index, item, apply) for index, item in enumerate(items)])


@transaction.atomic
def batch_run(
    *,
    user: User,
    key: str,
    endpoint: str,
    payload: dict[str, Any],
    items: Sequence[dict[str, Any]],
    apply: Callable[[dict[str, Any]], dict[str, Any]],
    apply_all: Callable[[Sequence[dict[str, Any]]], list[dict[str, Any]]] | None = None,
) -> BatchOutcome:
    """Run ``apply`` on every item once per idempotency key (see the module's docstring);
    ``apply_all``, when given, does the same for the whole list at once (and returns every
    item's result entry, in order)."""
    digest = request_sha256(endpoint, payload)
    try:
        with transaction.atomic():
            record = IdempotentRequest.objects.create(
                user=user,
                key=key,
                endpoint=endpoint,
                request_sha256=digest,
                response_status=0,
                response={},
            )
    except IntegrityError:
        earlier = IdempotentRequest.objects.select_for_update().get(user=user, key=key)
        if earlier.request_sha256 != digest:
            raise KeyReused from None
        return BatchOutcome(earlier.response_status, earlier.response, replayed=True)
    done = _summary(apply_all(items)) if apply_all is not None else _apply_each(items, apply)
    body = {"idempotency_key": key, **done}
    record.response_status = 200
    record.response = body
    record.save(update_fields=["response_status", "response"])
    return BatchOutcome(200, body, replayed=False)


class Applier:
    """Applies one item of a batch as ``user``: finds the intern by registration number within
    the user's scope, checks the right to change it, calls the stay's service."""

    def __init__(self, user: User, numbers: Sequence[str]) -> None:
        self.user = user
        self.internships = {
            i.application.registration_number: i
            for i in internship_scope(user=user)
            .filter(application__registration_number__in=list(numbers))
            .select_related("application")
        }
        self.exam_types = {e.code: e for e in ExamType.objects.all()}
        self.companies: dict[int, Organisation] = {}

    def prefetch_companies(self, items: Sequence[dict[str, Any]]) -> None:
        ids = {i["host_company_id"] for i in items if i.get("host_company_id")}
        self.companies = {
            o.pk: o
            for o in Organisation.objects.filter(pk__in=ids, kind=Organisation.Kind.HOST_COMPANY)
        }

    def internship(self, number: str, *, missing: bool = False) -> Internship:
        found = self.internships.get(number)
        if found is None:
            raise ValidationError(
                _("No internship with registration number %(n)s.") % {"n": number}
            )
        allowed = may_notify_missing if missing else may_manage
        if not allowed(self.user, found):
            raise PermissionDenied
        return found

    def status(self, item: dict[str, Any]) -> dict[str, Any]:
        action = item["action"]
        on: dt.date = item["effective_on"]
        by, source = self.user, Source.API
        internship = self.internship(item["registration_number"], missing=action == "missing")
        note = item.get("note") or ""
        if action == "arrival":
            done = stay.internship_arrive(
                internship=internship,
                arrived_on=on,
                centre=item.get("centre") or "",
                by=by,
                source=source,
            )
        elif action == "next_stage":
            done = stay.internship_next_stage(internship=internship, on=on, by=by, source=source)
        elif action == "home_leave":
            stay.home_leave_record(
                internship=internship, left_on=on, returned_on=item.get("returned_on"), by=by
            )
            done = internship
        elif action == "transfer":
            company = self.companies.get(item.get("host_company_id") or 0)
            if company is None:
                raise ValidationError(_("Give the new host company (host_company_id)."))
            done = stay.internship_transfer(
                internship=internship,
                to_company=company,
                on=on,
                reason=item.get("reason") or "",
                note=note,
                by=by,
                source=source,
            )
        elif action == "early_return":
            done = stay.internship_early_return(
                internship=internship,
                on=on,
                reason=item.get("reason") or "",
                note=note,
                by=by,
                source=source,
            )
        elif action == "missing":
            done = stay.internship_missing(
                internship=internship, on=on, note=note, by=by, source=source
            )
        elif action == "found":
            done = stay.internship_found(
                internship=internship, on=on, note=note, by=by, source=source
            )
        elif action == "completed":
            done = stay.internship_complete(
                internship=internship, on=on, note=note, by=by, source=source
            )
        else:
            raise ValidationError(_("Unknown action: %(action)s") % {"action": action})
        status = AFTER.get(action)
        if status is None:  # a return home or a stage leaves the status as it was
            status = str(done.application.status)
        return {"internship_id": done.pk, "status": status}

    def status_all(self, items: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        """``status`` for a whole batch in a constant number of queries: transfers, early
        returns, missing, completions and temporary returns home of interns named once in the
        batch go through ``stay.stay_changes_bulk`` (the same checks, messages and rows as one
        by one); the other items (arrival, next stage, found, or an intern named twice) run
        one by one afterwards, as before. They touch other interns than the bulk part, so the
        order does not change any outcome."""
        named = Counter(i["registration_number"] for i in items)
        entries: list[dict[str, Any] | None] = [None] * len(items)
        bulk: list[tuple[int, stay.StayChange]] = []
        for index, item in enumerate(items):
            if item["action"] not in stay.BULK_KINDS or named[item["registration_number"]] > 1:
                continue
            try:
                bulk.append((index, self._change(item)))
            except Exception as exc:
                entries[index] = self._entry(index, item, error=_refused(exc))
        if bulk:
            try:
                with transaction.atomic():
                    done = stay.stay_changes_bulk(
                        changes=[c for _i, c in bulk], by=self.user, source=Source.API
                    )
            except IntegrityError:
                # Some row broke a constraint: go one by one to tell which.
                bulk_indexes = {i for i, _c in bulk}
                for index in bulk_indexes:
                    entries[index] = _apply_one(index, items[index], self.status)
            else:
                for (index, change), result in zip(bulk, done, strict=True):
                    item = items[index]
                    if isinstance(result, ValidationError):
                        entries[index] = self._entry(index, item, error=_messages(result))
                        continue
                    status = AFTER.get(change.kind) or str(result.application.status)
                    entries[index] = self._entry(
                        index, item, internship_id=result.pk, status=status
                    )
        for index, item in enumerate(items):
            if entries[index] is None:
                entries[index] = _apply_one(index, item, self.status)
        return [e for e in entries if e is not None]

    @staticmethod
    def _entry(index: int, item: dict[str, Any], **fields: Any) -> dict[str, Any]:
        entry: dict[str, Any] = {"index": index, "registration_number": item["registration_number"]}
        if "error" in fields:
            entry.update(ok=False, error=fields["error"])
        else:
            entry.update(fields)
            entry["ok"] = True
        return entry

    def _change(self, item: dict[str, Any]) -> stay.StayChange:
        """The checks ``status`` makes before calling a service, for the bulk path."""
        action = item["action"]
        on: dt.date = item["effective_on"]
        internship = self.internship(item["registration_number"], missing=action == "missing")
        company = None
        if action == "transfer":
            company = self.companies.get(item.get("host_company_id") or 0)
            if company is None:
                raise ValidationError(_("Give the new host company (host_company_id)."))
        return stay.StayChange(
            internship=internship,
            kind=action,
            on=on,
            reason=item.get("reason") or "" if action in ("transfer", "early_return") else "",
            note=item.get("note") or "" if action != "home_leave" else "",
            to_company=company,
            returned_on=item.get("returned_on") if action == "home_leave" else None,
        )

    def exam(self, item: dict[str, Any]) -> dict[str, Any]:
        internship = self.internship(item["registration_number"])
        exam_type = self.exam_types.get(item["exam"])
        if exam_type is None:
            raise ValidationError(_("Unknown exam: %(exam)s") % {"exam": item["exam"]})
        score = item.get("score")
        exam = stay.exam_record(
            internship=internship,
            exam_type=exam_type,
            taken_on=item["taken_on"],
            result=item["result"],
            score=Decimal(str(score)) if score is not None else None,
            certificate_number=item.get("certificate_number") or "",
            by=self.user,
            source=Source.API,
        )
        return {"internship_id": internship.pk, "exam_id": exam.pk}
