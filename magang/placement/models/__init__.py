"""Placement: job orders, preferences, shortlists and interviews, match runs, departure."""

from .departure import BatchMember, DepartureBatch, DepartureFile
from .matching import Candidacy, InterviewResult, Match, MatchRun, MatchState, Preference
from .orders import HostTrade, JapaneseLevel, JobOrder, JobOrderState, SexRequirement

__all__ = [
    "BatchMember",
    "Candidacy",
    "DepartureBatch",
    "DepartureFile",
    "HostTrade",
    "InterviewResult",
    "JapaneseLevel",
    "JobOrder",
    "JobOrderState",
    "Match",
    "MatchRun",
    "MatchState",
    "Preference",
    "SexRequirement",
]
