"""A visit's route (one ticket through several procedures) in the staff console's words: which step of how many,
and where the resident goes next. Reads what the server said; decides nothing."""

from __future__ import annotations

from collections.abc import Callable

from madoguchi.core import api_models as m
from madoguchi.translations.catalog import translate

#: steps still ahead of the resident (the step now, then those to come)
OPEN_STATES = frozenset({"current", "pending"})


def counted(route: list[m.RouteStep]) -> list[m.RouteStep]:
    """The steps that make up the visit: those taken off it (dropped) no longer count in "2 of 3"."""
    return [s for s in route if s.state != "dropped"]


def step_now(route: list[m.RouteStep]) -> m.RouteStep | None:
    """The step the ticket is at: the current one, else the first still to come."""
    return next((s for s in route if s.state == "current"), None) or next(
        (s for s in route if s.state == "pending"), None
    )


def position(route: list[m.RouteStep]) -> tuple[int, int] | None:
    """(step, steps) of the step now, 1-based among the steps that count; None for one procedure or when over."""
    steps = counted(route)
    now = step_now(route)
    if not steps or now is None:
        return None
    return steps.index(now) + 1, len(steps)


def step_mark(step: int, steps: int) -> str:
    return translate("ja", "staff.route.step_mark", step=str(step), steps=str(steps))


def counters_serving(hall: m.HallInfo, service_id: str) -> list[m.CounterInfo]:
    return [c for c in hall.counters if service_id in c.services]


def where_next(ticket: m.TicketView, hall: m.HallInfo | None, service_name: Callable[[str], str]) -> str:
    """What the clerk tells the resident once a step is done: the next procedure and its counters (and where they
    are), or that the visit is over."""
    where = position(ticket.route)
    now = step_now(ticket.route)
    if ticket.state != "waiting" or where is None or now is None:
        return translate("ja", "staff.route.all_done", number=ticket.number)
    step, steps = where
    counters = counters_serving(hall, now.service_id) if hall is not None else []
    numbers = "・".join(str(c.number) for c in counters)
    area = next((c.area.get("ja", "") for c in counters if c.area), "")
    return translate(
        "ja",
        "staff.route.next" if area else "staff.route.next_no_area",
        number=ticket.number,
        mark=step_mark(step, steps),
        service=service_name(now.service_id),
        counters=translate("ja", "board.counter", counter=numbers) if numbers else "—",
        area=area,
    )
