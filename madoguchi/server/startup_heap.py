"""The cyclic garbage collector during the hall server's start.

The start (FastAPI, pydantic, building the app) creates ~100,000 objects that live as long as the process, and
almost no garbage (~700 objects). The collector's passes over them took ~13 % of the CPU time of those imports
(docs/hall-server.md), so it is paused for the start and runs again once the heap is frozen, before the fork.
The few garbage objects of the start are frozen with the rest and never freed: a few hundred KB at most.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The collector off for the block, until ``settle_heap`` is called inside it; a start that fails first (a
    SystemExit for a bad option or a taken port) gives the collector back as it was, for in-process callers."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def settle_heap() -> None:
    """End of the start. Objects that exist now are never collected in a worker (the collector's marks would copy
    their pages), and the collector runs again for what comes after."""
    gc.freeze()
    gc.enable()
