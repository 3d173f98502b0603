"""The booking pages (/book): procedure → day → time → confirmation with the check-in QR code → cancel.

Plain HTML forms that work without JavaScript, in the resident's language (``?lang=``), at 390 px and up. Every
value is escaped; no personal data is asked or shown.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from madoguchi.core.config import HallConfig
from madoguchi.server.booking import BookingView, DayOffer, SlotOffer
from madoguchi.server.web.html_page import e, page
from madoguchi.server.web.page_texts import hall_text, hall_text_html, text, text_html
from madoguchi.server.web.qr_svg import qr_svg

STYLES = ("base.css", "book.css")


def href(path: str, lang: str, **query: str) -> str:
    return e(f"{path}?{urlencode({**query, 'lang': lang})}")


def _languages(cfg: HallConfig, lang: str, path: str, **query: str) -> str:
    from madoguchi.translations.languages import language

    items = []
    for code in cfg.hall.languages:
        current = ' aria-current="true"' if code == lang else ""
        name = language(code).native_name
        items.append(
            f'<li><a lang="{e("ja" if code == "ja-easy" else code)}" href="{href(path, code, **query)}"'
            f"{current}>{e(name)}</a></li>"
        )
    label = e(text(lang, "book.language"))
    return f'<nav aria-label="{label}"><ul class="langs">{"".join(items)}</ul></nav>'


def _frame(cfg: HallConfig, lang: str, title: str, body: str, path: str, **query: str) -> str:
    header = (
        f"<header>{_languages(cfg, lang, path, **query)}"
        f'<p class="muted hall">{hall_text_html(cfg.hall.name, lang)}</p></header>'
    )
    return page(
        lang, f"{title} – {hall_text(cfg.hall.name, lang)}", f'{header}<main id="main">{body}</main>', styles=STYLES
    )


def _procedure(cfg: HallConfig, service_id: str, lang: str) -> str:
    """The procedure's name as HTML (furigana for easy Japanese where the hall gives readings)."""
    return hall_text_html(cfg.service(service_id).name, lang)


def home(cfg: HallConfig, lang: str) -> str:
    offered = [s for s in cfg.services if s.id in cfg.booking.capacity]
    parts = [
        f"<h1>{text_html(lang, 'book.title')}</h1>",
        f"<p>{text_html(lang, 'book.intro')}</p>",
        f'<p class="notice">{text_html(lang, "book.no_personal_data")}</p>',
    ]
    if not offered:
        parts.append(f"<p>{text_html(lang, 'book.none_offered')}</p>")
    else:
        parts.append(f"<h2>{text_html(lang, 'book.choose_procedure')}</h2><ul class='choices'>")
        for s in offered:
            parts.append(
                f'<li><a class="choice" href="{href("/book/" + s.id, lang)}">{hall_text_html(s.name, lang)}'
                + (f'<span class="sub">{hall_text_html(s.description, lang)}</span>' if s.description else "")
                + "</a></li>"
            )
        parts.append("</ul>")
    return _frame(cfg, lang, text(lang, "book.title"), "".join(parts), "/book")


def days(cfg: HallConfig, lang: str, service_id: str, offers: list[DayOffer]) -> str:
    from madoguchi.translations.formatting import format_day

    path = f"/book/{service_id}"
    rows = []
    for d in offers:
        when = e(format_day(lang, d.day))
        if d.closed:
            state, link = text_html(lang, "book.day.closed"), False
        elif d.free_slots == 0:
            state, link = text_html(lang, "book.full" if d.slots else "book.day.none_left"), False
        else:
            state, link = text_html(lang, "book.day.few" if d.few_left else "book.day.free"), True
        if link:
            rows.append(
                f'<li><a class="choice day" href="{href(path, lang, day=d.day.isoformat())}">'
                f'<span class="when">{when}</span><span class="state">{state}</span></a></li>'
            )
        else:
            rows.append(
                f'<li class="choice day off"><span class="when">{when}</span><span class="state">{state}</span></li>'
            )
    body = (
        f'<p class="step">{_procedure(cfg, service_id, lang)}</p>'
        f"<h1>{text_html(lang, 'book.choose_day')}</h1><ul class='choices days'>{''.join(rows)}</ul>"
        f'<p><a href="{href("/book", lang)}">{text_html(lang, "book.back")}</a></p>'
    )
    return _frame(cfg, lang, text(lang, "book.choose_day"), body, path)


def time_range(lang: str, start: dt.time, end: dt.time | None) -> str:
    from madoguchi.translations.formatting import format_time

    if end is None:
        return format_time(lang, start)
    return text(lang, "book.time_range", start=format_time(lang, start), end=format_time(lang, end))


