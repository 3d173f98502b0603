"""The printed ticket's text, in Japanese plus the resident's language, from what the server confirmed."""

from __future__ import annotations

import datetime as dt

from madoguchi.apps.kiosk.context import KioskContext
from madoguchi.core import api_models as m
from madoguchi.core.config import localized
from madoguchi.devices.printer.ticket_layout import TicketContent
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
    return TicketContent(
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
