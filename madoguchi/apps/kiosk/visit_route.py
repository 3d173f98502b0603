"""A life event's route as the kiosk offers it: the procedures ``core.life_events.guidance`` gives, each either on
the route, taken off by the resident, or not available (closed now, or closing before the resident would reach
it: the kiosk does not hand out a route it cannot finish). No Qt here."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Literal

from madoguchi.core import api_models as m
from madoguchi.core.config import LifeEvent
from madoguchi.core.life_events import Guidance, guidance

#: "late": open now, but its counters close before the resident would reach them
StepChoice = Literal["on", "dropped", "closed", "late"]


@dataclass(frozen=True)
class OfferedStep:
    service_id: str
    choice: StepChoice
    #: its place on the route (1-based) while on it; None when dropped or closed
    number: int | None


@dataclass(frozen=True)
class OfferedRoute:
    guidance: Guidance
    steps: tuple[OfferedStep, ...]

    @property
    def route(self) -> tuple[str, ...]:
        """What the ticket will carry, in counter order."""
        return tuple(s.service_id for s in self.steps if s.choice == "on")


def offered_route(
    event: LifeEvent,
    answers: Mapping[str, bool],
    dropped: Collection[str],
    statuses: Mapping[str, m.ServiceStatus],
    service_min: Mapping[str, float] | None = None,
) -> OfferedRoute:
    """The guidance for ``answers``, with the resident's drops and what is not available (unknown status: open).

    When would the resident reach each step? After the first step's expected wait and the service time of each
    step before it (``service_min``): a step whose counters close by then is "late"."""
    found = guidance(event, answers)
    steps = []
    number = 0
    reach: float | None = None  # minutes from now, once the first step on the route is known
    for sid in found.route:
        status = statuses.get(sid)
        if status is not None and not status.open_now:
            steps.append(OfferedStep(sid, "closed", None))
            continue
        if sid in dropped:
            steps.append(OfferedStep(sid, "dropped", None))
            continue
        if reach is None:
            reach = status.estimate.mid_min if status is not None else 0.0
        if status is not None and status.closes_in_min is not None and reach >= status.closes_in_min:
            steps.append(OfferedStep(sid, "late", None))
            continue
        number += 1
        steps.append(OfferedStep(sid, "on", number))
        reach += (service_min or {}).get(sid, 0.0)
    return OfferedRoute(found, tuple(steps))
