"""How a client trusts the hall server over TLS: the operating system's trust store, where a city installs its
private CA, plus an optional CA file (``--ca-file``) for a hall that keeps its CA beside the program."""

from __future__ import annotations

import logging
import ssl
from pathlib import Path
from urllib.parse import urlsplit

import truststore

log = logging.getLogger(__name__)


def client_tls(ca_file: Path | str | None = None) -> ssl.SSLContext:
    context: ssl.SSLContext = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if ca_file is not None:
        context.load_verify_locations(cafile=str(ca_file))
    return context


_warned: set[str] = set()


def warn_if_plain(base_url: str) -> None:
    """A plain-HTTP server address beyond this machine: said once in the log (docs/security.md, TLS)."""
    parts = urlsplit(base_url)
    if parts.scheme == "http" and parts.hostname not in ("127.0.0.1", "::1", "localhost") and base_url not in _warned:
        _warned.add(base_url)
        log.warning(
            "the hall server is reached over plain HTTP (%s): tokens and data cross the network readable",
            parts.hostname,
        )
