"""The API's documentation, for admin devices only and only while ``[security] api_docs`` is on.

``/openapi.json`` needs an admin token; ``/docs`` is Swagger UI 5 served from this server's own files (as the
fastapi-offline wheel ships them: no CDN, so it works on a closed municipal network), with the admin token
taken from the address's fragment (``/docs#token=…``, never sent in a URL) and put in the requests' header.
Off, the page, its files and the description are 404.
"""

from __future__ import annotations

import html
from importlib.resources import files
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from madoguchi.server.hall_server import HallServer
from madoguchi.server.web.auth import Principal, require_role

ASSETS = "/docs/assets"

_DOCS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<link rel="stylesheet" href="{assets}/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="{assets}/swagger-ui-bundle.js"></script>
<script>
const token = new URLSearchParams(location.hash.slice(1)).get('token') || '';
history.replaceState(null, '', location.pathname);
SwaggerUIBundle({{dom_id: '#swagger-ui', url: '/openapi.json',
  requestInterceptor: r => {{ r.headers.Authorization = 'Bearer ' + token; return r; }}}});
</script></body></html>"""


def register_api_docs(app: FastAPI, server: HallServer) -> None:
    def on() -> None:
        if not server.config.security.api_docs:
            raise HTTPException(404, "the API documentation is off ([security] api_docs)")

    assets = StaticFiles(directory=str(files("fastapi_offline") / "static"))

    async def assets_when_on(scope: Scope, receive: Receive, send: Send) -> None:
        if not server.config.security.api_docs:
            await JSONResponse({"error": "not_found", "detail": "the API documentation is off"}, 404)(
                scope, receive, send
            )
            return
        await assets(scope, receive, send)

    app.mount(ASSETS, assets_when_on, name="docs-assets")

    @app.get("/openapi.json", include_in_schema=False)
    async def openapi(request: Request) -> JSONResponse:
        on()
        who: Principal = server.auth.request(request)
        require_role(who, "admin")
        document: dict[str, Any] = app.openapi()
        return JSONResponse(document)

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    async def docs() -> HTMLResponse:
        on()
        return HTMLResponse(_DOCS_PAGE.format(title=html.escape(app.title), assets=ASSETS))
