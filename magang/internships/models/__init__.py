"""The stay in Japan: ``stay`` (the internship, its stages, exams, status events, monitoring),
``cases`` (incidents and grievances) and ``alumni`` (return, benefits, follow-up)."""

from .stay import EndReason, Internship

__all__ = ["EndReason", "Internship"]
