"""Group commit: the server's database work runs on one thread, many requests to one durable commit.

With ``synchronous=FULL`` every commit waits for the disk (about a millisecond or two here). Committing each
request on its own caps the server at a few hundred requests a second and, run on the event loop, stalls every
other connection while the disk works. Here the event loop hands each request's database work (a plain function)
to a single thread; the thread takes everything that queued up meanwhile, runs each piece in its own savepoint
inside one ``BEGIN IMMEDIATE`` transaction, commits once, and only then answers the waiting requests. A request
that fails is rolled back to its savepoint alone; a commit that fails (disk full) fails every request of that
batch, so nobody is ever told "issued" about a ticket the disk did not keep.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from queueing.store import Store

log = logging.getLogger(__name__)

T = TypeVar("T")

#: most requests in one transaction: bounds the latency one slow batch adds to everyone in it
MAX_BATCH = 256


@dataclass
class _Job:
    fn: Callable[[], Any]
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[Any]
    #: ``fn`` writes only inside its own ``store.write()`` blocks: a failure has undone its writes already
    atomic: bool = False
    result: Any = None
    error: BaseException | None = None


class GroupCommit:
    def __init__(self, store: Store, *, max_batch: int = MAX_BATCH) -> None:
        self.store = store
        self.max_batch = max_batch
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        #: batches committed and requests in them (for /healthz-style figures and tests)
        self.batches = 0
        self.jobs_done = 0

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="group-commit", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Finish what is queued, then end the thread."""
        if self._thread is not None:
            self._jobs.put(None)
            self._thread.join(timeout)
            self._thread = None

    async def run(self, fn: Callable[[], T], *, atomic: bool = False) -> T:
        """Run ``fn`` on the database thread inside a group transaction; its result once that is committed.

        ``atomic=True`` promises that ``fn`` writes only inside its own ``store.write()`` blocks (savepoints within
        the batch), so the batch need not wrap it in one more: two statements less per ticket issued, under the
        write lock every server process waits for."""
        if self._thread is None:  # not started (a test's app without lifespan): plain call, own transaction
            with self.store.write():
                return fn()
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._jobs.put(_Job(fn, loop, future, atomic))
        return await future

    # ------------------------------------------------------------------ the database thread
    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            batch = [job]
            stopping = False
            while len(batch) < self.max_batch:
                try:
                    more = self._jobs.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    stopping = True
                    break
                batch.append(more)
            self._execute(batch)
            if stopping:
                return

    def _execute(self, batch: list[_Job]) -> None:
        try:
            with self.store.write():
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
        # one wake-up of each event loop per batch, not one per request
        by_loop: dict[asyncio.AbstractEventLoop, list[_Job]] = {}
        for job in batch:
            by_loop.setdefault(job.loop, []).append(job)
        for loop, jobs in by_loop.items():
            try:
                loop.call_soon_threadsafe(_settle, jobs)
            except RuntimeError:  # that loop has closed: nobody is waiting any more
                pass


def _settle(jobs: list[_Job]) -> None:
    for job in jobs:
        if job.future.done():  # the request was cancelled (client gone); its work stands
            continue
        if job.error is not None:
            job.future.set_exception(job.error)
        else:
            job.future.set_result(job.result)
