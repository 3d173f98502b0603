"""One writer at a time on the hall database, across threads and processes, taking turns.

SQLite serialises writers itself, but a writer that finds the database busy sleeps and polls (1, 2, 5 … 100 ms),
which two busy server workers turn into long tails. Here writers queue on an ``flock`` instead: a blocked
writer sleeps in the kernel and wakes the moment the holder lets go.

A plain lock is not fair: the holder, with its next batch ready, takes the lock again before the woken waiter
has even been scheduled, and the other worker's requests wait several batches. So a writer first passes a
turnstile: it announces itself with a shared lock on a second file while it waits, and before queueing again a
writer waits until everyone already announced has got the lock (an exclusive lock on that file succeeds only
then). With two busy workers their batches alternate.

Locks are per open file (``flock``): two ``Store`` objects of one process exclude each other like two processes.
"""

from __future__ import annotations

import fcntl
import os


class WriteLock:
    def __init__(self, path: str) -> None:
        self._lock = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        self._turnstile = os.open(f"{path}-queue", os.O_RDWR | os.O_CREAT, 0o600)

    def acquire(self) -> None:
        # let through whoever is already waiting, then wait in line (announced) for the lock itself
        fcntl.flock(self._turnstile, fcntl.LOCK_EX)
        fcntl.flock(self._turnstile, fcntl.LOCK_UN)
        fcntl.flock(self._turnstile, fcntl.LOCK_SH)
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX)
        finally:
            fcntl.flock(self._turnstile, fcntl.LOCK_UN)

    def release(self) -> None:
        fcntl.flock(self._lock, fcntl.LOCK_UN)

    def close(self) -> None:
        os.close(self._lock)
        os.close(self._turnstile)
