"""Eligibility rules as data, and their evaluation. Pure: standard library only.

Each recruitment round stores one ``RuleSet`` as JSON (``to_dict``/``from_dict``); the values
change by year, region, sex and track, so none of them is a constant here. ``evaluate``
reports every rule an applicant fails, in Indonesian and English, with the numbers. The
verdict is advice for an officer: the service layer records it and a person decides.

The package: ``vocabulary`` (education levels, sexes, declarations), ``rules`` (the rule set
and its checks), ``reading`` (its JSON values), ``evaluation`` (an applicant against the
rules) and ``wording`` (numbers, durations and dates in both languages).
"""

from .evaluation import Applicant, Failure, Verdict, age_in_months, evaluate
from .rules import InvalidRules, RuleSet
from .vocabulary import DECLARATIONS, EDUCATION_LEVELS, SEXES, education_rank

__all__ = [
    "DECLARATIONS",
    "EDUCATION_LEVELS",
    "SEXES",
    "Applicant",
    "Failure",
    "InvalidRules",
    "RuleSet",
    "Verdict",
    "age_in_months",
    "education_rank",
    "evaluate",
]
