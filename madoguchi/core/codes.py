"""Classify decoded text into the payload kinds Madoguchi understands; the content itself is never logged.

- ``MDG1:…``  pre-filled application code (the forms package parses the rest; we classify by prefix only)
- ``MDR1:…``  reservation check-in code
- ``MDT1:<token>`` or an http(s) URL whose path contains ``/t/<token>``  ticket code (staff console, phone)
- anything else, binary content included → ``unknown_code``
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from madoguchi.devices.scanner.decode import DecodedCode

log = logging.getLogger(__name__)

_TOKEN = re.compile(r"[A-Za-z0-9_-]{4,128}")


class PayloadKind(StrEnum):
    PREFILL_APPLICATION = "prefill_application"
    RESERVATION = "reservation"
    TICKET = "ticket"
    UNKNOWN = "unknown_code"


@dataclass(frozen=True)
class ScannedPayload:
    """An accepted code, classified. ``body`` is the text after the prefix (or the ticket token)."""

    kind: PayloadKind
    body: str
    code: DecodedCode

    def __repr__(self) -> str:  # body and code may carry personal data
        return f"ScannedPayload({self.kind.value}, {len(self.body)} chars)"


def _ticket_token_from_url(text: str) -> str | None:
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    segments = parts.path.split("/")
    for i, seg in enumerate(segments[:-1]):
        if seg == "t" and _TOKEN.fullmatch(segments[i + 1]):
            return segments[i + 1]
    return None


def classify(code: DecodedCode) -> ScannedPayload:
    text = code.text
    if text is None:
        kind, body = PayloadKind.UNKNOWN, ""
    elif text.startswith("MDG1:"):
        kind, body = PayloadKind.PREFILL_APPLICATION, text[5:]
    elif text.startswith("MDR1:"):
        kind, body = PayloadKind.RESERVATION, text[5:]
    elif text.startswith("MDT1:") and _TOKEN.fullmatch(text[5:]):
        kind, body = PayloadKind.TICKET, text[5:]
    elif (token := _ticket_token_from_url(text.strip())) is not None:
        kind, body = PayloadKind.TICKET, token
    else:
        kind, body = PayloadKind.UNKNOWN, ""
    # Kind, symbology and size only: the content may be a resident's application.
    log.info("code scanned: %s (%s, %d bytes)", kind.value, code.symbology, len(code.raw))
    return ScannedPayload(kind, body, code)
