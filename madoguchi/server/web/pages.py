"""The resident's phone page (/t/<token>) and the browser call board (/board).

The phone page is rendered here with its ticket's status; ``phone.js`` then follows the ticket's own event stream
(``/t/<token>/events``, Server-Sent Events, or the same URL polled as JSON where a stream cannot stay open) and
puts in the status this module renders again for each change: every text is made on the server, in the
resident's language. Without JavaScript the page reloads itself every 20 s. A visit (one ticket through several
counters) also shows its route and the step now with its counters and area (``visit_html.py``).

The board shows what the Qt board shows (``board.js`` over the display's WebSocket event stream): now calling with
the counter, recent calls, now serving, waiting counts, notices, with subtitles in the hall's languages; a visit's
call with its step (2/3), and for a few minutes the visits that moved on and where they go next. Pages show
numbers, procedures and counters only, never anyone's data.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from madoguchi.core import api_models as m
from madoguchi.core.config import SHIPPED_LANGUAGES, HallConfig
from madoguchi.server.web.html_page import e, html_lang, json_script, page
from madoguchi.server.web.page_texts import hall_text, hall_text_html, text, text_html, wait_range
from madoguchi.server.web.visit_html import route_html, route_key, step_now_html

#: a phone alerts its resident when this many people or fewer are ahead, and when called
ALERT_AHEAD = 3
FINAL = ("done", "cancelled", "no_show", "expired")


def _time(lang: str, iso: str | None) -> str:
    from babel.dates import format_time

    from madoguchi.translations.formatting import babel_locale

    moment = dt.datetime.fromisoformat(iso) if iso else dt.datetime.now()
    return format_time(moment, "medium", locale=babel_locale(lang))


def counter_text(config: HallConfig, counter: int, lang: str) -> str:
    """``3番窓口`` and the counter's own name where the hall gives one."""
    label = text(lang, "board.counter", counter=str(counter))
    try:
        name = config.counter(counter).name
    except KeyError:
        name = None
    return f"{label} ({hall_text(name, lang)})" if name else label


def status_html(status: m.TicketStatus, config: HallConfig) -> str:
    """What changes on the phone page: where the ticket stands, in the resident's language."""
    lang = status.language
    # a visit: the step now first (where to go), except when called: the call comes first, the step below it
    step_now = step_now_html(status) if status.route else ""
    parts: list[str] = [step_now] if status.state != "called" else []
    if status.state == "waiting":
        parts.append(f"<p class='position'>{text_html(lang, 'phone.position', count=status.people_ahead)}</p>")
        if status.estimate is not None:
            est = status.estimate
            line = text_html(lang, "phone.estimate", range=wait_range(lang, est.low_min, est.high_min))
            parts.append(f"<p>{line}</p>")
        if status.people_ahead <= ALERT_AHEAD:
            parts.append(f"<p class='near'>{text_html(lang, 'phone.near')}</p>")
        calling = (
            text_html(lang, "phone.now_calling", number=status.now_calling)
            if status.now_calling
            else text_html(lang, "phone.nobody_called")
        )
        parts.append(f"<p class='calling'>{calling}</p>")
    elif status.state == "called" and status.counter is not None:
        where = counter_text(config, status.counter, lang)
        parts.append(
            f"<div role='alert'><p class='called'>{text_html(lang, 'phone.called', counter=status.counter)}</p>"
            f"<p class='counter'>{e(where)}</p></div>{step_now}"
        )
    elif status.state == "serving":
        parts.append(f"<p class='serving'>{text_html(lang, 'phone.serving')}</p>")
    else:
        final = {"cancelled": "phone.cancelled", "no_show": "phone.no_show"}.get(status.state, "phone.done")
        parts.append(f"<p class='final'>{text_html(lang, final)}</p>")
    return "".join(parts)


def alert_of(status: m.TicketStatus) -> tuple[str | None, str]:
    """What the phone should ring for, and a key that changes with each thing to ring for (once each; a visit's
    next step is a new thing: its keys carry the step)."""
    step = route_key(status)
    if status.state == "called":
        return "called", f"called-{status.counter}-{status.recalls}{step}"
    if status.state == "waiting" and status.people_ahead <= ALERT_AHEAD:
        return "near", f"near{step}"
    return None, ""


def phone_message(status: m.TicketStatus, config: HallConfig) -> dict[str, Any]:
    """One update of the phone page (an event of its stream, or the answer of a poll)."""
    lang = status.language
    alert, key = alert_of(status)
    title = f"{status.number} – {text(lang, 'phone.title')}"
    if status.state == "called" and status.counter is not None:
        title = f"{status.number} → {text(lang, 'board.counter', counter=str(status.counter))}"
    message: dict[str, Any] = {
        "state": status.state,
        "html": status_html(status, config),
        "updated": text(lang, "phone.updated", time=_time(lang, status.updated_at)),
        "title": title,
        "alert": alert,
        "key": key,
        "final": status.state in FINAL,
        # a visit's whole route (the list beside the status; "" for one procedure) and the step it is at now
        "route": route_html(status),
        "step": route_key(status).removeprefix("-step"),
    }
    if alert == "called" and status.counter is not None:
        message["notify"] = text(lang, "phone.called", counter=status.counter)
    elif alert == "near":
        message["notify"] = text(lang, "phone.near")
    return message