def slots(
    cfg: HallConfig,
    lang: str,
    service_id: str,
    day: dt.date,
    offers: list[SlotOffer],
    request_id: str,
    error: str | None = None,
) -> str:
    from madoguchi.translations.formatting import format_day

    path = f"/book/{service_id}"
    free = [s for s in offers if s.free > 0]
    parts = [
        f'<p class="step">{_procedure(cfg, service_id, lang)} · {e(format_day(lang, day))}</p>',
        f"<h1>{text_html(lang, 'book.choose_time')}</h1>",
    ]
    if error:
        parts.append(f'<p class="error" role="alert">{text_html(lang, error)}</p>')
    if not free:
        parts.append(f"<p>{text_html(lang, 'book.day.none_left')}</p>")
    else:
        legend = e(text(lang, "book.choose_time"))
        radios = []
        for i, s in enumerate(free):
            value = s.start.strftime("%H:%M")
            note = f'<span class="sub">{text_html(lang, "book.day.few")}</span>' if s.free <= 1 else ""
            radios.append(
                f'<div class="slot"><input type="radio" name="slot" id="slot-{value}" value="{value}" required'
                f"{' checked' if i == 0 and len(free) == 1 else ''}>"
                f'<label for="slot-{value}">{e(time_range(lang, s.start, s.end))}{note}</label></div>'
            )
        parts.append(
            f'<form method="post" action="{e(path)}"><fieldset><legend class="visually-hidden">{legend}</legend>'
            f'<div class="slots">{"".join(radios)}</div></fieldset>'
            f'<input type="hidden" name="day" value="{day.isoformat()}">'
            f'<input type="hidden" name="request_id" value="{e(request_id)}">'
            f'<input type="hidden" name="lang" value="{e(lang)}">'
            f'<div class="actions"><button type="submit" id="book">{text_html(lang, "book.submit")}</button></div>'
            "</form>"
        )
    parts.append(f'<p><a href="{href(path, lang)}">{text_html(lang, "book.back")}</a></p>')
    return _frame(cfg, lang, text(lang, "book.choose_time"), "".join(parts), path, day=day.isoformat())


def confirmation(cfg: HallConfig, lang: str, view: BookingView, token: str, just_made: bool = False) -> str:
    from madoguchi.translations.formatting import format_day, format_time

    path = f"/book/r/{token}"
    when = f"{format_day(lang, view.day)} {time_range(lang, view.start, view.end)}"
    heading = {
        "booked": "book.done.title" if just_made else "book.view.title",
        "checked_in": "book.view.title",
        "cancelled": "book.cancelled",
        "missed": "book.view.title",
    }[view.state]
    parts = [
        f"<h1>{text_html(lang, heading)}</h1>",
        "<dl class='facts'>",
        f"<dt>{text_html(lang, 'book.label.procedure')}</dt><dd>{_procedure(cfg, view.service_id, lang)}</dd>",
        f"<dt>{text_html(lang, 'book.label.when')}</dt><dd>{e(when)}</dd>",
        f'<dt>{text_html(lang, "book.label.reference")}</dt><dd class="reference">{e(view.reference_shown)}</dd></dl>',
    ]
    if view.state == "booked":
        window = text_html(
            lang,
            "book.done.checkin",
            opens=format_time(lang, view.checkin_opens),
            closes=format_time(lang, view.checkin_closes),
        )
        parts += [
            f'<p class="notice">{window}</p>',
            f'<div class="qr-box">{qr_svg(view.checkin_code, text(lang, "book.done.qr_label"))}</div>',
            f"<p>{text_html(lang, 'book.done.keep')}</p>",
            f'<div class="actions"><a class="button secondary" id="cancel" href="{href(path + "/cancel", lang)}">'
            f"{text_html(lang, 'book.cancel.link')}</a></div>",
        ]
    elif view.state == "checked_in":
        parts.append(f'<p class="notice">{text_html(lang, "book.checked_in", number=view.ticket_number or "")}</p>')
    elif view.state == "missed":
        parts.append(f'<p class="error">{text_html(lang, "book.missed")}</p>')
    parts.append(f'<p><a href="{href("/book", lang)}">{text_html(lang, "book.again")}</a></p>')
    return _frame(cfg, lang, text(lang, heading), "".join(parts), path)


def cancel_question(cfg: HallConfig, lang: str, view: BookingView, token: str) -> str:
    from madoguchi.translations.formatting import format_day

    path = f"/book/r/{token}"
    when = f"{format_day(lang, view.day)} {time_range(lang, view.start, view.end)}"
    body = (
        f"<h1>{text_html(lang, 'book.cancel.question')}</h1>"
        f"<p>{_procedure(cfg, view.service_id, lang)}<br>{e(when)}</p>"
        f'<form method="post" action="{e(path + "/cancel")}"><input type="hidden" name="lang" value="{e(lang)}">'
        f'<div class="actions"><button type="submit" class="danger" id="confirm-cancel">'
        f"{text_html(lang, 'book.cancel.confirm')}</button>"
        f'<a class="button secondary" href="{href(path, lang)}">{text_html(lang, "book.cancel.keep")}</a></div></form>'
    )
    return _frame(cfg, lang, text(lang, "book.cancel.question"), body, path + "/cancel")


def message(cfg: HallConfig, lang: str, msgid: str, path: str = "/book") -> str:
    body = (
        f'<h1>{text_html(lang, "book.title")}</h1><p class="error" role="alert">{text_html(lang, msgid)}</p>'
        f'<p><a href="{href("/book", lang)}">{text_html(lang, "book.again")}</a></p>'
    )
    return _frame(cfg, lang, text(lang, msgid), body, path)
