"""How a client trusts the hall server over TLS: the operating system's trust store, where a city installs its
private CA, plus an optional CA file (``--ca-file``) for a hall that keeps its CA beside the program."""

from __future__ import annotations

import ssl
from pathlib import Path

import truststore


def client_tls(ca_file: Path | str | None = None) -> ssl.SSLContext:
    context: ssl.SSLContext = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if ca_file is not None:
        context.load_verify_locations(cafile=str(ca_file))
    return context
