"""The round's eligibility rules applied to an application (the rules themselves are in
``recruitment.eligibility``), and the verdict as it is stored."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ...eligibility import Applicant, RuleSet, Verdict, evaluate
from ...journey import Status
from ...models import Application, Candidate, SelectionSite

# Statuses that mean the person has already been to Japan in this programme.
DEPARTED_STATUSES = frozenset(
    {
        Status.DEPARTED,
        Status.IN_JAPAN,
        Status.COMPLETED,
        Status.EARLY_RETURN,
        Status.MISSING,
        Status.RETURNED,
    }
)


def round_rules(site: SelectionSite) -> RuleSet | None:
    rules = site.round.eligibility_rules
    return RuleSet.from_dict(rules) if rules else None


def has_departed_before(candidate: Candidate | None) -> bool:
    if candidate is None or candidate.pk is None:
        return False
    return candidate.applications.filter(status__in=[s.value for s in DEPARTED_STATUSES]).exists()


def application_eligibility(
    *, application: Application, departed_before: bool | None = None
) -> Verdict | None:
    """Evaluate the round's rule set for this application (None when the round has none).
    ``departed_before``: whether the candidate's other applications went to Japan, when the
    caller already knows (asked of the database otherwise)."""
    rules = round_rules(application.site)
    if rules is None:
        return None
    candidate = application.candidate
    if departed_before is None:
        departed_before = (
            candidate.applications.exclude(pk=application.pk)
            .filter(status__in=[s.value for s in DEPARTED_STATUSES])
            .exists()
        )
    applicant = Applicant(
        birth_date=candidate.birth_date,
        sex=candidate.sex,
        education=application.education or "sd",
        height_cm=application.height_cm or 0,
        weight_kg=application.weight_kg or Decimal(0),
        declarations=frozenset(application.declarations),
        has_departed_before=departed_before,
    )
    return evaluate(rules, applicant)


def verdict_as_dict(verdict: Verdict | None) -> dict[str, Any]:
    if verdict is None:
        return {}
    return {
        "eligible": verdict.eligible,
        "failures": [
            {"rule": f.rule, "id": f.message_id, "en": f.message_en} for f in verdict.failures
        ],
    }