def alive_message(lang: str, iso_now: str) -> str:
    return text(lang, "phone.updated", time=_time(lang, iso_now))


def ticket_page(status: m.TicketStatus, config: HallConfig, token: str = "") -> str:
    lang = status.language
    message = phone_message(status, config)
    live = not message["final"]
    parts = [
        f"<header><p class='muted'>{hall_text_html(config.hall.name, lang)}</p></header>",
        "<main id='main'>",
        f"<h1>{text_html(lang, 'phone.title')}</h1>",
        f"<div class='number' role='img' aria-label='{e(text(lang, 'phone.your_number', number=status.number))}'>"
        f"{e(status.number)}</div>",
    ]
    if not status.route:  # a visit names its procedure now in the status (it changes from step to step)
        parts.append(f"<p class='service'>{hall_text_html(status.service_name, lang)}</p>")
    parts.append(f"<div id='status' aria-live='polite' aria-atomic='true'>{message['html']}</div>")
    if status.route:
        parts.append(f"<div id='route'>{message['route']}</div>")
    if live and token:
        parts.append(
            "<div id='controls' class='actions'>"
            f"<button type='button' id='alerts' class='secondary' aria-pressed='false' hidden>"
            f"{text_html(lang, 'phone.alerts.enable')}</button>"
            f"<a class='button secondary' id='leave' href='/t/{e(token)}/leave'>{text_html(lang, 'phone.leave')}</a>"
            "</div>"
            f"<p class='muted' id='keep-open'>{text_html(lang, 'phone.alerts.keep_open')}</p>"
        )
    parts.append(f"<p class='muted' id='updated'>{e(message['updated'])}</p>")
    if live:
        parts.append(f"<p class='muted' id='offline' hidden>{text_html(lang, 'phone.offline')}</p>")
        parts.append(f"<p class='muted'>{text_html(lang, 'phone.auto_update')}</p>")
    parts.append("</main>")
    data = {
        "events": f"/t/{token}/events",
        "message": message,
        # HTML (escaped, with furigana in easy Japanese) as the button's first words are
        "texts": {
            "alertsOn": text_html(lang, "phone.alerts.on"),
            "alertsEnable": text_html(lang, "phone.alerts.enable"),
        },
    }
    body = "\n".join(parts) + (json_script("phone-data", data) if live and token else "")
    head = '<noscript><meta http-equiv="refresh" content="20"></noscript>' if live else ""
    return page(
        lang,
        message["title"],
        body,
        styles=("base.css", "phone.css"),
        scripts=("phone.js",) if live and token else (),
        head=head,
    )


def leave_page(status: m.TicketStatus, config: HallConfig, token: str) -> str:
    lang = status.language
    body = (
        f"<main id='main'><h1>{text_html(lang, 'phone.leave.question')}</h1>"
        f"<div class='number' role='img' aria-label='{e(text(lang, 'phone.your_number', number=status.number))}'>"
        f"{e(status.number)}</div>"
        f"<p>{text_html(lang, 'phone.leave.explain')}</p>"
        f"<form method='post' action='/t/{e(token)}/leave'><div class='actions'>"
        f"<button type='submit' class='danger' id='confirm-leave'>{text_html(lang, 'phone.leave.confirm')}</button>"
        f"<a class='button secondary' href='/t/{e(token)}'>{text_html(lang, 'phone.leave.keep')}</a>"
        "</div></form></main>"
    )
    return page(lang, text(lang, "phone.leave.question"), body, styles=("base.css", "phone.css"))


def not_found_page(languages: tuple[str, ...] = SHIPPED_LANGUAGES) -> str:
    """An unknown or expired ticket: the message in every language of the hall, each marked with its own."""
    items = "".join(f"<p lang='{e(html_lang(lang))}'>{text_html(lang, 'phone.not_found')}</p>" for lang in languages)
    return page("ja", "404", f"<main id='main'><h1>404</h1>{items}</main>", styles=("base.css", "phone.css"))


# ---------------------------------------------------------------------------------------------- the board
BOARD_TEXT_KEYS = (
    "board.now_calling",
    "board.recent.heading",
    "board.serving.heading",
    "board.waiting.heading",
    "board.notices.heading",
    "board.no_calls",
    "board.waiting.none",
    "board.moves.heading",
)


