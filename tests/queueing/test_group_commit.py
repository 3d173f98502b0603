"""Group commit: many requests in one transaction, each undone alone when it fails, none answered before the
commit, and none told "done" when the commit itself fails."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from queueing.group_commit import GroupCommit
from queueing.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "gc.db")
    s.conn.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)")
    yield s
    s.close()


def _names(path: str) -> list[str]:
    """What another connection sees: only what was committed."""
    other = sqlite3.connect(path)
    try:
        return [r[0] for r in other.execute("SELECT name FROM items ORDER BY id")]
    finally:
        other.close()


async def _gated(
    db: GroupCommit, jobs: list[Callable[[], object]], gate: threading.Event, *, atomic: bool = False
) -> list[object]:
    """Hold the database thread in a first job so that ``jobs`` queue up and land in one batch."""
    first = asyncio.ensure_future(db.run(gate.wait))
    await asyncio.sleep(0.05)
    futures = [asyncio.ensure_future(db.run(j, atomic=atomic)) for j in jobs]
    await asyncio.sleep(0.05)
    gate.set()
    await first
    return await asyncio.gather(*futures, return_exceptions=True)


def _insert(store: Store, name: str, *, own_savepoint: bool = False) -> Callable[[], str]:
    """A request that inserts ``name`` and, named "bad", fails after writing."""

    def write() -> None:
        store.conn.execute("INSERT INTO items (name) VALUES (?)", (name,))
        if name == "bad":
            raise ValueError("refused after writing")

    def job() -> str:
        if own_savepoint:
            with store.write():
                write()
        else:
            write()
        return name

    return job


def test_a_failing_request_is_undone_alone_and_the_batch_commits_once(store: Store) -> None:
    db = GroupCommit(store)
    db.start()
    try:
        names = ["a", "b", "bad", "c", "a"]  # the second "a" breaks the UNIQUE constraint
        results = asyncio.run(_gated(db, [_insert(store, n) for n in names], threading.Event()))
    finally:
        db.stop()
    assert results[:2] == ["a", "b"] and results[3] == "c"
    assert isinstance(results[2], ValueError)
    assert isinstance(results[4], sqlite3.IntegrityError)
    assert _names(store.path) == ["a", "b", "c"]  # "bad" wrote a row before failing: its savepoint took it back
    assert db.batches == 2 and db.jobs_done == 6  # the gate, then the five queued behind it together


def test_an_atomic_job_is_undone_by_its_own_savepoint(store: Store) -> None:
    """``atomic=True`` jobs get no savepoint from the batch: what they wrote in their own ``store.write()`` block is
    undone on failure, and the requests around them commit."""
    db = GroupCommit(store)
    db.start()
    jobs = [_insert(store, n, own_savepoint=True) for n in ("a", "bad", "c")]
    try:
        results = asyncio.run(_gated(db, jobs, threading.Event(), atomic=True))
    finally:
        db.stop()
    assert results[0] == "a" and results[2] == "c" and isinstance(results[1], ValueError)
    assert _names(store.path) == ["a", "c"]
    assert db.batches == 2  # the three in one batch


def test_a_failed_commit_fails_every_request_of_the_batch(store: Store) -> None:
    db = GroupCommit(store)
    db.start()
    store.conn.execute("CREATE TABLE child (id INTEGER PRIMARY KEY, item INTEGER REFERENCES items(id))")

    def good() -> str:
        store.conn.execute("INSERT INTO items (name) VALUES ('kept?')")
        return "ok"

    def breaks_commit() -> str:
        # a deferred foreign key is checked at COMMIT: a real commit failure, as a full disk would give
        store.conn.execute("PRAGMA defer_foreign_keys = ON")
        store.conn.execute("INSERT INTO child (item) VALUES (999)")
        return "ok"

    try:
        results = asyncio.run(_gated(db, [good, breaks_commit], threading.Event()))
        after = asyncio.run(db.run(good))  # the thread carries on with the next batch
    finally:
        db.stop()
    assert all(isinstance(r, sqlite3.IntegrityError) for r in results)
    assert after == "ok"
    assert _names(store.path) == ["kept?"]  # only the later request's row: the failed batch left nothing


def test_after_commit_callbacks_run_once_durable_and_never_for_undone_work(store: Store) -> None:
    told: list[str] = []

    def job(name: str, fail: bool) -> None:
        store.conn.execute("INSERT INTO items (name) VALUES (?)", (name,))
        store.after_commit(lambda: told.append(f"{name} committed={name in _names(store.path)}"))
        if fail:
            raise RuntimeError("undone")

    with store.write():
        with store.write():
            job("one", False)
        with pytest.raises(RuntimeError), store.write():
            job("two", True)
        assert told == []  # nothing is announced inside the transaction
    assert told == ["one committed=True"]

    with pytest.raises(RuntimeError), store.write():
        job("three", True)
    assert told == ["one committed=True"]


def test_without_the_thread_a_request_runs_in_its_own_transaction(store: Store) -> None:
    db = GroupCommit(store)  # not started: what an app without its lifespan (a unit test) gets
    assert asyncio.run(db.run(lambda: store.conn.execute("INSERT INTO items (name) VALUES ('x')").rowcount)) == 1
    assert _names(store.path) == ["x"]
