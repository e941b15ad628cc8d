"""What an import would do, row by row: the report that the stage results, training scores
and job orders imports share. Each row has a status; in imports of recorded values
(``VersionedReport``) a row that changes one carries the version it was checked against, so
a commit can refuse a file checked against values someone has changed since the preview."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from .reading import Problem

NEW, CHANGED, UNCHANGED, BLANK, ERROR = "new", "changed", "unchanged", "blank", "error"


class ReportRow(Protocol):
    status: str


class VersionedRow(ReportRow, Protocol):
    version: int  # of the value recorded now (0: none)


R = TypeVar("R", bound=ReportRow)
V = TypeVar("V", bound=VersionedRow)


@dataclass
class RowsReport(Generic[R]):
    """A status per row, every problem by row and column."""

    rows: list[R]
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def _count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def new(self) -> int:
        return self._count(NEW)

    @property
    def changed(self) -> int:
        return self._count(CHANGED)

    @property
    def unchanged(self) -> int:
        return self._count(UNCHANGED)

    @property
    def blank(self) -> int:
        return self._count(BLANK)

    @property
    def error_rows(self) -> int:
        return self._count(ERROR)

    @property
    def to_write(self) -> int:
        return self.new + self.changed

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changes(self) -> list[R]:
        return [row for row in self.rows if row.status == CHANGED]


@dataclass
class VersionedReport(RowsReport[V]):
    """A ``RowsReport`` of recorded values. ``recorded_id`` names the record a row would
    change (its application, its enrolment), or None."""

    def recorded_id(self, row: V) -> int | None:
        raise NotImplementedError

    def _versions(self) -> Iterator[str]:
        for row in self.rows:
            pk = self.recorded_id(row)
            if pk is not None and row.status != BLANK:
                yield f"{pk}:{row.version};"

    @property
    def fingerprint(self) -> str:
        """The recorded versions the check was made against: a commit is refused when they
        moved since the preview (someone recorded meanwhile)."""
        digest = hashlib.sha256()
        for part in self._versions():
            digest.update(part.encode())
        return digest.hexdigest()
