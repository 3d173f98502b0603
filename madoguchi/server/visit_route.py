"""A visit's route as a list of steps, and how it changes: pure functions the engine applies in its transactions.

A route is the ordered list of a ticket's procedures (``visit_steps`` rows). Exactly one step of an open visit is
``current``: the ticket row's service. A step done (or skipped after a no-show) hands the ticket to the next
``pending`` step; a clerk may add a procedure among those still to come or take one of them off (``dropped``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from madoguchi.server.store import StepRow

#: states of a step that no longer needs the resident
CLOSED_STEP_STATES = ("done", "skipped", "dropped")


def new_route(ticket_id: int, route: Sequence[str], at: float) -> list[StepRow]:
    return [
        StepRow(ticket_id, pos, sid, "current" if pos == 0 else "pending", at if pos == 0 else None, None, None, None)
        for pos, sid in enumerate(route)
    ]


def current_index(steps: Sequence[StepRow]) -> int | None:
    for i, s in enumerate(steps):
        if s.state == "current":
            return i
    return None


def next_pending(steps: Sequence[StepRow]) -> int | None:
    """The step after the current one that the ticket goes to next (None: the visit ends here)."""
    start = current_index(steps)
    for i in range(0 if start is None else start + 1, len(steps)):
        if steps[i].state == "pending":
            return i
    return None


def advance(steps: Sequence[StepRow], closed_as: str, at: float, counter: int | None) -> list[StepRow]:
    """The current step closed (``done`` or ``skipped``) and the next pending one current, joined at ``at``."""
    here, nxt = current_index(steps), next_pending(steps)
    out = list(steps)
    if here is not None:
        out[here] = dataclasses.replace(out[here], state=closed_as, finished_at=at, counter=counter)
    if nxt is not None:
        out[nxt] = dataclasses.replace(out[nxt], state="current", joined_at=at)
    return out


def place(steps: Sequence[StepRow]) -> tuple[int, int] | None:
    """Which step of how many (1-based, dropped steps not counted): what the board and the phone say."""
    kept = [s for s in steps if s.state != "dropped"]
    for i, s in enumerate(kept):
        if s.state == "current":
            return i + 1, len(kept)
    return None


class RouteChangeRefused(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def with_step_added(
    steps: Sequence[StepRow], ticket_id: int, service_id: str, position: int | None, max_steps: int
) -> list[StepRow]:
    """``service_id`` among the steps still to come: ``position`` 0 = next, None = at the end."""
    open_services = {s.service_id for s in steps if s.state in ("current", "pending")}
    if service_id in open_services:
        raise RouteChangeRefused("visit.step_twice", "the procedure is on the route already")
    if len([s for s in steps if s.state != "dropped"]) >= max_steps:
        raise RouteChangeRefused("visit.too_many_steps", f"a route has at most {max_steps} procedures")
    here = current_index(steps)
    head = list(steps[: (here + 1 if here is not None else len(steps))])
    tail = list(steps[len(head) :])
    to_come = [i for i, s in enumerate(tail) if s.state == "pending"]
    at = len(tail) if position is None or position >= len(to_come) else to_come[position]
    tail.insert(at, StepRow(ticket_id, 0, service_id, "pending", None, None, None, None))
    return head + tail


def with_step_removed(steps: Sequence[StepRow], service_id: str, at: float) -> list[StepRow]:
    for i, s in enumerate(steps):
        if s.service_id == service_id and s.state == "pending":
            out = list(steps)
            out[i] = dataclasses.replace(s, state="dropped", finished_at=at)
            return out
    if any(s.service_id == service_id for s in steps):
        raise RouteChangeRefused("visit.step_not_pending", "only a step still to come can be taken off")
    raise RouteChangeRefused("visit.step_unknown", "the procedure is not on the route")
