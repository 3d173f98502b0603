"""Security headers on every answer, and a Content-Security-Policy on every HTML page.

The pages are small and carry their own scripts and styles inline; the policy allows exactly those (their
SHA-256, computed from the page as sent) and nothing from elsewhere: no other script, no frame around the page,
no referrer (a phone page's address holds its ticket's token), no caching of what may be personal.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import MutableMapping
from typing import Any

from madoguchi.server.web.limits import ASGIApp, Message, Receive, Scope, Send

_INLINE = re.compile(rb"<(script|style)(?:\s[^>]*)?>(.*?)</\1>", re.S | re.I)

#: on every answer
COMMON_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cache-control", b"no-store"),
)


HSTS = (b"strict-transport-security", b"max-age=31536000")


def content_security_policy(body: bytes) -> bytes:
    """The page's own inline scripts and styles by their hash; everything else from this server only."""
    hashes: dict[bytes, list[str]] = {b"script": [], b"style": []}
    for kind, content in _INLINE.findall(body):
        digest = base64.b64encode(hashlib.sha256(content).digest()).decode()
        hashes[kind.lower()].append(f"'sha256-{digest}'")
    scripts = " ".join(["'self'", *hashes[b"script"]])
    styles = " ".join(["'self'", *hashes[b"style"]])
    return (
        f"default-src 'self'; script-src {scripts}; style-src {styles}; img-src 'self' data:; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"
    ).encode()


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start: MutableMapping[str, Any] | None = None
        body = bytearray()
        # served over TLS: browsers keep to it (a downgraded plain-HTTP answer would carry the token's cookie)
        tls_only = [HSTS] if scope.get("scheme") == "https" else []

        async def send_with_headers(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in dict(COMMON_HEADERS)]
                message = {**message, "headers": [*headers, *COMMON_HEADERS, *tls_only]}
                if not _is_html(message["headers"]):
                    await send(message)
                    return
                start = message  # the policy needs the whole page: held until its body is complete
                return
            if start is None:
                await send(message)
                return
            body.extend(message.get("body", b""))
            if message.get("more_body"):
                return
            headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
            headers += [(b"content-security-policy", content_security_policy(bytes(body)))]
            headers += [(b"content-length", str(len(body)).encode())]
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": bytes(body)})

        await self.app(scope, receive, send_with_headers)


def _is_html(headers: list[tuple[bytes, bytes]]) -> bool:
    return any(k.lower() == b"content-type" and v.startswith(b"text/html") for k, v in headers)
