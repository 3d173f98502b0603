"""Madoguchi (窓口): counter kiosk and queue management for Japanese city halls.

The folders are the layers; imports point downwards only (``tests/test_layers.py`` reads every import):

- ``apps``: the Qt programs (kiosk, staff console, call board, admin console) and the whole-hall runs (demo,
  soak). They talk to the hall server through ``client`` and never import ``server``.
- ``qt``: Qt helpers the apps share (background tasks, the event stream as signals, ruby text).
- ``server``: the hall server, the only code that opens the SQLite database. Never imports Qt or an app.
- ``client``: the HTTP/WebSocket client of the hall server. No Qt, no database.
- ``devices``: card reader, ticket printer, camera scanner, speech; each an interface, the real implementation
  and a simulator speaking the real protocol. Never imports ``server`` or an app.
- ``translations``: message catalogs, formatting, furigana, offline machine translation. No Qt.
- ``core``: the vocabulary everyone shares: hall configuration, API models, forms and 2D codes, hall time,
  logging. No Qt, no database, no network.

``cli`` is the composition root: the ``madoguchi`` command, one subcommand per process or tool.
"""

from __future__ import annotations

import functools
from importlib import metadata


@functools.cache
def package_version() -> str:
    """The one version, from the installed distribution's metadata (``pyproject.toml``); read once, since
    reading the metadata parses files and ``/healthz`` is polled by every device."""
    try:
        return metadata.version("madoguchi")
    except metadata.PackageNotFoundError:  # running from a checkout that was never installed
        return "0+unknown"
