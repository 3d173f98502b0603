"""What a scanned 2D code is: the one classifier used by the kiosk, the staff console and the camera scanner.

- ``MDG<version>:…``  a pre-filled application (``forms.payload`` decodes it, an unknown version included)
- ``MDR<version>:…``  a reservation check-in code (``forms.reservation_codes``)
- ``MDT1:<token>``, or an http(s) URL whose path holds ``/t/<token>`` (the QR printed on every ticket): a ticket
- anything else, binary content included: unknown

The content itself is never logged nor shown in a repr: it may be a resident's application.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

_TOKEN = re.compile(r"[A-Za-z0-9_-]{4,128}")
_VERSIONED = re.compile(r"(MDG|MDR)\d{1,3}:")


class CodeKind(StrEnum):
    PREFILL_APPLICATION = "prefill_application"
    RESERVATION = "reservation"
    TICKET = "ticket"
    UNKNOWN = "unknown_code"


@dataclass(frozen=True)
class ClassifiedCode:
    """``text`` is the whole decoded text; ``body`` the part after the prefix (for a ticket: its token)."""

    kind: CodeKind
    text: str
    body: str

    def __repr__(self) -> str:  # text and body may carry personal data
        return f"ClassifiedCode({self.kind.value}, {len(self.text)} chars)"

    __str__ = __repr__


def _ticket_token_from_url(text: str) -> str | None:
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    segments = parts.path.split("/")
    for i, segment in enumerate(segments[:-1]):
        token = segments[i + 1].removesuffix(".json")
        if segment == "t" and _TOKEN.fullmatch(token):
            return token
    return None


def classify_code(text: str | None) -> ClassifiedCode:
    """The kind of a decoded text (None: a code whose bytes are no text)."""
    if text is None:
        return ClassifiedCode(CodeKind.UNKNOWN, "", "")
    line = text.strip()
    versioned = _VERSIONED.match(line)
    if versioned is not None:
        kind = CodeKind.PREFILL_APPLICATION if versioned.group(1) == "MDG" else CodeKind.RESERVATION
        # the body of an ``MDG1:`` or ``MDR1:`` code (what the scanner reports); decoding reads the whole text
        return ClassifiedCode(kind, line, line[versioned.end() :])
    if line.startswith("MDT1:") and _TOKEN.fullmatch(line[5:]):
        return ClassifiedCode(CodeKind.TICKET, line, line[5:])
    token = _ticket_token_from_url(line)
    if token is not None:
        return ClassifiedCode(CodeKind.TICKET, line, token)
    return ClassifiedCode(CodeKind.UNKNOWN, line, "")
