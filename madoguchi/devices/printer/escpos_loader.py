"""Import python-escpos lazily, with its capabilities cache in a per-user directory.

At import python-escpos reads its printer capabilities database (a large YAML file, parsed in pure Python,
about 0.3 s here) unless it finds a pickle of it in ``ESCPOS_CAPABILITIES_PICKLE_DIR``; by default that is a
new temporary directory per process, so every start paid the parse and left a directory behind in /tmp. The
kiosk imports escpos only when it first builds a job (or warms up on a worker), not on its way to the first
screen.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from madoguchi.core.cli_args import default_cache_dir

if TYPE_CHECKING:
    from escpos.printer import Dummy

PICKLE_DIR_VARIABLE = "ESCPOS_CAPABILITIES_PICKLE_DIR"


def capabilities_cache_dir() -> Path:
    return default_cache_dir() / "escpos"


def _use_persistent_cache() -> None:
    if PICKLE_DIR_VARIABLE in os.environ:  # the operator chose one
        return
    cache = capabilities_cache_dir()
    try:
        cache.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return  # a read-only home: python-escpos falls back to a temporary directory
    if os.access(cache, os.W_OK):
        os.environ[PICKLE_DIR_VARIABLE] = str(cache)


def dummy_printer(profile: str) -> Dummy:
    """A python-escpos ``Dummy`` printer (jobs are built in memory, then sent by our transports)."""
    _use_persistent_cache()
    from escpos.printer import Dummy

    return Dummy(profile=profile)


def preload() -> None:
    """Import python-escpos now (on a worker at start-up) so the first ticket does not pay for it."""
    _use_persistent_cache()
    import escpos.printer  # noqa: F401
