"""Signs of life from the server's forked processes, watched by their supervisor.

A worker whose event loop hangs (a deadlock, a call that never returns) still holds its share of the port: the
kernel keeps handing it new connections that nobody answers. The systemd watchdog only hears the leading worker,
so a hung worker that does not lead went unnoticed. Each process now writes the monotonic clock into its own
slot of a small memory mapping shared with the supervisor (made before the forks; no file, no system call per
beat); the supervisor kills a process whose slot goes stale, and starts a new one in its place.
"""

from __future__ import annotations

import mmap
import struct
import time

_SLOT = struct.Struct("d")


class Heartbeats:
    """One slot per process (a float: ``time.monotonic()`` at its last beat)."""

    def __init__(self, slots: int) -> None:
        # anonymous and shared: the children forked later write into the very pages the supervisor reads
        self._map = mmap.mmap(-1, _SLOT.size * slots, flags=mmap.MAP_SHARED)
        #: the slot this process beats in (set in each child after the fork)
        self.slot: int | None = None

    def beat(self) -> None:
        """This process is alive (called from its event loop or its main loop)."""
        if self.slot is not None:
            _SLOT.pack_into(self._map, _SLOT.size * self.slot, time.monotonic())

    def last(self, slot: int) -> float:
        """When the process in ``slot`` last beat (``time.monotonic()``; 0.0 never)."""
        return float(_SLOT.unpack_from(self._map, _SLOT.size * slot)[0])

    def silent_for(self, slot: int, started_at: float, now: float, *, first_beat_grace_s: float) -> float:
        """Seconds without a sign of life from the process started in ``slot`` at ``started_at``: from its last
        beat, or (before its first) from its start plus the grace it gets to start up."""
        last = self.last(slot)
        since = last if last >= started_at else started_at + first_beat_grace_s
        return max(0.0, now - since)
