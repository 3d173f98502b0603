"""A visit's route on the phone page: the step now (its procedure, counters and waiting area) and the whole route
as an ordered list, in the resident's language.

Two pieces, because they change differently: the step now goes into the page's live status (a screen reader says
where to go when the ticket moves on), the list is updated quietly beside it.
"""

from __future__ import annotations

from madoguchi.core import api_models as m
from madoguchi.server.web.html_page import e
from madoguchi.server.web.page_texts import hall_text_html, phrases_html, text_html

#: the mark before each step of the list (the state's word follows it: the mark alone is not the information)
STEP_MARKS = {"done": "✓", "current": "▶", "pending": "", "skipped": "–", "dropped": "×"}


def kept_steps(route: list[m.PublicRouteStep]) -> list[m.PublicRouteStep]:
    """The steps that count ("step 2 of 3"): those taken off the route do not (as the board counts them)."""
    return [step for step in route if step.state != "dropped"]


def current_step(route: list[m.PublicRouteStep]) -> tuple[int, m.PublicRouteStep] | None:
    """The step the ticket is at now (1-based among the kept steps), None when the visit is over."""
    for i, step in enumerate(kept_steps(route), start=1):
        if step.state == "current":
            return i, step
    return None


def moved_on(status: m.TicketStatus) -> bool:
    """The ticket waits at a later step after finishing an earlier one: the resident is to go somewhere new."""
    now = current_step(status.route)
    kept = kept_steps(status.route)
    return status.state == "waiting" and now is not None and any(s.state == "done" for s in kept[: now[0]])


def where_text(step: m.PublicRouteStep, lang: str) -> str:
    """``9・10番窓口`` — plain text (counters are numbers and the catalog's words)."""
    from madoguchi.translations.places import counters_phrase

    return counters_phrase(lang, sorted(step.counters)) if step.counters else ""


def step_now_html(status: m.TicketStatus) -> str:
    """The step now, big: "your procedure now (step 2 of 3)", its name, its counters and waiting area; after a step
    is done, first "next, please go here". Empty for a ticket of one procedure or a visit that is over."""
    lang = status.language
    found = current_step(status.route)
    if found is None:
        return ""
    index, step = found
    parts = ["<div class='step-now'>"]
    if moved_on(status):
        parts.append(f"<p class='moved'>{text_html(lang, 'phone.route.next')}</p>")
    label = text_html(lang, "phone.route.now")
    count = text_html(lang, "phone.route.step", step=str(index), steps=str(len(kept_steps(status.route))))
    parts.append(f"<p class='step-label'>{label} <span class='step-count'>{count}</span></p>")
    parts.append(f"<p class='step-name'>{hall_text_html(step.service_name, lang)}</p>")
    # called: the counter that calls is what counts (the status says it); waiting: every counter of the step
    where = where_text(step, lang) if status.state == "waiting" else ""
    if where:
        parts.append(f"<p class='step-where'>{phrases_html(where, lang)}</p>")
    if step.area and status.state == "waiting":
        parts.append(f"<p class='step-area'>{hall_text_html(step.area, lang)}</p>")
    parts.append("</div>")
    return "".join(parts)


def route_html(status: m.TicketStatus) -> str:
    """The whole route as an ordered list: each procedure with its state in words (done, now, still to come,
    skipped, cancelled), the step now marked for assistive technology too (``aria-current="step"``)."""
    if not status.route:
        return ""
    lang = status.language
    items = []
    for step in status.route:
        current = " aria-current='step'" if step.state == "current" else ""
        mark = STEP_MARKS.get(step.state, "")
        items.append(
            f"<li class='step {e(step.state)}'{current}>"
            f"<span class='mark' aria-hidden='true'>{mark}</span>"
            f"<span><span class='name'>{hall_text_html(step.service_name, lang)}</span> "
            f"<span class='state'>{text_html(lang, f'phone.route.state.{step.state}')}</span></span></li>"
        )
    return (
        "<section class='route' aria-labelledby='route-h'>"
        f"<h2 id='route-h'>{text_html(lang, 'phone.route.heading')}</h2>"
        f"<ol>{''.join(items)}</ol></section>"
    )


def route_key(status: m.TicketStatus) -> str:
    """Which step the ticket is at (``-step2``; "" for one procedure), for the phone's alert keys: at a new step
    "soon" and "called" ring again."""
    found = current_step(status.route)
    return f"-step{found[0]}" if found else ""
