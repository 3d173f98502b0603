"""The cyclic garbage collector while a process starts.

Imports create objects that live as long as the process and almost no garbage: the hall server's start (FastAPI,
pydantic, building the app) makes ~100,000 objects and ~700 garbage. The collector's passes over them took ~13 % of
the server's start (docs/hall-server.md), so it is paused while a process imports, and for the whole of the
server's start until its heap is frozen.
"""

from __future__ import annotations

import gc


def pause_collector() -> None:
    """Until ``resume_collector`` or ``settle_heap``."""
    gc.disable()


def resume_collector() -> None:
    gc.enable()


def settle_heap() -> None:
    """End of the start. Objects that exist now are never collected in a worker (the collector's marks would copy
    their pages), and the collector runs again for what comes after."""
    gc.freeze()
    gc.enable()
