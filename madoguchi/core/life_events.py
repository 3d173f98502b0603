"""Life-event guidance: a life event's yes/no answers give the procedures of one visit, in counter order, and what
to bring. The kiosk and the pre-fill site ask the same questions and get the same answer from here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from madoguchi.core.config import HallConfig, LifeEvent


@dataclass(frozen=True)
class Guidance:
    """What a life event needs, given the answers so far (an unanswered question counts as no)."""

    event: LifeEvent
    #: the procedures in the order the counters take them
    route: tuple[str, ...]
    #: the things to bring, each a text per language: the event's own, then those of each question answered yes
    bring: tuple[dict[str, str], ...]


def guidance(event: LifeEvent, answers: Mapping[str, bool]) -> Guidance:
    optional = {sid for q in event.questions for sid in q.adds}
    wanted = {sid for q in event.questions if answers.get(q.id) for sid in q.adds}
    route = tuple(sid for sid in event.route if sid not in optional or sid in wanted)
    bring = list(event.bring)
    for q in event.questions:
        if answers.get(q.id):
            bring += [item for item in q.bring if item not in bring]
    return Guidance(event, route, tuple(bring))


class RouteRefused(ValueError):
    """A route the hall cannot serve as one visit; the message names no resident data."""


def check_route(config: HallConfig, route: Sequence[str]) -> tuple[str, ...]:
    """The route as given, when it is one: known services, each once, at most ``[visits] max_steps``."""
    known = set(config.service_ids())
    if not route:
        raise RouteRefused("a route needs at least one procedure")
    if len(route) > config.visits.max_steps:
        raise RouteRefused(f"a route has at most {config.visits.max_steps} procedures")
    unknown = [sid for sid in route if sid not in known]
    if unknown:
        raise RouteRefused("a route names a procedure that is not configured")
    if len(set(route)) != len(route):
        raise RouteRefused("a route names a procedure twice")
    return tuple(route)


def visit_form_service(config: HallConfig, route: Sequence[str]) -> str | None:
    """The step whose form the kiosk fills for the whole visit: the first with a form (its fields then serve
    every later counter, each seeing only the fields of its own procedure's form)."""
    for sid in route:
        if config.service(sid).form:
            return sid
    return None
