"""Schema, migrations, transactions and the queries of the hall database.

One connection per ``Store``, in autocommit mode, with explicit ``BEGIN IMMEDIATE`` transactions for writes, so
that a maintenance command writing while the server runs waits its turn and a reader never sees half a change.
WAL, foreign keys and a busy timeout are always on. In the hall server one ``Store`` writes, on the writer thread
that opened it (``writer.DatabaseWriter``: a use from any other thread raises); the others are opened
``read_only`` and refuse any write.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

log = logging.getLogger(__name__)

Synchronous = Literal["OFF", "NORMAL", "FULL"]

#: the tickets table's columns (as of migration 2), copied by migration 6
_TICKET_TABLE_COLUMNS = """id, day, service_id, origin_service_id, seq, number, state, language, source, priority_need,
    reservation_id, issued_at, order_at, called_at, counter, served_at, finished_at, recalls, transfers, token,
    device, request_id, staff_id, has_form, est_low, est_mid, est_high, est_model"""
#: keep ``waiting_counts`` in step with the tickets (migration 3; made again with the table in migration 6)
_WAITING_COUNT_TRIGGERS = (
    """CREATE TRIGGER tickets_waiting_insert AFTER INSERT ON tickets WHEN NEW.state = 'waiting' BEGIN
         INSERT INTO waiting_counts VALUES (NEW.day, NEW.service_id, 1)
           ON CONFLICT (day, service_id) DO UPDATE SET n = n + 1;
       END""",
    """CREATE TRIGGER tickets_waiting_update AFTER UPDATE OF state, day, service_id ON tickets
       WHEN OLD.state = 'waiting' OR NEW.state = 'waiting' BEGIN
         UPDATE waiting_counts SET n = n - 1
           WHERE OLD.state = 'waiting' AND day = OLD.day AND service_id = OLD.service_id;
         INSERT INTO waiting_counts SELECT NEW.day, NEW.service_id, 1 WHERE NEW.state = 'waiting'
           ON CONFLICT (day, service_id) DO UPDATE SET n = n + 1;
       END""",
    """CREATE TRIGGER tickets_waiting_delete AFTER DELETE ON tickets WHEN OLD.state = 'waiting' BEGIN
         UPDATE waiting_counts SET n = n - 1 WHERE day = OLD.day AND service_id = OLD.service_id;
       END""",
)

# Forward-only migrations: (version, statements). Never edit a released step; append a new one.
MIGRATIONS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (
        1,
        (
            """CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)""",
            """CREATE TABLE sequences (
                day TEXT NOT NULL, service_id TEXT NOT NULL, last INTEGER NOT NULL,
                PRIMARY KEY (day, service_id))""",
            """CREATE TABLE tickets (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                day TEXT NOT NULL,
                service_id TEXT NOT NULL,
                origin_service_id TEXT NOT NULL,
                seq INTEGER NOT NULL,
                number TEXT NOT NULL,
                state TEXT NOT NULL,
                language TEXT NOT NULL,
                source TEXT NOT NULL,
                priority_need TEXT,
                reservation_id INTEGER,
                issued_at REAL NOT NULL,
                order_at REAL NOT NULL,
                called_at REAL,
                counter INTEGER,
                served_at REAL,
                finished_at REAL,
                recalls INTEGER NOT NULL DEFAULT 0,
                transfers INTEGER NOT NULL DEFAULT 0,
                token TEXT NOT NULL UNIQUE,
                device TEXT,
                request_id TEXT,
                staff_id TEXT,
                has_form INTEGER NOT NULL DEFAULT 0,
                est_low REAL, est_mid REAL, est_high REAL,
                UNIQUE (day, number),
                UNIQUE (day, origin_service_id, seq),
                UNIQUE (device, request_id))""",
            """CREATE INDEX tickets_queue ON tickets (day, state, service_id, order_at)""",
            """CREATE INDEX tickets_counter ON tickets (counter, state)""",
            """CREATE TABLE events (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                at REAL NOT NULL,
                type TEXT NOT NULL,
                ticket_id INTEGER REFERENCES tickets(id),
                counter INTEGER,
                data TEXT NOT NULL DEFAULT '{}')""",
            """CREATE TABLE forms (
                ticket_id INTEGER PRIMARY KEY REFERENCES tickets(id),
                form_id TEXT,
                nonce BLOB NOT NULL,
                ciphertext BLOB NOT NULL,
                created_at REAL NOT NULL)""",
            """CREATE TABLE audit (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                at REAL NOT NULL,
                staff_id TEXT,
                device TEXT,
                counter INTEGER,
                ticket_id INTEGER,
                action TEXT NOT NULL)""",
            """CREATE TABLE devices (
                name TEXT PRIMARY KEY,
                role TEXT NOT NULL,
                token_hash TEXT NOT NULL UNIQUE,
                created_at REAL NOT NULL,
                last_seen REAL,
                health TEXT)""",
            """CREATE TABLE staff (
                staff_id TEXT PRIMARY KEY,
                display_name TEXT NOT NULL,
                password_hash TEXT NOT NULL,
                active INTEGER NOT NULL DEFAULT 1,
                created_at REAL NOT NULL)""",
            """CREATE TABLE staff_sessions (
                token_hash TEXT PRIMARY KEY,
                staff_id TEXT NOT NULL REFERENCES staff(staff_id),
                device TEXT,
                counter INTEGER,
                created_at REAL NOT NULL,
                last_seen REAL NOT NULL)""",
            """CREATE TABLE reservations (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                code TEXT NOT NULL UNIQUE,
                service_id TEXT NOT NULL,
                date TEXT NOT NULL,
                slot_start TEXT NOT NULL,
                slot_end TEXT,
                name_nonce BLOB,
                name_ciphertext BLOB,
                ticket_id INTEGER REFERENCES tickets(id),
                created_at REAL NOT NULL)""",
        ),
    ),
    # the predictor's uncalibrated value at issue, so the range can be calibrated from the hall's own history
    (2, ("ALTER TABLE tickets ADD COLUMN est_model REAL",)),
    # Waiting tickets per day and service, kept by triggers in the same transaction as the ticket change: a count
    # over the queue index costs O(queue) and was the issue path's largest cost with a long queue.
    (
        3,
        (
            """CREATE TABLE waiting_counts (
                day TEXT NOT NULL, service_id TEXT NOT NULL, n INTEGER NOT NULL,
                PRIMARY KEY (day, service_id)) WITHOUT ROWID""",
            """INSERT INTO waiting_counts
               SELECT day, service_id, count(*) FROM tickets WHERE state = 'waiting' GROUP BY day, service_id""",
            *_WAITING_COUNT_TRIGGERS,
        ),
    ),
    # A kiosk's tickets of the last minute (the issue rate limit), counted in the database so that every server
    # worker sees the same count
    (4, ("CREATE INDEX tickets_device_issued ON tickets (device, issued_at)",)),
    # ...now one row per kiosk instead (``admit_issue``): the index took a page of its own per kiosk in every
    # group commit, for a check that only kiosks need
    (
        5,
        (
            "DROP INDEX tickets_device_issued",
            # recent: the times of the kiosk's tickets of the last minute, a JSON list
            "CREATE TABLE issue_rate (device TEXT PRIMARY KEY, recent TEXT NOT NULL) WITHOUT ROWID",
        ),
    ),
    # The tickets table made again with fewer pages written per group commit (SQLite cannot drop a table's
    # constraint in place): UNIQUE (day, origin_service_id, seq) goes, the sequences table alone hands out each
    # number (and UNIQUE (day, number) still refuses a duplicate); the request look-up is keyed request id first,
    # and ids that start with their time (``client.new_request_id``) then land at the index's end instead of on a
    # page per kiosk. ``migrate`` turns the foreign keys off around this and checks them before the commit.
    (
        6,
        (
            "CREATE TEMP TABLE tickets_sequence AS SELECT seq FROM sqlite_sequence WHERE name = 'tickets'",
            """CREATE TABLE tickets_v6 (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                day TEXT NOT NULL,
                service_id TEXT NOT NULL,
                origin_service_id TEXT NOT NULL,
                seq INTEGER NOT NULL,
                number TEXT NOT NULL,
                state TEXT NOT NULL,
                language TEXT NOT NULL,
                source TEXT NOT NULL,
                priority_need TEXT,
                reservation_id INTEGER,
                issued_at REAL NOT NULL,
                order_at REAL NOT NULL,
                called_at REAL,
                counter INTEGER,
                served_at REAL,
                finished_at REAL,
                recalls INTEGER NOT NULL DEFAULT 0,
                transfers INTEGER NOT NULL DEFAULT 0,
                token TEXT NOT NULL UNIQUE,
                device TEXT,
                request_id TEXT,
                staff_id TEXT,
                has_form INTEGER NOT NULL DEFAULT 0,
                est_low REAL, est_mid REAL, est_high REAL,
                est_model REAL,
                UNIQUE (day, number))""",
            f"INSERT INTO tickets_v6 ({_TICKET_TABLE_COLUMNS}) SELECT {_TICKET_TABLE_COLUMNS} FROM tickets",
            "DROP TABLE tickets",
            "ALTER TABLE tickets_v6 RENAME TO tickets",
            "CREATE INDEX tickets_queue ON tickets (day, state, service_id, order_at)",
            "CREATE INDEX tickets_counter ON tickets (counter, state)",
            "CREATE UNIQUE INDEX tickets_request ON tickets (request_id, device)",
            *_WAITING_COUNT_TRIGGERS,
            # ids are never handed out twice, even those of tickets no longer there
            """UPDATE sqlite_sequence SET seq = max(seq, (SELECT seq FROM temp.tickets_sequence))
               WHERE name = 'tickets'""",
            """INSERT INTO sqlite_sequence (name, seq) SELECT 'tickets', seq FROM temp.tickets_sequence
               WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'tickets')""",
            "DROP TABLE temp.tickets_sequence",
        ),
    ),
    # Accounts a city's review signs (docs/security.md): a counter PC's token is bound to its counter, devices and
    # staff can be disabled, failed logins lock an account. A staff PC of the release before is bound to the counter
    # of its last session (what it was used as); older sessions end, since none was bound.
    (
        7,
        (
            "ALTER TABLE devices ADD COLUMN counter INTEGER",
            "ALTER TABLE devices ADD COLUMN active INTEGER NOT NULL DEFAULT 1",
            "ALTER TABLE staff ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE staff ADD COLUMN locked_at REAL",
            """UPDATE devices SET counter = (
                   SELECT s.counter FROM staff_sessions s WHERE s.device = devices.name AND s.counter IS NOT NULL
                   ORDER BY s.created_at DESC LIMIT 1)
               WHERE role = 'staff'""",
            "DELETE FROM staff_sessions",
            "CREATE INDEX staff_sessions_staff ON staff_sessions (staff_id)",
            # where the hall day's events begin (replay is limited to them)
            "CREATE INDEX events_type ON events (type, id)",
        ),
    ),
    # The PC that called a ticket: its form is read from that PC only, not from another one at the same counter.
    # ... and the audit names whom an account change was about (a staff id, a device name).
    (8, ("ALTER TABLE tickets ADD COLUMN called_device TEXT", "ALTER TABLE audit ADD COLUMN subject TEXT")),
    # Residents book on /book (``booking.py``): a booking takes a seat of its slot, 1..capacity, and the unique
    # index refuses a seat taken twice whatever writes; a cancelled booking gives its seat back (NULL, as imported
    # reservations have: NULLs never collide). The confirmation page's token and the booking form's request id
    # are kept as hashes only.
    (
        9,
        (
            "ALTER TABLE reservations ADD COLUMN source TEXT NOT NULL DEFAULT 'import'",
            "ALTER TABLE reservations ADD COLUMN language TEXT",
            "ALTER TABLE reservations ADD COLUMN seat INTEGER",
            "ALTER TABLE reservations ADD COLUMN manage_hash TEXT",
            "ALTER TABLE reservations ADD COLUMN request_hash TEXT",
            "ALTER TABLE reservations ADD COLUMN cancelled_at REAL",
            "CREATE UNIQUE INDEX reservations_seat ON reservations (service_id, date, slot_start, seat)",
            "CREATE UNIQUE INDEX reservations_manage ON reservations (manage_hash)",
            "CREATE UNIQUE INDEX reservations_request ON reservations (request_hash)",
            "CREATE INDEX reservations_day ON reservations (date, service_id, slot_start)",
        ),
    ),
    # A ticket sent to one counter or one clerk (a transfer), and each counter's state as its staff set it (open,
    # on a break with a reason, closed): the wait estimates count the counters really open.
    (
        10,
        (
            "ALTER TABLE tickets ADD COLUMN target_counter INTEGER",
            "ALTER TABLE tickets ADD COLUMN target_staff TEXT",
            """CREATE TABLE counter_states (
                counter INTEGER PRIMARY KEY,
                day TEXT NOT NULL,
                state TEXT NOT NULL,
                reason TEXT,
                since REAL NOT NULL,
                staff_id TEXT)""",
        ),
    ),
    # One ticket through several procedures (a visit, ``[[life_events]]``): its route, one row per step, in
    # order. The ticket row is the step now; a step's own times stay here for the per-visit statistics.
    (
        11,
        (
            """CREATE TABLE visit_steps (
                ticket_id INTEGER NOT NULL REFERENCES tickets (id),
                pos INTEGER NOT NULL,
                service_id TEXT NOT NULL,
                state TEXT NOT NULL,
                joined_at REAL,
                called_at REAL,
                finished_at REAL,
                counter INTEGER,
                PRIMARY KEY (ticket_id, pos)) WITHOUT ROWID""",
            "ALTER TABLE tickets ADD COLUMN life_event TEXT",
        ),
    ),
)
SCHEMA_VERSION = MIGRATIONS[-1][0]


def _broken_references(conn: sqlite3.Connection) -> dict[str, int]:
    """Rows whose foreign key points at nothing, counted per table (``PRAGMA foreign_key_check``)."""
    found: dict[str, int] = {}
    for table, *_ in conn.execute("PRAGMA foreign_key_check"):
        found[table] = found.get(table, 0) + 1
    return found


@dataclass(frozen=True)
class TicketRow:
    """A ticket as stored. Holds no personal data (form data lives encrypted in ``forms``)."""

    id: int
    day: str
    service_id: str
    origin_service_id: str
    seq: int
    number: str
    state: str
    language: str
    source: str
    priority_need: str | None
    reservation_id: int | None
    issued_at: float
    order_at: float
    called_at: float | None
    counter: int | None
    served_at: float | None
    finished_at: float | None
    recalls: int
    transfers: int
    token: str
    device: str | None
    request_id: str | None
    staff_id: str | None
    has_form: int
    est_low: float | None
    est_mid: float | None
    est_high: float | None
    est_model: float | None
    #: a transfer to one counter or one clerk: only they call it next (another counter may still call it by hand)
    target_counter: int | None = None
    target_staff: str | None = None
    #: the life event a visit's route came from (statistics; None for one procedure or a route staff made)
    life_event: str | None = None


@dataclass(frozen=True)
class StepRow:
    """One step of a visit's route: ``pending``, ``current`` (the ticket row's service now), ``done``,
    ``skipped`` (a no-show moved on) or ``dropped`` (cancelled, or taken off by a clerk)."""

    ticket_id: int
    pos: int
    service_id: str
    state: str
    joined_at: float | None
    called_at: float | None
    finished_at: float | None
    counter: int | None


@dataclass(frozen=True)
class CounterStateRow:
    """A counter's state as its staff last set it, on hall day ``day`` (an older day's row means nothing)."""

    counter: int
    day: str
    state: str  # open, break, closed
    reason: str | None
    since: float
    staff_id: str | None


@dataclass(frozen=True)
class EventRow:
    id: int
    at: float
    type: str
    ticket_id: int | None
    counter: int | None
    data: dict[str, Any]


_TICKET_COLUMNS = ", ".join(TicketRow.__dataclass_fields__)


class Store:
    """Owns the connection. Use ``write()`` for a transaction; plain methods read.

    ``synchronous="FULL"`` (the default) makes every commit durable before a kiosk prints the number: a power
    cut of the server cannot lose a ticket a resident holds. It costs under a millisecond per commit here
    (bench/engine.py); NORMAL would only risk the last commits on power loss, never on a process crash.
    """

    def __init__(
        self,
        path: Path | str,
        *,
        synchronous: Synchronous = "FULL",
        connect: bool = True,
        read_only: bool = False,
        thread_bound: bool = False,
    ) -> None:
        """``read_only``: never migrates, and SQLite refuses every write on this connection (``query_only``).
        ``thread_bound``: only the thread that opens the connection may use it (the server's writer).
        ``connect=False`` opens the connection on first use, in the thread that uses it."""
        self.path = str(path)
        self._synchronous = synchronous
        self.read_only = read_only
        self._thread_bound = thread_bound
        self._conn: sqlite3.Connection | None = None
        self._closed = False
        self._lock = threading.RLock()
        self._depth = 0
        self._after_commit: list[Callable[[], object]] = []
        if connect:
            self._connect()

    @property
    def conn(self) -> sqlite3.Connection:
        conn = self._conn
        return conn if conn is not None else self._connect()

    @property
    def connected(self) -> bool:
        return self._conn is not None

    def _connect(self) -> sqlite3.Connection:
        with self._lock:
            if self._conn is not None:
                return self._conn
            if self._closed:
                raise sqlite3.ProgrammingError("Cannot operate on a closed database.")
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=self._thread_bound, timeout=30)
            try:
                conn.execute("PRAGMA busy_timeout = 30000")
                conn.execute("PRAGMA foreign_keys = ON")
                if self.read_only:
                    conn.execute("PRAGMA query_only = ON")
                else:
                    conn.execute("PRAGMA journal_mode = WAL")
                    conn.execute(f"PRAGMA synchronous = {self._synchronous}")
                    # deleted rows (purged form data) are overwritten, not left in free pages
                    conn.execute("PRAGMA secure_delete = ON")
                self._conn = conn
                if not self.read_only:
                    self.migrate()
            except BaseException:
                self._conn = None
                conn.close()
                raise
            return conn

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    # ------------------------------------------------------------------ transactions
    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction (``BEGIN IMMEDIATE``): all or nothing, serialised across processes.

        Nested, it is a savepoint: an inner block that fails is undone on its own, so the server's writer (many
        requests in one transaction, ``madoguchi.server.writer``) loses only the request that failed.
        """
        with self._lock:
            if self._depth:
                name = f"sp{self._depth}"
                self.conn.execute(f"SAVEPOINT {name}")
                self._depth += 1
                mark = len(self._after_commit)
                try:
                    yield self.conn
                except BaseException:
                    # a full disk or an I/O error makes SQLite roll the whole transaction back by itself
                    if self.conn.in_transaction:
                        self.conn.execute(f"ROLLBACK TO {name}")
                        self.conn.execute(f"RELEASE {name}")
                    del self._after_commit[mark:]
                    raise
                else:
                    self.conn.execute(f"RELEASE {name}")
                finally:
                    self._depth -= 1
                return
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                self._depth = 1
                yield self.conn
                self.conn.execute("COMMIT")
            except BaseException:  # the block or the commit failed (a failed COMMIT may leave it open)
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                self._after_commit.clear()
                raise
            finally:
                self._depth = 0
            callbacks, self._after_commit = self._after_commit, []
        for callback in callbacks:
            callback()

    def checkpoint(self) -> None:
        """Copy the WAL into the database file and truncate it (so purged rows leave no copy in the WAL).

        Between transactions only: inside one (the writer's batch) it waits for the next call."""
        with self._lock:
            if self._depth == 0:
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def after_commit(self, callback: Callable[[], object]) -> None:
        """Run ``callback`` once the current transaction is durable (now, outside one); dropped on rollback."""
        with self._lock:
            if self._depth:
                self._after_commit.append(callback)
                return
        callback()

    def _query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            cur = self.conn.execute(sql, params)
            cur.row_factory = sqlite3.Row
            return cur.fetchall()

    # ------------------------------------------------------------------ schema
    def schema_version(self) -> int:
        if not self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
        ).fetchone():
            return 0
        row = self.conn.execute("SELECT max(version) FROM schema_version").fetchone()
        return int(row[0] or 0)

    def migrate(self) -> None:
        # Off for the migrations, which may make a table again (SQLite's documented way: dropping the old table
        # would otherwise check, or cascade to, the rows that refer to it); checked as a whole before the commit.
        # The pragma is ignored inside a transaction, so it is set around it.
        self.conn.execute("PRAGMA foreign_keys = OFF")
        try:
            with self.write() as conn:
                conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at REAL)")
                current = self.schema_version()
                if current > SCHEMA_VERSION:
                    raise RuntimeError(f"database schema {current} is newer than this program ({SCHEMA_VERSION})")
                # references already broken before (a hand edit) are not the migration's doing: only new ones stop it
                broken_before = _broken_references(conn) if 0 < current < SCHEMA_VERSION else {}
                for version, statements in MIGRATIONS:
                    if version <= current:
                        continue
                    for statement in statements:
                        conn.execute(statement)
                    # (the time from Python: SQLite before 3.42 gives NULL for unixepoch('subsec'))
                    conn.execute("INSERT INTO schema_version VALUES (?, ?)", (version, time.time()))
                if current < SCHEMA_VERSION:
                    broken = _broken_references(conn)
                    if any(n > broken_before.get(table, 0) for table, n in broken.items()):
                        raise RuntimeError(
                            "the database migration left rows that refer to missing ones; nothing changed "
                            f"(rows per table: {broken})"
                        )
                    if broken:
                        log.warning("rows that refer to missing ones, from before the upgrade: %s", broken)
                if 0 < current < SCHEMA_VERSION:  # an update of the program (a new database starts at 0)
                    log.info("database upgraded from schema %d to %d", current, SCHEMA_VERSION)
        finally:
            self.conn.execute("PRAGMA foreign_keys = ON")

    # ------------------------------------------------------------------ meta
    def get_meta(self, key: str) -> str | None:
        rows = self._query("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        with self.write() as conn:
            conn.execute(
                "INSERT INTO meta VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    # ------------------------------------------------------------------ tickets
    def next_sequence(self, day: str, service_id: str) -> int:
        row = self.conn.execute(
            """INSERT INTO sequences (day, service_id, last) VALUES (?, ?, 1)
               ON CONFLICT(day, service_id) DO UPDATE SET last = last + 1 RETURNING last""",
            (day, service_id),
        ).fetchone()
        return int(row[0])

    def insert_ticket(self, values: dict[str, Any]) -> int:
        columns = ", ".join(values)
        marks = ", ".join(f":{k}" for k in values)
        cur = self.conn.execute(f"INSERT INTO tickets ({columns}) VALUES ({marks})", values)
        return int(cur.lastrowid or 0)

    def update_ticket(self, ticket_id: int, expected_states: Sequence[str], values: dict[str, Any]) -> bool:
        """Set ``values`` only if the ticket is in one of ``expected_states``; False if it was not."""
        sets = ", ".join(f"{k} = :{k}" for k in values)
        marks = ", ".join(f":s{i}" for i in range(len(expected_states)))
        params: dict[str, Any] = {**values, "_id": ticket_id}
        params.update({f"s{i}": s for i, s in enumerate(expected_states)})
        cur = self.conn.execute(f"UPDATE tickets SET {sets} WHERE id = :_id AND state IN ({marks})", params)
        return cur.rowcount == 1

    def called_device(self, ticket_id: int) -> str | None:
        """The PC whose clerk called the ticket last (None: called before this was recorded, or not called)."""
        rows = self._query("SELECT called_device FROM tickets WHERE id = ?", (ticket_id,))
        return str(rows[0][0]) if rows and rows[0][0] is not None else None

    def ticket(self, ticket_id: int) -> TicketRow | None:
        rows = self._query(f"SELECT {_TICKET_COLUMNS} FROM tickets WHERE id = ?", (ticket_id,))
        return TicketRow(*rows[0]) if rows else None

    def ticket_by_token(self, token: str) -> TicketRow | None:
        rows = self._query(f"SELECT {_TICKET_COLUMNS} FROM tickets WHERE token = ?", (token,))
        return TicketRow(*rows[0]) if rows else None

    def ticket_by_request(self, device: str, request_id: str) -> TicketRow | None:
        rows = self._query(
            f"SELECT {_TICKET_COLUMNS} FROM tickets WHERE device = ? AND request_id = ?", (device, request_id)
        )
        return TicketRow(*rows[0]) if rows else None

    def admit_issue(self, device: str, now: float, per_minute: int) -> bool:
        """Count one ticket against ``device``'s limit: False (and nothing counted) when it already had
        ``per_minute`` tickets in the last 60 seconds. Call it inside the issuing transaction: a ticket that is
        undone is not counted."""
        rows = self._query("SELECT recent FROM issue_rate WHERE device = ?", (device,))
        # (a time ahead of ``now`` is from before the clock was stepped back, after a rehearsal: it counts for a
        # minute at most, not for the length of the step)
        recent = [at for at in json.loads(rows[0][0]) if now - 60.0 < at < now + 60.0] if rows else []
        if len(recent) >= per_minute:
            return False
        recent.append(round(now, 3))
        self.conn.execute(
            "INSERT INTO issue_rate VALUES (?, ?) ON CONFLICT(device) DO UPDATE SET recent = excluded.recent",
            (device, json.dumps(recent)),
        )
        return True

    def ticket_by_number(self, day: str, number: str) -> TicketRow | None:
        rows = self._query(f"SELECT {_TICKET_COLUMNS} FROM tickets WHERE day = ? AND number = ?", (day, number))
        return TicketRow(*rows[0]) if rows else None

    def tickets_of_day(self, day: str, states: Sequence[str] | None = None) -> list[TicketRow]:
        if states:
            marks = ", ".join("?" for _ in states)
            rows = self._query(
                f"SELECT {_TICKET_COLUMNS} FROM tickets WHERE day = ? AND state IN ({marks}) ORDER BY id",
                (day, *states),
            )
        else:
            rows = self._query(f"SELECT {_TICKET_COLUMNS} FROM tickets WHERE day = ? ORDER BY id", (day,))
        return [TicketRow(*r) for r in rows]

    def waiting_of_day(self, day: str) -> list[tuple[int, str, float, int]]:
        """The day's waiting tickets as the estimator needs them: (id, service, order_at, 1 with a priority need),
        in issue order. Tuples of four rather than whole rows: a long queue is read every second."""
        with self._lock:
            return self.conn.execute(
                """SELECT id, service_id, order_at, priority_need IS NOT NULL FROM tickets
                   WHERE day = ? AND state = 'waiting' ORDER BY id""",
                (day,),
            ).fetchall()

    def called_of_day(self, day: str) -> list[TicketRow]:
        """The day's tickets that were called at a counter (whatever became of them since), in issue order."""
        rows = self._query(
            f"""SELECT {_TICKET_COLUMNS} FROM tickets
                WHERE day = ? AND state != 'waiting' AND called_at IS NOT NULL AND counter IS NOT NULL ORDER BY id""",
            (day,),
        )
        return [TicketRow(*r) for r in rows]

    def tickets_of_days(self, first_day: str, before_day: str) -> list[TicketRow]:
        """Tickets of the days ``first_day`` ≤ day < ``before_day`` (the predictor's history)."""
        rows = self._query(
            f"SELECT {_TICKET_COLUMNS} FROM tickets WHERE day >= ? AND day < ? ORDER BY day, id",
            (first_day, before_day),
        )
        return [TicketRow(*r) for r in rows]

    def waiting_candidates(self, day: str, service_ids: Sequence[str], limit: int = 50) -> list[TicketRow]:
        """Waiting tickets of these services: priority needs first, then reservations, then oldest."""
        marks = ", ".join("?" for _ in service_ids)
        rows = self._query(
            f"""SELECT {_TICKET_COLUMNS} FROM tickets
                WHERE day = ? AND state = 'waiting' AND service_id IN ({marks})
                ORDER BY (priority_need IS NULL), (reservation_id IS NULL), order_at, id LIMIT ?""",
            (day, *service_ids, limit),
        )
        return [TicketRow(*r) for r in rows]

    def oldest_waiting_per_service(
        self, day: str, service_ids: Sequence[str], *, counter: int | None = None, staff_id: str | None = None
    ) -> dict[str, list[TicketRow]]:
        """For each service: its first waiting priority ticket, reservation and walk-in (call-next inputs).

        A ticket sent to one counter or one clerk is left out unless it is this ``counter``'s or this clerk's."""
        out: dict[str, list[TicketRow]] = {}
        mine = "(target_counter IS NULL OR target_counter = :c) AND (target_staff IS NULL OR target_staff = :st)"
        for sid in service_ids:
            rows = self._query(
                f"""SELECT {_TICKET_COLUMNS} FROM tickets WHERE id IN (
                    SELECT (SELECT id FROM tickets WHERE day = :d AND state = 'waiting' AND service_id = :s
                            AND priority_need IS NOT NULL AND {mine} ORDER BY order_at, id LIMIT 1)
                    UNION ALL
                    SELECT (SELECT id FROM tickets WHERE day = :d AND state = 'waiting' AND service_id = :s
                            AND priority_need IS NULL AND reservation_id IS NOT NULL AND {mine}
                            ORDER BY order_at, id LIMIT 1)
                    UNION ALL
                    SELECT (SELECT id FROM tickets WHERE day = :d AND state = 'waiting' AND service_id = :s
                            AND priority_need IS NULL AND reservation_id IS NULL AND {mine}
                            ORDER BY order_at, id LIMIT 1))""",
                {"d": day, "s": sid, "c": counter, "st": staff_id},
            )
            out[sid] = [TicketRow(*r) for r in rows]
        return out

    def oldest_sent_here(self, day: str, counter: int, staff_id: str | None) -> TicketRow | None:
        """The oldest waiting ticket sent to this counter or to this clerk (a transfer): it is called first."""
        rows = self._query(
            f"""SELECT {_TICKET_COLUMNS} FROM tickets WHERE day = ? AND state = 'waiting'
                AND (target_counter = ? OR (target_staff IS NOT NULL AND target_staff = ?))
                AND (target_counter IS NULL OR target_counter = ?)
                ORDER BY order_at, id LIMIT 1""",
            (day, counter, staff_id, counter),
        )
        return TicketRow(*rows[0]) if rows else None

    def waiting_list(self, day: str, service_ids: Sequence[str], counter: int, limit: int = 300) -> list[TicketRow]:
        """The waiting tickets of these services, and those sent to ``counter``, in the order call-next takes them
        (sent here first, then priority needs, reservations, oldest)."""
        marks = ", ".join("?" for _ in service_ids)
        rows = self._query(
            f"""SELECT {_TICKET_COLUMNS} FROM tickets
                WHERE day = ? AND state = 'waiting' AND (service_id IN ({marks}) OR target_counter = ?)
                ORDER BY (target_counter IS NOT ? ), (priority_need IS NULL), (reservation_id IS NULL), order_at, id
                LIMIT ?""",
            (day, *service_ids, counter, counter, limit),
        )
        return [TicketRow(*r) for r in rows]

    def recent_no_shows(self, day: str, service_ids: Sequence[str], since: float) -> list[TicketRow]:
        """No-shows of these services since ``since`` (a late arrival may be put back), newest first."""
        marks = ", ".join("?" for _ in service_ids)
        rows = self._query(
            f"""SELECT {_TICKET_COLUMNS} FROM tickets WHERE day = ? AND state = 'no_show'
                AND service_id IN ({marks}) AND finished_at >= ? ORDER BY finished_at DESC LIMIT 50""",
            (day, *service_ids, since),
        )
        return [TicketRow(*r) for r in rows]

    # ------------------------------------------------------------------ counter states
    def counter_states(self) -> dict[int, CounterStateRow]:
        rows = self._query("SELECT counter, day, state, reason, since, staff_id FROM counter_states")
        return {int(r[0]): CounterStateRow(*r) for r in rows}

    def set_counter_state(
        self, counter: int, day: str, state: str, reason: str | None, since: float, staff_id: str | None
    ) -> None:
        self.conn.execute(
            "INSERT INTO counter_states VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(counter) DO UPDATE SET "
            "day = excluded.day, state = excluded.state, reason = excluded.reason, since = excluded.since, "
            "staff_id = excluded.staff_id",
            (counter, day, state, reason, since, staff_id),
        )

    def staffed_counters(self) -> dict[int, list[str]]:
        """Counter → the staff ids with a session open there."""
        out: dict[int, list[str]] = {}
        for counter, staff_id in self._query(
            "SELECT counter, staff_id FROM staff_sessions WHERE counter IS NOT NULL ORDER BY created_at"
        ):
            out.setdefault(int(counter), []).append(str(staff_id))
        return out

    def staff_names(self) -> dict[str, str]:
        return {str(r[0]): str(r[1]) for r in self._query("SELECT staff_id, display_name FROM staff")}

    def active_at_counter(self, counter: int) -> TicketRow | None:
        rows = self._query(
            f"SELECT {_TICKET_COLUMNS} FROM tickets WHERE counter = ? AND state IN ('called', 'serving') "
            "ORDER BY called_at DESC LIMIT 1",
            (counter,),
        )
        return TicketRow(*rows[0]) if rows else None

    def waiting_counts(self, day: str) -> dict[str, tuple[int, float | None]]:
        """service_id → (waiting count, oldest order_at); O(services), whatever the length of the queue."""
        rows = self._query(
            """SELECT w.service_id, w.n, (SELECT min(order_at) FROM tickets t
                                          WHERE t.day = w.day AND t.state = 'waiting' AND t.service_id = w.service_id)
               FROM waiting_counts w WHERE w.day = ? AND w.n > 0""",
            (day,),
        )
        return {r[0]: (int(r[1]), r[2]) for r in rows}

    def waiting_count(self, day: str, service_id: str) -> int:
        rows = self._query("SELECT n FROM waiting_counts WHERE day = ? AND service_id = ?", (day, service_id))
        return int(rows[0][0]) if rows else 0

    def position(self, ticket: TicketRow) -> int:
        """How many waiting tickets of the same service would be called before this one."""
        row = self.conn.execute(
            """SELECT count(*) FROM tickets WHERE day = ? AND state = 'waiting' AND service_id = ? AND id != ?
               AND ((priority_need IS NULL) < (? IS NULL)
                    OR ((priority_need IS NULL) = (? IS NULL) AND (reservation_id IS NULL) < (? IS NULL))
                    OR ((priority_need IS NULL) = (? IS NULL) AND (reservation_id IS NULL) = (? IS NULL)
                        AND (order_at < ? OR (order_at = ? AND id < ?))))""",
            (
                ticket.day,
                ticket.service_id,
                ticket.id,
                ticket.priority_need,
                ticket.priority_need,
                ticket.reservation_id,
                ticket.priority_need,
                ticket.reservation_id,
                ticket.order_at,
                ticket.order_at,
                ticket.id,
            ),
        ).fetchone()
        return int(row[0])

    def last_called(self, day: str, service_id: str) -> str | None:
        """The number of the latest call of a procedure on a day (a phone's "now calling")."""
        rows = self._query(
            "SELECT number FROM tickets WHERE day = ? AND service_id = ? AND called_at IS NOT NULL "
            "ORDER BY called_at DESC, id DESC LIMIT 1",
            (day, service_id),
        )
        return str(rows[0][0]) if rows else None

    def now_serving(self, day: str) -> dict[int, TicketRow]:
        rows = self._query(
            f"SELECT {_TICKET_COLUMNS} FROM tickets WHERE day = ? AND state IN ('called', 'serving') "
            "AND counter IS NOT NULL ORDER BY called_at",
            (day,),
        )
        out: dict[int, TicketRow] = {}
        for r in rows:
            t = TicketRow(*r)
            assert t.counter is not None
            out[t.counter] = t
        return out

    def reservation_call_share(self, day: str) -> tuple[int, int]:
        """(calls of reservation tickets, all calls) today, for the reservation share rule."""
        row = self.conn.execute(
            "SELECT count(*), sum(reservation_id IS NOT NULL) FROM tickets WHERE day = ? AND called_at IS NOT NULL",
            (day,),
        ).fetchone()
        return int(row[1] or 0), int(row[0] or 0)

    def expire_before(self, day: str, at: float) -> list[int]:
        rows = self.conn.execute(
            "UPDATE tickets SET state = 'expired', finished_at = ? "
            "WHERE day < ? AND state IN ('waiting', 'called', 'serving') RETURNING id",
            (at, day),
        ).fetchall()
        return [int(r[0]) for r in rows]

    # ------------------------------------------------------------------ visits
    def visit_steps(self, ticket_id: int) -> list[StepRow]:
        rows = self._query("SELECT * FROM visit_steps WHERE ticket_id = ? ORDER BY pos", (ticket_id,))
        return [StepRow(*r) for r in rows]

    def visit_steps_of(self, ticket_ids: Sequence[int]) -> dict[int, list[StepRow]]:
        """The routes of several tickets at once (a waiting list); tickets of one procedure are absent."""
        out: dict[int, list[StepRow]] = {}
        ids = list(ticket_ids)
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ", ".join("?" * len(chunk))
            for r in self._query(
                f"SELECT * FROM visit_steps WHERE ticket_id IN ({marks}) ORDER BY ticket_id, pos", chunk
            ):
                out.setdefault(int(r[0]), []).append(StepRow(*r))
        return out

    def put_visit_steps(self, ticket_id: int, steps: Sequence[StepRow]) -> None:
        """Write a ticket's whole route (small: a handful of rows), numbered in the order given."""
        self.conn.execute("DELETE FROM visit_steps WHERE ticket_id = ?", (ticket_id,))
        self.conn.executemany(
            "INSERT INTO visit_steps VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (ticket_id, pos, s.service_id, s.state, s.joined_at, s.called_at, s.finished_at, s.counter)
                for pos, s in enumerate(steps)
            ],
        )

    def update_current_step(self, ticket_id: int, values: dict[str, Any]) -> None:
        sets = ", ".join(f"{k} = :{k}" for k in values)
        self.conn.execute(
            f"UPDATE visit_steps SET {sets} WHERE ticket_id = :_id AND state = 'current'", {**values, "_id": ticket_id}
        )

    def visits_of_day(self, day: str) -> list[tuple[TicketRow, list[StepRow]]]:
        tickets = self._query(
            f"SELECT {_TICKET_COLUMNS} FROM tickets WHERE day = ? AND id IN (SELECT ticket_id FROM visit_steps) "
            "ORDER BY id",
            (day,),
        )
        rows = [TicketRow(*r) for r in tickets]
        steps = self.visit_steps_of([t.id for t in rows])
        return [(t, steps.get(t.id, [])) for t in rows]

    def life_event_of(self, ticket_id: int) -> str | None:
        rows = self._query("SELECT life_event FROM tickets WHERE id = ?", (ticket_id,))
        return str(rows[0][0]) if rows and rows[0][0] is not None else None

    def recent_events(self, types: Sequence[str], since: float, limit: int) -> list[EventRow]:
        marks = ", ".join("?" * len(types))
        rows = self._query(
            "SELECT id, at, type, ticket_id, counter, data FROM events "
            f"WHERE type IN ({marks}) AND at >= ? ORDER BY id DESC LIMIT ?",
            (*types, since, limit),
        )
        return [_event_row(r) for r in rows]

    # ------------------------------------------------------------------ events
    def append_event(
        self, at: float, type_: str, ticket_id: int | None, counter: int | None, data: dict[str, Any]
    ) -> int:
        cur = self.conn.execute(
            "INSERT INTO events (at, type, ticket_id, counter, data) VALUES (?, ?, ?, ?, ?)",
            (at, type_, ticket_id, counter, json.dumps(data, ensure_ascii=False, separators=(",", ":"))),
        )
        return int(cur.lastrowid or 0)

    def events_since(self, after_id: int, limit: int = 1000) -> list[EventRow]:
        rows = self._query(
            "SELECT id, at, type, ticket_id, counter, data FROM events WHERE id > ? ORDER BY id LIMIT ?",
            (after_id, limit),
        )
        return [EventRow(r[0], r[1], r[2], r[3], r[4], json.loads(r[5])) for r in rows]

    def recent_calls(self, limit: int) -> list[EventRow]:
        rows = self._query(
            "SELECT id, at, type, ticket_id, counter, data FROM events "
            "WHERE type IN ('ticket.called', 'ticket.recalled') ORDER BY id DESC LIMIT ?",
            (limit,),
        )
        return [EventRow(r[0], r[1], r[2], r[3], r[4], json.loads(r[5])) for r in rows]

    def last_ticket_event(self, ticket_id: int) -> EventRow | None:
        """A ticket's latest event (read backwards from the newest: a ticket just acted on is found at once)."""
        rows = self._query(
            "SELECT id, at, type, ticket_id, counter, data FROM events WHERE ticket_id = ? ORDER BY id DESC LIMIT 1",
            (ticket_id,),
        )
        return _event_row(rows[0]) if rows else None

    def event(self, event_id: int, type_: str) -> EventRow | None:
        rows = self._query(
            "SELECT id, at, type, ticket_id, counter, data FROM events WHERE id = ? AND type = ?", (event_id, type_)
        )
        return _event_row(rows[0]) if rows else None

    def event_about(self, type_: str, key: str, value: int) -> EventRow | None:
        """The first event of ``type_`` after event ``value`` whose data has ``key`` = ``value`` (an answer to it)."""
        rows = self._query(
            "SELECT id, at, type, ticket_id, counter, data FROM events "
            "WHERE id > ? AND type = ? AND json_extract(data, '$.' || ?) = ? ORDER BY id LIMIT 1",
            (value, type_, key, value),
        )
        return _event_row(rows[0]) if rows else None

    def data_version(self) -> int:
        """Changes whenever another connection (of this or any process) has committed: a cheap "anything new?"."""
        with self._lock:
            return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def forget_clerks_notes(self) -> None:
        with self.write() as conn:
            conn.execute(
                "UPDATE events SET data = json_remove(data, '$.reason') "
                "WHERE type = 'ticket.transferred' AND json_extract(data, '$.reason') IS NOT NULL"
            )

    def day_start_event_id(self) -> int:
        """The id of the current hall day's roll event (0 before the first roll): replay starts no earlier."""
        rows = self._query("SELECT max(id) FROM events WHERE type = 'day.rolled'")
        return int(rows[0][0] or 0)

    def last_event_id(self) -> int:
        row = self.conn.execute("SELECT max(id) FROM events").fetchone()
        return int(row[0] or 0)

    # ------------------------------------------------------------------ forms (ciphertext only)
    def put_form(self, ticket_id: int, form_id: str | None, nonce: bytes, ciphertext: bytes, at: float) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO forms (ticket_id, form_id, nonce, ciphertext, created_at) VALUES (?, ?, ?, ?, ?)",
            (ticket_id, form_id, nonce, ciphertext, at),
        )

    def get_form(self, ticket_id: int) -> tuple[str | None, bytes, bytes] | None:
        rows = self._query("SELECT form_id, nonce, ciphertext FROM forms WHERE ticket_id = ?", (ticket_id,))
        return (rows[0][0], bytes(rows[0][1]), bytes(rows[0][2])) if rows else None

    def purge_forms(self, before_day: str | None = None) -> int:
        """Delete form rows (all, or of tickets of days before ``before_day``); returns the count."""
        if before_day is None:
            cur = self.conn.execute("DELETE FROM forms")
        else:
            cur = self.conn.execute(
                "DELETE FROM forms WHERE ticket_id IN (SELECT id FROM tickets WHERE day < ?)", (before_day,)
            )
        self.conn.execute(
            "UPDATE reservations SET name_nonce = NULL, name_ciphertext = NULL WHERE date < ?",
            (before_day or "9999",),
        )
        return int(cur.rowcount)

    def purge_forms_created_before(self, at: float) -> int:
        with self.write() as conn:
            return int(conn.execute("DELETE FROM forms WHERE created_at < ?", (at,)).rowcount)

    def form_count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM forms").fetchone()[0])

    # ------------------------------------------------------------------ audit
    def audit(
        self,
        at: float,
        action: str,
        *,
        staff_id: str | None,
        device: str | None,
        counter: int | None,
        ticket_id: int | None,
        subject: str | None = None,
    ) -> None:
        """One audit row: who (staff id, from which device, at which counter) did what, to which ticket or
        account (``subject``). Rows are kept: they are the hall's record of who read what."""
        self.conn.execute(
            "INSERT INTO audit (at, staff_id, device, counter, ticket_id, action, subject) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (at, staff_id, device, counter, ticket_id, action, subject),
        )

    def audit_rows(self, ticket_id: int | None = None, *, since: float | None = None) -> list[dict[str, Any]]:
        if ticket_id is not None:
            rows = self._query("SELECT * FROM audit WHERE ticket_id = ? ORDER BY id", (ticket_id,))
        elif since is not None:
            rows = self._query("SELECT * FROM audit WHERE at >= ? ORDER BY id", (since,))
        else:
            rows = self._query("SELECT * FROM audit ORDER BY id")
        return [dict(r) for r in rows]

    def session_owner(self, token_hash: str) -> tuple[str, str | None, int | None] | None:
        """(staff id, device, counter) of a session."""
        rows = self._query("SELECT staff_id, device, counter FROM staff_sessions WHERE token_hash = ?", (token_hash,))
        return (rows[0][0], rows[0][1], rows[0][2]) if rows else None

    # ------------------------------------------------------------------ devices and staff
    def add_device(self, name: str, role: str, token_hash: str, at: float, counter: int | None = None) -> None:
        """Create a device, or give an existing one a new token (and role and counter): the old token stops."""
        with self.write() as conn:
            conn.execute(
                "INSERT INTO devices (name, role, token_hash, created_at, counter) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(name) DO UPDATE SET role = excluded.role, token_hash = excluded.token_hash, "
                "counter = excluded.counter, active = 1",
                (name, role, token_hash, at, counter),
            )

    def device_by_token_hash(self, token_hash: str) -> tuple[str, str, int | None] | None:
        """(name, role, bound counter) of an active device."""
        rows = self._query("SELECT name, role, counter FROM devices WHERE token_hash = ? AND active = 1", (token_hash,))
        return (rows[0][0], rows[0][1], rows[0][2]) if rows else None

    def device_heartbeat(self, name: str, at: float, health_json: str) -> None:
        with self.write() as conn:
            conn.execute("UPDATE devices SET last_seen = ?, health = ? WHERE name = ?", (at, health_json, name))

    def devices(self) -> list[dict[str, Any]]:
        return [
            dict(r)
            for r in self._query(
                "SELECT name, role, counter, active, created_at, last_seen, health FROM devices ORDER BY name"
            )
        ]

    def set_device_active(self, name: str, active: bool) -> bool:
        """Enable or disable a device (disabling ends its staff sessions); False when unknown."""
        with self.write() as conn:
            done = conn.execute("UPDATE devices SET active = ? WHERE name = ?", (int(active), name)).rowcount
            if done and not active:
                conn.execute("DELETE FROM staff_sessions WHERE device = ?", (name,))
        return bool(done)

    def bind_device(self, name: str, counter: int | None) -> bool:
        """Bind a device to a counter (None: unbind); its staff sessions end. False when unknown."""
        with self.write() as conn:
            done = conn.execute("UPDATE devices SET counter = ? WHERE name = ?", (counter, name)).rowcount
            conn.execute("DELETE FROM staff_sessions WHERE device = ?", (name,))
        return bool(done)

    def remove_device(self, name: str) -> bool:
        with self.write() as conn:
            conn.execute("DELETE FROM staff_sessions WHERE device = ?", (name,))
            return bool(conn.execute("DELETE FROM devices WHERE name = ?", (name,)).rowcount)

    def add_staff(self, staff_id: str, display_name: str | None, password_hash: str, at: float) -> None:
        """Create a staff member, or set a new password: that ends their sessions and unlocks the account, but
        leaves a disabled account disabled (enable is its own decision) and the name as it was unless given."""
        with self.write() as conn:
            conn.execute(
                "INSERT INTO staff (staff_id, display_name, password_hash, created_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(staff_id) DO UPDATE SET display_name = coalesce(?, display_name), "
                "password_hash = excluded.password_hash, failed_logins = 0, locked_at = NULL",
                (staff_id, display_name or staff_id, password_hash, at, display_name),
            )
            conn.execute("DELETE FROM staff_sessions WHERE staff_id = ?", (staff_id,))

    def staff(self, staff_id: str) -> tuple[str, str, bool] | None:
        """(display name, password hash, may log in): active and not locked."""
        rows = self._query(
            "SELECT display_name, password_hash, active AND locked_at IS NULL FROM staff WHERE staff_id = ?",
            (staff_id,),
        )
        return (rows[0][0], rows[0][1], bool(rows[0][2])) if rows else None

    def staff_members(self) -> list[dict[str, Any]]:
        return [
            dict(r)
            for r in self._query(
                "SELECT s.staff_id, s.display_name, s.active, s.failed_logins, s.locked_at, s.created_at, "
                "(SELECT count(*) FROM staff_sessions x WHERE x.staff_id = s.staff_id) AS sessions "
                "FROM staff s ORDER BY s.staff_id"
            )
        ]

    def set_staff_active(self, staff_id: str, active: bool) -> bool:
        """Enable or disable a staff member (disabling ends their sessions); False when unknown."""
        with self.write() as conn:
            done = conn.execute("UPDATE staff SET active = ? WHERE staff_id = ?", (int(active), staff_id)).rowcount
            if done and not active:
                conn.execute("DELETE FROM staff_sessions WHERE staff_id = ?", (staff_id,))
        return bool(done)

    def unlock_staff(self, staff_id: str) -> bool:
        with self.write() as conn:
            return bool(
                conn.execute(
                    "UPDATE staff SET failed_logins = 0, locked_at = NULL WHERE staff_id = ?", (staff_id,)
                ).rowcount
            )

    def remove_staff(self, staff_id: str) -> bool:
        with self.write() as conn:
            conn.execute("DELETE FROM staff_sessions WHERE staff_id = ?", (staff_id,))
            return bool(conn.execute("DELETE FROM staff WHERE staff_id = ?", (staff_id,)).rowcount)

    def set_password_hash(self, staff_id: str, password_hash: str) -> None:
        """The same password hashed anew (stronger parameters), at a successful login: the sessions stay."""
        with self.write() as conn:
            conn.execute("UPDATE staff SET password_hash = ? WHERE staff_id = ?", (password_hash, staff_id))

    def login_failed(self, staff_id: str, lock_after: int, at: float) -> bool:
        """Count a failed login; True when this one locked the account."""
        with self.write() as conn:
            row = conn.execute(
                "UPDATE staff SET failed_logins = failed_logins + 1 WHERE staff_id = ? AND locked_at IS NULL "
                "RETURNING failed_logins",
                (staff_id,),
            ).fetchone()
            if row is None or row[0] < lock_after:
                return False
            conn.execute("UPDATE staff SET locked_at = ? WHERE staff_id = ?", (at, staff_id))
            conn.execute("DELETE FROM staff_sessions WHERE staff_id = ?", (staff_id,))
            return True

    def login_succeeded(self, staff_id: str) -> None:
        with self.write() as conn:
            conn.execute("UPDATE staff SET failed_logins = 0 WHERE staff_id = ?", (staff_id,))

    def add_staff_session(self, token_hash: str, staff_id: str, device: str, counter: int | None, at: float) -> None:
        with self.write() as conn:
            conn.execute(
                "INSERT INTO staff_sessions VALUES (?, ?, ?, ?, ?, ?)",
                (token_hash, staff_id, device, counter, at, at),
            )

    def staff_session(self, token_hash: str) -> tuple[str, str | None, int | None, float] | None:
        """(staff id, device, counter, last seen) of a session whose staff member may still log in."""
        rows = self._query(
            "SELECT x.staff_id, x.device, x.counter, x.last_seen FROM staff_sessions x "
            "JOIN staff s ON s.staff_id = x.staff_id WHERE x.token_hash = ? AND s.active AND s.locked_at IS NULL",
            (token_hash,),
        )
        return (rows[0][0], rows[0][1], rows[0][2], rows[0][3]) if rows else None

    def touch_staff_session(self, token_hash: str, at: float) -> None:
        with self.write() as conn:
            conn.execute("UPDATE staff_sessions SET last_seen = ? WHERE token_hash = ?", (at, token_hash))

    def staff_session_devices(self) -> list[str]:
        """The devices a staff member is logged in on."""
        return [str(r[0]) for r in self._query("SELECT DISTINCT device FROM staff_sessions WHERE device IS NOT NULL")]

    def end_staff_session(self, token_hash: str) -> None:
        with self.write() as conn:
            conn.execute("DELETE FROM staff_sessions WHERE token_hash = ?", (token_hash,))

    def end_staff_sessions(self, at: float, *, idle_before: float | None = None) -> int:
        """End every session (the day roll), or those idle since before ``idle_before``; each end is audited."""
        with self.write() as conn:
            if idle_before is None:
                ended = conn.execute("DELETE FROM staff_sessions RETURNING staff_id, device, counter").fetchall()
                action = "staff.session_ended_day"
            else:
                ended = conn.execute(
                    "DELETE FROM staff_sessions WHERE last_seen < ? RETURNING staff_id, device, counter",
                    (idle_before,),
                ).fetchall()
                action = "staff.session_ended_idle"
            for staff_id, device, counter in ended:
                self.audit(at, action, staff_id=staff_id, device=device, counter=counter, ticket_id=None)
            return len(ended)

    # ------------------------------------------------------------------ reservations
    def insert_reservation(
        self,
        code: str,
        service_id: str,
        date: str,
        slot_start: str,
        slot_end: str | None,
        name: tuple[bytes, bytes] | None,
        at: float,
    ) -> int:
        cur = self.conn.execute(
            "INSERT INTO reservations (code, service_id, date, slot_start, slot_end, name_nonce, name_ciphertext, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (code, service_id, date, slot_start, slot_end, name[0] if name else None, name[1] if name else None, at),
        )
        return int(cur.lastrowid or 0)

    def reservation_by_code(self, code: str) -> dict[str, Any] | None:
        rows = self._query(
            "SELECT id, code, service_id, date, slot_start, slot_end, ticket_id, cancelled_at, language "
            "FROM reservations WHERE code = ?",
            (code,),
        )
        return dict(rows[0]) if rows else None

    def insert_booking(
        self,
        code: str,
        service_id: str,
        date: str,
        slot_start: str,
        slot_end: str,
        seat: int,
        language: str,
        manage_hash: str,
        request_hash: str,
        at: float,
    ) -> int:
        cur = self.conn.execute(
            "INSERT INTO reservations (code, service_id, date, slot_start, slot_end, created_at, source, seat, "
            "language, manage_hash, request_hash) VALUES (?, ?, ?, ?, ?, ?, 'web', ?, ?, ?, ?)",
            (code, service_id, date, slot_start, slot_end, at, seat, language, manage_hash, request_hash),
        )
        return int(cur.lastrowid or 0)

    def slot_bookings(self, service_id: str, date: str) -> dict[str, list[int | None]]:
        """Slot start → the seats of its bookings that stand (None: an imported reservation, which has no seat)."""
        out: dict[str, list[int | None]] = {}
        for slot, seat in self._query(
            "SELECT slot_start, seat FROM reservations WHERE service_id = ? AND date = ? AND cancelled_at IS NULL",
            (service_id, date),
        ):
            out.setdefault(str(slot), []).append(seat)
        return out

    def booking_counts(self, service_id: str, first_date: str, last_date: str) -> dict[tuple[str, str], int]:
        """(date, slot start) → bookings that stand, for a range of days."""
        rows = self._query(
            "SELECT date, slot_start, count(*) FROM reservations WHERE service_id = ? AND date BETWEEN ? AND ? "
            "AND cancelled_at IS NULL GROUP BY date, slot_start",
            (service_id, first_date, last_date),
        )
        return {(str(d), str(t)): int(n) for d, t, n in rows}

    _BOOKING_COLUMNS = (
        "r.id, r.code, r.service_id, r.date, r.slot_start, r.slot_end, r.ticket_id, r.cancelled_at, r.source, "
        "r.language, r.created_at, t.number AS ticket_number, t.state AS ticket_state"
    )

    def booking_by(self, column: str, digest: str) -> dict[str, Any] | None:
        """A booking by the hash of its confirmation page's token (``manage_hash``) or form request
        (``request_hash``)."""
        if column not in ("manage_hash", "request_hash"):
            raise ValueError(column)
        rows = self._query(
            f"SELECT {self._BOOKING_COLUMNS} FROM reservations r LEFT JOIN tickets t ON t.id = r.ticket_id "
            f"WHERE r.{column} = ?",
            (digest,),
        )
        return dict(rows[0]) if rows else None

    def reservations_of_day(self, date: str) -> list[dict[str, Any]]:
        rows = self._query(
            f"SELECT {self._BOOKING_COLUMNS} FROM reservations r LEFT JOIN tickets t ON t.id = r.ticket_id "
            "WHERE r.date = ? ORDER BY r.slot_start, r.service_id, r.id",
            (date,),
        )
        return [dict(r) for r in rows]

    def cancel_reservation(self, reservation_id: int, at: float) -> bool:
        """Gives the seat back; only a reservation not checked in nor cancelled already."""
        cur = self.conn.execute(
            "UPDATE reservations SET cancelled_at = ?, seat = NULL WHERE id = ? AND cancelled_at IS NULL "
            "AND ticket_id IS NULL",
            (at, reservation_id),
        )
        return cur.rowcount == 1

    def reservation_codes(self) -> set[str]:
        return {r[0] for r in self._query("SELECT code FROM reservations")}

    def unlink_reservation(self, reservation_id: int, ticket_id: int) -> None:
        """The ticket of a check-in was taken back: the reservation may be checked in again."""
        self.conn.execute(
            "UPDATE reservations SET ticket_id = NULL WHERE id = ? AND ticket_id = ?", (reservation_id, ticket_id)
        )

    def link_reservation(self, reservation_id: int, ticket_id: int) -> bool:
        cur = self.conn.execute(
            "UPDATE reservations SET ticket_id = ? WHERE id = ? AND ticket_id IS NULL AND cancelled_at IS NULL",
            (ticket_id, reservation_id),
        )
        return cur.rowcount == 1


def _event_row(r: Any) -> EventRow:
    return EventRow(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]))
