"""A life event's route as the kiosk offers it: the procedures ``core.life_events.guidance`` gives, each either on
the route, taken off by the resident, or not available now (a procedure closed now is never started: the kiosk
does not hand out a route it cannot finish). No Qt here."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Literal

from madoguchi.core import api_models as m
from madoguchi.core.config import LifeEvent
from madoguchi.core.life_events import Guidance, guidance

StepChoice = Literal["on", "dropped", "closed"]


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
) -> OfferedRoute:
    """The guidance for ``answers``, with the resident's drops and what is closed now (unknown status: open)."""
    found = guidance(event, answers)
    steps = []
    number = 0
    for sid in found.route:
        status = statuses.get(sid)
        if status is not None and not status.open_now:
            steps.append(OfferedStep(sid, "closed", None))
        elif sid in dropped:
            steps.append(OfferedStep(sid, "dropped", None))
        else:
            number += 1
            steps.append(OfferedStep(sid, "on", number))
    return OfferedRoute(found, tuple(steps))
