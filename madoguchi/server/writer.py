"""The hall server's one write path: a thread that owns the only writing connection to the hall database.

Every change to the hall (an issued ticket, a call, a login, a day roll, an alert) is a job: a function of the
hall service, run on this thread. The connection is opened here and bound to this thread (``Store(thread_bound=
True)``), so code that reaches the writing store from anywhere else fails at once instead of waiting on a lock.
The event loop never writes: it hands jobs over and awaits them, and reads on its own read-only connection.

Jobs that queue up while one transaction is written go into the next one together, each in its own savepoint:
one durable commit (``synchronous=FULL``) for the batch, and a job that fails is undone alone. A commit that
fails fails every job of its batch, so nobody is told "issued" about a ticket the disk did not keep; the failure
is logged once per episode and shown on ``/healthz`` until a commit succeeds again.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from madoguchi.server.store import Store

log = logging.getLogger(__name__)

S = TypeVar("S")
T = TypeVar("T")

#: most jobs in one transaction: bounds how long one batch keeps the others waiting
MAX_BATCH = 64


class _BatchLost(Exception):
    def __init__(self, cause: sqlite3.Error) -> None:
        super().__init__(str(cause))
        self.cause = cause


class WriterStopped(RuntimeError):
    """The server is stopping: the job was not run."""


@dataclass
class _Job:
    fn: Callable[[Any], Any]
    future: Future[Any] = field(default_factory=Future)


class DatabaseWriter(Generic[S]):
    """``open_service(store)`` builds what jobs receive (the hall service) on the writer thread, over its store."""

    def __init__(self, db_path: str, open_service: Callable[[Store], S], *, max_batch: int = MAX_BATCH) -> None:
        self.db_path = db_path
        self._open_service = open_service
        self.max_batch = max_batch
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._ready: Future[None] = Future()
        self._store: Store | None = None
        #: why the last commit failed (sqlite's message, e.g. "database or disk is full"); None once one succeeds
        self.failure: str | None = None
        #: batches committed and jobs in them (tests, bench)
        self.batches = 0
        self.jobs_done = 0

    @property
    def thread(self) -> threading.Thread | None:
        return self._thread

    def start(self, timeout: float = 60.0) -> None:
        """Open the database on the writer thread (migrating it) and build the service; errors surface here."""
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="hall-db-writer", daemon=True)
        self._thread.start()
        self._ready.result(timeout)

    def stop(self, timeout: float = 30.0) -> None:
        """Run what is queued, then close the connection (checkpointing the WAL away)."""
        if self._thread is None:
            return
        self._jobs.put(None)
        self._thread.join(timeout)
        self._thread = None

    async def run(self, fn: Callable[[S], T]) -> T:
        """Run ``fn(service)`` on the writer thread, inside a transaction; its result once committed."""
        return await asyncio.wrap_future(self.submit(fn))

    def call(self, fn: Callable[[S], T], timeout: float | None = 60.0) -> T:
        """``run`` from a plain thread (tools, tests): blocks until the job is committed."""
        if threading.current_thread() is self._thread:
            raise RuntimeError("a writer job cannot wait for another writer job")
        return self.submit(fn).result(timeout)

    def submit(self, fn: Callable[[S], T]) -> Future[T]:
        job = _Job(fn)
        if self._thread is None:
            job.future.set_exception(WriterStopped("the hall database is not open"))
        else:
            self._jobs.put(job)
        return job.future

    # ------------------------------------------------------------------ the writer thread
    def _run(self) -> None:
        try:
            store = Store(self.db_path, thread_bound=True)
            service = self._open_service(store)
        except BaseException as exc:
            self._ready.set_exception(exc)
            return
        self._store = store
        self._ready.set_result(None)
        try:
            while True:
                first = self._jobs.get()
                if first is None:
                    break
                batch = [first]
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
                self._execute(store, service, batch)
                if stopping:
                    break
        finally:
            self._drain()
            try:
                store.checkpoint()
            except sqlite3.Error as exc:
                log.warning("final checkpoint failed: %s", exc)
            store.close()
            self._store = None

    def _execute(self, store: Store, service: S, batch: list[_Job]) -> None:
        outcomes: list[tuple[_Job, Any, BaseException | None]] = []
        storage_error: sqlite3.OperationalError | None = None
        try:
            with store.write():
                for job in batch:
                    if not job.future.set_running_or_notify_cancel():
                        continue
                    try:
                        with store.write():  # a savepoint: a failing job is undone alone
                            outcomes.append((job, job.fn(service), None))
                    except Exception as exc:
                        outcomes.append((job, None, exc))
                        if isinstance(exc, sqlite3.OperationalError):  # the disk, not the request
                            storage_error = exc
                            if not store.conn.in_transaction:
                                # SQLite rolled the whole batch back (a full disk does): nothing of it stands
                                raise _BatchLost(exc) from exc
        except _BatchLost as lost:
            self._fail_batch(lost.cause, batch)
            return
        except sqlite3.Error as exc:  # the commit (or BEGIN) failed: nothing of this batch is durable
            self._fail_batch(exc, batch)
            return
        if storage_error is not None:
            self._failed(storage_error, sum(1 for o in outcomes if o[2] is storage_error))
        elif self.failure is not None:
            log.warning("database writes work again (after: %s)", self.failure)
            self.failure = None
        self.batches += 1
        self.jobs_done += len(outcomes)
        for job, result, error in outcomes:
            if error is not None:
                job.future.set_exception(error)
            else:
                job.future.set_result(result)

    def _fail_batch(self, exc: sqlite3.Error, batch: list[_Job]) -> None:
        self._failed(exc, len(batch))
        for job in batch:
            if not job.future.done():
                job.future.set_exception(exc)

    def _failed(self, exc: sqlite3.Error, jobs: int) -> None:
        message = str(exc)
        if message != self.failure:  # once per episode: a full disk fails every batch until space is freed
            log.error("database write failed, %d request(s) refused: %s", jobs, message)
        self.failure = message

    def _drain(self) -> None:
        while True:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                return
            if job is not None and not job.future.done():
                job.future.set_exception(WriterStopped("the server is stopping"))
