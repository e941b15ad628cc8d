"""The application's journey as a graph. Pure: no Django.

Every status change of an application goes through ``check_transition``; the service in
``services.py`` applies it and writes the JourneyEvent.
"""

from __future__ import annotations

from collections import deque
from enum import StrEnum


class Status(StrEnum):
    REGISTERED = "registered"
    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    IN_SELECTION = "in_selection"
    SELECTED = "selected"
    RESERVE = "reserve"
    NOT_SELECTED = "not_selected"
    WITHDRAWN = "withdrawn"
    IN_TRAINING = "in_training"
    GRADUATED = "graduated"
    DROPPED_OUT = "dropped_out"
    MATCHED = "matched"
    DEPARTED = "departed"
    IN_JAPAN = "in_japan"
    COMPLETED = "completed"
    EARLY_RETURN = "early_return"
    MISSING = "missing"
    RETURNED = "returned"


INITIAL = Status.REGISTERED

# A person may withdraw from any state before departure that is still open.
OPEN_BEFORE_DEPARTURE = frozenset(
    {
        Status.REGISTERED,
        Status.ELIGIBLE,
        Status.IN_SELECTION,
        Status.RESERVE,
        Status.SELECTED,
        Status.IN_TRAINING,
        Status.GRADUATED,
        Status.MATCHED,
    }
)

_FORWARD: dict[Status, frozenset[Status]] = {
    Status.REGISTERED: frozenset({Status.ELIGIBLE, Status.INELIGIBLE}),
    Status.ELIGIBLE: frozenset({Status.IN_SELECTION}),
    Status.IN_SELECTION: frozenset({Status.SELECTED, Status.RESERVE, Status.NOT_SELECTED}),
    # A reserve is promoted when a selected person drops out, or closes as not selected.
    Status.RESERVE: frozenset({Status.SELECTED, Status.NOT_SELECTED}),
    # A selected person who fails the medical check-up or gets no passport loses the seat.
    Status.SELECTED: frozenset({Status.IN_TRAINING, Status.NOT_SELECTED}),
    Status.IN_TRAINING: frozenset({Status.GRADUATED, Status.DROPPED_OUT}),
    Status.GRADUATED: frozenset({Status.MATCHED}),
    Status.MATCHED: frozenset({Status.DEPARTED}),
    Status.DEPARTED: frozenset({Status.IN_JAPAN}),
    # in_japan -> in_japan is a transfer to a new host company.
    Status.IN_JAPAN: frozenset(
        {Status.IN_JAPAN, Status.COMPLETED, Status.EARLY_RETURN, Status.MISSING}
    ),
    # A missing intern may be found again, or be sent home.
    Status.MISSING: frozenset({Status.IN_JAPAN, Status.EARLY_RETURN}),
    Status.COMPLETED: frozenset({Status.RETURNED}),
    Status.EARLY_RETURN: frozenset({Status.RETURNED}),
}

TRANSITIONS: dict[Status, frozenset[Status]] = {
    status: _FORWARD.get(status, frozenset())
    | (frozenset({Status.WITHDRAWN}) if status in OPEN_BEFORE_DEPARTURE else frozenset())
    for status in Status
}

TERMINAL = frozenset(status for status, targets in TRANSITIONS.items() if not targets)

# States in which the application still occupies the candidate's place in its round.
CLOSED = frozenset({Status.WITHDRAWN})


class InvalidTransition(ValueError):
    """The journey graph does not allow this move."""

    def __init__(self, current: Status | str, target: Status | str) -> None:
        self.current = Status(current)
        self.target = Status(target)
        allowed = ", ".join(sorted(TRANSITIONS[self.current])) or "none (final state)"
        super().__init__(
            f"An application cannot move from '{self.current}' to '{self.target}'. "
            f"Allowed from '{self.current}': {allowed}."
        )


def allowed_targets(current: Status | str) -> frozenset[Status]:
    return TRANSITIONS[Status(current)]


def check_transition(current: Status | str, target: Status | str) -> Status:
    """Return the target as a Status, or raise InvalidTransition."""
    try:
        current_status, target_status = Status(current), Status(target)
    except ValueError as exc:
        raise ValueError(f"Unknown application status: {exc}") from exc
    if target_status not in TRANSITIONS[current_status]:
        raise InvalidTransition(current_status, target_status)
    return target_status


def path_to(target: Status | str, start: Status = INITIAL) -> list[Status]:
    """The shortest sequence of statuses from ``start`` to ``target`` (excluding start).

    Used to backfill history for records imported in a later state.
    """
    goal = Status(target)
    previous: dict[Status, Status | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            break
        for nxt in sorted(TRANSITIONS[node]):
            if nxt not in previous:
                previous[nxt] = node
                queue.append(nxt)
    if goal not in previous:
        raise InvalidTransition(start, goal)
    path: list[Status] = []
    node_or_none: Status | None = goal
    while node_or_none is not None and node_or_none != start:
        path.append(node_or_none)
        node_or_none = previous[node_or_none]
    return list(reversed(path))
