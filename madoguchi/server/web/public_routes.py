"""The phone page's routes (the ticket's token is the only key) and the browser board's page.

``GET /t/<token>`` (the page), ``GET /t/<token>.json`` (its status), ``GET /t/<token>/events`` (Server-Sent
Events of that ticket's status; asked for JSON, one status), ``GET|POST /t/<token>/leave`` ("I am leaving"), and
``GET /board`` (the page; its data needs a display token).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response, StreamingResponse

from madoguchi.core import api_models as m
from madoguchi.core.hall_time import iso
from madoguchi.server.hall_server import HallServer
from madoguchi.server.web import pages
from madoguchi.server.web.ticket_stream import TicketWatch, TooManyStreams

#: a comment line keeps an idle stream open through proxies; an "alive" event keeps "last updated" true
ALIVE_S = 20.0
#: a stream ends after this long and the browser opens a new one (nothing held for ever by a forgotten tab)
STREAM_MAX_S = 1800.0


def _sse(event: str, data: object) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False, separators=(',', ':'))}\n\n"


def register_public_routes(app: FastAPI, server: HallServer) -> None:
    do = server.do

    async def compute(tokens: list[str]) -> dict[str, tuple[m.TicketStatus, int, str] | None]:
        return await do(lambda h: h.phone_statuses(tokens))

    watch = TicketWatch(server.hub, compute)
    app.state.ticket_watch = watch

    @app.get("/t/{token}.json", response_model=m.TicketStatus, include_in_schema=False)
    async def phone_json(token: str) -> m.TicketStatus:
        found = await do(lambda h: h.ticket_status(token))
        if found is None:
            raise HTTPException(404, "unknown ticket")
        return found[0]

    @app.get("/t/{token}", response_class=HTMLResponse, include_in_schema=False)
    async def phone_page(token: str) -> HTMLResponse:
        found = await do(lambda h: h.ticket_status(token))
        if found is None:
            return HTMLResponse(pages.not_found_page(server.config.hall.languages), status_code=404)
        return HTMLResponse(pages.ticket_page(found[0], server.config, token))

    @app.get("/t/{token}/events", include_in_schema=False)
    async def phone_events(token: str, request: Request) -> Response:
        if "text/event-stream" not in request.headers.get("accept", ""):
            found = await do(lambda h: h.ticket_status(token))  # a poll: the status once
            if found is None:
                raise HTTPException(404, "unknown ticket")
            return JSONResponse(pages.phone_message(found[0], server.config))
        try:
            opened = await watch.open(token)
        except TooManyStreams:
            raise HTTPException(503, "too many pages follow tickets just now; the page asks again") from None
        if opened is None:
            raise HTTPException(404, "unknown ticket")
        queue, first = opened
        config = server.config

        async def stream() -> AsyncIterator[str]:
            lang = first.language
            ends = time.monotonic() + STREAM_MAX_S
            try:
                yield "retry: 3000\n\n"
                message = pages.phone_message(first, config)
                yield _sse("status", message)
                if message["final"]:
                    yield _sse("end", {})
                    return
                sent = message
                while time.monotonic() < ends:
                    try:
                        status = await asyncio.wait_for(queue.get(), ALIVE_S)
                    except TimeoutError:
                        yield _sse("alive", pages.alive_message(lang, iso(time.time(), server.tz) or ""))
                        continue
                    if status is None:  # the ticket is gone (the day rolled) or the server stops
                        yield _sse("end", {})
                        return
                    message = pages.phone_message(status, config)
                    if {**message, "updated": ""} != {**sent, "updated": ""}:
                        yield _sse("status", message)
                        sent = message
                    else:
                        yield _sse("alive", message["updated"])
                    if message["final"]:
                        yield _sse("end", {})
                        return
            finally:
                watch.close(token, queue)

        return StreamingResponse(stream(), media_type="text/event-stream", headers={"X-Accel-Buffering": "no"})

    @app.get("/t/{token}/leave", response_class=HTMLResponse, include_in_schema=False)
    async def leave_question(token: str) -> Response:
        found = await do(lambda h: h.ticket_status(token))
        if found is None:
            return HTMLResponse(pages.not_found_page(server.config.hall.languages), status_code=404)
        if found[0].state not in ("waiting", "called"):
            return RedirectResponse(f"/t/{token}", status_code=303)
        return HTMLResponse(pages.leave_page(found[0], server.config, token))

    @app.post("/t/{token}/leave", include_in_schema=False)
    async def leave(token: str) -> Response:
        found = await do(lambda h: h.resident_leaves(token))
        if found is None:
            return HTMLResponse(pages.not_found_page(server.config.hall.languages), status_code=404)
        return RedirectResponse(f"/t/{token}", status_code=303)

    @app.get("/board", response_class=HTMLResponse, include_in_schema=False)
    async def board_page() -> HTMLResponse:
        return HTMLResponse(pages.board_page(server.config))
