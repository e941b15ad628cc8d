"""Administrators edit a round's rule set as data; a broken rule set is refused, every
problem listed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from magang import factories as f
from magang.recruitment import services
from magang.recruitment.admin import RecruitmentRoundForm
from magang.recruitment.eligibility import RuleSet

pytestmark = pytest.mark.django_db


def _form_data(round_, rules):  # type: ignore[no-untyped-def]
    return {
        "programme": round_.programme_id,
        "code": round_.code,
        "name": round_.name,
        "year": round_.year,
        "track": round_.track,
        "opens_on": round_.opens_on,
        "closes_on": round_.closes_on,
        "reference_date": round_.reference_date,
        "target": 10,
        "eligibility_rules": rules,
        "required_documents": [],
    }


def test_it_accepts_a_valid_rule_set() -> None:
    round_ = f.RoundFactory()
    rules = RuleSet(
        reference_date=dt.date(2026, 12, 31),
        allowed_sexes=frozenset({"M"}),
        min_age_years=18,
        max_age_years=26,
        min_education="sma",
    ).to_dict()
    import json

    form = RecruitmentRoundForm(data=_form_data(round_, json.dumps(rules)), instance=round_)
    assert form.is_valid(), form.errors


def test_it_refuses_a_broken_rule_set_and_lists_the_problems() -> None:
    round_ = f.RoundFactory()
    form = RecruitmentRoundForm(
        data=_form_data(round_, '{"min_age_years": "old", "colour": "blue"}'), instance=round_
    )
    assert not form.is_valid()
    assert len(form.errors["eligibility_rules"]) >= 2


def test_it_emails_the_registration_number_when_someone_registers(
    django_capture_on_commit_callbacks,
) -> None:
    f.regency("32.16")
    candidate = services.candidate_create(
        nik=f.make_nik(),
        full_name="Budi Santoso",
        sex="M",
        birth_date=dt.date(2003, 5, 17),
        province_code="32",
        regency_code="32.16",
        email="budi@example.com",
    )
    with django_capture_on_commit_callbacks(execute=True):
        application = services.application_create(candidate=candidate, site=f.SiteFactory())
    assert len(mail.outbox) == 1
    assert application.registration_number in mail.outbox[0].subject
    assert mail.outbox[0].to == ["budi@example.com"]
