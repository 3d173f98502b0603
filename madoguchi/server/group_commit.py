"""Group commit: many requests' database work in one transaction, one durable commit, run on the event loop.

With ``synchronous=FULL`` every commit waits for the disk. Committing each request on its own caps the server
at a few hundred requests a second. Here a request hands its database work (a plain function) to ``run``; the
work that queued up meanwhile runs as one batch: one ``BEGIN IMMEDIATE``, each request in its own savepoint, one
commit, and only then are the waiting requests answered. A request that fails is rolled back to its savepoint
alone; a commit that fails (disk full) fails every request of that batch, so nobody is ever told "issued" about
a ticket the disk did not keep.

Where it runs: waiting for the hall-wide write lock (the other workers' batches, ``queueing/write_lock.py``)
happens on a helper thread, so the event loop serves requests meanwhile; the batch itself then runs on the event
loop, start to commit. It used to run on its own thread, and each of a request's ten or so SQLite statements let
go of the GIL, which the busy event loop took: the batch waited for it back, up to a switch interval each time,
while every other worker waited for the write lock it held. On the loop nothing competes for the GIL and the lock
is held for the work alone: +20–40 % issues/s with two workers on two cores (docs/hall-server.md). The price is
that the loop stops for a batch's statements and its disk flush, a few milliseconds.

The rule that keeps this free of deadlocks: on the event loop, nothing may write through another ``Store`` of the
same database (the event loop's ``reader`` only reads). Such a write would wait on the write lock in the kernel
while the lock's holder, this group commit, waits for the very loop to run its batch.
"""

from __future__ import annotations

import asyncio
import collections
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from madoguchi.server.store import Store

log = logging.getLogger(__name__)

T = TypeVar("T")

#: most requests in one transaction: bounds the time one batch holds the event loop and the write lock
MAX_BATCH = 256


@dataclass
class _Job:
    fn: Callable[[], Any]
    future: asyncio.Future[Any]
    #: ``fn`` writes only inside its own ``store.write()`` blocks: a failure has undone its writes already
    atomic: bool = False
    result: Any = None
    error: BaseException | None = None


class GroupCommit:
    def __init__(self, store: Store, *, max_batch: int = MAX_BATCH) -> None:
        self.store = store
        self.max_batch = max_batch
        self._pending: collections.deque[_Job] = collections.deque()
        self._flusher: asyncio.Task[None] | None = None
        #: one thread that only waits for the write lock
        self._lock_waiter: ThreadPoolExecutor | None = None
        #: batches committed and requests in them (for /healthz-style figures and tests)
        self.batches = 0
        self.jobs_done = 0

    def start(self) -> None:
        if self._lock_waiter is None:
            self._lock_waiter = ThreadPoolExecutor(1, thread_name_prefix="write-lock-wait")

    def stop(self) -> None:
        """After the server has stopped taking requests: requests still queued are refused, nothing is left
        half-done (a batch runs start to commit without a pause)."""
        for job in self._pending:
            if not job.future.done():
                job.future.set_exception(RuntimeError("the server is stopping"))
        self._pending.clear()
        if self._flusher is not None:
            self._flusher.cancel()
            self._flusher = None
        if self._lock_waiter is not None:
            self._lock_waiter.shutdown(wait=True)
            self._lock_waiter = None

    async def run(self, fn: Callable[[], T], *, atomic: bool = False) -> T:
        """Run ``fn`` inside a group transaction; its result once that is committed.

        ``atomic=True`` promises that ``fn`` writes only inside its own ``store.write()`` blocks (savepoints within
        the batch), so the batch need not wrap it in one more: two statements less per ticket issued."""
        if self._lock_waiter is None:  # not started (a test's app without lifespan): plain call, own transaction
            with self.store.write():
                return fn()
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._pending.append(_Job(fn, future, atomic))
        if self._flusher is None or self._flusher.done():
            self._flusher = loop.create_task(self._flush())
        return await future

    async def _flush(self) -> None:
        loop = asyncio.get_running_loop()
        while self._pending and self._lock_waiter is not None:
            try:
                lock = self.store.write_lock
                if lock is not None:
                    await self._wait_for(loop, lock.acquire, lock.release)
            except Exception as exc:  # the database cannot be opened or locked: every queued request is told
                log.error("group commit cannot take the write lock: %s", type(exc).__name__)
                while self._pending:
                    job = self._pending.popleft()
                    if not job.future.done():
                        job.future.set_exception(exc)
                return
            # everything queued by now, the requests that came while we waited included
            batch = [self._pending.popleft() for _ in range(min(len(self._pending), self.max_batch))]
            self._execute(batch)  # no await from here to the commit: the batch holds the loop and the lock

    async def _wait_for(
        self, loop: asyncio.AbstractEventLoop, acquire: Callable[[], None], release: Callable[[], None]
    ) -> None:
        """Take the write lock on the helper thread; the loop serves other requests meanwhile."""
        waiting = loop.run_in_executor(self._lock_waiter, acquire)
        try:
            await asyncio.shield(waiting)
        except asyncio.CancelledError:  # stopping: give the lock back once the helper has it
            waiting.add_done_callback(lambda w: release() if not w.cancelled() and w.exception() is None else None)
            raise

    def _execute(self, batch: list[_Job]) -> None:
        """The batch, start to commit (``store.write(locked=True)`` releases the write lock after the commit)."""
        try:
            with self.store.write(locked=True):
                for job in batch:
                    try:
                        if job.atomic:
                            job.result = job.fn()
                        else:
                            with self.store.write():  # a savepoint: a failing request is undone alone
                                job.result = job.fn()
                    except Exception as exc:
                        job.error = exc
        except Exception as exc:  # the commit itself failed: nothing of this batch is durable
            log.error("group commit of %d requests failed: %s", len(batch), type(exc).__name__)
            for job in batch:
                job.error, job.result = exc, None
        self.batches += 1
        self.jobs_done += len(batch)
        for job in batch:
            if job.future.done():  # the request was cancelled (client gone); its work stands
                continue
            if job.error is not None:
                job.future.set_exception(job.error)
            else:
                job.future.set_result(job.result)
