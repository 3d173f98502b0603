"""Routes of the booking pages (/book): public, no token; a form sent is rate-limited per source address.

Paths (``deploy/nginx/madoguchi-public.conf`` lets exactly these through):
``GET /book``, ``GET /book/<procedure>[?day=YYYY-MM-DD]``, ``POST /book/<procedure>`` (day, slot, request_id,
lang), ``GET /book/r/<token>``, ``GET|POST /book/r/<token>/cancel``. Every page takes ``?lang=``.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
from urllib.parse import parse_qs, urlencode

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from madoguchi.server.booking import BookingRefused
from madoguchi.server.hall_server import HallServer
from madoguchi.server.web import booking_pages
from madoguchi.server.web.html_page import pick_language
from madoguchi.server.web.throttle import SlidingWindow, source_of

log = logging.getLogger(__name__)

TOKEN = re.compile(r"^[A-Za-z0-9_-]{22}$")
REQUEST_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
SLOT = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def _day(text: str | None) -> dt.date | None:
    if not text or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def register_booking_routes(app: FastAPI, server: HallServer) -> None:
    do = server.do
    throttle = SlidingWindow(lambda: server.config.booking.per_source_per_hour)

    def language(request: Request, asked: str | None = None) -> str:
        return pick_language(
            asked or request.query_params.get("lang"),
            request.headers.get("accept-language"),
            server.config.hall.languages,
        )

    def message(lang: str, msgid: str, status: int, headers: dict[str, str] | None = None) -> HTMLResponse:
        return HTMLResponse(booking_pages.message(server.config, lang, msgid), status_code=status, headers=headers)

    def offered(service_id: str) -> bool:
        return service_id in server.config.booking.capacity

    @app.get("/book", response_class=HTMLResponse, include_in_schema=False)
    async def book_home(request: Request) -> HTMLResponse:
        lang = language(request)
        status = 200 if server.config.booking.enabled else 404
        return HTMLResponse(booking_pages.home(server.config, lang), status_code=status)

    @app.get("/book/{service_id}", response_class=HTMLResponse, include_in_schema=False)
    async def book_service(service_id: str, request: Request) -> HTMLResponse:
        lang = language(request)
        if not offered(service_id):
            return message(lang, "book.error.not_offered", 404)
        day_param = request.query_params.get("day")
        if day_param is None:
            offers = await do(lambda h: h.booking.days(service_id, h.local_now()))
            return HTMLResponse(booking_pages.days(server.config, lang, service_id, offers))
        day = _day(day_param)
        if day is None:
            return message(lang, "book.error.not_offered", 404)
        slots = await do(lambda h: h.booking.slots(service_id, day, h.local_now()))
        page = booking_pages.slots(server.config, lang, service_id, day, slots, secrets.token_urlsafe(16))
        return HTMLResponse(page)

    @app.post("/book/{service_id}", include_in_schema=False)
    async def book(service_id: str, request: Request) -> Response:
        form = {k: v[0] for k, v in parse_qs((await request.body()).decode("utf-8", "replace")).items() if v}
        lang = language(request, form.get("lang"))
        day, slot, request_id = _day(form.get("day")), form.get("slot", ""), form.get("request_id", "")
        if not offered(service_id) or day is None or not SLOT.match(slot) or not REQUEST_ID.match(request_id):
            return message(lang, "book.error.not_offered", 422)
        wait = throttle.admit(source_of(request, server.config.booking.trusted_proxies))
        if wait:
            log.info("booking refused: too many attempts from one source")
            return message(lang, "book.error.throttled", 429, {"Retry-After": str(int(wait) + 1)})
        start = dt.time.fromisoformat(slot)
        try:
            view, token = await do(
                lambda h: h.booking.book(service_id, day, start, lang, request_id, h.local_now(), h.engine.now())
            )
        except BookingRefused as exc:
            slots = await do(lambda h: h.booking.slots(service_id, day, h.local_now()))
            page = booking_pages.slots(
                server.config, lang, service_id, day, slots, secrets.token_urlsafe(16), error=exc.code
            )
            return HTMLResponse(page, status_code=409)
        log.info("booking %d: %s %s %s", view.id, service_id, day.isoformat(), slot)
        return RedirectResponse(f"/book/r/{token}?{urlencode({'lang': lang, 'made': '1'})}", status_code=303)

    @app.get("/book/r/{token}", response_class=HTMLResponse, include_in_schema=False)
    async def booking_page(token: str, request: Request) -> HTMLResponse:
        view = await do(lambda h: h.booking.find(token, h.local_now())) if TOKEN.match(token) else None
        if view is None:
            return message(language(request), "book.error.not_found", 404)
        lang = language(request, request.query_params.get("lang") or view.language)
        made = request.query_params.get("made") == "1"
        return HTMLResponse(booking_pages.confirmation(server.config, lang, view, token, just_made=made))

    @app.get("/book/r/{token}/cancel", response_class=HTMLResponse, include_in_schema=False)
    async def cancel_question(token: str, request: Request) -> Response:
        view = await do(lambda h: h.booking.find(token, h.local_now())) if TOKEN.match(token) else None
        if view is None:
            return message(language(request), "book.error.not_found", 404)
        lang = language(request, request.query_params.get("lang") or view.language)
        if view.state != "booked":
            return RedirectResponse(f"/book/r/{token}?{urlencode({'lang': lang})}", status_code=303)
        return HTMLResponse(booking_pages.cancel_question(server.config, lang, view, token))

    @app.post("/book/r/{token}/cancel", include_in_schema=False)
    async def cancel(token: str, request: Request) -> Response:
        form = {k: v[0] for k, v in parse_qs((await request.body()).decode("utf-8", "replace")).items() if v}
        lang = language(request, form.get("lang"))
        view = (
            await do(lambda h: h.booking.cancel(token, h.local_now(), h.engine.now())) if TOKEN.match(token) else None
        )
        if view is None:
            return message(lang, "book.error.not_found", 404)
        log.info("booking %d: %s", view.id, view.state)
        return RedirectResponse(f"/book/r/{token}?{urlencode({'lang': lang})}", status_code=303)
