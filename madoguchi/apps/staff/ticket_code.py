"""Turn a scanned ticket QR (a status URL ``…/t/<token>``, or the bare token) into the ticket's token."""

from __future__ import annotations

import re

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{8,128}$")


def token_from_scan(text: str) -> str | None:
    """The ticket token in a scanned line, or None when the line is not a ticket code."""
    line = text.strip()
    if not line:
        return None
    if "/t/" in line:
        line = line.rsplit("/t/", 1)[1]
    line = line.split("?", 1)[0].split("#", 1)[0].removesuffix(".json").strip("/")
    return line if _TOKEN.match(line) else None
