"""The journey graph on its own: pure, property-tested."""

from __future__ import annotations

from collections import deque
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from magang.recruitment.journey import (
    INITIAL,
    TERMINAL,
    TRANSITIONS,
    InvalidTransition,
    Status,
    allowed_targets,
    check_transition,
    path_to,
)
from magang.recruitment.models import ApplicationStatus

# The graph as DESIGN.md draws it, written out independently of journey.py.
DESIGN_EDGES = {
    ("registered", "eligible"),
    ("registered", "ineligible"),
    ("eligible", "in_selection"),
    ("in_selection", "selected"),
    ("in_selection", "reserve"),
    ("in_selection", "not_selected"),
    ("reserve", "selected"),
    ("reserve", "not_selected"),
    ("selected", "in_training"),
    # A selected person who fails the medical check-up or gets no passport (selection issue).
    ("selected", "not_selected"),
    ("in_training", "graduated"),
    ("in_training", "dropped_out"),
    ("graduated", "matched"),
    ("matched", "departed"),
    ("departed", "in_japan"),
    ("in_japan", "in_japan"),
    ("in_japan", "completed"),
    ("in_japan", "early_return"),
    ("in_japan", "missing"),
    ("missing", "in_japan"),
    ("missing", "early_return"),
    ("completed", "returned"),
    ("early_return", "returned"),
} | {
    (state, "withdrawn")
    for state in (
        "registered",
        "eligible",
        "in_selection",
        "reserve",
        "selected",
        "in_training",
        "graduated",
        "matched",
    )
}


def test_it_matches_the_graph_in_the_design() -> None:
    edges = {(a.value, b.value) for a, targets in TRANSITIONS.items() for b in targets}
    assert edges == DESIGN_EDGES


def test_it_reaches_every_state_from_registration() -> None:
    seen = {INITIAL}
    queue = deque([INITIAL])
    while queue:
        for nxt in TRANSITIONS[queue.popleft()]:
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    assert seen == set(Status)


def test_it_knows_the_final_states() -> None:
    assert {s.value for s in TERMINAL} == {
        "ineligible",
        "not_selected",
        "withdrawn",
        "dropped_out",
        "returned",
    }


def test_it_keeps_the_database_choices_in_step_with_the_graph() -> None:
    assert set(ApplicationStatus.values) == {s.value for s in Status}


def test_it_explains_a_refused_move() -> None:
    with pytest.raises(InvalidTransition) as excinfo:
        check_transition("registered", "departed")
    message = str(excinfo.value)
    assert "'registered'" in message and "'departed'" in message
    assert "eligible" in message and "withdrawn" in message


def test_it_says_a_final_state_has_no_way_out() -> None:
    with pytest.raises(InvalidTransition, match="none \\(final state\\)"):
        check_transition("returned", "in_japan")


def test_it_refuses_an_unknown_status() -> None:
    with pytest.raises(ValueError, match="Unknown application status"):
        check_transition("registered", "on_holiday")


@given(st.lists(st.sampled_from(list(Status)), max_size=40))
def test_it_never_leaves_the_graph_whatever_is_asked(attempts: list[Status]) -> None:
    state = INITIAL
    visited = [state]
    for target in attempts:
        try:
            state = check_transition(state, target)
        except InvalidTransition:
            assert target not in allowed_targets(state)
        else:
            assert state in TRANSITIONS[visited[-1]]
            visited.append(state)
    for before, after in pairwise(visited):
        assert after in TRANSITIONS[before]


@given(st.sampled_from(list(Status)))
def test_it_finds_a_valid_path_to_every_state(target: Status) -> None:
    path = path_to(target)
    state = INITIAL
    for step in path:
        state = check_transition(state, step)
    assert state == target
