"""Which PC/SC readers the kiosk may use: the hall.toml name pattern, and no virtual readers in production."""

from __future__ import annotations

import re

VIRTUAL_READER_PREFIX = "Virtual PCD"


def is_virtual(name: str) -> bool:
    """vsmartcard-vpcd's readers: anyone on the LAN can "insert" a card into them."""
    return name.startswith(VIRTUAL_READER_PREFIX)


def select_readers(names: list[str], pattern: str | None = None, allow_virtual: bool = False) -> list[str]:
    """The usable readers among ``names``, in PC/SC order. ``pattern`` is a regex searched in the name."""
    regex = re.compile(pattern) if pattern else None
    return [n for n in names if (allow_virtual or not is_virtual(n)) and (regex is None or regex.search(n) is not None)]