def board_texts(config: HallConfig) -> dict[str, Any]:
    """Every text the board script needs, per hall language (the call line, the counter word, headings)."""
    langs = list(config.hall.languages)
    out: dict[str, Any] = {}
    for lang in langs:
        out[lang] = {key: text(lang, key) for key in BOARD_TEXT_KEYS}
        # templates with their placeholders kept: the script fills in the number and the counter
        out[lang]["counter"] = text(lang, "board.counter", counter="{counter}")
        out[lang]["call"] = text(lang, "announce.call", number="{number}", counter="{counter}")
        out[lang]["recall"] = text(lang, "announce.recall", number="{number}", counter="{counter}")
        out[lang]["step"] = text(lang, "board.step", step="{step}", steps="{steps}")
    # Japanese counts have one form: the count template is safe to fill in the script ("{count}人")
    out["waiting"] = text("ja", "board.waiting.count", count=7).replace("7", "{count}", 1)
    return out


def service_place(config: HallConfig, service_id: str, lang: str) -> tuple[str, str]:
    """Where a procedure is served, for the board: its counters (``9・10番窓口``) and their waiting area
    (``2階 保険年金課の待合ロビー``) when they share one, else "" (the counters say enough)."""
    from madoguchi.translations.places import counters_phrase

    counters = [c for c in config.counters if service_id in c.services]
    areas = [config.counter_area(c) for c in counters]
    area = areas[0] if areas and all(a == areas[0] for a in areas) else None
    numbers = sorted(c.number for c in counters)
    return (counters_phrase(lang, numbers) if numbers else "", hall_text(area, lang) if area else "")


def board_places(config: HallConfig) -> dict[str, dict[str, tuple[str, str]]]:
    """Every procedure's place in every hall language (the board's moves: where a visit goes next)."""
    return {s.id: {lang: service_place(config, s.id, lang) for lang in config.hall.languages} for s in config.services}


def board_page(config: HallConfig) -> str:
    """The skeleton is complete before any data: headings, "no calls yet", the hall's name and the clock."""
    hall = hall_text(config.hall.name, "ja")

    def panel(panel_id: str, key: str, inner: str, *, hidden: bool = False) -> str:
        return (
            f"<section id='{panel_id}' class='panel' aria-labelledby='{panel_id}-h'{' hidden' if hidden else ''}>"
            f"<h2 id='{panel_id}-h'><span class='ja'>{text_html('ja', key)}</span>"
            f"<span class='sub' lang='en' data-key='{e(key)}'>{text_html('en', key)}</span></h2>{inner}</section>"
        )

    notices = "".join(
        f"<li><span lang='ja'>{e(n['ja'])}</span>"
        + (f" <span lang='en' class='sub'>{e(n['en'])}</span>" if n.get("en") else "")
        + "</li>"
        for n in config.hall.notices
    )
    body = (
        "<header class='top'>"
        f"<h1>{e(hall)}</h1><p id='clock' class='clock' aria-hidden='true'></p>"
        f"<p id='link' class='link' hidden>{text_html('ja', 'board.reconnecting')}</p>"
        "<button type='button' id='sound' class='sound' hidden>"
        f"{text_html('ja', 'board.sound.enable')} / {text_html('en', 'board.sound.enable')}</button>"
        "</header><main id='main' class='grid'>"
        + panel(
            "now",
            "board.now_calling",
            "<div id='now-body' aria-live='assertive' aria-atomic='true'>"
            f"<p class='none'>{text_html('ja', 'board.no_calls')}"
            f"<span class='sub' lang='en'>{text_html('en', 'board.no_calls')}</span></p></div>",
        )
        + panel("recent", "board.recent.heading", "<ol id='recent-list' class='calls'></ol>")
        + panel("serving", "board.serving.heading", "<ul id='serving-list' class='serving'></ul>")
        + panel("moves", "board.moves.heading", "<ul id='moves-list' class='moves'></ul>", hidden=True)
        + panel(
            "waiting",
            "board.waiting.heading",
            f"<ul id='waiting-list' class='waiting'><li class='none'>{text_html('ja', 'board.waiting.none')}</li></ul>",
        )
        + "</main>"
        + (
            f"<footer class='notices'><h2 class='visually-hidden'>{text_html('ja', 'board.notices.heading')}</h2>"
            f"<ul id='notices'>{notices}</ul></footer>"
            if notices
            else "<footer class='notices' hidden></footer>"
        )
        + f"<p id='token-missing' class='token-missing' hidden>{text_html('ja', 'board.needs_token')} / "
        f"{text_html('en', 'board.needs_token')}</p>"
        + json_script(
            "board-data",
            {
                "languages": [lang for lang in config.hall.languages if lang not in ("ja", "ja-easy")],
                "texts": board_texts(config),
                "timezone": config.hall.timezone,
                "services": {s.id: s.name for s in config.services},
                "places": board_places(config),
            },
        )
    )
    return page("ja", f"{hall} – board", body, styles=("board.css",), scripts=("board.js",), body_class="board")
