"""The printed ticket's text, in Japanese plus the resident's language, from what the server confirmed."""

from __future__ import annotations

import dataclasses
import datetime as dt

from madoguchi.apps.kiosk.context import KioskContext
from madoguchi.apps.kiosk.step_place import step_place
from madoguchi.core import api_models as m
from madoguchi.core.config import localized
from madoguchi.devices.printer.ticket_layout import RouteLine, TicketContent
from madoguchi.translations.catalog import translate
from madoguchi.translations.formatting import format_datetime
from madoguchi.translations.wait_text import format_wait_range


def ticket_content(ctx: KioskContext, issued: m.IssuedTicket) -> TicketContent:
    lang = ctx.session.prefs.language
    # The paper is read by staff too: easy Japanese prints as plain Japanese.
    paper_lang = "ja" if lang == "ja-easy" else lang
    t = issued.ticket
    service = ctx.service(t.service_id)
    hall_name = localized(ctx.hall.name, "ja") if ctx.hall else ""
    est = issued.estimate
    wait = format_wait_range(paper_lang, est.low_min, est.high_min)
    timezone = ctx.hall.timezone if ctx.hall else None
    try:
        issued_at = format_datetime(paper_lang, dt.datetime.fromisoformat(t.issued_at), timezone)
    except ValueError:
        issued_at = t.issued_at
    content = TicketContent(
        hall_name=hall_name,
        number=t.number,
        service_name_ja=localized(service.name, "ja"),
        service_name_local=localized(service.name, paper_lang),
        people_ahead=translate(paper_lang, "print.ticket.people_ahead", count=issued.people_ahead),
        estimate=translate(paper_lang, "kiosk.estimate.line", range=wait),
        status_url=issued.status_url,
        issued_at=translate(paper_lang, "print.ticket.issued_at", time=issued_at),
        guidance=translate(paper_lang, "print.ticket.keep"),
        language=paper_lang,
        number_label=translate(paper_lang, "print.ticket.title"),
        qr_caption=translate(paper_lang, "print.ticket.qr_hint"),
        wait_area=where_to_wait(ctx.hall, t.service_id, paper_lang),
    )
    route = [step.service_id for step in t.route if step.state not in ("dropped", "skipped")]
    if not route:
        return content
    total = issued.route_estimate
    whole = format_wait_range(paper_lang, total.low_min, total.high_min) if total else None
    return dataclasses.replace(
        content,
        route_heading=translate(paper_lang, "kiosk.route.heading", count=len(route)),
        route=tuple(route_line(ctx.hall, sid, n, paper_lang) for n, sid in enumerate(route, start=1)),
        estimate=translate(paper_lang, "kiosk.route.estimate_now", range=wait),
        route_estimate=translate(paper_lang, "kiosk.route.estimate_total", range=whole)
        if whole
        else translate(paper_lang, "kiosk.estimate.unknown"),
        route_note=translate(paper_lang, "kiosk.route.moves_on"),
        wait_area="",  # each step says where it is
    )


def route_line(hall: m.HallInfo | None, service_id: str, number: int, lang: str) -> RouteLine:
    """A visit's step on paper: its number and Japanese name (staff read it too), the name in the resident's
    language, and where it is; the first is the step the ticket waits for now."""
    services = {s.id: s for s in hall.services} if hall else {}
    service = services.get(service_id)
    name = service.name if service else {"ja": service_id}
    name_ja, name_local = localized(name, "ja"), localized(name, lang)
    counters = [c for c in hall.counters if service_id in c.services] if hall else []
    return RouteLine(
        step=f"{number}  {name_ja}",
        name_local=name_local if name_local != name_ja else "",
        place=step_place(counters, lang, lambda msgid, **p: translate(lang, msgid, **p), lambda d: localized(d, lang)),
        now="▶" if number == 1 else "",
    )


def where_to_wait(hall: m.HallInfo | None, service_id: str, lang: str) -> str:
    """ "1階 市民課の待合ロビーでお待ちください": the areas (or floors) of the counters serving the procedure, as
    the configuration names them; without areas, the counters' numbers."""
    counters = [c for c in hall.counters if service_id in c.services] if hall else []
    sep = "・" if lang in ("ja", "ja-easy", "zh-Hans") else " / "
    areas = list(dict.fromkeys(localized(c.area, lang) for c in counters if c.area))
    if areas:
        return translate(lang, "kiosk.ticket.wait_area", area=sep.join(areas))
    numbers = ("・" if sep == "・" else ", ").join(str(c.number) for c in counters)
    return translate(lang, "kiosk.ticket.wait_counter", counter=numbers) if numbers else ""
