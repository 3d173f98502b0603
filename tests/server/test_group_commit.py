"""Group commit: many requests in one transaction, each undone alone when it fails, none answered before the
commit, and none told "done" when the commit itself fails."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from madoguchi.server.group_commit import GroupCommit
from madoguchi.server.store import Store
from madoguchi.server.write_lock import WriteLock


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


async def _gated(db: GroupCommit, jobs: list[Callable[[], object]], *, atomic: bool = False) -> list[object]:
    """Hold the write lock elsewhere (as another worker's batch would) so that ``jobs`` queue up and land in one
    batch; the event loop stays free meanwhile."""
    other = WriteLock(f"{db.store.path}.lock")
    other.acquire()
    try:
        futures = [asyncio.ensure_future(db.run(j, atomic=atomic)) for j in jobs]
        await asyncio.sleep(0.05)  # the loop runs on while the group commit waits for the lock
        assert not any(f.done() for f in futures)
    finally:
        other.release()
        other.close()
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
        results = asyncio.run(_gated(db, [_insert(store, n) for n in names]))
    finally:
        db.stop()
    assert results[:2] == ["a", "b"] and results[3] == "c"
    assert isinstance(results[2], ValueError)
    assert isinstance(results[4], sqlite3.IntegrityError)
    assert _names(store.path) == ["a", "b", "c"]  # "bad" wrote a row before failing: its savepoint took it back
    assert db.batches == 1 and db.jobs_done == 5  # the five queued behind the lock, together


def test_an_atomic_job_is_undone_by_its_own_savepoint(store: Store) -> None:
    """``atomic=True`` jobs get no savepoint from the batch: what they wrote in their own ``store.write()`` block is
    undone on failure, and the requests around them commit."""
    db = GroupCommit(store)
    db.start()
    jobs = [_insert(store, n, own_savepoint=True) for n in ("a", "bad", "c")]
    try:
        results = asyncio.run(_gated(db, jobs, atomic=True))
    finally:
        db.stop()
    assert results[0] == "a" and results[2] == "c" and isinstance(results[1], ValueError)
    assert _names(store.path) == ["a", "c"]
    assert db.batches == 1  # the three in one batch


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
        results = asyncio.run(_gated(db, [good, breaks_commit]))
        after = asyncio.run(db.run(good))  # the next batch goes on as usual
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


def test_not_started_a_request_runs_in_its_own_transaction(store: Store) -> None:
    db = GroupCommit(store)  # not started: what an app without its lifespan (a unit test) gets
    assert asyncio.run(db.run(lambda: store.conn.execute("INSERT INTO items (name) VALUES ('x')").rowcount)) == 1
    assert _names(store.path) == ["x"]


def test_a_database_gone_bad_fails_the_requests_instead_of_leaving_them_waiting(tmp_path: Path) -> None:
    broken = Store(tmp_path / "gone.db")
    db = GroupCommit(broken)
    db.start()
    broken.close()  # as a disk gone away would leave it
    try:
        results = asyncio.run(_gather(db, [lambda: 1, lambda: 2]))
    finally:
        db.stop()
    assert all(isinstance(r, sqlite3.ProgrammingError) for r in results)


async def _gather(db: GroupCommit, jobs: list[Callable[[], object]]) -> list[object]:
    return await asyncio.gather(*(db.run(j) for j in jobs), return_exceptions=True)
